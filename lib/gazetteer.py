"""Gazetteers: who the actors are (data/actors.csv) and which places and bodies can mediate
(data/mediators.csv), with the spelling variants news copy uses for them.

Both files are plain CSV so an editor can add a new envoy or a renamed office without touching
code. Aliases are `;`-separated; matching folds case, accents and the common transliteration
endings (Zelenskiy/Zelenskyy → zelensky), so aliases only need to list real variants.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from lib.config import DATA_DIR

ACTORS_PATH = DATA_DIR / "actors.csv"
MEDIATORS_PATH = DATA_DIR / "mediators.csv"
ACTOR_COLUMNS = ["name", "aliases", "kind", "role", "affiliation"]
MEDIATOR_COLUMNS = ["name", "aliases", "demonyms", "kind", "is_party"]
ACTOR_KINDS = {"person", "organisation"}
PLACE_KINDS = {"country", "organisation", "group"}


class GazetteerError(ValueError):
    """A gazetteer file is malformed; the message names the file, row and field."""


@dataclass(frozen=True)
class Actor:
    name: str
    aliases: tuple[str, ...]
    kind: str
    role: str  # one role, or "role [YYYY-MM-DD..YYYY-MM-DD] | role [YYYY-MM-DD..]" over time
    affiliation: str

    def role_on(self, day: date | None) -> str:
        """The role held on `day` (the latest listed role when the day is unknown or uncovered)."""
        spans = [_role_span(part) for part in self.role.split("|")]
        for text, start, end in spans:
            if day and (start is None or start <= day) and (end is None or day <= end):
                return text
        return spans[0][0]

    def held_on(self, day: date) -> str:
        """The role whose dates cover `day`, or "" (no fallback, unlike `role_on`)."""
        for text, start, end in (_role_span(part) for part in self.role.split("|")):
            if (start is None or start <= day) and (end is None or day <= end):
                return text
        return ""


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    kind: str
    is_party: bool


def fold(text: str) -> str:
    """Comparison key for names: no accents or case, straight apostrophes, one spelling of the
    -iy/-yy/-yi endings, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("’", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = re.sub(r"(?:iy|yy|yi|ij)\b", "y", plain)
    return re.sub(r"\s+", " ", plain.replace("-", " ")).strip()


# Spellings that transliteration systems (English, German, Swedish, French, Ukrainian, Russian)
# use for the same Cyrillic letter, each mapped to one: Selenskyj, Zelenskiy and Zelenskyy of
# one person, Dmitrij and Dmitry, Mykhailo and Mikhail, Wolodymyr and Volodymyr.
_TRANSLITERATIONS = (
    ("tsch", "ch"),
    ("tz", "z"),  # "Olaf Scholtz": German z spelled as in English names
    ("sch", "sh"),
    ("kh", "h"),
    ("ch", "h"),
    ("w", "v"),
    ("j", "i"),
    ("y", "i"),
    ("h", "g"),
)


def name_key(text: str) -> str:
    """Comparison key for a person's or body's name that also folds transliteration variants,
    so a spelling no alias lists ("Volodymyr Zelenskyj", "Dmitrij Peskov") still finds its
    actor: letters spelled differently by different systems become one, doubled letters one."""
    words = []
    for word in fold(text).split():
        for spelling, single in _TRANSLITERATIONS:
            word = word.replace(spelling, single)
        words.append(re.sub(r"(\w)\1+", r"\1", word))
    return " ".join(words)


def _allowed_typos(surname: str) -> int:
    return 2 if len(surname) > 4 else 1


def _edit_distance(left: str, right: str) -> int:
    """Levenshtein distance (letters inserted, deleted or replaced)."""
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, start=1):
        current = [i]
        for j, b in enumerate(right, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


class Gazetteer:
    """Look-ups over the two files; build with `load_gazetteer()`."""

    def __init__(self, actors: list[Actor], places: list[Place]) -> None:
        self.actors = {actor.name: actor for actor in actors}
        self.places = {place.name: place for place in places}
        self._actor_keys: dict[str, str] = {}
        self._actor_name_keys: dict[str, str] = {}
        surnames: dict[str, set[str]] = {}
        folded_surnames: dict[str, set[str]] = {}
        for actor in actors:
            for variant in (actor.name, *actor.aliases):
                self._actor_keys[_key(variant)] = actor.name
                self._actor_name_keys[_actor_key(variant)] = actor.name
                if actor.kind == "person" and " " in variant:
                    surnames.setdefault(fold(variant).split()[-1], set()).add(actor.name)
                    folded_surnames.setdefault(name_key(variant).split()[-1], set()).add(actor.name)
        # A bare surname resolves only when it belongs to one person in the file; a folded one
        # only when it is also long enough not to be a common word ("Yi" folds to "I", "Moore"
        # to "More").
        self._surnames = {key: min(names) for key, names in surnames.items() if len(names) == 1}
        self._folded_surnames = {
            key: min(names)
            for key, names in folded_surnames.items()
            if len(names) == 1 and len(key) >= 5
        }
        self._place_keys = {
            _key(variant): place.name
            for place in places
            for variant in (place.name, *place.aliases, *place.demonyms)
        }
        self._demonym_keys = {_key(variant) for place in places for variant in place.demonyms}

    def actor(self, name: str) -> Actor | None:
        """The actor a name or alias refers to; a bare surname counts when it is unambiguous."""
        key, folded = _key(name), _actor_key(name)
        canonical = (
            self._actor_keys.get(key)
            or self._actor_name_keys.get(folded)
            or (
                self._surnames.get(key) or self._folded_surnames.get(folded)
                if " " not in key
                else None
            )
        )
        return self.actors[canonical] if canonical else None

    def misspelt_actor(self, name: str) -> Actor | None:
        """The one person with the same first names whose surname is at most two letters off
        (one for a short surname; "Vladimir Meki" for Vladimir Makei): for a speaker's name in
        news copy, never for canonicalising stored rows."""
        words = name_key(name).split()
        if len(words) < 2 or len(words[-1]) < 4:
            return None
        found = {
            canonical
            for key, canonical in self._actor_name_keys.items()
            if self.actors[canonical].kind == "person"
            and key.split()[:-1] == words[:-1]
            and 0 < _edit_distance(key.split()[-1], words[-1]) <= _allowed_typos(key.split()[-1])
        }
        return self.actors[found.pop()] if len(found) == 1 else None

    def place(self, word: str) -> Place | None:
        """The country or organisation a name, alias, demonym or host city refers to."""
        canonical = self._place_keys.get(_key(re.sub(r"['’]s$", "", word.strip())))
        return self.places[canonical] if canonical else None

    def is_demonym(self, word: str) -> bool:
        """True for adjectives such as "Turkish" or "European" (as opposed to place names)."""
        return _key(word) in self._demonym_keys

    def place_pattern(self) -> re.Pattern[str]:
        """One regex matching any place alias as a whole word (longest first)."""
        return _place_pattern(tuple(sorted(self._place_variants(), key=len, reverse=True)))

    def _place_variants(self) -> set[str]:
        return {
            variant
            for place in self.places.values()
            for variant in (place.name, *place.aliases, *place.demonyms)
        }


@lru_cache(maxsize=8)
def _place_pattern(variants: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(re.escape(variant) for variant in variants)
    return re.compile(rf"(?<![\w-])(?:{body})(?:['’]s)?(?![\w-])")


def read_actors(path: Path = ACTORS_PATH) -> list[Actor]:
    """Rows of actors.csv; raises GazetteerError naming the row and field of a bad entry."""
    actors = []
    for number, row in _rows(path, ACTOR_COLUMNS):
        if row["kind"] not in ACTOR_KINDS:
            raise GazetteerError(
                f"{path.name}: row {number}: kind {row['kind']!r} "
                f"is not one of {sorted(ACTOR_KINDS)}"
            )
        actors.append(
            Actor(
                row["name"], _aliases(row["aliases"]), row["kind"], row["role"], row["affiliation"]
            )
        )
    return actors


def read_places(path: Path = MEDIATORS_PATH) -> list[Place]:
    """Rows of mediators.csv; raises GazetteerError naming the row and field of a bad entry."""
    places = []
    for number, row in _rows(path, MEDIATOR_COLUMNS):
        if row["kind"] not in PLACE_KINDS:
            raise GazetteerError(
                f"{path.name}: row {number}: kind {row['kind']!r} "
                f"is not one of {sorted(PLACE_KINDS)}"
            )
        if row["is_party"] not in {"yes", "no"}:
            raise GazetteerError(f"{path.name}: row {number}: is_party must be 'yes' or 'no'")
        places.append(
            Place(
                row["name"],
                _aliases(row["aliases"]),
                _aliases(row["demonyms"]),
                row["kind"],
                row["is_party"] == "yes",
            )
        )
    return places


def integrity_problems(actors: list[Actor], places: list[Place]) -> list[str]:
    """Duplicate canonical names and aliases that would point at two different entries."""
    problems = []
    for label, entries in (("actors", actors), ("mediators", places)):
        owners: dict[str, str] = {}
        seen: set[str] = set()
        for entry in entries:
            if entry.name in seen:
                problems.append(f"{label}: canonical name {entry.name!r} appears twice")
            seen.add(entry.name)
            for variant in (entry.name, *entry.aliases, *getattr(entry, "demonyms", ())):
                key = _actor_key(variant) if label == "actors" else _key(variant)
                if owners.get(key, entry.name) != entry.name:
                    problems.append(
                        f"{label}: alias {variant!r} points at both "
                        f"{owners[key]!r} and {entry.name!r}"
                    )
                owners[key] = entry.name
    return problems


@lru_cache(maxsize=4)
def load_gazetteer(
    actors_path: Path = ACTORS_PATH, places_path: Path = MEDIATORS_PATH
) -> Gazetteer:
    """The gazetteer from the two files (cached per pair of paths)."""
    actors, places = read_actors(actors_path), read_places(places_path)
    problems = integrity_problems(actors, places)
    if problems:
        raise GazetteerError("; ".join(problems))
    return Gazetteer(actors, places)


def _rows(path: Path, columns: list[str]):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            raise GazetteerError(f"{path.name}: header must be {','.join(columns)}")
        for number, row in enumerate(reader, start=2):
            for column in columns:
                value = (row.get(column) or "").strip()
                if not value and column in {"name", "kind"}:
                    raise GazetteerError(f"{path.name}: row {number}: {column} is empty")
                row[column] = value
            yield number, row


_ROLE_SPAN = re.compile(r"^(?P<text>.*?)\s*\[(?P<start>[\d-]*)\.\.(?P<end>[\d-]*)\]\s*$")


def _role_span(part: str) -> tuple[str, date | None, date | None]:
    match = _ROLE_SPAN.match(part.strip())
    if not match:
        return part.strip(), None, None
    start, end = match.group("start"), match.group("end")
    return (
        match.group("text"),
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )


def _key(variant: str) -> str:
    return fold(re.sub(r"^the\s+", "", variant.strip(), flags=re.IGNORECASE))


def _actor_key(variant: str) -> str:
    return name_key(re.sub(r"^the\s+", "", variant.strip(), flags=re.IGNORECASE))


def _aliases(cell: str) -> tuple[str, ...]:
    return tuple(alias.strip() for alias in cell.split(";") if alias.strip())
