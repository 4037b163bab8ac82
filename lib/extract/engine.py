"""The rule engine: from an article's text to candidate statements.

Why rules: nothing can be downloaded at run time and the machine has two shared CPU cores, so a
language model is out; and an editor reviewing candidates needs to see why a span was taken.
News copy attributes speech in a small number of shapes, which the engine reads directly:

- a reporting verb ("said", "told Reuters", "warned", "called on", "announced") whose subject is
  the noun phrase just before it (titles, names, appositives, who-clauses, "analysts cited by
  X", "a source close to X"), or, after a quotation, just after it ('"…," said Peskov');
- a quotation followed by its attribution ("“…,” Peskov said"), and a quotation that goes on in
  the next sentence;
- a paraphrase followed by its attribution ("…, the ministry said in a statement"), and an
  organisation's words voiced by its spokesperson ("The Kremlin warned …, Peskov told reporters");
- "According to X, …", "Quote from X: …", participles ("…, adding that …"), second verbs
  (", but said …", ", but did not accept …");
- follow-ups resolved to someone the reader already met: pronouns, "the official", "the Kremlin
  leader", "the paper said" (a teaser keeps its own memory, so a pronoun after a teaser still
  points at the body's speaker).

The span of a statement is its content without the attribution; a quotation on its own loses its
marks. Verbs inside quotation marks are never attributions.

This module keeps the article loop and the sentence forms; the word lists and patterns are in
`lexicon.py`, who spoke in `attribution.py`, what was said in `spans.py`, mediators in
`mediators.py`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

from lib.extract.attribution import (
    Attribution,
    Token,
    find_attributions,
    main_subject,
    tokenize,
    update_salience,
    voiced_by_spokesperson,
    with_contrasts,
)
from lib.extract.dates import event_date, resolve_date
from lib.extract.layout import BODY, TEASER, classify_lines, published_from_text, split_sentences
from lib.extract.lexicon import (
    ACCORDING_END,
    ACCORDING_START,
    APPEAL_QUOTE,
    BARE_QUOTATION,
    CIRCUMSTANCE_ONLY,
    CONDITIONAL_OPENING,
    DATELINE,
    DATELINE_PLACE,
    LABEL,
    MEDIA,
    NAME_RUN,
    PARTICIPLES,
    QUOTE_FROM,
)
from lib.extract.mediators import named_mediators
from lib.extract.spans import cut_new_clause, end_of_content, quote_at_start, start_of_content, trim
from lib.extract.speakers import PRONOUNS, Context, Speaker, is_name_word, resolve_speaker
from lib.extract.stance import classify_stance
from lib.gazetteer import Gazetteer, fold, load_gazetteer


@dataclass
class Candidate:
    """A statement proposed for review: the store's record fields plus where it came from."""

    date: date
    speaker: str
    role: str
    affiliation: str
    stance: str
    quote: str
    mediators: list[str]
    source_name: str | None
    source_url: str | None
    on_topic: bool
    char_start: int
    char_end: int
    quote_is_paraphrase: bool

    def to_record(self) -> dict:
        """The candidate as a dict in the store's record form (date as an ISO string)."""
        record = dict(self.__dict__)
        record["date"] = self.date.isoformat()
        return record


@dataclass(frozen=True)
class Sentence:
    """One sentence being read, `text[start:end]`, with what its statements are resolved
    against: the reader's memory (`context`) and the article's publication and event dates."""

    text: str
    start: int
    end: int
    context: Context
    published: date
    event: date | None

    @property
    def words(self) -> str:
        return self.text[self.start : self.end]

    def starting_at(self, start: int) -> Sentence:
        """The rest of the sentence from `start` (after a dateline, a label, "According to X,")."""
        return dataclasses.replace(self, start=start)


def extract_statements(
    text: str,
    *,
    published: date | None = None,
    source_name: str | None = None,
    source_url: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Candidate]:
    """Candidate statements in reading order; offsets index into `text` as given.

    Relative dates resolve against `published` (default: the date in the byline, else today).
    """
    gazetteer = gazetteer or load_gazetteer()
    published = published or published_from_text(text) or date.today()
    lines = classify_lines(text)
    body_sentences = [
        text[start:end]
        for line in lines
        if line.kind == BODY
        for start, end in split_sentences(text, line.start, line.end)
    ]
    event = event_date(body_sentences, published)
    full_names = _full_names(text, lines, gazetteer)
    home = _dateline_country(text, gazetteer)
    body = Context(gazetteer, published, full_names=dict(full_names), home_affiliation=home)
    teasers: dict[int, Context] = {}
    candidates: list[Candidate] = []
    for line in lines:
        if line.kind == TEASER and line.block not in teasers:
            teasers[line.block] = Context(gazetteer, published, full_names=dict(full_names))
        if line.kind == TEASER and not _ends_like_prose(text[line.start : line.end]):
            _remember_headline_names(text[line.start : line.end], teasers[line.block])
            continue
        if line.kind not in (BODY, TEASER):
            continue
        context = body if line.kind == BODY else teasers[line.block]
        paragraph_speaker: Speaker | None = None
        for start, end in split_sentences(text, line.start, line.end):
            sentence = Sentence(text, start, end, context, published, event)
            found = _sentence_statements(sentence)
            if not found and paragraph_speaker and BARE_QUOTATION.fullmatch(sentence.words):
                # '"…," Macron said. "We will do everything needed …"': the quote goes on.
                span = trim(text, start, end)
                found = [_candidate(sentence, span, paragraph_speaker, "said", "")]
            if found:
                paragraph_speaker = context.last_speaker_seen
            for candidate in found:
                candidate.on_topic = line.kind == BODY
                if not candidate.on_topic:
                    candidate.stance = "other"
                candidate.source_name, candidate.source_url = source_name, source_url
            candidates.extend(found)
    return candidates


def _dateline_country(text: str, gazetteer: Gazetteer) -> str:
    """The country of the dateline ("WASHINGTON —", "MOSCOW/KYIV, May 11"), if any."""
    for line in text.splitlines()[:6]:
        match = DATELINE_PLACE.match(line.strip())
        if match:
            place = gazetteer.place(match.group(1).split("/")[0].strip().title())
            if place and place.kind == "country":
                return place.name
    return ""


def _ends_like_prose(line: str) -> bool:
    return bool(re.search(r"[.!?…][\"”’)]*\s*$|[\"”]\s*$", line.strip()))


def _remember_headline_names(line: str, context: Context) -> None:
    words = line.split()
    run = []
    for word in words:
        if is_name_word(word, context.gazetteer):
            run.append(word)
        else:
            break
    if len(run) >= 2:
        speaker = resolve_speaker(" ".join(run), context)
        if speaker:
            context.mentioned.append(speaker)


def _full_names(text: str, lines, gazetteer: Gazetteer) -> dict[str, str]:
    """Multi-word capitalised names in the article, keyed by surname, so that a later bare
    surname ("Fomin said") finds the full name given earlier."""
    names: dict[str, str] = {}
    for line in lines:
        words = text[line.start : line.end].split()
        run: list[str] = []
        for word in [*words, "."]:
            bare = word.strip(',.;:“”"()')
            if bare and bare == word.rstrip(",") and is_name_word(bare, gazetteer):
                run.append(bare)
                continue
            if bare and is_name_word(bare, gazetteer):
                run.append(bare)
            if len(run) >= 2:
                names.setdefault(fold(run[-1]), " ".join(run))
            run = []
    return names


def _sentence_statements(sentence: Sentence) -> list[Candidate]:
    for pattern in (DATELINE, LABEL):
        prefix = pattern.match(sentence.words)
        if prefix:
            sentence = sentence.starting_at(sentence.start + prefix.end())
    special = _special_forms(sentence)
    if special is not None:
        return special
    text, start, end, context = sentence.text, sentence.start, sentence.end, sentence.context
    tokens = tokenize(text, start, end)
    appeal = APPEAL_QUOTE.search(sentence.words)
    main = main_subject(tokens, context)
    if main and main.kind in {"person", "group"} and tokens and tokens[0].lower not in PRONOUNS:
        context.salient = main  # "Wang Yi and Amorim hosted …, a group they said …"
    attributions = find_attributions(tokens, context)
    update_salience(tokens, attributions, context)
    candidates = _build(sentence, tokens, attributions)
    if not attributions and appeal and context.salient:
        # "He ended the post with a direct appeal: “Vladimir, STOP!”"
        span = trim(text, start + appeal.start("quote"), start + appeal.end("quote"))
        words = text[start : start + appeal.start("quote")]
        candidates = [_candidate(sentence, span, context.salient, "said", words)]
    _note_mentions(sentence.words, context)
    return candidates


def _note_mentions(sentence: str, context: Context) -> None:
    """Known people named anywhere in the sentence, for later "the Kremlin leader"."""
    for match in NAME_RUN.finditer(sentence):
        actor = context.gazetteer.actor(match.group(0))
        if actor and actor.kind == "person":
            speaker = Speaker(actor.name, actor.role_on(context.day), actor.affiliation, "person")
            context.mentioned.append(speaker)


def _special_forms(sentence: Sentence) -> list[Candidate] | None:
    """'Quote from X: "…"', 'Quote: "…"' and 'According to X, …' sentences."""
    text, start, end, context = sentence.text, sentence.start, sentence.end, sentence.context
    quote_from = QUOTE_FROM.match(sentence.words)
    if quote_from:
        who = quote_from.group("who") or ""
        words = who.split()
        name_words = []
        for word in words:
            if word.lower() in {"after", "during", "at", "on", "in", "before"}:
                break
            name_words.append(word)
        speaker = resolve_speaker(" ".join(name_words), context) if name_words else context.salient
        if not speaker:
            return []
        context.salient = speaker
        span = trim(text, start + quote_from.end(), end)
        return [_candidate(sentence, span, speaker, "said", who)]
    according = ACCORDING_START.match(sentence.words)
    if according:
        who = according.group("who")
        rest_start = start + according.end()
        tokens = tokenize(text, rest_start, end)
        attributions = find_attributions(tokens, context)
        if attributions:
            relay = who.strip() if who.lower().strip() in MEDIA else None
            candidates = _build(sentence.starting_at(rest_start), tokens, attributions)
            if relay:
                for candidate in candidates:
                    if candidate.speaker.endswith("(unnamed)"):
                        candidate.speaker = candidate.speaker[:-1] + f", via {relay})"
            return candidates
        speaker = resolve_speaker(who, context)
        if not speaker:
            return []
        context.salient = speaker if speaker.kind != "country" else context.salient
        span = trim(text, rest_start, end)
        return [_candidate(sentence, span, speaker, "said", who)]
    according_end = ACCORDING_END.search(sentence.words)
    if according_end and not find_attributions(tokenize(text, start, end), context):
        speaker = resolve_speaker(according_end.group("who"), context)
        if not speaker:
            return []
        span = trim(text, start, start + according_end.start())
        return [_candidate(sentence, span, speaker, "said", "")]
    return None


def _build(
    sentence: Sentence, tokens: list[Token], attributions: list[Attribution]
) -> list[Candidate]:
    """One candidate per attribution (after contrasts and spokespeople are sorted out), its span
    the content around the attribution."""
    text, start, end = sentence.text, sentence.start, sentence.end
    candidates = []
    leading_quote = quote_at_start(text, start, end)
    attributions = with_contrasts(text, tokens, attributions)
    attributions = voiced_by_spokesperson(text, tokens, attributions, end)
    for position, attribution in enumerate(attributions):
        following = attributions[position + 1] if position + 1 < len(attributions) else None
        content_end = end_of_content(text, tokens, following, end)
        if attribution.content_limit is not None:
            content_end = min(content_end, attribution.content_limit)
        quote_first = (
            leading_quote
            if position == 0
            and leading_quote
            and leading_quote[1] <= tokens[attribution.subject_start].start
            else None
        )
        if quote_first:
            span = (quote_first[0] + 1, quote_first[1] - 1)
            span = trim(text, *span)
            attribution_words = text[quote_first[1] : content_end]
        else:
            content_start = start_of_content(text, tokens, attribution, content_end)
            content_end = cut_new_clause(text, content_start, content_end)
            span = trim(text, content_start, content_end)
            attribution_words = text[start:content_start]
            comma_before = (
                position == 0
                and attribution.subject_start > 0
                and tokens[attribution.subject_start - 1].text == ","
            )
            rest = text[span[0] : span[1]].lower()
            trailing = (
                span[1] - span[0] < 3
                or rest.split(" ", 1)[0] in PARTICIPLES
                or bool(CIRCUMSTANCE_ONLY.fullmatch(rest))
            )
            if comma_before and (trailing or rest.startswith("according to")):
                # "Two drones attacked the bridge, the committee said.": the statement is
                # the clause before its attribution.
                comma = tokens[attribution.subject_start - 1].start
                span = trim(text, start, comma)
                attribution_words = text[comma:content_start]
            elif comma_before and CONDITIONAL_OPENING.match(text[start:end]):
                # "As soon as …, he said, Moscow would …": the attribution stays inside.
                span = trim(text, start, content_end)
        if span[1] - span[0] < 3 or text[span[0] : span[1]].startswith("by "):
            continue  # "responded by showing …" describes an act, not words
        candidates.append(
            _candidate(sentence, span, attribution.speaker, attribution.verb, attribution_words)
        )
    return candidates


def _candidate(
    sentence: Sentence, span: tuple[int, int], speaker: Speaker, verb: str, attribution_words: str
) -> Candidate:
    """The statement `text[span]` by `speaker`, dated from the attribution's words or the
    reader's memory, and remembered as the last statement read."""
    context, published, event = sentence.context, sentence.published, sentence.event
    quote = sentence.text[span[0] : span[1]]
    previous = context.last_date
    same_speaker = context.last_speaker == speaker.name
    day = resolve_date(attribution_words, published, previous=previous, event=event)
    if day is None:
        day = previous if same_speaker and previous else published
    context.last_date = day
    context.last_speaker = speaker.name
    context.last_speaker_seen = speaker
    affiliation = speaker.affiliation
    if speaker.kind == "unnamed" and not affiliation:
        affiliation = context.home_affiliation
    return Candidate(
        date=day,
        speaker=speaker.name,
        role=speaker.role,
        affiliation=affiliation,
        stance=classify_stance(quote, verb, speaker_side=speaker.affiliation or speaker.name),
        quote=quote,
        mediators=named_mediators(quote, speaker, context.gazetteer),
        source_name=None,
        source_url=None,
        on_topic=True,
        char_start=span[0],
        char_end=span[1],
        quote_is_paraphrase=not any(mark in quote for mark in ("“", "”", '"')),
    )


def fold_speaker(name: str, gazetteer: Gazetteer | None = None) -> str:
    """Comparison key for a speaker: canonical name via the gazetteer, no parenthetical."""
    gazetteer = gazetteer or load_gazetteer()
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    actor = gazetteer.actor(bare)
    return fold(actor.name if actor else bare)
