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
import itertools
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
from lib.extract.layout import (
    BODY,
    HEADING,
    TEASER,
    classify_lines,
    published_from_text,
    quoted_spans,
    split_sentences,
)
from lib.extract.lexicon import (
    ACCORDING_END,
    ACCORDING_START,
    ANNOUNCED_BY,
    APPEAL_QUOTE,
    BARE_QUOTATION,
    BULLET,
    CIRCUMSTANCE_ONLY,
    CITING_END,
    CLOSE_QUOTES,
    CONDITIONAL_OPENING,
    DASH_ATTRIBUTION,
    DATE_STAMP,
    DATELINE,
    DATELINE_PLACE,
    FIRST_PERSON,
    GARBLED_ATTRIBUTION,
    GUILLEMETS_AS_QUOTES,
    INTERVIEW_LINE,
    INTERVIEW_QUESTION,
    INTRODUCES_TEXT,
    INVERTED_AFTER_PROSE,
    KICKER,
    LABEL,
    LIST_INTRO,
    MEDIA,
    MENTION,
    NARRATION,
    OPEN_QUOTES,
    ORDINAL_OPENER,
    PARTICIPLES,
    POSSESSIVE_END,
    QUOTE_FROM,
    QUOTED_AS_SAYING,
    QUOTED_AS_SAYING_END,
    REFERS_BACK,
    REJOINDER,
    RELAY_BEFORE_THAT,
    REPORTED_TENSE,
    SIGNED_POST,
    SINGLE_QUOTATION,
    SPEAKER_VENUE,
    SPOKESPERSON_ROLE,
    STATED_BY,
    STATEMENT_BY,
    TRAILING_ADJUNCT,
    TRAILING_CIRCUMSTANCE,
    TRAILING_PRONOUN_ATTRIBUTION,
    TRAILING_RELAY,
    VIEW_IS_THAT,
)
from lib.extract.mediators import named_mediators
from lib.extract.spans import cut_new_clause, end_of_content, quote_at_start, start_of_content, trim
from lib.extract.speakers import (
    PRONOUNS,
    SENTENCE_OPENERS,
    Context,
    Speaker,
    is_name_word,
    resolve_speaker,
)
from lib.extract.stance import classify_stance, cue_label
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
    # same length: offsets hold
    original, text = text, _single_quotations_as_double(text.translate(GUILLEMETS_AS_QUOTES))
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
    previous_line_speaker: Speaker | None = None
    running_quote: Speaker | None = None
    bullet_speaker: Speaker | None = None
    list_speaker: Speaker | None = None  # "X made two conditions." before "First, …"
    list_item: Candidate | None = None
    pending: list[Sentence] = []
    interviewee: Speaker | None = None  # once a "Q: …" line is read
    carried_reporting: Speaker | None = None
    subject_left: Speaker | None = None  # the person the last paragraph ended on
    signed = _signed_paragraphs(text, lines, body)
    for index, line in enumerate(lines):
        interview = INTERVIEW_LINE.match(text, line.start, line.end) if line.kind == BODY else None
        if interview and interview.group("question"):
            interviewee = _interviewee(body)
            previous_line_speaker = running_quote = None
            pending = []
            continue
        answerer = _answerer(interview, interviewee, body) if interview else None
        if interview and answerer:
            body.salient = interviewee = answerer
            for start, end in split_sentences(text, interview.end(), line.end):
                sentence = Sentence(text, start, end, body, published, event)
                candidates.append(
                    _candidate(sentence, trim(text, start, end), answerer, "said", "")
                )
            previous_line_speaker, running_quote, pending = answerer, None, []
            continue
        if index in signed and line.kind in (BODY, HEADING):
            signer, content_end = signed[index]
            body.salient = signer
            for start, end in split_sentences(text, line.start, content_end):
                sentence = Sentence(text, start, end, body, published, event)
                span = trim(text, start, end)
                if span[1] - span[0] >= 3:
                    candidates.append(_candidate(sentence, span, signer, "said", ""))
            previous_line_speaker = running_quote = None
            pending = []
            continue
        if line.kind == TEASER and line.block not in teasers:
            teasers[line.block] = Context(gazetteer, published, full_names=dict(full_names))
        if line.kind == TEASER and not _ends_like_prose(text[line.start : line.end]):
            _remember_headline_names(text[line.start : line.end], teasers[line.block])
            continue
        line_text = text[line.start : line.end]
        introduces = INTRODUCES_TEXT.match(line_text) if line.kind != TEASER else None
        introducer = resolve_speaker(introduces.group("who"), body) if introduces else None
        if introducer and introducer.kind == "person":
            previous_line_speaker = running_quote = introducer  # the next paragraph is theirs
            continue
        if line.kind not in (BODY, TEASER):
            if line.kind == HEADING:
                previous_line_speaker = None  # a heading opens a new section: no quote runs on
                carried_reporting = subject_left = None
            continue
        context = body if line.kind == BODY else teasers[line.block]
        # A paragraph that opens with a quotation right after a paragraph that ended with a
        # statement goes on with that speaker's words, as news copy runs long quotations on.
        opens_with_quote = text[line.start : line.end].lstrip()[:1] in OPEN_QUOTES
        paragraph_speaker = previous_line_speaker if opens_with_quote else None
        # 'Quote: "… nor after.' / 'We demand Russia's reply. … the war."': a quotation left open
        # at the end of a paragraph goes on in the next one, whatever its first character.
        quote_goes_on = running_quote
        running_quote = None
        bullet = BULLET.match(text, line.start, line.end)
        if not bullet:
            bullet_speaker = None
        previous_line_speaker = None
        # the person the last sentence was about; 'Kuleba spoke to reporters.\n\n"We …"': a
        # paragraph that opens with a bare quotation is the words of the person just described
        subject_before = subject_left if opens_with_quote and line.kind == BODY else None
        subject_left = None
        reporting: Speaker | None = None  # whose words the last sentence reported
        # "“…,” the minister added.\n\nWe are ready too.": first-person words opening the next
        # paragraph go on with the speaker of the last one
        carried = carried_reporting if line.kind == BODY else None
        carried_reporting = None
        # "This was stated by X." opening the next paragraph claims this one's last sentence.
        stated_next = index + 1 < len(lines) and bool(
            STATED_BY.match(text[lines[index + 1].start : lines[index + 1].end])
        )
        unattributed: list[Sentence] = []  # this paragraph's sentences without a statement
        for start, end in split_sentences(text, line.start, line.end):
            sentence = Sentence(text, start, end, context, published, event)
            found = _attributed_afterwards(sentence, unattributed or pending)
            if not found:
                found = _sentence_statements(sentence)
            if not found and bullet and line.kind == BODY:
                # "▪ Our first victory is …": a list of points in the first person, right after
                # its speaker was named, is that speaker's (and so is the rest of the list).
                first_person = FIRST_PERSON.search(sentence.words)
                salient = context.salient
                if first_person and not bullet_speaker and salient and salient.kind == "person":
                    bullet_speaker = salient
                if bullet_speaker:
                    span = trim(text, max(start, bullet.end()), end)
                    found = [_candidate(sentence, span, bullet_speaker, "said", "")]
            ordinal = ORDINAL_OPENER.match(sentence.words) if line.kind == BODY else None
            if not found and ordinal and list_speaker:
                if list_item and candidates and candidates[-1] is list_item:
                    list_item.char_end = trim(text, start, end)[1]  # "Second, …" goes on
                    continue
                list_item = _candidate(sentence, trim(text, start, end), list_speaker, "said", "")
                found = [list_item]
            if not ordinal:
                list_speaker, list_item = _list_speaker(sentence), None
            if not found and quote_goes_on and line.kind == BODY:
                found = [_candidate(sentence, trim(text, start, end), quote_goes_on, "said", "")]
            quoting = paragraph_speaker or subject_before
            if (
                not found
                and quoting
                and BARE_QUOTATION.fullmatch(sentence.words)
                and len(sentence.words.split()) > 1
            ):
                # '"…," Macron said. "We will do everything needed …"': the quote goes on; and
                # 'Kuleba pressed Lavrov on the corridors. "Russia wants our surrender."': a
                # quotation with no attribution after a sentence about a person is theirs.
                span = trim(text, start, end)
                found = [_candidate(sentence, span, quoting, "said", "")]
            if not found and not stated_next and _goes_on_reporting(sentence, reporting):
                found = [_candidate(sentence, trim(text, start, end), reporting, "said", "")]
            if (
                not found
                and not stated_next
                and FIRST_PERSON.search(sentence.words)
                and _goes_on_reporting(sentence, carried)
            ):
                found = [_candidate(sentence, trim(text, start, end), carried, "said", "")]
            carried = None
            reporting = context.last_speaker_seen if found and line.kind == BODY else None
            carried_reporting = reporting
            subject_before = None if found else _person_subject(sentence)
            pending = []
            if not found and len(sentence.words.split()) > 3:
                unattributed.append(sentence)
            if found:
                unattributed = []
                paragraph_speaker = context.last_speaker_seen
            if found:
                previous_line_speaker = paragraph_speaker
            elif not _hands_on(sentence):
                previous_line_speaker = None
            found = [part for candidate in found for part in _answers(candidate, sentence)]
            found = [part for candidate in found for part in _by_job(candidate, sentence)]
            found = [part for candidate in found for part in _rejoinder(candidate, sentence)]
            found = [part for candidate in found for part in _that_clauses(candidate, sentence)]
            for candidate in found:
                candidate.on_topic = line.kind == BODY
                if not candidate.on_topic:
                    candidate.stance = "other"
                candidate.source_name, candidate.source_url = source_name, source_url
            candidates.extend(found)
        # "This was stated by X." may open the next paragraph.
        pending = unattributed[-1:] if line.kind == BODY else []
        subject_left = subject_before if line.kind == BODY else None
        line_text = text[line.start : line.end]
        hands_over = line_text.rstrip().endswith(":")  # "… he is optimistic about a ceasefire:"
        if (hands_over or _leaves_quote_open(line_text)) and previous_line_speaker:
            running_quote = previous_line_speaker
    _voiced_by_their_spokespeople(candidates, body, gazetteer)
    _spokesperson_named_next(candidates)
    candidates = [candidate for candidate in candidates if not _is_outlet(candidate.speaker)]
    for candidate in candidates:
        candidate.quote = original[candidate.char_start : candidate.char_end]
    return candidates


_OUTLET_IN_NAME = re.compile(
    r"\b(?:" + "|".join(re.escape(name) for name in sorted(MEDIA, key=len, reverse=True)) + r")\b"
)


def _single_quotations_as_double(text: str) -> str:
    """'…' read as “…” in paragraphs that use no double marks (one character for one)."""
    paragraphs = text.split("\n")
    for index, paragraph in enumerate(paragraphs):
        if not any(mark in paragraph for mark in '“”"'):
            paragraphs[index] = SINGLE_QUOTATION.sub(
                lambda match: f"“{match.group('inner')}”",
                paragraph,
            )
    return "\n".join(paragraphs)


_POSSESSOR = {"his": "him", "her": "her", "their": "them"}  # "In his words" is "according to him"


def _interviewee(context: Context) -> Speaker | None:
    """The person a question-and-answer interview is with: the one the story was about."""
    for speaker in (context.salient, context.last_speaker_seen):
        if speaker and speaker.kind == "person":
            return speaker
    return None


def _answerer(
    interview: re.Match[str], interviewee: Speaker | None, context: Context
) -> Speaker | None:
    """Who answers on an "A: …" or "Kuleba: …" line, once a question has been asked."""
    if not interviewee:
        return None
    if interview.group("answer"):
        return interviewee
    named = resolve_speaker(interview.group("who"), context)
    return named if named and named.kind == "person" else None


def _person_subject(sentence: Sentence) -> Speaker | None:
    """The person a sentence without a statement is about ("Kuleba pressed Lavrov …")."""
    tokens = tokenize(sentence.text, sentence.start, sentence.end)
    if not tokens or tokens[0].text in OPEN_QUOTES:
        return None
    subject = main_subject(tokens, sentence.context)
    return subject if subject and subject.kind == "person" else None


def _goes_on_reporting(sentence: Sentence, speaker: Speaker | None) -> bool:
    """'Kuleba said X. The talks should continue.': a sentence with no attribution of its own,
    in the present tense or the first person, right after a person's statement in the same
    paragraph goes on reporting that person's words; a sentence naming a source or a person is
    the reporter's."""
    if not speaker or speaker.kind != "person" or len(sentence.words.split()) <= 3:
        return False
    if not REPORTED_TENSE.search(sentence.words) and not FIRST_PERSON.search(sentence.words):
        return False
    if NARRATION.search(sentence.words):
        return False
    # "In general, they are not against it": a plural pronoun is not the person reported on
    plural = re.match(r"^(?:[A-Z][a-z]+(?: [a-z]+)?, )?(?:[Tt]hey|[Ww]e|[Ii]t)\b", sentence.words)
    return bool(plural) or _person_subject(sentence) is None


def _hands_on(sentence: Sentence) -> bool:
    """'…, he said. But:' a word or two ending in a colon keeps the speaker for the next line."""
    words = sentence.words.strip()
    return words.endswith(":") and len(words.split()) <= 2


def _list_speaker(sentence: Sentence) -> Speaker | None:
    """Who announced the list of points that the next sentences ("First, …") set out."""
    intro = LIST_INTRO.match(sentence.words)
    speaker = resolve_speaker(intro.group("who"), sentence.context) if intro else None
    return speaker if speaker and speaker.kind != "unnamed" else None


def _is_outlet(speaker: str) -> bool:
    """ "Earlier Reuters reported, citing its sources, …", "the Post said …": the outlet's own
    summary of the story is not a statement; an unnamed source "via Reuters" or "analysts cited
    by The Washington Post" still are."""
    lowered = speaker.lower()
    relayed = re.search(r"\bunnamed\b|\b(?:cited|quoted) by\b|\bvia\b", lowered)
    return not relayed and (
        lowered in {"post", "the post"} or _OUTLET_IN_NAME.search(lowered) is not None
    )


def _spokesperson_named_next(candidates: list[Candidate]) -> None:
    """ "…, according to a spokesperson for the government in Kyiv. President Zelensky's press
    secretary Serhiy Nykyforov was quoted as saying …": the unnamed spokesperson is the one named
    in the very next statement."""
    for current, following in itertools.pairwise(candidates):
        if (
            (current.speaker.endswith("(unnamed)") or current.speaker[:1].islower())
            and SPOKESPERSON_ROLE.search(current.speaker.lower())
            and not following.speaker.endswith("(unnamed)")
            and SPOKESPERSON_ROLE.search(following.role.lower())
            and following.affiliation in ("", current.affiliation)
        ):
            current.speaker, current.role = following.speaker, following.role
            current.affiliation = following.affiliation or current.affiliation


def _voiced_by_their_spokespeople(
    candidates: list[Candidate], context: Context, gazetteer: Gazetteer
) -> None:
    """ "The Kremlin said on Tuesday …" in a story that quotes Peskov: the institution's words are
    its spokesperson's, and the record names the person (as the annotation guide does)."""
    people = {c.speaker: c for c in candidates}
    people.update({s.name: s for s in context.mentioned if s.kind == "person"})
    for candidate in candidates:
        institution = gazetteer.actor(candidate.speaker)
        if not institution or institution.kind != "organisation" or not candidate.on_topic:
            continue
        names = {fold(name) for name in (institution.name, *institution.aliases)}
        names |= {re.sub(r"^the ", "", name) for name in names}
        for name in people:
            person = gazetteer.actor(name)
            role = fold(person.role_on(candidate.date)) if person else ""
            if (
                person
                and person.kind == "person"
                and SPOKESPERSON_ROLE.search(role)
                and any(re.search(rf"\b{re.escape(owner)}\b", role) for owner in names)
            ):
                candidate.speaker, candidate.role = person.name, person.role_on(candidate.date)
                candidate.affiliation = person.affiliation
                break


def _answers(candidate: Candidate, sentence: Sentence) -> list[Candidate]:
    """An interview quoted in one piece with the interviewer's questions in brackets ("… [Do you
    have something to push?] There is more …") holds one statement per answer."""
    questions = list(INTERVIEW_QUESTION.finditer(candidate.quote))
    if not questions:
        return [candidate]
    cuts = [0, *(edge for question in questions for edge in question.span()), len(candidate.quote)]
    spans = [
        (candidate.char_start + cuts[index], candidate.char_start + cuts[index + 1])
        for index in range(0, len(cuts), 2)
    ]
    return _pieces(candidate, sentence, spans) or [candidate]


def _by_job(candidate: Candidate, sentence: Sentence) -> list[Candidate]:
    """A quotation of several sentences that do different jobs ("We demand Russia's reply. Each
    day of silence proves their wish to continue the war.") holds one statement per job, as the
    annotation guide splits them; a sentence without a cue of its own stays with the one before."""
    parts = split_sentences(sentence.text, candidate.char_start, candidate.char_end)
    groups: list[tuple[int, int, str]] = []
    for start, end in parts:
        label = cue_label(sentence.text[start:end])
        if groups and (label is None or label == groups[-1][2]):
            groups[-1] = (groups[-1][0], end, groups[-1][2])
        else:
            groups.append((start, end, label or ""))
    if len(groups) < 2:
        return [candidate]
    return _pieces(candidate, sentence, [(start, end) for start, end, _ in groups]) or [candidate]


def _rejoinder(candidate: Candidate, sentence: Sentence) -> list[Candidate]:
    """ "Moscow demanded the withdrawal …, which Kiev rejected": the other side's answer is a
    statement of its own, not part of the demand."""
    answer = REJOINDER.search(candidate.quote)
    speaker = resolve_speaker(answer.group("who"), sentence.context) if answer else None
    if not answer or not speaker or fold(speaker.name) == fold(candidate.speaker):
        return [candidate]
    demand = _pieces(
        candidate, sentence, [(candidate.char_start, candidate.char_start + answer.start())]
    )
    reply_span = trim(
        sentence.text,
        candidate.char_start + answer.start("reply"),
        candidate.char_start + answer.end("reply"),
    )
    reply = dataclasses.replace(
        _candidate(sentence, reply_span, speaker, answer.group("verb"), ""),
        date=candidate.date,
    )
    return [*demand, reply]


SECOND_THAT = re.compile(r", and that\s+")


def _that_clauses(candidate: Candidate, sentence: Sentence) -> list[Candidate]:
    """ "expressed his belief that no one will lose, and that the war must end": each reported
    "that" clause is a statement of its own (the second one starts after "and that")."""
    second = SECOND_THAT.search(candidate.quote)
    if not second:
        return [candidate]
    cut = candidate.char_start + second.start()
    spans = [(candidate.char_start, cut), (candidate.char_start + second.end(), candidate.char_end)]
    pieces = _pieces(candidate, sentence, spans)
    for piece in pieces:
        piece.stance = candidate.stance  # one speaker's one line: the whole sentence's label
    return pieces or [candidate]


def _pieces(
    candidate: Candidate, sentence: Sentence, spans: list[tuple[int, int]]
) -> list[Candidate]:
    """The candidate cut into the given spans, each with its own stance and mediators."""
    speaker = Speaker(candidate.speaker, candidate.role, candidate.affiliation, "person")
    pieces = []
    for start, end in spans:
        span = trim(sentence.text, start, end)
        if span[1] - span[0] < 3:
            continue
        quote = sentence.text[span[0] : span[1]]
        pieces.append(
            dataclasses.replace(
                candidate,
                quote=quote,
                char_start=span[0],
                char_end=span[1],
                stance=classify_stance(quote, "said", speaker_side=candidate.affiliation),
                mediators=named_mediators(quote, speaker, sentence.context.gazetteer),
            )
        )
    return pieces


def _attributed_afterwards(sentence: Sentence, earlier: list[Sentence]) -> list[Candidate]:
    """Speech whose speaker comes after it: "… - President Zelenskyy said on his page." closing
    a paragraph of unquoted speech, or "This was stated by X." after the statement."""
    context = sentence.context
    dashed = DASH_ATTRIBUTION.match(sentence.words)
    if dashed and DATELINE.match(sentence.words):
        dashed = None  # "BERLIN, Jan 25 (Reuters) - Germany said on Wednesday …"
    passive = None if dashed else STATED_BY.match(sentence.words)
    match = dashed or passive
    if not match:
        return []
    appositive = passive.group("name") if passive else None
    speaker = (appositive and resolve_speaker(appositive, context)) or resolve_speaker(
        match.group("who"), context
    )
    if not speaker or (speaker.kind == "unnamed" and not earlier and not dashed):
        return []
    context.salient = speaker if speaker.kind == "person" else context.salient
    spans = (
        [(part.start, part.end) for part in earlier]
        if passive
        else [
            *((part.start, part.end) for part in earlier),
            (sentence.start, sentence.start + match.end("content")),
        ]
    )
    found = []
    for start, end in spans:
        span = trim(sentence.text, start, end)
        if span[1] - span[0] >= 3:
            found.append(_candidate(sentence, span, speaker, match.group("verb"), ""))
    return found


def _signed_paragraphs(text: str, lines, context: Context) -> dict[int, tuple[Speaker, int]]:
    """Paragraphs signed by a known person: an embedded post whose signature closes it, or a
    quote card (words in the first person) followed by a line holding only the person's name
    ("Andriy Sybiga"). Maps the paragraph's line index to its signer and the end of its words."""
    signed: dict[int, tuple[Speaker, int]] = {}
    for index, line in enumerate(lines):
        signature = SIGNED_POST.fullmatch(" " + text[line.start : line.end].strip())
        signer = _known_person(signature.group("who"), context) if signature else None
        if signer and line.kind != BODY:
            # "— Name / Ім'я (@handle) date" on a line of its own signs the post above it: the
            # paragraph just before, and the paragraphs in the first person before that one
            before = index - 1
            # the post's last paragraph may end in a bare link and so look like a heading
            post_kinds = {BODY, HEADING}
            while before >= 0 and lines[before].kind in post_kinds and before not in signed:
                first = FIRST_PERSON.search(text, lines[before].start, lines[before].end)
                if before < index - 1 and not first:
                    break
                signed[before] = (signer, lines[before].end)
                post_kinds = {BODY}
                before -= 1
            continue
        if line.kind != BODY:
            continue
        post = SIGNED_POST.search(text, line.start, line.end)
        if post:
            signer = _known_person(post.group("who"), context)
            if signer:
                signed[index] = (signer, post.start())
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        first_person = FIRST_PERSON.search(text, line.start, line.end)
        if following and following.kind != BODY and first_person:
            signer = _known_person(text[following.start : following.end].strip(" .,"), context)
            if signer:
                signed[index] = (signer, line.end)
    return signed


def _known_person(name: str, context: Context) -> Speaker | None:
    """The person a bare full name ("Andriy Sybiga") names, if the gazetteer knows them."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(word[:1].isupper() for word in words):
        return None
    actor = context.gazetteer.actor(name)
    if not actor or actor.kind != "person":
        return None
    return Speaker(actor.name, actor.role_on(context.day), actor.affiliation, "person")


def _dateline_country(text: str, gazetteer: Gazetteer) -> str:
    """The country of the dateline ("WASHINGTON —", "MOSCOW/KYIV, May 11"), if any."""
    for line in text.splitlines()[:6]:
        match = DATELINE_PLACE.match(line.strip())
        if match:
            place = gazetteer.place(match.group(1).split("/")[0].strip().title())
            if place and place.kind == "country":
                return place.name
    return ""


def _leaves_quote_open(line: str) -> bool:
    # "… God bless them all!!!“": an opening mark typed where the closing one belongs
    line = re.sub(r"(?<=[.!?…])“\s*$", "”", line.rstrip())
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


def _ends_like_prose(line: str) -> bool:
    return bool(re.search(r"[.!?…][\"”’)\]]*\s*$|[\"”]\s*$", line.strip()))


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
            if bare and bare == word and is_name_word(bare, gazetteer):
                run.append(bare)
                continue
            if bare and is_name_word(bare, gazetteer):
                run.append(bare)
            while run and run[0].lower() in SENTENCE_OPENERS:
                run.pop(0)  # "While Western countries …" names no one called Western
            if len(run) >= 2:
                names.setdefault(fold(run[-1]), " ".join(run))
            run = []
    return names


def _sentence_statements(sentence: Sentence) -> list[Candidate]:
    for pattern in (DATE_STAMP, DATELINE, LABEL):
        prefix = pattern.match(sentence.words)
        if prefix:
            sentence = sentence.starting_at(sentence.start + prefix.end())
    kicker = KICKER.match(sentence.words)
    if kicker and not _names_a_person(kicker.group("words"), sentence.context):
        # "Ukraine War Ceasefire: Russian President Vladimir Putin on Friday …": a section
        # label run into the sentence ("Peskov: …" stays, the name is the speaker)
        sentence = sentence.starting_at(sentence.start + kicker.end())
    special = _special_forms(sentence)
    if special is not None:
        return special
    text, start, end, context = sentence.text, sentence.start, sentence.end, sentence.context
    tokens = tokenize(text, start, end)
    appeal = APPEAL_QUOTE.search(sentence.words)
    main = main_subject(tokens, context)
    closing_pronoun = TRAILING_PRONOUN_ATTRIBUTION.search(sentence.words)
    if (
        main
        and main.kind in {"person", "group"}
        and tokens
        and tokens[0].lower not in PRONOUNS
        and not (closing_pronoun and context.salient)
    ):
        context.salient = main  # "Wang Yi and Amorim hosted …, a group they said …"
    attributions = find_attributions(tokens, context)
    update_salience(tokens, attributions, context)
    candidates = _build(sentence, tokens, attributions)
    noun_report = STATEMENT_BY.search(sentence.words) if not attributions else None
    # "statement by X that …" (content), "X's caveat was that …" (owned), "call by X for …"
    part, holder = next(
        (
            (part, noun_report.group(owner))
            for part, owner in (("content", "who"), ("owned", "owner"), ("called", "caller"))
            if noun_report and noun_report.group(owner)
        ),
        ("content", None),
    )
    reporter = resolve_speaker(holder, context) if holder else None
    if noun_report and reporter:
        span = trim(text, start + noun_report.start(part), start + noun_report.end(part))
        verb = "called for" if part == "called" else "said"
        candidates = [_candidate(sentence, span, reporter, verb, "")]
    if not attributions and appeal and context.salient:
        # "He ended the post with a direct appeal: “Vladimir, STOP!”"
        span = trim(text, start + appeal.start("quote"), start + appeal.end("quote"))
        words = text[start : start + appeal.start("quote")]
        candidates = [_candidate(sentence, span, context.salient, "said", words)]
    announced = ANNOUNCED_BY.search(sentence.words) if not candidates else None
    presenter = resolve_speaker(announced.group("who"), context) if announced else None
    if presenter and presenter.kind == "person":
        context.salient = presenter  # "The first outcomes were announced by X, …": X speaks next
    quoted_after = QUOTED_AS_SAYING_END.match(sentence.words) if not candidates else None
    quoted = resolve_speaker(quoted_after.group("who"), context) if quoted_after else None
    if quoted and quoted.kind in {"person", "organisation", "unnamed"}:
        context.salient = quoted if quoted.kind == "person" else context.salient
        span = trim(text, start, start + quoted_after.end("content"))
        candidates = [_candidate(sentence, span, quoted, "said", "")]
    inverted = INVERTED_AFTER_PROSE.match(sentence.words) if not candidates else None
    closer = (
        resolve_speaker(inverted.group("name") or inverted.group("who"), context)
        if inverted
        else None
    )
    if closer and closer.kind in {"person", "organisation"}:
        context.salient = closer if closer.kind == "person" else context.salient
        span = trim(text, start, start + inverted.end("content"))
        candidates = [_candidate(sentence, span, closer, inverted.group("verb"), "")]
    _note_mentions(sentence.words, context)
    return candidates


def _names_a_person(words: str, context: Context) -> bool:
    return any(
        (actor := context.gazetteer.actor(word.strip(",’'"))) is not None and actor.kind == "person"
        for word in words.split()
    )


def _note_mentions(sentence: str, context: Context) -> None:
    """Known people named anywhere in the sentence ("Andriy Sybiga", "Trump’s message"), for
    later "the Kremlin leader" or "the Ukrainian diplomat"."""
    for match in MENTION.finditer(sentence):
        name = POSSESSIVE_END.sub("", match.group(0))
        actor = context.gazetteer.actor(name) or context.gazetteer.actor(name.split()[-1])
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
    relayed = _relayed(sentence)
    if relayed is not None:
        return relayed
    garbled = _garbled(sentence)
    if garbled is not None:
        return garbled
    view = VIEW_IS_THAT.match(sentence.words)
    if view:
        owner = view.group("owner")
        holder = resolve_speaker(
            _POSSESSOR.get(owner.lower(), re.sub(r"['’]s?$", "", owner)), context
        )
        if holder:
            span = trim(text, start + view.end(), end)
            return [_candidate(sentence, span, holder, "said", "")]
    according = ACCORDING_START.match(sentence.words)
    if according:
        owner = according.group("owner") or ""
        who = according.group("who") or _POSSESSOR.get(owner.lower(), re.sub(r"['’]s?$", "", owner))
        rest_start = start + according.end()
        tokens = tokenize(text, rest_start, end)
        source = resolve_speaker(who, context)
        if source and source.kind == "person" and who.lower().strip() not in MEDIA:
            context.salient = source  # "According to Putin, he has …": he is Putin
        # "According to X, …, Tass reported.": the outlet relays X's words, it does not speak
        attributions = [
            attribution
            for attribution in find_attributions(tokens, context)
            if not _is_outlet(attribution.speaker.name)
        ]
        known = context.gazetteer.actor(source.name) if source else None
        if known and known.kind == "person":
            # "According to Yermak, the participating states agreed on …": what the states did
            # is Yermak's account, not the states' words.
            attributions = [a for a in attributions if a.speaker.kind == "person"]
        if source:
            # "According to a source, Russia made demands that Ukraine said were unacceptable":
            # a verb inside a relative clause is part of the source's account.
            attributions = [
                a
                for a in attributions
                if a.subject_start == 0 or tokens[a.subject_start - 1].lower not in RELATIVE
            ]
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
        relay = TRAILING_RELAY.search(text, rest_start, end)
        span = trim(text, rest_start, relay.start() if relay else end)
        return [_candidate(sentence, span, speaker, "said", who)]
    according_end = ACCORDING_END.search(sentence.words)
    if according_end and not find_attributions(tokenize(text, start, end), context):
        who = SPEAKER_VENUE.sub("", according_end.group("who")) or according_end.group("who")
        if PICTURE.match(who):
            return []  # "…, according to a photo released by the ministry": a picture says nothing
        speaker = resolve_speaker(who, context)
        if not speaker:
            return []
        if speaker.kind == "person":
            context.salient = speaker  # "…, according to Zelensky. The head of state said …"
            context.mentioned.append(speaker)
        span = trim(text, start, start + according_end.start())
        return [_candidate(sentence, span, speaker, "said", "")]
    return None


RELATIVE = {"that", "which", "who", "whom"}
PICTURE = re.compile(r"(?:an?|the) (?:photo|photograph|picture|image|footage|map)s?\b", re.I)
ONLY_CIRCUMSTANCE = re.compile(
    r"(?:during|in|at|on|after|before|following|amid)(?: (?!to\b)[\w’'-]+){1,7}\s*,\s*"
    r"(?:(?:when|while|after|before)(?: [\w’'-]+){1,10}\s*,\s*)?"
)
# "Putin reported on the discussion of the plan": the topic of a report, not its words.
TOPIC_ONLY = re.compile(r"on (?:the )?(?:discussion|issue|matter|results?|outcomes?|course)\b")


def _garbled(sentence: Sentence) -> list[Candidate] | None:
    """'"…," Pace said Koff said.': a mangled attribution whose names the article never gives
    is read as "he said" (the person last quoted), not as a new speaker "Pace"."""
    text, start, end, context = sentence.text, sentence.start, sentence.end, sentence.context
    match = GARBLED_ATTRIBUTION.search(sentence.words)
    leading = quote_at_start(text, start, end)
    salient = context.last_speaker_seen  # whose words the story was quoting
    if not match or not leading or not salient or salient.kind != "person":
        return None
    names = (match.group("first"), match.group("second"))
    if any(context.gazetteer.actor(name) or fold(name) in context.full_names for name in names):
        return None
    span = trim(text, leading[0] + 1, leading[1] - 1)
    return [_candidate(sentence, span, salient, "said", "")]


def _relayed(sentence: Sentence) -> list[Candidate] | None:
    """'"…," the BBC quoted a Ukrainian official as saying' and '…, Reuters reported, citing
    the foreign ministry': the words are the quoted or cited source's, relayed by the outlet."""
    text, start, end, context = sentence.text, sentence.start, sentence.end, sentence.context
    quoted = QUOTED_AS_SAYING.match(sentence.words)
    cited = None if quoted else CITING_END.match(sentence.words)
    match = quoted or cited
    if not match:
        return None
    speaker = resolve_speaker(match.group("who"), context)
    if not speaker or speaker.kind == "country":
        return None
    if quoted and len(match.group("content").strip(" .")) >= 3:
        span = trim(text, start + match.start("content"), start + match.end("content"))
    elif quoted:
        leading = quote_at_start(text, start, end)
        if not leading:
            return None
        span = trim(text, leading[0] + 1, leading[1] - 1)
    else:
        span = trim(text, start, start + match.end("content"))
    relay = re.split(r"[”\"]", match.group("relay"))[-1].strip(" ,")
    if speaker.kind == "unnamed" and relay and "via" not in speaker.name:
        outlet = re.sub(r"^(?:the|The)\s+", "", relay)
        speaker = dataclasses.replace(speaker, name=f"{speaker.name[:-1]}, via {outlet})")
    if speaker.kind == "person":
        context.salient = speaker
    return [_candidate(sentence, span, speaker, "said", "")]


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
        inverted = attribution.subject_start == attribution.verb_index
        if not quote_first and position == 0 and inverted:
            quote_first = _quotation_just_before(text, start, tokens[attribution.verb_index].start)
        if quote_first:
            span = (quote_first[0] + 1, quote_first[1] - 1)
            span = trim(text, *span)
            attribution_words = text[quote_first[1] : content_end]
        else:
            content_start = start_of_content(text, tokens, attribution, content_end)
            content_end = cut_new_clause(text, content_start, content_end)
            span = trim(text, content_start, content_end)
            attribution_words = text[start:content_start]
            # '…, the committee said' or '… “… proposals,” he said' (a quotation that closes
            # mid-sentence, after words of the reporter's own)
            comma_index = attribution.subject_start - 1
            if (
                comma_index > 0
                and tokens[comma_index].text in CLOSE_QUOTES
                and tokens[comma_index - 1].text == ","
            ):
                comma_index -= 1
            comma_before = position == 0 and comma_index >= 0 and tokens[comma_index].text == ","
            relayed = RELAY_BEFORE_THAT.match(text, span[0], span[1])
            if relayed:
                # "Trump says according to Reuters that he is …": the relay sits between the
                # verb and its "that"; the statement is what follows
                span = trim(text, relayed.end(), span[1])
            rest = text[span[0] : span[1]].lower()
            trailing = (
                span[1] - span[0] < 3
                or rest.split(" ", 1)[0] in PARTICIPLES
                or bool(CIRCUMSTANCE_ONLY.fullmatch(rest))
                or bool(TRAILING_CIRCUMSTANCE.fullmatch(text[span[0] : span[1]]))
                or (
                    bool(TRAILING_ADJUNCT.fullmatch(text[span[0] : span[1]]))
                    and not re.search(r"\bthat\s*$", text[start:content_start])
                )
            )
            if comma_before and (trailing or rest.startswith("according to")):
                # "Two drones attacked the bridge, the committee said.": the statement is
                # the clause before its attribution.
                comma = tokens[comma_index].start
                span = trim(text, start, comma)
                attribution_words = text[comma:content_start]
            elif comma_before and CONDITIONAL_OPENING.match(text[start:end]):
                # "As soon as …, he said, Moscow would …": the attribution stays inside.
                span = trim(text, start, content_end)
        relay = TRAILING_RELAY.search(text, span[0], span[1])
        if relay and relay.start() - span[0] >= 3:
            span = trim(text, span[0], relay.start())  # "…, reports AFP": the outlet relays
        if span[1] - span[0] < 3 or text[span[0] : span[1]].startswith("by "):
            continue  # "responded by showing …" describes an act, not words
        if following and ONLY_CIRCUMSTANCE.fullmatch(
            text, span[0], tokens[following.subject_start].start
        ):
            continue  # "X revealed that during the call, he urged …": the statement is after
        if attribution.verb in {"reported", "spoke", "commented", "briefed"} and TOPIC_ONLY.match(
            text, span[0]
        ):
            continue
        if attribution.verb == "commented" and text.startswith("on ", span[0]):
            continue  # "commented on the end of the talks": what about, not what was said
        if REFERS_BACK.match(text[span[0] : span[1]]):
            continue  # "X said this in an interview": nothing new is said here
        candidates.append(
            _candidate(sentence, span, attribution.speaker, attribution.verb, attribution_words)
        )
    return candidates


def _quotation_just_before(text: str, start: int, verb_start: int) -> tuple[int, int] | None:
    """'For Kyiv, “…,” said the president': an inverted attribution's statement is the
    quotation that closes right before its verb, even when the sentence opens with other words."""
    quotes = [q for q in quoted_spans(text, start, verb_start) if q[1] <= verb_start]
    if quotes and not text[quotes[-1][1] : verb_start].strip(" ,—–-"):
        return quotes[-1]
    return None


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


_DEMONYM_GOVERNMENT = re.compile(r"(?:[Tt]he\s+)?(?P<demonym>[A-Z]\w+)\s+[Gg]overnment")


def fold_speaker(name: str, gazetteer: Gazetteer | None = None) -> str:
    """Comparison key for a speaker: canonical name via the gazetteer, no parenthetical;
    "Ukrainian government" is "Ukraine (government)", the country as speaker."""
    gazetteer = gazetteer or load_gazetteer()
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    actor = gazetteer.actor(bare)
    if actor:
        return fold(actor.name)
    government = _DEMONYM_GOVERNMENT.fullmatch(bare)
    country = gazetteer.place(government.group("demonym")) if government else None
    return fold(country.name if country and country.kind == "country" else bare)
