"""The extractor's version, apart from the pipeline so reading it does not load spaCy."""

# Bump when extraction rules change, so stores built by an older pipeline are rebuilt.
EXTRACTOR_VERSION = 4
