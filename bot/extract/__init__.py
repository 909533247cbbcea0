"""Pure extraction pipeline: article text in, actors, events and statements out (no I/O)."""
