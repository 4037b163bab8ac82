"""Who spoke: reporting verbs in a sentence's tokens, each with the subject that said it.

The subject is the noun phrase just before the verb (scanned back over names, titles and
appositives) or, after a quotation, just after it; follow-ups ("he", "the official") resolve
through the article's `Context`. Verbs inside quotation marks are never attributions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lib.extract.layout import quoted_spans
from lib.extract.lexicon import (
    CIRCUMSTANCE_ONLY,
    CLAUSE_OPENERS,
    CLOSE_QUOTES,
    GROUP_HEADS,
    MODALS,
    NEGATIONS,
    NEGATIVE_TURN,
    NOT_READY,
    NP_CONNECTORS,
    OBJECT_PREPOSITIONS,
    OBJECT_VERBS,
    OPEN_QUOTES,
    PARTICIPLES,
    POSSESSIVE_END,
    PREPOSITIONS,
    RELAY_POSSESSIVE,
    REPORTING_VERBS,
    SKIP_BEFORE_VERB,
    SPOKESPERSON_ROLE,
    SUBORDINATE,
    TIME_WORDS,
    TOKEN,
    WEAK_VERBS,
)
from lib.extract.speakers import (
    ARABIC_ARTICLE_NAME,
    GENERIC_HEADS,
    NAME_PARTICLES,
    ORG_HEADS,
    PRONOUNS,
    TITLE_WORDS,
    Context,
    Speaker,
    lexical,
    resolve_speaker,
)


@dataclass
class Token:
    text: str
    start: int
    end: int
    quoted: bool

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class Attribution:
    verb_index: int
    subject_start: int  # token index where the subject phrase (or clause) starts
    speaker: Speaker
    verb: str
    # token index where the content starts when it is not after the verb (", but did not
    # accept …" starts at the verb, ", but that …" after "that")
    content_from: int | None = None
    # where a trailing attribution voiced by a spokesperson began (the content stops there)
    content_limit: int | None = None


def tokenize(text: str, start: int, end: int) -> list[Token]:
    quotes = quoted_spans(text, start, end)
    tokens = []
    for match in TOKEN.finditer(text, start, end):
        inside = any(q_start < match.start() and match.end() < q_end for q_start, q_end in quotes)
        word = match.group(0)
        if word.endswith("that") and word[:-4] in REPORTING_VERBS:
            # "declaredthat": a page that lost the space after the verb
            cut = match.end() - 4
            tokens.append(Token(word[:-4], match.start(), cut, inside))
            tokens.append(Token("that", cut, match.end(), inside))
            continue
        tokens.append(Token(word, match.start(), match.end(), inside))
    return tokens


def find_attributions(tokens: list[Token], context: Context) -> list[Attribution]:
    """Every reporting verb in the sentence with a subject that can speak."""
    found: list[Attribution] = []
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


def _opens_main_clause(tokens: list[Token], attribution: Attribution) -> bool:
    """False for embedded speakers ("especially after X said"), who do not displace the
    sentence's main speaker as the referent of later pronouns."""
    before = attribution.subject_start - 1
    while before >= 0 and tokens[before].lower in TIME_WORDS | PREPOSITIONS:
        before -= 1
    return not (before >= 0 and tokens[before].lower in SUBORDINATE)


def _finite(
    tokens: list[Token], index: int, found: list[Attribution], context: Context
) -> Attribution | None:
    verb = tokens[index].lower
    if verb == "ruled" and not (index + 1 < len(tokens) and tokens[index + 1].lower == "out"):
        return None
    if verb in {"hopes", "hoped"} and found:
        return None  # "said he hoped …": the hope is part of what was said
    if verb == "written" and not (index + 1 < len(tokens) and tokens[index + 1].lower == "off"):
        return None  # only "has written off the talks as doomed"
    if verb == "offering" and not (
        index > 0
        and tokens[index - 1].lower in {"is", "are", "was", "were"}
        and index + 1 < len(tokens)
        and tokens[index + 1].lower == "to"
    ):
        return None  # "Moscow is offering to resume talks", not "an offering"
    if verb in {"convinced", "concerned", "confident"} and not (
        index > 0
        and tokens[index - 1].lower in {"is", "was", "are", "were"}
        and index + 1 < len(tokens)
        and tokens[index + 1].lower == "that"
    ):
        return None  # only "X is convinced that …", "X is concerned that …" report a view
    if verb == "issued" and not (
        index + 2 < len(tokens)
        and tokens[index + 1].lower in {"a", "an"}
        and tokens[index + 2].lower in {"warning", "ultimatum", "threat", "appeal", "call"}
    ):
        return None  # "issued a warning about …" reports words; "issued a decree" does not
    following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    if verb == "went" and following != "on":
        return None
    if verb in {"made", "spoke"} and _verb_phrase(tokens, index) == verb:
        return None  # only "made (it) clear", "spoke of", "spoke in favour of", "spoke out"
    if verb in {"assured", "doubts", "doubted"} and not any(
        token.lower == "that" for token in tokens[index + 1 : index + 4]
    ):
        return None  # "assured Kyiv that …", "doubts that …"; not "assured victory"
    if verb in {"continued", "went"} and not _ends_or_reports(tokens, index + (verb == "went")):
        return None  # '"…," Kuleba continued.', 'went on to say that …', not "went on talking"
    if verb == "brushed" and following not in {"off", "aside"}:
        return None  # only "brushed off the offer"
    if verb == "concluded" and index + 1 < len(tokens) and tokens[index + 1].lower in {
        "a", "an", "the", "his", "her", "their", "its", "this", "two", "three",
    }:  # fmt: skip
        return None  # "concluded a three-hour meeting" ends it; "concluded that …" reports
    if verb == "called" and _phoned(tokens, index):
        return None  # "Trump called Putin to discuss …": a phone call, not words
    if verb == "briefed" and not any(
        token.text in OPEN_QUOTES or token.lower == "that" for token in tokens[index + 1 :]
    ):
        return None  # "briefed Biden on the front": only a quoted or "that" briefing is words
    if verb in {"expressed", "voiced"} and not (
        index + 1 < len(tokens) and _expressed_view(tokens[index + 1 : index + 3])
    ):
        return None  # "expressed hope that …" reports a view; "expressed the goods" does not
    if verb in {"call", "demand"}:
        # Only "to call for …" / "to call on …" (not "what they call …") and "continues to
        # demand that …", said by the subject.
        following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        wanted = {"for", "on"} if verb == "call" else {"that"}
        if following not in wanted or index == 0 or tokens[index - 1].lower != "to":
            return None
        speaker = main_subject(tokens[:index], context)
        if not speaker or speaker.kind == "country":
            return None
        return Attribution(index, index, speaker, _verb_phrase(tokens, index))
    if index > 0 and (
        POSSESSIVE_END.search(tokens[index - 1].text)
        or tokens[index - 1].lower in {"his", "her", "their", "its", "our", "my"}
    ):
        return None  # "Russia's claims that …", "his remarks": a noun, not a verb
    if (
        verb in {"asked", "invited", "told"}
        and index > 0
        and tokens[index - 1].lower in {"was", "were", "been", "being", "is", "are"}
    ):
        return None  # "He was asked to comment on …": someone else asked him
    before = _skip_back(tokens, index - 1)
    while not found and before >= 0 and _manner_adverb(tokens[before].text):
        before = _skip_back(tokens, before - 1)  # "Putin effectively rejected …"
    if before >= 0 and tokens[before].lower in NEGATIONS | {"did", "does", "do", "could"}:
        return None
    if before >= 0 and tokens[before].text == ",":
        parenthetical = _skip_parenthetical(tokens, before)
        if parenthetical is not None and tokens[parenthetical].lower in {"and", "but"}:
            before = parenthetical
    if before >= 0 and tokens[before].lower in {"and", "but"}:
        if found and tokens[before].lower == "but":
            # "… welcomed the plan, but said …": a second statement by the same speaker.
            return Attribution(index, before, found[-1].speaker, _verb_phrase(tokens, index))
        if found and (
            _that_follows(tokens, index)
            or _new_subject_follows(tokens, index)
            or _second_object(tokens, found[-1].verb_index, index)
            or _second_commitment(tokens, found[-1].verb_index, index)
            or (index + 1 < len(tokens) and tokens[index + 1].text in OPEN_QUOTES)
        ):
            # "… said they were ready … and stressed that …": a second statement.
            return Attribution(index, before, found[-1].speaker, _verb_phrase(tokens, index))
        if found:
            return None  # "… and said he would …": the same statement goes on
        return _coordinated_subject(tokens, index, before, context)
    subject = _subject_before(tokens, before, context) or _subject_after(tokens, index, context)
    if not subject:
        return None
    subject_start, speaker = subject
    opener = tokens[subject_start - 1].lower if subject_start > 0 else ""
    negated = opener == "nor" or (
        opener in {"has", "have", "had", "did", "does", "do"}
        and subject_start > 1
        and tokens[subject_start - 2].lower in {"nor", "neither"}
    )
    if negated:
        return None  # "nor has Trump asked for any": no words to report
    if opener in {"if", "unless", "whether", "until", "once", "should"}:
        # "… if Kyiv rejected it", "… should Putin reject it": a condition, not an attribution
        return None
    if opener in {"before", "after", "since", "when"} and any(
        token.text == "," for token in tokens[index + 1 : index + 5]
    ):
        return None  # "Before Russia confirmed the meeting, Trump said …": a time clause
    reported = opener == "that"
    if found and reported and speaker.kind in {"country", "organisation"}:
        return None  # "Peskov said that Moscow rejected the plan": Peskov's words
    verb_phrase = _verb_phrase(tokens, index)
    if (
        verb in WEAK_VERBS
        and speaker.kind == "country"
        and verb not in {"agreed", "agrees"}
        and not verb_phrase.endswith((" for", " on"))
    ):
        return None
    return Attribution(index, subject_start, speaker, _verb_phrase(tokens, index))


def _ends_or_reports(tokens: list[Token], index: int) -> bool:
    """After "continued" / "went on": the sentence ends, or "to say" / "that" follows."""
    following = [token.lower for token in tokens[index + 1 : index + 3]]
    return (
        not following
        or following[0] in {".", ",", "that"}
        or (following[0] == "to" and following[1:] in (["say"], ["explain"], ["add"], ["stress"]))
    )


def _phoned(tokens: list[Token], index: int) -> bool:
    """ "called Putin to discuss …", "called Macron on Monday": a named person right after
    "called", then "to", "and", a day or the sentence's end (not "called Zelensky a …")."""
    last = index + 1
    while last < len(tokens) and tokens[last].text[:1].isupper() and not tokens[last].quoted:
        last += 1
    if last == index + 1:
        return False
    following = tokens[last].lower if last < len(tokens) else "."
    return following in {"to", "and", ".", ",", "on", "last", "this", "late", "early", "after"}


_EXPRESSED_VIEWS = {
    "belief", "conviction", "hope", "hopes", "confidence", "concern", "concerns", "readiness",
    "willingness", "optimism", "doubt", "doubts", "regret", "support", "interest", "skepticism",
    "scepticism", "expectation", "expectations", "frustration", "disappointment", "gratitude",
    "appreciation", "satisfaction", "dissatisfaction", "commitment", "determination",
    "intention", "opposition", "solidarity",
}  # fmt: skip


def _expressed_view(following: list[Token]) -> bool:
    """ "expressed (the/his) hope", "expressed readiness": a reporting phrase."""
    words = [token.lower for token in following]
    if words and (
        words[0] in {"the", "his", "her", "their", "its", "a", "some", "deep", "strong"}
        or POSSESSIVE_END.search(words[0])  # "expressed Ukraine's readiness"
    ):
        words = words[1:]
    return bool(words) and words[0] in _EXPRESSED_VIEWS


def _with_subject(tokens: list[Token], index: int, context: Context) -> tuple[int, Speaker] | None:
    """ "…, with President Volodymyr Zelensky saying it was open to …": the named person between
    "with" and the participle is its subject."""
    for start in range(index - 1, max(index - 8, 0), -1):
        if tokens[start].lower == "with":
            phrase = " ".join(token.text for token in tokens[start + 1 : index])
            speaker = resolve_speaker(phrase, context) if phrase else None
            if speaker and speaker.kind in {"person", "unnamed", "organisation"}:
                return start + 1, speaker
            return None
        if tokens[start].quoted or tokens[start].text in {",", ";"}:
            return None
    return None


DOCUMENT_NOUNS = {"statement", "post", "message", "communique", "communiqué", "letter", "video"}


def _participle(
    tokens: list[Token], index: int, found: list[Attribution], context: Context
) -> Attribution | None:
    if index == 0:
        return None
    previous = tokens[index - 1].lower
    # '… stalled “through no fault of Russia,” claiming that …': the quotation closed, and the
    # participle reports a new point
    after_quotation = (
        index >= 2 and previous in CLOSE_QUOTES and tokens[index - 2].text == "," and bool(found)
    )
    # "released a statement saying …": the document's words are its issuer's
    document = previous in DOCUMENT_NOUNS and tokens[index].lower == "saying"
    with_subject = _with_subject(tokens, index, context)
    if with_subject:
        return Attribution(index, with_subject[0], with_subject[1], tokens[index].lower)
    if previous not in {",", "after", "before", "while", "when", "as"} and not (
        after_quotation or document
    ):
        return None
    quote_led = len(found) == 1 and bool(tokens) and tokens[0].text in OPEN_QUOTES
    subordinate = previous in {"after", "before", "while", "when", "as"}  # "after telling …"
    # "announced a truce, saying …": the verb took an object, so "saying" reports new words
    after_object = (
        bool(found)
        and tokens[index].lower == "saying"
        and tokens[found[-1].verb_index].lower in OBJECT_VERBS
        and not _that_follows(tokens, found[-1].verb_index)
        and index - found[-1].verb_index > 5  # "welcomed the vote, saying …" stays one
    )
    if (
        found
        and tokens[index].lower != "adding"
        and not (quote_led or subordinate or after_object or after_quotation)
    ):
        return None  # "…, arguing that …" goes on with the statement before it
    speaker = found[-1].speaker if found else main_subject(tokens, context)
    if not speaker:
        return None
    return Attribution(index, index, speaker, tokens[index].lower)


def _new_subject_follows(tokens: list[Token], index: int) -> bool:
    """ "… and said Washington would …", "… and said its troops …": the second verb reports
    another subject's action."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if not following:
        return False
    capitalised = following.text[:1].isupper() and following.lower not in PRONOUNS
    return capitalised or following.lower in {"its", "their"}


def _second_object(tokens: list[Token], first_verb: int, index: int) -> bool:
    """ "… rejected the truce and suggested resuming talks": an offer after another act on an
    object, far enough apart to be two acts, is a statement of its own."""
    return (
        tokens[first_verb].lower in OBJECT_VERBS | {"suggested", "offered", "proposed"}
        and tokens[index].lower in {"suggested", "offered", "proposed", "invited"}
        and tokens[index].lower != tokens[first_verb].lower
        and index - first_verb > 4
    )


# Vows, threats and refusals carry a stance of their own; "… and promised to speak to his
# counterpart" or "… and agreed to the exchange" goes on with the statement before.
_COMMITMENTS = {"vowed", "threatened", "refused"}


def _second_commitment(tokens: list[Token], first_verb: int, index: int) -> bool:
    """ "… indicated there was no breakthrough and vowed to continue fighting": a vow, threat or
    refusal after a report of another kind, far enough apart to be two acts, is a statement of
    its own."""
    return (
        tokens[index].lower in _COMMITMENTS
        and tokens[first_verb].lower not in _COMMITMENTS
        and index + 1 < len(tokens)
        and tokens[index + 1].lower == "to"
        and index - first_verb > 4
    )


def _that_follows(tokens: list[Token], index: int) -> bool:
    """ "… and stressed that …", "… and agreed with …": a second statement, not a continuation."""
    return index + 1 < len(tokens) and tokens[index + 1].lower in {"that", "with"}


def _verb_phrase(tokens: list[Token], index: int) -> str:
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
        ("brushed", "off"),
        ("brushed", "aside"),
        ("appealed", "to"),
        ("written", "off"),
        ("wrote", "off"),
        ("went", "on"),
        ("made", "clear"),
        ("spoke", "of"),
    }:
        return f"{verb} {following}"
    after = " ".join(token.lower for token in tokens[index + 1 : index + 4])
    for phrase in ("it clear", "in favour of", "in favor of", "out against", "out for"):
        if (after + " ").startswith(phrase + " ") and verb in {"made", "spoke"}:
            return f"{verb} {phrase}"
    return verb


def _skip_back(tokens: list[Token], index: int) -> int:
    """Index of the last token before `index` that is not an adverb, auxiliary or time word
    (nor "for his part")."""
    while index >= 0 and not tokens[index].quoted:
        if tokens[index].lower in SKIP_BEFORE_VERB:
            index -= 1
        elif index >= 2 and [token.lower for token in tokens[index - 2 : index + 1]] in (
            ["for", "his", "part"],
            ["for", "her", "part"],
            ["for", "their", "part"],
            ["for", "its", "part"],
        ):
            index -= 3
        else:
            break
    return index


def _manner_adverb(word: str) -> bool:
    """ "effectively", "unilaterally": a lower-case -ly word between a sentence's subject and its
    first verb (after another attribution it more likely opens reported speech)."""
    return word.islower() and len(word) > 4 and word.endswith("ly") and word not in {"only"}


def _subject_before(
    tokens: list[Token], index: int, context: Context
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
        if token.quoted or token.text in OPEN_QUOTES | CLOSE_QUOTES:
            break
        if token.text == ",":
            if commas_crossed or not _title_phrase_before(tokens, first - 1):
                break
            commas_crossed += 1
            first -= 1
            continue
        capitalised = token.text[:1].isupper() or bool(ARABIC_ARTICLE_NAME.match(token.text))
        if capitalised and word not in CLAUSE_OPENERS:
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
                or (word == "in" and lexical(tokens[first - 2].text) in ORG_HEADS)
            )
        ):
            # "a source close to the Kremlin", "officials at the Pentagon", "the presidential
            # office in Kyiv"
            first -= 1
            continue
        if lexical(word) in TITLE_WORDS | GENERIC_HEADS or word in NP_CONNECTORS - {"and"}:
            first -= 1
            continue
        if word in _ISSUED or (
            word in {"from", "by"} and first - 2 >= 0 and tokens[first - 2].lower in _ISSUED
        ):
            first -= 1  # "a statement from the ministry said", "a Kremlin statement said"
            continue
        if (word in PRONOUNS or word == "it") and first - 1 == stop:
            first -= 1
            break
        if (
            word in _GROUP_QUANTIFIERS
            and first <= stop
            and context.gazetteer.is_demonym(tokens[first].text)
            and lexical(tokens[stop].lower) in GENERIC_HEADS
        ):
            first -= 1  # "major European powers", "several Western diplomats"
            continue
        if (
            word in {"its", "their"}
            and first - 3 >= 0
            and tokens[first - 2].lower == "and"
            and tokens[first - 3].text[:1].isupper()
        ):
            first -= 2  # "Kiev and its European supporters"
            continue
        if word in {"his", "her"} and SPOKESPERSON_ROLE.search(
            " ".join(token.lower for token in tokens[first : stop + 1])
        ):
            first -= 1  # "but his spokesman said …"
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
    if RELAY_POSSESSIVE.match(phrase) and not SPOKESPERSON_ROLE.search(phrase.lower()):
        return None
    owner = _person_named_before(tokens, first, context) if RELAY_POSSESSIVE.match(phrase) else None
    if owner:
        phrase = f"{owner.name}'s {phrase.split(maxsplit=1)[1]}"  # "Putin … but his spokesman"
    speaker = resolve_speaker(phrase, context)
    if not speaker:
        return None
    # "…, during which he emphasised that …": a pronoun opens the relative clause's own subject
    relative_pronoun = (
        tokens[first].lower in PRONOUNS and first > 0 and tokens[first - 1].lower == "which"
    )
    if relative_pronoun:
        speaker = _person_named_before(tokens, first - 1, context) or speaker
    if not _at_clause_start(tokens, first) and not relative_pronoun:
        # "The hosts' coach Julian Nagelsmann said": a full name is a subject unless it is the
        # object of a preposition ("talks with Sergei Lavrov said …" is not Lavrov speaking).
        named = speaker.name.split()[-1].lower() in phrase.lower()  # not "the participants"
        full_name = named and speaker.kind == "person" and " " in speaker.name
        if _embedded_pronoun_clause(tokens, first, stop):
            return first, speaker  # "a plan he said would end the war"
        if first > 0 and tokens[first - 1].lower in OBJECT_PREPOSITIONS:
            return _subject_after_missing_comma(tokens, first, stop, context)
        if not full_name or first == 0:
            return None
    return first, speaker


_ISSUED = {"statement", "readout", "communique", "communiqué", "declaration"}
# "major European powers", "several Western diplomats": lower-case words a group's name may
# open with
_GROUP_QUANTIFIERS = {
    "major", "several", "some", "many", "most", "other", "leading", "key", "few", "various",
    "two", "three", "four",
}  # fmt: skip


def _person_named_before(tokens: list[Token], stop: int, context: Context) -> Speaker | None:
    """ "Kamala Harris, the vice-president, attended, giving a speech in which she said …": the
    pronoun of a relative clause is the person the sentence named, not the story's last
    speaker; the first full name the gazetteer knows as a person."""
    for first in range(stop):
        if not tokens[first].text[:1].isupper() or tokens[first].quoted:
            continue
        last = first
        while last + 1 < stop and tokens[last + 1].text[:1].isupper():
            last += 1
        if last > first:
            actor = context.gazetteer.actor(" ".join(t.text for t in tokens[first : last + 1]))
            if actor and actor.kind == "person":
                return resolve_speaker(actor.name, context)
    return None


def _subject_after_missing_comma(
    tokens: list[Token], first: int, stop: int, context: Context
) -> tuple[int, Speaker] | None:
    """ "Ahead of the meeting with Putin Witkoff on Thursday said …": an introductory phrase
    without its comma ends in one known person's name, and the next known person is the
    subject (two names the gazetteer knows apart, not one person's first name and surname)."""
    if stop <= first or not context.gazetteer.actor(tokens[first].text):
        return None
    rest = " ".join(token.text for token in tokens[first + 1 : stop + 1])
    actor = context.gazetteer.actor(rest)
    if not actor or actor.kind != "person":
        return None
    if actor == context.gazetteer.actor(tokens[first].text):
        return None
    speaker = resolve_speaker(rest, context)
    return (first + 1, speaker) if speaker else None


def _embedded_pronoun_clause(tokens: list[Token], first: int, stop: int) -> bool:
    verb = stop + 1
    return (
        first == stop
        and tokens[first].lower in PRONOUNS
        and verb + 1 < len(tokens)
        and tokens[verb].lower in {"said", "says"}
        and tokens[verb + 1].lower in MODALS
    )


def _subject_after(tokens: list[Token], index: int, context: Context) -> tuple[int, Speaker] | None:
    """Inverted attribution after a quotation: '"…," said Peskov' or 'said Dmitry Peskov, the
    Kremlin spokesman'."""
    before = index - 1
    if before >= 1 and tokens[before].text in {"—", "–", "-"}:
        before -= 1  # '«…», — said the minister': the dash of Ukrainian and Russian copy
    after_quote = tokens[before].text in CLOSE_QUOTES or (
        before >= 1 and tokens[before].text == "," and tokens[before - 1].text in CLOSE_QUOTES
    )
    if not after_quote:
        return None
    last = index + 1
    while last < len(tokens) and (
        tokens[last].text[:1].isupper()
        or lexical(tokens[last].text) in TITLE_WORDS | GENERIC_HEADS | NAME_PARTICLES
        or tokens[last].lower in {"the", "a", "an", "of"}  # '"…," said the head of the …'
        or (last == index + 1 and tokens[last].lower in {"its", "his", "her", "their"})
    ):
        last += 1
    if last < len(tokens) and not _ends_inverted_subject(tokens[last]):
        return None  # '"…," said Kyiv would …' is not an inverted attribution
    phrase = " ".join(token.text for token in tokens[index + 1 : last])
    speaker = resolve_speaker(phrase, context) if phrase else None
    if speaker and tokens[index + 1].lower in {"its", "his", "her", "their"}:
        # 'said its top negotiator X': only a named person, not "his spokesman"
        return (index, speaker) if speaker.kind == "person" else None
    return (index, speaker) if speaker and speaker.kind != "country" else None


def _ends_inverted_subject(token: Token) -> bool:
    """What may follow the speaker of '"…," said X': punctuation, or an adjunct of the saying
    ("on Thursday after the talks", "welcoming him"), not a verb of a clause of its own."""
    return (
        token.text in {",", ".", ";"}
        or token.lower in PREPOSITIONS | TIME_WORDS
        or (token.lower.endswith("ing") and token.text == token.lower)
    )


def _skip_parenthetical(tokens: list[Token], comma: int) -> int | None:
    """For ", for its part," or ", standing alongside X," before a verb: the index before it."""
    index = comma - 1
    while index >= 0 and tokens[index].text != ",":
        if tokens[index].quoted or tokens[index].text in OPEN_QUOTES | CLOSE_QUOTES:
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
        and comma - index <= 20
        and index >= 1
        and tokens[index - 1].text[:1].isupper()
    )  # "Donald Trump, the Republican candidate, said"
    if appositive or opener.endswith("ing") or opener in {
        "for", "in", "however", "meanwhile", "too", "though", "who", "which", "whose", "on",
        "led", "headed", "accompanied", "backed",  # ", led by Defence Minister Umerov,"
    }:  # fmt: skip
        return _skip_back(tokens, index - 1) if index - 1 >= 0 else None
    return None


def _title_phrase_before(tokens: list[Token], comma: int) -> bool:
    """True when the words before an appositive comma form a title ("Ukraine's chief
    negotiator, David Arakhamia") rather than an introductory phrase."""
    index = comma - 1
    has_title = False
    while index >= 0 and tokens[index].text not in {",", *OPEN_QUOTES, *CLOSE_QUOTES}:
        word = tokens[index].lower
        if lexical(word) in TITLE_WORDS - {"the", "of", "for", "first", "new"}:
            has_title = True
        elif lexical(word) in TITLE_WORDS:
            pass
        elif not (tokens[index].text[:1].isupper() or word in NP_CONNECTORS):
            return False
        if word in {"on", "in", "at", "after", "opening", "speaking", "despite", "against"}:
            return False
        index -= 1
    return has_title


def _at_clause_start(tokens: list[Token], first: int) -> bool:
    """A subject must open a clause: sentence start, punctuation, a conjunction, or only time
    words ("On Sunday he …", "Hours later he …") before it."""
    index = first - 1
    while index >= 0 and tokens[index].lower in TIME_WORDS:
        index -= 1
    if 0 <= index < first - 1 and tokens[index].lower in PREPOSITIONS:
        index -= 1
    if index < 0:
        return True
    token = tokens[index]
    return not token.text[:1].isalnum() or token.lower in CLAUSE_OPENERS | {"including"}


def _coordinated_subject(
    tokens: list[Token], verb_index: int, and_index: int, context: Context
) -> Attribution | None:
    """'the leaders of A, B and C travelled … and called on …': the subject of the first verb."""
    for first in range(and_index):
        speaker = _group_at(tokens, first, and_index, context)
        if speaker:
            return Attribution(verb_index, verb_index, speaker, _verb_phrase(tokens, verb_index))
    # "President Putin proclaimed … and called on Kyiv to …": the sentence's subject.
    speaker = main_subject(tokens[:and_index], context)
    if speaker and speaker.kind in {"person", "organisation", "group"}:
        return Attribution(verb_index, verb_index, speaker, _verb_phrase(tokens, verb_index))
    return None


def _group_at(tokens: list[Token], first: int, stop: int, context: Context) -> Speaker | None:
    """A group speaker starting at `first`: "the leaders of France, Germany and Britain"."""
    if first < stop and tokens[first].lower == "the":
        first += 1
    if first + 1 >= stop or tokens[first].lower not in GROUP_HEADS:
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


def main_subject(tokens: list[Token], context: Context) -> Speaker | None:
    """The subject of the sentence's main clause, after any introductory phrase or quotation."""
    index = 0
    if tokens and tokens[0].text in OPEN_QUOTES:
        while index < len(tokens) and (tokens[index].quoted or tokens[index].text in OPEN_QUOTES):
            index += 1
        index += 1
    if index < len(tokens) and tokens[index].lower in PREPOSITIONS:
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
    index = _skip_participle_phrase(tokens, index)
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
    speaker = resolve_speaker(phrase, context) if phrase else None
    if speaker and speaker.kind == "person" and speaker.name == phrase and " " not in phrase:
        # "Humanitarian issues were discussed": one capitalised word nobody was introduced by
        return None
    return speaker


def _skip_participle_phrase(tokens: list[Token], index: int) -> int:
    """Past "Interviewed in the US," or "Speaking to reporters,": the subject comes after."""
    if index >= len(tokens) or not re.fullmatch(r"[A-Z][a-z]+(?:ed|ing)", tokens[index].text):
        return index
    comma = next(
        (i for i in range(index + 1, min(len(tokens), index + 9)) if tokens[i].text == ","), None
    )
    return comma + 1 if comma is not None else index


def _skip_time(tokens: list[Token], index: int) -> int:
    while index < len(tokens) and (
        tokens[index].lower in TIME_WORDS
        or (
            tokens[index].lower == "the"
            and index + 1 < len(tokens)
            and tokens[index + 1].lower in {"same", "next", "following"}
        )
    ):
        index += 1
    return index


def update_salience(tokens: list[Token], attributions: list[Attribution], context: Context) -> None:
    """Without an attribution, the main clause's subject ("Blinken was unconvinced.") is who
    the next pronoun refers to."""
    if any(_opens_main_clause(tokens, attribution) for attribution in attributions):
        return
    speaker = main_subject(tokens, context)
    if speaker:
        _make_salient(speaker, context)


def _make_salient(speaker: Speaker, context: Context) -> None:
    if speaker.kind in {"person", "organisation", "unnamed", "group"}:
        context.salient = speaker
        if speaker.kind == "person":
            context.mentioned.append(speaker)


def with_contrasts(
    text: str, tokens: list[Token], attributions: list[Attribution]
) -> list[Attribution]:
    """ "X agreed to …, but did not accept …" and "X said …, but that …": the contrasting
    clause is a statement of its own."""
    if not attributions:
        return attributions
    extra = []
    for index in range(1, len(tokens) - 2):
        if tokens[index].lower != "but":
            continue
        following = text[tokens[index + 1].start : tokens[-1].end].lower()
        if tokens[index - 1].text != "," and not NOT_READY.match(following):
            continue
        if index <= attributions[0].verb_index or any(a.verb_index > index for a in attributions):
            continue
        speaker = attributions[-1].speaker
        if NEGATIVE_TURN.match(following) or NOT_READY.match(following):
            extra.append(
                Attribution(index + 1, index + 1, speaker, "rejected", content_from=index + 1)
            )
        elif tokens[index + 1].lower == "that":
            extra.append(Attribution(index + 1, index + 1, speaker, "said", content_from=index + 2))
    return attributions + extra


def voiced_by_spokesperson(
    text: str, tokens: list[Token], attributions: list[Attribution], end: int
) -> list[Attribution]:
    """ "The Kremlin warned that …, spokesman Dmitry Peskov told reporters.": the body's words,
    credited to the person who spoke them."""
    if len(attributions) < 2:
        return attributions
    last, before = attributions[-1], attributions[-2]
    after_verb = text[tokens[last.verb_index].end : end].strip(" .")
    trailing = (
        not after_verb
        or bool(CIRCUMSTANCE_ONLY.fullmatch(after_verb.lower()))
        or (
            tokens[last.verb_index].lower in {"told", "tells", "tell"}
            and len(after_verb.split()) <= 3
        )
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
