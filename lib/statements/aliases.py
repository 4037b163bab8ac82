"""One name per person: speakers and affiliations as the gazetteer spells them.

The alias table is the extractor's gazetteer (data/actors.csv for people and organisations that
speak, data/mediators.csv for countries and bodies), matched with its `fold` (case, accents,
transliteration endings: Erdogan → Recep Tayyip Erdoğan, Zelenskiy → Volodymyr Zelensky,
Sibiga → Andrii Sybiha). Validation applies it, so every import, editor's save and reviewed
extraction stores the canonical name, and `merge_aliases` rewrites rows stored before; a name
the table does not know is kept as given.
"""

from __future__ import annotations

from lib.gazetteer import load_gazetteer


def canonical_speaker(name: str) -> str:
    """The gazetteer's name for a speaker (a bare surname counts when one person has it)."""
    actor = load_gazetteer().actor(name) if name else None
    return actor.name if actor else name


def canonical_affiliation(name: str) -> str:
    """The gazetteer's name for a country or organisation ("US", "Kremlin", "Turkish")."""
    place = load_gazetteer().place(name) if name else None
    return place.name if place else name
