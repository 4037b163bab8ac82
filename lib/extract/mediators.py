"""Mediators named in a statement: countries and bodies that host, guarantee or belong to a
format, never the warring parties themselves."""

from __future__ import annotations

import re

from lib.extract.speakers import Speaker
from lib.gazetteer import Gazetteer

_DEMONYM_NOUNS = re.compile(
    r"^\s+(?:President|Prime|Foreign|Chancellor|leaders?|partners|allies|mediators?|officials|"
    r"government|side|hosts?|Emir|Crown|King|envoy)\b"
)


def named_mediators(quote: str, speaker: Speaker, gazetteer: Gazetteer) -> list[str]:
    """Countries and bodies the statement names as mediators, hosts, guarantors or format
    members; the warring parties themselves are not mediators."""
    names: list[str] = list(speaker.members)
    for match in gazetteer.place_pattern().finditer(quote):
        place = gazetteer.place(match.group(0))
        if not place or place.is_party:
            continue
        if gazetteer.is_demonym(re.sub(r"['’]s$", "", match.group(0))) and not _DEMONYM_NOUNS.match(
            quote[match.end() :]
        ):
            continue
        if place.name not in names:
            names.append(place.name)
    return names
