"""What names are already known to be: countries (with their capitals and metonyms), places, organisations."""

from __future__ import annotations

import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.extract import lexicon


@lru_cache(maxsize=65536)  # called for every name candidate, often with the same few names
def fold(name: str) -> str:
    """The comparison form of a name: case, accents, apostrophes, dots and a leading "the" do not matter."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = " ".join(text.split()).strip(" .,'\"")
    lowered = text.lower()
    if lowered.startswith("the "):
        lowered = lowered[4:]
    return lowered.replace(".", "")


# Time-zone names are a free list of cities ("Africa/Tripoli"); only the continental ones are places.
_CONTINENTS = frozenset({"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"})


@dataclass(frozen=True)
class KnownActor:
    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, KnownActor]  # folded name, alias or acronym -> country
    demonyms: dict[str, str]  # folded adjective ("russian") -> country name
    capitals: dict[str, str]  # folded capital ("moscow") -> country name; a place unless it acts
    institutions: dict[str, str]  # folded institution ("kremlin", "white house") -> country name
    organizations: dict[str, KnownActor]
    places: frozenset[str]  # folded place names that are never actors

    def country(self, name: str) -> KnownActor | None:
        return self.countries.get(fold(name))

    def organization(self, name: str) -> KnownActor | None:
        return self.organizations.get(fold(name))

    def is_place(self, name: str) -> bool:
        return fold(name) in self.places


@cache
def gazetteer() -> Gazetteer:
    places_data = lexicon.load("places")
    places = {fold(name) for group in places_data.values() for name in group}
    places |= {
        fold(zone.rsplit("/", 1)[-1].replace("_", " "))
        for zone in zoneinfo.available_timezones()
        if zone.split("/", 1)[0] in _CONTINENTS and "/" in zone
    }
    countries: dict[str, KnownActor] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    institutions: dict[str, str] = {}
    for entry in lexicon.load("countries"):
        aliases = tuple(entry.get("aliases", [])) + tuple(entry.get("acronyms", []))
        known = KnownActor(entry["name"], "country", aliases)
        for form in (entry["name"], *aliases):
            countries.setdefault(fold(form), known)
        for adjective in entry.get("adjectives", []):
            demonyms.setdefault(fold(adjective), entry["name"])
        # A seat of government that is also a city ("Aden", "Kiev") acts only as a capital does.
        for metonym in [entry.get("capital"), *entry.get("metonyms", [])]:
            if metonym and (metonym == entry.get("capital") or fold(metonym) in places):
                capitals.setdefault(fold(metonym), entry["name"])
            elif metonym:
                institutions.setdefault(fold(metonym), entry["name"])
    organizations: dict[str, KnownActor] = {}
    for entry in lexicon.load("organizations"):
        known = KnownActor(entry["name"], entry["kind"], tuple(entry["aliases"]))
        for form in (entry["name"], *entry["aliases"]):
            organizations.setdefault(fold(form), known)
    places |= set(capitals)
    places -= set(countries) | set(organizations) | set(institutions)
    return Gazetteer(countries, demonyms, capitals, institutions, organizations, frozenset(places))
