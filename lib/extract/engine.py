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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lib.extract.dates import event_date, resolve_date
from lib.extract.gazetteer import Gazetteer, fold, load_gazetteer
from lib.extract.layout import (
    BODY,
    TEASER,
    classify_lines,
    published_from_text,
    quoted_spans,
    split_sentences,
)
from lib.extract.speakers import (
    ARABIC_ARTICLE_NAME,
    GENERIC_HEADS,
    NAME_PARTICLES,
    PRONOUNS,
    TITLE_WORDS,
    Context,
    Speaker,
    is_name_word,
    lexical,
    resolve_speaker,
)
from lib.extract.stance import classify_stance

REPORTING_VERBS = {
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "announced",
    "announces", "declared", "declares", "warned", "warns", "warn", "cautioned", "cautions",
    "insisted", "insists", "argued", "argues", "stressed", "stresses", "emphasised",
    "emphasized", "noted", "notes", "suggested", "suggests", "suggest", "claimed", "claims",
    "claim", "reported", "reports", "wrote", "writes", "posted", "called", "calls", "urged",
    "urges", "urge", "proposed", "proposes", "offered", "pledged", "pledges", "pledge",
    "promised", "promises", "vowed", "vows", "accused", "accuses", "dismissed", "dismisses",
    "rejected", "rejects", "reject", "denied", "denies", "confirmed", "confirms", "acknowledged",
    "admitted", "explained", "explains", "underlined", "underscored", "highlighted", "pointed",
    "named", "described", "describes", "believes", "believe", "predicted", "estimated",
    "assessed", "assesses", "assess", "concluded", "signalled", "signaled", "indicated",
    "demanded", "demands", "reiterated", "repeated", "replied", "responded", "countered",
    "welcomed", "welcomes", "welcome", "praised", "criticised", "criticized", "condemned",
    "threatened", "ruled", "agreed", "agrees", "accepted", "accepts", "mentioned", "revealed",
    "asserted", "maintained", "conceded", "hailed", "labelled", "labeled", "branded",
    "appealed", "forecast", "expects", "expect", "think", "thinks", "reckons", "invited",
    "invites", "asked", "presented", "unveiled", "outlined", "call", "thanked", "disputed",
}  # fmt: skip
PARTICIPLES = {
    "saying", "adding", "arguing", "stressing", "explaining", "noting", "insisting", "warning",
    "claiming", "urging", "emphasising", "emphasizing", "describing", "suggesting", "accusing",
    "vowing", "pledging", "calling", "underlining", "asserting", "telling", "thanking",
}  # fmt: skip
# Verbs that only report speech after a subject that can speak (so "Moscow expects" counts
# but "the two neighbours had agreed" inside a quote's content does not).
_WEAK_VERBS = {
    "say", "warn", "suggest", "claim", "urge", "pledge", "reject", "welcome", "believe",
    "assess", "expect", "think", "expects", "believes", "thinks", "reckons", "agreed", "agrees",
    "accepted", "accepts", "named", "called", "calls", "described", "describes", "welcomed",
}  # fmt: skip
_SKIP_BEFORE_VERB = {
    "also", "recently", "later", "then", "now", "reportedly", "earlier", "again", "further",
    "publicly", "previously", "repeatedly", "separately", "once", "had", "has", "have", "was",
    "is", "would", "will", "already", "personally", "himself", "herself", "themselves",
    "openly", "privately", "flatly", "firmly", "however", "too", "swiftly", "quickly", "only",
    "today", "yesterday", "tonight", "on", "last", "this", "evening", "morning",
    "afternoon", "night", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "hours", "days", "weeks", "ago", "late", "early", "in", "the", "day",
}  # fmt: skip
_CLAUSE_OPENERS = {
    "that", "after", "and", "but", "although", "though", "while", "as", "when", "because",
    "since", "if", "whether", "so", "yet", "where", "especially", "even", "before", "once",
    "until",
}  # fmt: skip
_SUBORDINATE = _CLAUSE_OPENERS - {"and", "but", "yet", "so"}
_NP_CONNECTORS = {"of", "the", "for", "a", "an", "by", "cited", "quoted", "including", "and"}
_PREPOSITIONS = {
    "on", "in", "at", "after", "before", "during", "following", "against", "despite", "opening",
    "speaking", "asked", "with", "amid", "addressing", "writing", "closing", "from",
}  # fmt: skip
_TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
    "afternoon", "evening", "night", "later", "earlier", "hours", "minutes", "days", "weeks",
    "ago", "last", "this", "late", "early", "same", "day", "shortly", "then", "now",
    "meanwhile", "separately", "today", "yesterday", "tonight",
}  # fmt: skip
_GROUP_HEADS = {"leaders", "heads", "presidents", "governments", "ministers"}
_TOLD_OBJECTS = {
    "reporters", "journalists", "lawmakers", "parliament", "the", "a", "an", "state", "media",
    "television", "tv", "news", "agency", "conference", "press", "briefing", "delegations",
    "two", "his", "her", "their", "counterpart", "counterparts", "crowd", "audience", "allies",
    "leaders", "gathering", "summit", "meeting", "interviewer", "broadcaster", "newspaper",
    "channel", "website", "outlet", "public", "nation", "forum", "participants", "students",
}  # fmt: skip
_OBJECT_VERBS = {
    "announced", "proposed", "offered", "called", "described", "welcomed", "dismissed",
    "condemned", "accused", "presented", "unveiled", "outlined", "rejected", "praised",
    "criticised", "criticized", "hailed", "invited", "urged", "call", "thanked", "disputed",
}  # fmt: skip
_MODALS = {"would", "will", "could", "can", "had", "has", "was", "is", "were", "are", "should"}
_OBJECT_PREPOSITIONS = {
    "with", "to", "by", "alongside", "for", "of", "from", "between", "against", "and", "or",
    "than", "like", "toward", "towards", "on", "at", "in", "about", "into", "over", "via", "as",
}  # fmt: skip
_CONDITIONAL_OPENING = re.compile(
    r"^(?:as soon as|as long as|only if|only when|only once|if|once|unless|should|provided"
    r"|until)\b",
    re.IGNORECASE,
)
_NEGATIONS = {"not", "n't", "never", "no", "nor"}
_CONNECTORS_AT_END = _CLAUSE_OPENERS | {"with", "especially", "even", ",", "–", "—", "-", ";"}
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-'’]\w+)*|[^\w\s]")
_OPEN_QUOTES = {"“", '"'}
_CLOSE_QUOTES = {"”", '"'}
_DATELINE = re.compile(
    r"^[A-Z][A-Z/ .'-]{2,}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]*\))?\s*[-–—]\s+"
)
_DATELINE_PLACE = re.compile(r"^([A-Z][A-Z .'/-]{2,}?)\s*(?:,|—|–|-\s|\()")
_NAME_RUN = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|von|der|de|bin|al))+")
_LABEL = re.compile(r"^(?:Details|Background|Context|Update|UPDATE|Reminder)\s*:\s*")
_QUOTE_FROM = re.compile(r"^Quote(?:\s+from\s+(?P<who>[^:]+?))?\s*:\s*")
_ACCORDING_START = re.compile(r"^According to (?P<who>[^,]+),\s*")
_ACCORDING_END = re.compile(r",?\s*according to (?P<who>[^,.]+?)[.]?$")
_TIME_AFTER_VERB = re.compile(
    r"^(?:\s*(?:on|last|this|late on|early on|late|early)?\s*"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\s*(?:later|earlier) (?:in|on) the day"
    r"|\s*(?:recently|again|also|publicly|today|yesterday))\b",
)
_MEDIA = {
    "reuters", "ap", "afp", "associated press", "tass", "ria novosti", "ria", "interfax",
    "bloomberg", "cnn", "bbc", "cbs", "cbs news", "nbc", "abc", "fox news", "axios", "politico",
    "the washington post", "washington post", "the new york times", "new york times",
    "financial times", "the wall street journal", "wall street journal", "the guardian", "dpa",
    "anadolu", "ukrinform", "ukrainska pravda", "the kyiv independent", "kyiv independent",
    "kommersant", "izvestia", "rbc", "the economist", "le monde", "der spiegel", "bild",
}  # fmt: skip
# ", and Washington has lifted …" (a clause with its own subject) or ", but gave no answer …"
# (a contrasting predicate) ends the statement before it.
# "… in a televised address on Thursday": where or how something was said, not what.
_CIRCUMSTANCE_ONLY = re.compile(
    r"(?:in|on|at|during|via|through|from|to) (?:a |an |the |his |her |their )?[\w -]{0,40}?"
    r"(?:address|statement|interview|briefing|conference|post|video|message|speech|remarks"
    r"|telegram|x|facebook|television|tv|channel|meeting|ceremony|summit|forum|reporters"
    r"|journalists)\b(?:\s+(?:in|at|on|to|from|with|before|after)\b[^,;]{0,80})?"
    r"(?:,? according to [\w .]+)?"
)
_BARE_QUOTATION = re.compile(r"\s*[“\"][^”\"]+[”\"]\s*\.?\s*")
_APPEAL_QUOTE = re.compile(r":\s*(?P<quote>[“\"][^”\"]+[”\"])\s*$")
_NEGATIVE_TURN = re.compile(
    r"(?:did not|didn't|would not|refused to|declined to|rejected|ruled out)\b"
)
_NEW_CLAUSE = re.compile(
    r",\s+(?:and|but|while)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+"
    r"(?:has|have|had|was|were|is|are|will|would|could|did)\b"
    r"|,\s+but\s+(?:gave|did|made|took|left|went|declined|refused|failed|stopped|offered)\b"
    r"|,\s+(?:after|following|amid|despite|during|before)\s"
)
_RELAY_POSSESSIVE = re.compile(r"^(?:his|her|their|its)\s+\w+$", re.IGNORECASE)


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


@dataclass
class _Token:
    text: str
    start: int
    end: int
    quoted: bool

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class _Attribution:
    verb_index: int
    subject_start: int  # token index where the subject phrase (or clause) starts
    speaker: Speaker
    verb: str
    # token index where the content starts when it is not after the verb (", but did not
    # accept …" starts at the verb, ", but that …" after "that")
    content_from: int | None = None
    # where a trailing attribution voiced by a spokesperson began (the content stops there)
    content_limit: int | None = None


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
            found = _sentence_statements(text, start, end, context, published, event)
            if not found and paragraph_speaker and _BARE_QUOTATION.fullmatch(text[start:end]):
                # '"…," Macron said. "We will do everything needed …"': the quote goes on.
                span = _trim(text, start, end)
                found = [
                    _candidate(text, span, paragraph_speaker, "said", "", context, published, event)
                ]
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
        match = _DATELINE_PLACE.match(line.strip())
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


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    quotes = quoted_spans(text, start, end)
    tokens = []
    for match in _TOKEN.finditer(text, start, end):
        inside = any(q_start < match.start() and match.end() < q_end for q_start, q_end in quotes)
        tokens.append(_Token(match.group(0), match.start(), match.end(), inside))
    return tokens


def _sentence_statements(
    text: str, start: int, end: int, context: Context, published: date, event: date | None
) -> list[Candidate]:
    sentence = text[start:end]
    for pattern in (_DATELINE, _LABEL):
        prefix = pattern.match(sentence)
        if prefix:
            start += prefix.end()
            sentence = text[start:end]
    special = _special_forms(text, start, end, context, published, event)
    if special is not None:
        return special
    tokens = _tokens(text, start, end)
    appeal = _APPEAL_QUOTE.search(sentence)
    main = _main_subject(tokens, context)
    if main and main.kind in {"person", "group"} and tokens and tokens[0].lower not in PRONOUNS:
        context.salient = main  # "Wang Yi and Amorim hosted …, a group they said …"
    attributions = _attributions(tokens, context)
    _update_salience(tokens, attributions, context)
    candidates = _build(text, start, end, tokens, attributions, context, published, event)
    if not attributions and appeal and context.salient:
        # "He ended the post with a direct appeal: “Vladimir, STOP!”"
        span = _trim(text, start + appeal.start("quote"), start + appeal.end("quote"))
        words = text[start : start + appeal.start("quote")]
        candidates = [
            _candidate(text, span, context.salient, "said", words, context, published, event)
        ]
    _note_mentions(sentence, context)
    return candidates


def _note_mentions(sentence: str, context: Context) -> None:
    """Known people named anywhere in the sentence, for later "the Kremlin leader"."""
    for match in _NAME_RUN.finditer(sentence):
        actor = context.gazetteer.actor(match.group(0))
        if actor and actor.kind == "person":
            speaker = Speaker(actor.name, actor.role_on(context.day), actor.affiliation, "person")
            context.mentioned.append(speaker)


def _special_forms(
    text: str, start: int, end: int, context: Context, published: date, event: date | None
) -> list[Candidate] | None:
    """'Quote from X: "…"', 'Quote: "…"' and 'According to X, …' sentences."""
    sentence = text[start:end]
    quote_from = _QUOTE_FROM.match(sentence)
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
        span = _trim(text, start + quote_from.end(), end)
        return [_candidate(text, span, speaker, "said", who, context, published, event)]
    according = _ACCORDING_START.match(sentence)
    if according:
        who = according.group("who")
        rest_start = start + according.end()
        tokens = _tokens(text, rest_start, end)
        attributions = _attributions(tokens, context)
        if attributions:
            relay = who.strip() if who.lower().strip() in _MEDIA else None
            candidates = _build(
                text, rest_start, end, tokens, attributions, context, published, event
            )
            if relay:
                for candidate in candidates:
                    if candidate.speaker.endswith("(unnamed)"):
                        candidate.speaker = candidate.speaker[:-1] + f", via {relay})"
            return candidates
        speaker = resolve_speaker(who, context)
        if not speaker:
            return []
        context.salient = speaker if speaker.kind != "country" else context.salient
        span = _trim(text, rest_start, end)
        return [_candidate(text, span, speaker, "said", who, context, published, event)]
    according_end = _ACCORDING_END.search(sentence)
    if according_end and not _attributions(_tokens(text, start, end), context):
        speaker = resolve_speaker(according_end.group("who"), context)
        if not speaker:
            return []
        span = _trim(text, start, start + according_end.start())
        return [_candidate(text, span, speaker, "said", "", context, published, event)]
    return None


def _attributions(tokens: list[_Token], context: Context) -> list[_Attribution]:
    """Every reporting verb in the sentence with a subject that can speak."""
    found: list[_Attribution] = []
    for index, token in enumerate(tokens):
        if token.quoted:
            continue
        word = token.lower
        if token.text != word:
            continue  # "States" in "United States" is not the verb "states"
        if word in PARTICIPLES:
            attribution = _participle(tokens, index, found, context)
        elif word in REPORTING_VERBS:
            attribution = _finite(tokens, index, found, context)
        else:
            continue
        if attribution:
            found.append(attribution)
            if _opens_main_clause(tokens, attribution):
                _make_salient(attribution.speaker, context)
    return found


def _opens_main_clause(tokens: list[_Token], attribution: _Attribution) -> bool:
    """False for embedded speakers ("especially after X said"), who do not displace the
    sentence's main speaker as the referent of later pronouns."""
    before = attribution.subject_start - 1
    while before >= 0 and tokens[before].lower in _TIME_WORDS | _PREPOSITIONS:
        before -= 1
    return not (before >= 0 and tokens[before].lower in _SUBORDINATE)


def _finite(
    tokens: list[_Token], index: int, found: list[_Attribution], context: Context
) -> _Attribution | None:
    verb = tokens[index].lower
    if verb == "ruled" and not (index + 1 < len(tokens) and tokens[index + 1].lower == "out"):
        return None
    if verb == "call":
        # Only "to call for …" / "to call on …" (not "what they call …"), said by the subject.
        following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        if following not in {"for", "on"} or index == 0 or tokens[index - 1].lower != "to":
            return None
        speaker = _main_subject(tokens[:index], context)
        if not speaker or speaker.kind == "country":
            return None
        return _Attribution(index, index, speaker, _verb_phrase(tokens, index))
    before = _skip_back(tokens, index - 1)
    if before >= 0 and tokens[before].lower in _NEGATIONS | {"did", "does", "do", "could"}:
        return None
    if before >= 0 and tokens[before].text == ",":
        parenthetical = _skip_parenthetical(tokens, before)
        if parenthetical is not None and tokens[parenthetical].lower in {"and", "but"}:
            before = parenthetical
    if before >= 0 and tokens[before].lower in {"and", "but"}:
        if found and tokens[before].lower == "but":
            # "… welcomed the plan, but said …": a second statement by the same speaker.
            return _Attribution(index, before, found[-1].speaker, _verb_phrase(tokens, index))
        if found and (_that_follows(tokens, index) or _new_subject_follows(tokens, index)):
            # "… said they were ready … and stressed that …": a second statement.
            return _Attribution(index, before, found[-1].speaker, _verb_phrase(tokens, index))
        if found:
            return None  # "… and said he would …": the same statement goes on
        return _coordinated_subject(tokens, index, before, context)
    subject = _subject_before(tokens, before, context) or _subject_after(tokens, index, context)
    if not subject:
        return None
    subject_start, speaker = subject
    opener = tokens[subject_start - 1].lower if subject_start > 0 else ""
    if opener in {"if", "unless", "whether", "until", "once"}:
        return None  # "… if Kyiv rejected it" is a condition, not an attribution
    reported = opener == "that"
    if found and reported and speaker.kind in {"country", "organisation"}:
        return None  # "Peskov said that Moscow rejected the plan": Peskov's words
    verb_phrase = _verb_phrase(tokens, index)
    if (
        verb in _WEAK_VERBS
        and speaker.kind == "country"
        and verb not in {"agreed", "agrees"}
        and not verb_phrase.endswith((" for", " on"))
    ):
        return None
    return _Attribution(index, subject_start, speaker, _verb_phrase(tokens, index))


def _participle(
    tokens: list[_Token], index: int, found: list[_Attribution], context: Context
) -> _Attribution | None:
    if index == 0 or tokens[index - 1].lower not in {",", "after", "before", "while", "when", "as"}:
        return None
    quote_led = len(found) == 1 and bool(tokens) and tokens[0].text in _OPEN_QUOTES
    subordinate = tokens[index - 1].lower != ","  # "… after telling the Council that …"
    # "announced a truce, saying …": the verb took an object, so "saying" reports new words
    after_object = (
        bool(found)
        and tokens[index].lower == "saying"
        and tokens[found[-1].verb_index].lower in _OBJECT_VERBS
        and not _that_follows(tokens, found[-1].verb_index)
        and index - found[-1].verb_index > 5  # "welcomed the vote, saying …" stays one
    )
    if found and tokens[index].lower != "adding" and not (quote_led or subordinate or after_object):
        return None  # "…, arguing that …" goes on with the statement before it
    speaker = found[-1].speaker if found else _main_subject(tokens, context)
    if not speaker:
        return None
    return _Attribution(index, index, speaker, tokens[index].lower)


def _new_subject_follows(tokens: list[_Token], index: int) -> bool:
    """ "… and said Washington would …", "… and said its troops …": the second verb reports
    another subject's action."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if not following:
        return False
    capitalised = following.text[:1].isupper() and following.lower not in PRONOUNS
    return capitalised or following.lower in {"its", "their"}


def _that_follows(tokens: list[_Token], index: int) -> bool:
    """ "… and stressed that …", "… and agreed with …": a second statement, not a continuation."""
    return index + 1 < len(tokens) and tokens[index + 1].lower in {"that", "with"}


def _verb_phrase(tokens: list[_Token], index: int) -> str:
    verb = tokens[index].lower
    following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    if (verb, following) in {
        ("call", "for"),
        ("call", "on"),
        ("called", "on"),
        ("called", "for"),
        ("calls", "on"),
        ("calls", "for"),
        ("pointed", "to"),
        ("pointed", "out"),
        ("agreed", "to"),
        ("ruled", "out"),
        ("appealed", "to"),
    }:
        return f"{verb} {following}"
    return verb


def _skip_back(tokens: list[_Token], index: int) -> int:
    """Index of the last token before `index` that is not an adverb, auxiliary or time word."""
    while index >= 0 and tokens[index].lower in _SKIP_BEFORE_VERB and not tokens[index].quoted:
        index -= 1
    return index


def _subject_before(
    tokens: list[_Token], index: int, context: Context
) -> tuple[int, Speaker] | None:
    """The subject phrase ending at `index`: scanned back over names, titles and appositives."""
    if index < 0:
        return None
    for look in range(index, max(index - 6, 0), -1):
        # "a Ukrainian source familiar with the talks said": the head noun before "familiar"
        if tokens[look].lower == "familiar" and lexical(tokens[look - 1].text) in GENERIC_HEADS:
            index = look - 1
            break
    if tokens[index].text == ",":
        parenthetical = _skip_parenthetical(tokens, index)
        if parenthetical is not None:
            index = parenthetical
        else:
            index -= 1
    stop = index
    first = index + 1
    commas_crossed = 0
    while first - 1 >= 0:
        token = tokens[first - 1]
        word = token.lower
        if token.quoted or token.text in _OPEN_QUOTES | _CLOSE_QUOTES:
            break
        if token.text == ",":
            if commas_crossed or not _title_phrase_before(tokens, first - 1):
                break
            commas_crossed += 1
            first -= 1
            continue
        capitalised = token.text[:1].isupper() or bool(ARABIC_ARTICLE_NAME.match(token.text))
        if capitalised and word not in _CLAUSE_OPENERS:
            if word in {"on", "in", "at", "after", "despite", "against", "opening", "speaking"}:
                break
            first -= 1
            continue
        if (
            word in {"at", "from", "in", "to", "with", "close"}
            and first - 2 >= 0
            and (
                lexical(tokens[first - 2].text) in GENERIC_HEADS
                or tokens[first - 2].lower == "close"
            )
        ):
            first -= 1  # "a source close to the Kremlin", "officials at the Pentagon"
            continue
        if lexical(word) in TITLE_WORDS | GENERIC_HEADS or word in _NP_CONNECTORS - {"and"}:
            first -= 1
            continue
        if word in PRONOUNS and first - 1 == stop:
            first -= 1
            break
        if (
            word == "and"
            and first - 2 >= 0
            and first <= stop
            and context.gazetteer.place(tokens[first].text)
            and context.gazetteer.place(tokens[first - 2].text)
        ):
            first -= 1  # "U.S. and Russian officials"
            continue
        if (
            word in NAME_PARTICLES
            and first - 2 >= 0
            and (tokens[first - 2].text[:1].isupper() or tokens[first - 2].lower in NAME_PARTICLES)
        ):
            first -= 1
            continue
        if (
            first - 1 == stop
            and word.isalpha()
            and word.islower()
            and first - 2 >= 0
            and tokens[first - 2].lower == "the"
        ):
            first -= 2
            break
        break
    while first <= stop and tokens[first].lower in {"of", "for", "by", "cited", "quoted"}:
        first += 1
    if first > stop:
        return None
    phrase = " ".join(token.text for token in tokens[first : stop + 1])
    phrase = phrase.replace(" ,", ",")
    if _RELAY_POSSESSIVE.match(phrase):
        return None
    speaker = resolve_speaker(phrase, context)
    if not speaker:
        return None
    if not _at_clause_start(tokens, first):
        # "The hosts' coach Julian Nagelsmann said": a full name is a subject unless it is the
        # object of a preposition ("talks with Sergei Lavrov said …" is not Lavrov speaking).
        named = speaker.name.split()[-1].lower() in phrase.lower()  # not "the participants"
        full_name = named and speaker.kind == "person" and " " in speaker.name
        if _embedded_pronoun_clause(tokens, first, stop):
            return first, speaker  # "a plan he said would end the war"
        if not full_name or first == 0 or tokens[first - 1].lower in _OBJECT_PREPOSITIONS:
            return None
    return first, speaker


def _embedded_pronoun_clause(tokens: list[_Token], first: int, stop: int) -> bool:
    verb = stop + 1
    return (
        first == stop
        and tokens[first].lower in PRONOUNS
        and verb + 1 < len(tokens)
        and tokens[verb].lower in {"said", "says"}
        and tokens[verb + 1].lower in _MODALS
    )


def _subject_after(
    tokens: list[_Token], index: int, context: Context
) -> tuple[int, Speaker] | None:
    """Inverted attribution after a quotation: '"…," said Peskov' or 'said Dmitry Peskov, the
    Kremlin spokesman'."""
    after_quote = tokens[index - 1].text in _CLOSE_QUOTES or (
        index >= 2 and tokens[index - 1].text == "," and tokens[index - 2].text in _CLOSE_QUOTES
    )
    if not after_quote:
        return None
    last = index + 1
    while last < len(tokens) and (
        tokens[last].text[:1].isupper()
        or lexical(tokens[last].text) in TITLE_WORDS | GENERIC_HEADS | NAME_PARTICLES
    ):
        last += 1
    if last < len(tokens) and tokens[last].text not in {",", ".", ";"}:
        return None  # '"…," said Kyiv would …' is not an inverted attribution
    phrase = " ".join(token.text for token in tokens[index + 1 : last])
    speaker = resolve_speaker(phrase, context) if phrase else None
    return (index, speaker) if speaker and speaker.kind != "country" else None


def _skip_parenthetical(tokens: list[_Token], comma: int) -> int | None:
    """For ", for its part," or ", standing alongside X," before a verb: the index before it."""
    index = comma - 1
    while index >= 0 and tokens[index].text != ",":
        if tokens[index].quoted or tokens[index].text in _OPEN_QUOTES | _CLOSE_QUOTES:
            return None
        index -= 1
    if index < 0 or index + 1 >= comma:
        return None
    opener = tokens[index + 1].lower
    appositive = (
        (
            opener in {"the", "a", "an"}
            or re.search(r"['’]s$", opener) is not None
            or lexical(opener) in TITLE_WORDS
        )
        and comma - index <= 7
        and index >= 1
        and tokens[index - 1].text[:1].isupper()
    )  # "Donald Trump, the Republican candidate, said"
    if appositive or opener.endswith("ing") or opener in {
        "for", "in", "however", "meanwhile", "too", "though", "who", "which", "whose",
    }:  # fmt: skip
        return _skip_back(tokens, index - 1) if index - 1 >= 0 else None
    return None


def _title_phrase_before(tokens: list[_Token], comma: int) -> bool:
    """True when the words before an appositive comma form a title ("Ukraine's chief
    negotiator, David Arakhamia") rather than an introductory phrase."""
    index = comma - 1
    has_title = False
    while index >= 0 and tokens[index].text not in {",", *_OPEN_QUOTES, *_CLOSE_QUOTES}:
        word = tokens[index].lower
        if lexical(word) in TITLE_WORDS - {"the", "of", "for", "first", "new"}:
            has_title = True
        elif lexical(word) in TITLE_WORDS:
            pass
        elif not (tokens[index].text[:1].isupper() or word in _NP_CONNECTORS):
            return False
        if word in {"on", "in", "at", "after", "opening", "speaking", "despite", "against"}:
            return False
        index -= 1
    return has_title


def _at_clause_start(tokens: list[_Token], first: int) -> bool:
    """A subject must open a clause: sentence start, punctuation, a conjunction, or only time
    words ("On Sunday he …", "Hours later he …") before it."""
    index = first - 1
    while index >= 0 and tokens[index].lower in _TIME_WORDS:
        index -= 1
    if 0 <= index < first - 1 and tokens[index].lower in _PREPOSITIONS:
        index -= 1
    if index < 0:
        return True
    token = tokens[index]
    return not token.text[:1].isalnum() or token.lower in _CLAUSE_OPENERS | {"including"}


def _coordinated_subject(
    tokens: list[_Token], verb_index: int, and_index: int, context: Context
) -> _Attribution | None:
    """'the leaders of A, B and C travelled … and called on …': the subject of the first verb."""
    for first in range(and_index):
        speaker = _group_at(tokens, first, and_index, context)
        if speaker:
            return _Attribution(verb_index, verb_index, speaker, _verb_phrase(tokens, verb_index))
    # "President Putin proclaimed … and called on Kyiv to …": the sentence's subject.
    speaker = _main_subject(tokens[:and_index], context)
    if speaker and speaker.kind in {"person", "organisation", "group"}:
        return _Attribution(verb_index, verb_index, speaker, _verb_phrase(tokens, verb_index))
    return None


def _group_at(tokens: list[_Token], first: int, stop: int, context: Context) -> Speaker | None:
    """A group speaker starting at `first`: "the leaders of France, Germany and Britain"."""
    if first < stop and tokens[first].lower == "the":
        first += 1
    if first + 1 >= stop or tokens[first].lower not in _GROUP_HEADS:
        return None
    if tokens[first + 1].lower != "of":
        return None
    last = first + 2
    while last < stop and (
        tokens[last].text[:1].isupper() or tokens[last].lower in {",", "and", "the"}
    ):
        last += 1
    while last > first and tokens[last - 1].lower in {",", "and", "the"}:
        last -= 1
    phrase = " ".join(token.text for token in tokens[first:last]).replace(" ,", ",")
    speaker = resolve_speaker(phrase, context)
    return speaker if speaker and speaker.kind == "group" else None


def _main_subject(tokens: list[_Token], context: Context) -> Speaker | None:
    """The subject of the sentence's main clause, after any introductory phrase or quotation."""
    index = 0
    if tokens and tokens[0].text in _OPEN_QUOTES:
        while index < len(tokens) and (tokens[index].quoted or tokens[index].text in _OPEN_QUOTES):
            index += 1
        index += 1
    if index < len(tokens) and tokens[index].lower in _PREPOSITIONS:
        after = _skip_time(tokens, index + 1)
        starts_subject = after < len(tokens) and (
            tokens[after].text[:1].isupper() or tokens[after].lower in PRONOUNS
        )
        if after > index + 1 and starts_subject:
            index = after
        else:
            comma = next((i for i in range(index, len(tokens)) if tokens[i].text == ","), None)
            index = comma + 1 if comma is not None else index
    index = _skip_time(tokens, index)
    if index < len(tokens) and tokens[index].text == ",":
        index += 1
    if index < len(tokens) and tokens[index].lower in PRONOUNS:
        return context.salient
    group = _group_at(tokens, index, len(tokens), context)
    if group:
        return group
    last = index
    while last < len(tokens) and (
        tokens[last].text[:1].isupper()
        or tokens[last].lower in TITLE_WORDS | GENERIC_HEADS | {"of", "the", "for"}
    ):
        last += 1
    phrase = " ".join(token.text for token in tokens[index:last])
    return resolve_speaker(phrase, context) if phrase else None


def _skip_time(tokens: list[_Token], index: int) -> int:
    while index < len(tokens) and (
        tokens[index].lower in _TIME_WORDS
        or (
            tokens[index].lower == "the"
            and index + 1 < len(tokens)
            and tokens[index + 1].lower in {"same", "next", "following"}
        )
    ):
        index += 1
    return index


def _update_salience(
    tokens: list[_Token], attributions: list[_Attribution], context: Context
) -> None:
    """Without an attribution, the main clause's subject ("Blinken was unconvinced.") is who
    the next pronoun refers to."""
    if any(_opens_main_clause(tokens, attribution) for attribution in attributions):
        return
    speaker = _main_subject(tokens, context)
    if speaker:
        _make_salient(speaker, context)


def _make_salient(speaker: Speaker, context: Context) -> None:
    if speaker.kind in {"person", "organisation", "unnamed", "group"}:
        context.salient = speaker
        if speaker.kind == "person":
            context.mentioned.append(speaker)


def _build(
    text: str,
    start: int,
    end: int,
    tokens: list[_Token],
    attributions: list[_Attribution],
    context: Context,
    published: date,
    event: date | None,
) -> list[Candidate]:
    candidates = []
    leading_quote = _leading_quote(text, start, end)
    attributions = _with_contrasts(text, tokens, attributions)
    attributions = _voiced_by_spokesperson(text, tokens, attributions, end)
    for position, attribution in enumerate(attributions):
        following = attributions[position + 1] if position + 1 < len(attributions) else None
        content_end = _content_end(text, tokens, following, end)
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
            span = _trim(text, *span)
            attribution_words = text[quote_first[1] : content_end]
        else:
            content_start = _content_start(text, tokens, attribution, content_end)
            content_end = _cut_new_clause(text, content_start, content_end)
            span = _trim(text, content_start, content_end)
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
                or bool(_CIRCUMSTANCE_ONLY.fullmatch(rest))
            )
            if comma_before and (trailing or rest.startswith("according to")):
                # "Two drones attacked the bridge, the committee said.": the statement is
                # the clause before its attribution.
                comma = tokens[attribution.subject_start - 1].start
                span = _trim(text, start, comma)
                attribution_words = text[comma:content_start]
            elif comma_before and _CONDITIONAL_OPENING.match(text[start:end]):
                # "As soon as …, he said, Moscow would …": the attribution stays inside.
                span = _trim(text, start, content_end)
        if span[1] - span[0] < 3 or text[span[0] : span[1]].startswith("by "):
            continue  # "responded by showing …" describes an act, not words
        candidates.append(
            _candidate(
                text,
                span,
                attribution.speaker,
                attribution.verb,
                attribution_words,
                context,
                published,
                event,
            )
        )
    return candidates


def _with_contrasts(
    text: str, tokens: list[_Token], attributions: list[_Attribution]
) -> list[_Attribution]:
    """ "X agreed to …, but did not accept …" and "X said …, but that …": the contrasting
    clause is a statement of its own."""
    if not attributions:
        return attributions
    extra = []
    for index in range(1, len(tokens) - 2):
        if tokens[index].lower != "but" or tokens[index - 1].text != ",":
            continue
        if index <= attributions[0].verb_index or any(a.verb_index > index for a in attributions):
            continue
        following = text[tokens[index + 1].start : tokens[-1].end].lower()
        speaker = attributions[-1].speaker
        if _NEGATIVE_TURN.match(following):
            extra.append(
                _Attribution(index + 1, index + 1, speaker, "rejected", content_from=index + 1)
            )
        elif tokens[index + 1].lower == "that":
            extra.append(
                _Attribution(index + 1, index + 1, speaker, "said", content_from=index + 2)
            )
    return attributions + extra


def _voiced_by_spokesperson(
    text: str, tokens: list[_Token], attributions: list[_Attribution], end: int
) -> list[_Attribution]:
    """ "The Kremlin warned that …, spokesman Dmitry Peskov told reporters.": the body's words,
    credited to the person who spoke them."""
    if len(attributions) < 2:
        return attributions
    last, before = attributions[-1], attributions[-2]
    after_verb = text[tokens[last.verb_index].end : end].strip(" .")
    trailing = (
        not after_verb
        or bool(_CIRCUMSTANCE_ONLY.fullmatch(after_verb.lower()))
        or (tokens[last.verb_index].lower in {"told", "tells"} and len(after_verb.split()) <= 3)
    )
    if (
        trailing
        and last.speaker.kind == "person"
        and before.speaker.kind in {"organisation", "country"}
        and last.subject_start > 0
        and tokens[last.subject_start - 1].text == ","
    ):
        before.speaker = last.speaker
        before.content_limit = tokens[last.subject_start - 1].start
        return attributions[:-1]
    return attributions


def _leading_quote(text: str, start: int, end: int) -> tuple[int, int] | None:
    quotes = quoted_spans(text, start, end)
    if quotes and quotes[0][0] == start:
        return quotes[0]
    return None


def _content_start(
    text: str, tokens: list[_Token], attribution: _Attribution, content_end: int
) -> int:
    if attribution.content_from is not None:
        return tokens[attribution.content_from].start
    index = attribution.verb_index + len(attribution.verb.split())
    verb = tokens[attribution.verb_index].lower
    if index >= len(tokens):
        return content_end
    that = None
    for look in range(index, min(index + 14, len(tokens))):
        if tokens[look].text in {",", ":", *_OPEN_QUOTES} or tokens[look].quoted:
            break
        if tokens[look].lower == "that":
            that = look
            break
    opener = tokens[index].lower
    if that == index and verb in _OBJECT_VERBS - {"announced"}:
        that = None  # "rejected that assessment": a determiner, not a clause
    if that is not None and (
        that == index
        or verb in {"told", "tells", "reported", "reports", "announced", "assured", "informed"}
        or opener in _PREPOSITIONS | _TIME_WORDS | {"to", "recently", "again", "also", "publicly"}
    ):
        return tokens[that].end
    if verb in {"told", "tells"}:
        while (
            index < len(tokens) and tokens[index].end <= content_end and _told_object(tokens, index)
        ):
            index += 1  # "told Reuters", "told the two delegations", "told state television"
        if index >= len(tokens):
            return content_end
    after = text[tokens[index - 1].end : content_end]
    time = _TIME_AFTER_VERB.match(after)
    position = tokens[index - 1].end + (time.end() if time else 0)
    rest = text[position:content_end]
    clause_that = verb not in _OBJECT_VERBS - {"announced"}
    lead = re.match(r"^\s*(?:that\b|[:,])?\s*" if clause_that else r"^\s*[:,]?\s*", rest)
    return position + (lead.end() if lead else 0)


def _told_object(tokens: list[_Token], index: int) -> bool:
    token = tokens[index]
    if token.lower in {"the", "a", "an", "his", "her", "their", "two"}:
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        return bool(following) and (
            following.text[:1].isupper() or following.lower in _TOLD_OBJECTS
        )
    return token.text[:1].isupper() or token.lower in _TOLD_OBJECTS


def _content_end(text: str, tokens: list[_Token], following: _Attribution | None, end: int) -> int:
    if following is None:
        return end
    return _clause_start_before(tokens, following, end)


def _cut_new_clause(text: str, start: int, end: int) -> int:
    """End a statement where ", and <Name> has/was/…" starts a clause with another subject."""
    match = _NEW_CLAUSE.search(text, start, end)
    return match.start() if match else end


def _clause_start_before(tokens: list[_Token], following: _Attribution, end: int) -> int:
    index = following.subject_start
    if tokens[index].lower in PARTICIPLES:
        index -= 1
    while index > 0 and (
        tokens[index - 1].lower in _CONNECTORS_AT_END or tokens[index - 1].text == ","
    ):
        index -= 1
    return tokens[index].start if index < len(tokens) else end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and the sentence's own closing punctuation; a statement that is one
    quotation loses its marks."""
    while start < end and text[start] in " \t:,":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    if end > start and text[end - 1] in ".,;" and end - 1 > start:
        end -= 1
    if (
        end - start > 2
        and text[start] in _OPEN_QUOTES
        and text[end - 1] in _CLOSE_QUOTES
        and not any(mark in text[start + 1 : end - 1] for mark in ("“", "”", '"'))
    ):
        start, end = start + 1, end - 1
        while end > start and text[end - 1] in ".,":
            end -= 1
    return start, end


def _candidate(
    text: str,
    span: tuple[int, int],
    speaker: Speaker,
    verb: str,
    attribution_words: str,
    context: Context,
    published: date,
    event: date | None,
) -> Candidate:
    quote = text[span[0] : span[1]]
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
        mediators=_mediators(quote, speaker, context.gazetteer),
        source_name=None,
        source_url=None,
        on_topic=True,
        char_start=span[0],
        char_end=span[1],
        quote_is_paraphrase=not any(mark in quote for mark in ("“", "”", '"')),
    )


_DEMONYM_NOUNS = re.compile(
    r"^\s+(?:President|Prime|Foreign|Chancellor|leaders?|partners|allies|mediators?|officials|"
    r"government|side|hosts?|Emir|Crown|King|envoy)\b"
)


def _mediators(quote: str, speaker: Speaker, gazetteer: Gazetteer) -> list[str]:
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


def fold_speaker(name: str, gazetteer: Gazetteer | None = None) -> str:
    """Comparison key for a speaker: canonical name via the gazetteer, no parenthetical."""
    gazetteer = gazetteer or load_gazetteer()
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    actor = gazetteer.actor(bare)
    return fold(actor.name if actor else bare)
