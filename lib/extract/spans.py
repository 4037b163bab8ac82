"""What was said: where a statement's content starts and ends around its attribution, and the
trimming that leaves the span without the attribution (a lone quotation loses its marks)."""

from __future__ import annotations

import re

from lib.extract.attribution import Attribution, Token
from lib.extract.layout import quoted_spans
from lib.extract.lexicon import (
    CLOSE_QUOTES,
    CONNECTORS_AT_END,
    NEW_CLAUSE,
    OBJECT_VERBS,
    OPEN_QUOTES,
    PARTICIPLES,
    PREPOSITIONS,
    TIME_AFTER_VERB,
    TIME_WORDS,
    TOLD_OBJECTS,
)


def quote_at_start(text: str, start: int, end: int) -> tuple[int, int] | None:
    quotes = quoted_spans(text, start, end)
    if quotes and quotes[0][0] == start:
        return quotes[0]
    return None


# Verbs whose "that" clause may follow an object ("told Reuters that", "expressed hope that").
THAT_AFTER_OBJECT_VERBS = {
    "told", "tells", "tell", "reported", "reports", "announced", "assured", "informed", "expressed",
    "voiced",
}  # fmt: skip


def start_of_content(
    text: str, tokens: list[Token], attribution: Attribution, content_end: int
) -> int:
    if attribution.content_from is not None:
        return tokens[attribution.content_from].start
    index = attribution.verb_index + len(attribution.verb.split())
    verb = tokens[attribution.verb_index].lower
    if index >= len(tokens):
        return content_end
    that = None
    for look in range(index, min(index + 14, len(tokens))):
        if tokens[look].text in {",", ":", *OPEN_QUOTES} or tokens[look].quoted:
            break
        if tokens[look].lower == "that":
            that = look
            break
    opener = tokens[index].lower
    if that == index and verb in OBJECT_VERBS - {"announced"}:
        that = None  # "rejected that assessment": a determiner, not a clause
    if that is not None and (
        that == index
        or verb in THAT_AFTER_OBJECT_VERBS
        or opener in PREPOSITIONS | TIME_WORDS | {"to", "recently", "again", "also", "publicly"}
    ):
        return tokens[that].end
    if verb == "briefed":
        # "briefed Li, a former ambassador, “about the principles …”": past the one briefed
        for look in range(index, len(tokens)):
            if tokens[look].text in OPEN_QUOTES:
                return tokens[look].start
            if tokens[look].lower in {"on", "about"} and look + 1 < len(tokens):
                return tokens[look + 1].start
    if verb in {"told", "tells", "tell"}:
        while (
            index < len(tokens)
            and tokens[index].end <= content_end
            and _told_object(tokens, index)
            and not _opens_clause(tokens, index)
        ):
            index += 1  # "told Reuters", "told the two delegations", "told state television"
        if index >= len(tokens):
            return content_end
    after = text[tokens[index - 1].end : content_end]
    time = TIME_AFTER_VERB.match(after)
    position = tokens[index - 1].end + (time.end() if time else 0)
    rest = text[position:content_end]
    clause_that = verb not in OBJECT_VERBS - {"announced"}
    lead = re.match(r"^\s*(?:that\b|[:,])?\s*" if clause_that else r"^\s*[:,]?\s*", rest)
    return position + (lead.end() if lead else 0)


_AUXILIARIES = {
    "has", "have", "had", "is", "are", "was", "were", "will", "would", "could", "should", "must",
    "can", "may", "might", "did", "does", "do", "wants", "needs",
}  # fmt: skip


def _opens_clause(tokens: list[Token], index: int) -> bool:
    """ "told Reuters Ukraine has prepared …": a name right before a verb is the subject of the
    reported clause, not part of the object."""
    return (
        index + 1 < len(tokens)
        and tokens[index].text[:1].isupper()
        and tokens[index + 1].lower in _AUXILIARIES
        and index > 0
        and tokens[index - 1].text[:1].isupper()
    )


def _told_object(tokens: list[Token], index: int) -> bool:
    token = tokens[index]
    if token.lower in {"the", "a", "an", "his", "her", "their", "two"}:
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        return bool(following) and (following.text[:1].isupper() or following.lower in TOLD_OBJECTS)
    return token.text[:1].isupper() or token.lower in TOLD_OBJECTS


def end_of_content(text: str, tokens: list[Token], following: Attribution | None, end: int) -> int:
    if following is None:
        return end
    return _clause_start_before(tokens, following, end)


def cut_new_clause(text: str, start: int, end: int) -> int:
    """End a statement where ", and <Name> has/was/…" starts a clause with another subject."""
    match = NEW_CLAUSE.search(text, start, end)
    return match.start() if match else end


def _clause_start_before(tokens: list[Token], following: Attribution, end: int) -> int:
    index = following.subject_start
    if tokens[index].lower in PARTICIPLES:
        index -= 1
    while index > 0 and (
        tokens[index - 1].lower in CONNECTORS_AT_END or tokens[index - 1].text == ","
    ):
        index -= 1
    return tokens[index].start if index < len(tokens) else end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and the sentence's own closing punctuation; a statement that is one
    quotation loses its marks."""
    while start < end and text[start] in " \t:,":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    if end > start and text[end - 1] in ".,;:" and end - 1 > start:
        end -= 1
    if (
        end - start > 2
        and text[start] in OPEN_QUOTES
        and text[end - 1] in CLOSE_QUOTES
        and not any(mark in text[start + 1 : end - 1] for mark in ("“", "”", '"'))
    ):
        start, end = start + 1, end - 1
        while end > start and text[end - 1] in ".,":
            end -= 1
    elif end - start > 2 and _marks(text, start, end) == 1:
        # a paragraph of a quotation that runs on: opened here and closed later, or closed
        # here after it was opened before
        if text[start] in OPEN_QUOTES:
            start += 1
        elif text[end - 1] in CLOSE_QUOTES:
            end -= 1
            while end > start and text[end - 1] in ".,":
                end -= 1
    return start, end


def _marks(text: str, start: int, end: int) -> int:
    return sum(text[start:end].count(mark) for mark in ("“", "”", '"'))
