"""Who a subject phrase refers to: a named person, an organisation, a country, a group, an
unnamed source with a descriptive label, or someone mentioned earlier ("he", "the official")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lib.gazetteer import Gazetteer, fold

PRONOUNS = {"he", "she", "they"}
TITLE_WORDS = {
    "president", "prime", "minister", "ministers", "secretary", "state", "foreign", "defence",
    "defense", "affairs", "spokesman", "spokeswoman", "spokesperson", "spokespeople", "chief",
    "head", "adviser", "advisor", "aide", "envoy", "special", "ambassador", "chancellor",
    "general", "staff", "deputy", "commander", "commander-in-chief", "negotiator", "negotiators",
    "leader", "leaders", "high", "representative", "policy", "national", "security", "director",
    "intelligence", "press", "presidential", "vice", "chairman", "chairwoman", "chair",
    "commissioner", "king", "crown", "prince", "emir", "pope", "senator", "mayor", "governor",
    "official", "officials", "source", "sources", "analyst", "analysts", "expert", "experts",
    "diplomat", "diplomats", "office", "ministry", "government", "delegation", "council",
    "army", "forces", "armed", "military", "top", "senior", "high-ranking", "union", "presidency",
    "commission", "first", "former", "acting", "team", "officer", "officers", "navy", "air",
    "force", "observers", "correspondent", "member", "members", "lawmaker", "lawmakers",
    "administration", "cabinet", "department", "service", "agency", "institute", "centre",
    "center", "researchers", "russian-installed", "kremlin-installed", "kremlin-backed",
    "pro-russian", "interior", "economy", "finance", "justice", "ombudsman", "parliament",
    "parliamentary", "speaker", "committee", "secretary-general", "cardinal", "archbishop",
    "sheikh", "sheikha", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "adm", "retired",
    "unnamed", "anonymous", "european", "regional", "local", "military's", "insider", "insiders",
    "think", "tank", "monitoring", "group", "project", "people", "familiar", "matter", "new",
    "incoming", "outgoing", "interim", "longtime", "veteran", "health", "agriculture", "energy",
    "trade", "transport", "education", "emergencies", "emergency", "environment", "culture",
    "infrastructure", "digital", "information", "communications", "economic", "prosecutor",
    "attorney", "border", "guard", "coast", "police", "anti-terrorism", "counter-terrorism",
    "russian", "ukrainian", "american", "news", "wire", "broadcaster", "media", "outlet",
    "newspaper", "television", "radio", "channel",
}  # fmt: skip
GENERIC_HEADS = {
    "official", "officials", "source", "sources", "analyst", "analysts", "expert", "experts",
    "diplomat", "diplomats", "observers", "researchers", "spokesman", "spokeswoman",
    "spokesperson", "aide", "aides", "adviser", "advisor", "advisers", "officer", "officers",
    "lawmaker", "lawmakers", "insider", "insiders", "negotiator", "negotiators", "people",
    "powers", "allies", "supporters", "backers",
}  # fmt: skip
ORG_HEADS = {
    "institute", "ministry", "office", "staff", "council", "command", "service", "agency",
    "centre", "center", "committee", "commission", "kremlin", "pentagon", "government",
    "foundation", "forces", "army", "navy", "parliament", "duma", "rada", "cabinet",
    "administration", "embassy", "mission", "directorate", "department", "club", "corporation",
    "tracker", "project", "group", "delegation",
}  # fmt: skip
PERSON_TITLE_HEADS = {
    "minister", "president", "chancellor", "ambassador", "envoy", "commander", "governor",
    "mayor", "secretary", "chief", "head", "negotiator", "premier", "king", "emir", "pope",
}  # fmt: skip
NAME_PARTICLES = {
    "von", "der", "de", "da", "bin", "al", "van", "la", "le", "du", "dos", "ibn", "des", "del",
    "della", "di", "ten", "ter",
}  # fmt: skip
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_GROUP = re.compile(
    r"^(?:the\s+)?(?P<head>leaders|heads of state(?: and government)?|presidents|prime ministers"
    r"|foreign ministers|defen[cs]e ministers|governments) of (?P<members>.+)$",
    re.IGNORECASE,
)
_DEFINITE_ARTICLES = {"the"}
_PLURAL_GROUP_WORDS = {
    "leaders", "countries", "states", "allies", "partners", "governments", "capitals", "nations",
    "members", "europeans",
}  # fmt: skip
_OWNED_GROUP = re.compile(
    r"^(?:the\s+)?(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)\s+(?P<head>leaders|heads of state"
    r"(?: and government)?|governments|foreign ministers|defen[cs]e ministers|ministers|allies)$"
)
ARABIC_ARTICLE_NAME = re.compile(r"^(?:al|el|ad|as|ash|bin|ibn)-[A-Z]\w+$")
DOCUMENT_HEADS = {
    "paper", "document", "statement", "communique", "communiqué", "declaration", "plan",
    "readout", "report", "text", "letter", "proposal", "memorandum", "resolution",
}  # fmt: skip
_SPOKESPERSON_FOR = re.compile(
    r"^(?:[Aa]n?\s+|[Tt]he\s+)?(?P<head>(?:[\w-]+\s+)?(?i:spokes\w+|officials?|sources?"
    r"|representatives?|aides?|advis[eo]rs?|officers?|diplomats?))\s+"
    r"(?P<preposition>for|of|at|from|in|close to|to)\s+"
    r"(?P<body>(?:the\s+)?[A-Z].*)$"
)
_PLURAL_ARTICLE_NAMES = {
    "United Kingdom",
    "United States",
    "Netherlands",
    "Czech Republic",
    "United Arab Emirates",
}


@dataclass
class Speaker:
    name: str
    role: str
    affiliation: str
    kind: str  # person | organisation | country | group | unnamed
    head: str = ""  # noun an anaphor like "the official" can pick up
    members: tuple[str, ...] = ()  # countries of a group speaker


@dataclass
class Context:
    """What the reader remembers while reading one body or one teaser."""

    gazetteer: Gazetteer
    day: date | None
    salient: Speaker | None = None
    mentioned: list[Speaker] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)  # folded surname -> full name
    home_affiliation: str = ""  # country of the dateline, for unnamed officials
    last_speaker_seen: Speaker | None = None  # who issued the last statement ("the paper said")
    last_date: date | None = None
    last_speaker: str | None = None

    def register_name(self, full_name: str) -> None:
        words = full_name.split()
        if len(words) >= 2:
            self.full_names.setdefault(fold(words[-1]), full_name)


def is_name_word(word: str, gazetteer: Gazetteer) -> bool:
    """A capitalised word that can be part of a person's name (not a title, place or weekday)."""
    bare = word.strip(",")
    if ARABIC_ARTICLE_NAME.match(bare):
        return True  # "al-Bashir", "bin-Salman"
    if not bare or not bare[0].isupper() or bare.lower() in TITLE_WORDS:
        return False
    if re.search(r"['’]s$", bare) or bare.lower() in _CALENDAR_WORDS:
        return False
    return gazetteer.place(bare) is None or gazetteer.actor(bare) is not None


# Capitalised words that open sentences without naming anyone; a lone one is never a speaker.
SENTENCE_OPENERS = {
    "also", "those", "these", "this", "that", "there", "here", "it", "its", "we", "they", "our",
    "such", "some", "many", "most", "both", "each", "all", "any", "no", "not", "yet", "still",
    "then", "now", "later", "earlier", "thus", "so", "instead", "nevertheless", "moreover",
    "furthermore", "indeed", "besides", "overall", "separately", "previously", "ultimately",
    "representatives", "participants", "delegates", "telegram", "facebook", "twitter", "x",
    "other", "others", "another", "one", "two", "three", "several", "few", "much", "what",
    "which", "who", "how", "why", "when", "where", "if", "as", "while", "though", "although",
    "because", "since", "whether", "every", "neither", "either", "none", "nobody", "everyone",
    "but", "and", "or", "his", "their", "my",
}  # fmt: skip

_CALENDAR_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "the", "a", "an", "in", "on", "at", "after", "before", "opening",
    "speaking", "asked", "quote", "according", "despite", "against", "meanwhile", "however",
}  # fmt: skip


def trailing_name(words: list[str], gazetteer: Gazetteer) -> tuple[int, str] | None:
    """Index and text of the person's name that ends `words`, if the phrase ends with one."""
    index = len(words)
    while index > 0 and (
        is_name_word(words[index - 1], gazetteer)
        or (words[index - 1].lower() in NAME_PARTICLES and index < len(words))
        or re.fullmatch(r"al-\w+", words[index - 1])
    ):
        index -= 1
    while index < len(words) and words[index].lower() in NAME_PARTICLES:
        index += 1
    if index == len(words):
        return None
    return index, " ".join(word.strip(",") for word in words[index:])


def place_of(words: list[str], gazetteer: Gazetteer) -> str:
    """First country or organisation named in a title ("Turkish President", "Kremlin spokesman")."""
    cleaned = [word.strip(",") for word in words]
    for size in (3, 2, 1):
        for start in range(len(cleaned) - size + 1):
            place = gazetteer.place(" ".join(cleaned[start : start + size]))
            if place:
                return place.name
    return ""


# "the South African presidency": the head of state's office speaking as an institution
_PRESIDENCY = re.compile(
    r"^(?:[Tt]he\s+)?(?P<demonym>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+[Pp]residency$"
)


def _presidency(text: str, gazetteer: Gazetteer) -> Speaker | None:
    """A country's presidency as a speaker: the gazetteer's body when it lists one (the
    Kremlin), else "<Demonym> Presidency" of that country."""
    match = _PRESIDENCY.match(text)
    country = gazetteer.place(match.group("demonym")) if match else None
    if not match or not country or country.kind != "country":
        return None
    demonym = match.group("demonym")
    known = gazetteer.actor(f"{demonym} presidential administration")
    if known:
        return Speaker(known.name, known.role_on(None), known.affiliation, known.kind)
    return Speaker(
        f"{demonym} Presidency", "presidency", country.name, "organisation", "presidency"
    )


def resolve_speaker(phrase: str, context: Context) -> Speaker | None:
    """The speaker a subject phrase refers to, or None when it is not a speaker at all."""
    gazetteer = context.gazetteer
    text = _HEAD_OF_STATE.sub("president", phrase.strip(" ,"))  # "the head of state"
    text = _TOP_DIPLOMAT.sub("foreign minister", text)  # "Turkey's top diplomat"
    lowered = text.lower()
    if lowered in PRONOUNS | {"him", "her", "them"}:
        return context.salient  # "he said", "according to him"
    if lowered == "it":
        # "The ministry said …. It added that …": a body or a state, never a person
        salient = context.salient
        return salient if salient and salient.kind in {"organisation", "country"} else None
    if not text:
        return None
    if _PAIR.match(text):
        return _first_of_pair(context)
    chief_of_staff = _CHIEF_OF_STAFF.match(text)
    president = resolve_speaker(chief_of_staff.group("owner"), context) if chief_of_staff else None
    if president and president.kind == "person" and "president" in president.role.lower():
        # "the Ukrainian president's chief of staff": the head of that president's office
        office = _OFFICE_OF.match(f"head of the Office of the President of {president.affiliation}")
        holder = _office_holder(office, context) if office else None
        if holder:
            return holder
    document = _ISSUED_DOCUMENT.match(text)
    issuer = (document.group("issuer") or document.group("owner")) if document else None
    if issuer:
        return resolve_speaker(issuer, context)  # "a statement from the ministry": the ministry
    member = _MEMBER_OF_GROUP.match(text)
    if member:
        # "one of the anonymous sources", "another": a member of the unnamed group just quoted
        group = _unnamed_group(member.group("head") or "", context)
        if group:
            return group
    leaders_spokesperson = _LEADERS_SPOKESPERSON.match(text)
    if leaders_spokesperson:
        spokesperson = _spokesperson_of(leaders_spokesperson.group("leader"), context)
        if spokesperson:
            return spokesperson
    government = _LEADERS_GOVERNMENT.match(text)
    if government:
        leader = gazetteer.actor(government.group("leader"))
        country = (
            gazetteer.place(leader.affiliation) if leader and leader.kind == "person" else None
        )
        if country and country.kind == "country":
            return Speaker(country.name, f"government of {country.name}", country.name, "country")
    presidency = _presidency(text, gazetteer)
    if presidency:
        return presidency
    office = _OFFICE_OF.match(text)
    if office:
        holder = _office_holder(office, context)
        if holder:
            return holder
    titled = _BODY_TITLE.match(text)
    holder = (
        holder_of(titled.group("title").lower(), titled.group("body"), context) if titled else None
    )
    if holder:
        return holder  # "the DIU chief", "the Kremlin spokesman": the office's holder
    group = _GROUP.match(text)
    if group:
        return _group_speaker(group.group("head"), group.group("members"), gazetteer)
    relayed = re.match(r"^(?P<who>.+?)\s+(?:cited|quoted) by\s+(?P<by>.+)$", text)
    if relayed:
        label = _ARTICLE.sub("", text)
        return Speaker(
            label[0].upper() + label[1:],
            relayed.group("who").lower(),
            relayed.group("by"),
            "unnamed",
            relayed.group("who").lower().split()[-1],
        )
    spokesperson = _SPOKESPERSON_FOR.match(text)
    if spokesperson and spokesperson.group("preposition") == "to":
        # "Aides to President Zelensky" are unnamed; "Advisor to the Head of the President's
        # Office Mikhail Podolyak" is a title before a name
        spokesperson = spokesperson if spokesperson.group("head").endswith("s") else None
    if spokesperson:
        body = spokesperson.group("body")
        # "officials for U.S. President Donald Trump": the person's country
        named = trailing_name(body.split(), gazetteer)
        person = gazetteer.actor(named[1]) if named else None
        owner = gazetteer.actor(body) or gazetteer.place(body) or person
        # "sources in the Turkish Foreign Ministry": of the country the body belongs to
        affiliation = (
            getattr(owner, "affiliation", None)
            or getattr(owner, "name", "")
            or place_of(body.split(), gazetteer)
            or body
        )
        label = f"{spokesperson.group('head')} {spokesperson.group('preposition')} {body}"
        head = spokesperson.group("head").lower().split()[-1]
        return Speaker(
            f"{label[0].upper()}{label[1:]} (unnamed)", label, affiliation, "unnamed", head
        )
    located = _BODY_IN_CAPITAL.match(text)
    capital = gazetteer.place(located.group("city")) if located else None
    if located and capital and capital.kind == "country":
        # "the presidential office in Kyiv" is Ukraine's presidential office
        return resolve_speaker(f"{capital.name}'s {located.group('body')}", context)
    with_backers = _WITH_BACKERS.match(text)
    if with_backers:
        return resolve_speaker(with_backers.group("side"), context)
    if re.search(r"\bincluding\b", text):
        text = text.split("including", 1)[1].strip()
    post_title = re.match(r"^(?P<head>.*\S)\s+of\s+(?:the\s+)?(?P<place>[A-Z][\w .’'-]+)$", text)
    post_place = gazetteer.place(post_title.group("place")) if post_title else None
    if post_title and post_place:
        # "President Volodymyr Zelensky of Ukraine"; "the President of Ukraine" is the person
        # of that country the reader met, or the office holder of the day
        inner = resolve_speaker(post_title.group("head"), context)
        if inner and inner.kind == "person" and inner.affiliation == post_place.name:
            return inner
        title_words = _ARTICLE.sub("", post_title.group("head")).split()
        organisation = inner is not None and inner.kind == "organisation"
        if all(lexical(word) in TITLE_WORDS for word in title_words):
            referent = _definite_description(["the", *title_words, post_place.name], context)
            if referent or not organisation:
                return referent
        if inner and inner.kind == "person":
            return inner
        bare_name = _ARTICLE.sub("", text)
        if organisation and not gazetteer.actor(bare_name):
            # "the National Press Centre of Moldova": a body the gazetteer does not know, of
            # the country its name gives
            return Speaker(bare_name, "", post_place.name, "organisation", inner.head)
    words = text.split()
    bare = _ARTICLE.sub("", text)
    if len(words) == 2 and words[0].lower() in _DEFINITE_ARTICLES and words[1].islower():
        head = words[1]
        if head.endswith("s") and head not in GENERIC_HEADS | ORG_HEADS | _PLURAL_GROUP_WORDS:
            return None  # "the parties accused each other": no one in particular
        if head in DOCUMENT_HEADS and context.last_speaker_seen:
            return context.last_speaker_seen  # "The paper said …": its issuer
        return _anaphor(head, context) or Speaker(
            f"{head[0].upper()}{head[1:]} (unnamed)", head, "", "unnamed", head
        )
    for word in words:
        acronym = word.strip(",")
        if len(acronym) >= 2 and acronym.isupper() and acronym.isalpha():
            actor = gazetteer.actor(acronym)
            if actor and actor.kind == "organisation":  # "Ukraine's SBU security service"
                return Speaker(
                    actor.name, actor.role_on(context.day), actor.affiliation, actor.kind
                )
    for start in range(len(words)):
        candidate = " ".join(word.strip(",") for word in words[start:])
        actor = gazetteer.actor(candidate)
        if actor and (start == 0 or actor.kind == "person" or len(words) - start > 1):
            title = _title(words[:start])
            role = actor.role_on(context.day)
            if actor.kind == "person" and not role and title:
                role = title
            return Speaker(actor.name, role, actor.affiliation, actor.kind, _head(role))
    place = gazetteer.place(bare)
    if place and place.kind == "group" and last_word(bare) in _PLURAL_GROUP_WORDS:
        # "European leaders" speak as a group; the group is their affiliation.
        return Speaker(bare[0].upper() + bare[1:], bare, place.name, "group", last_word(bare))
    if place:
        kind = "country" if place.kind == "country" else "group"
        return Speaker(place.name, f"government of {place.name}", place.name, kind)
    owned = _OWNED_GROUP.match(text)
    owner = gazetteer.place(owned.group("owner")) if owned else None
    if owned and owner:
        # "NATO leaders", "G7 foreign ministers"
        label = f"{owned.group('owner')} {owned.group('head')}"
        head = owned.group("head").lower().split()[-1]
        return Speaker(label, owned.group("head").lower(), owner.name, "group", head)
    name = trailing_name(words, gazetteer)
    if name and name[1].isupper() and " " not in name[1] and name[0] > 0:
        # "Saudi Arabia's state news agency SPA": an acronym after a body's description
        return Speaker(
            name[1], _title(words[: name[0]]), place_of(words, gazetteer), "organisation"
        )
    if name:
        index, person = name
        if " " not in person:
            full = context.full_names.get(fold(person))
            actor = gazetteer.actor(full) if full else None
            if actor:
                return Speaker(actor.name, actor.role_on(context.day), actor.affiliation, "person")
            met = None if full else _met_by_a_name_not_last(person, context)
            if met:
                return met
            if full:
                person = full
            elif index == 0 and len(words) == 1 and not _looks_like_surname(person):
                return None
            elif index == 0 and len(words) == 1 and person.lower() in SENTENCE_OPENERS:
                return None  # "Those points were …", "Also on Monday, …": no one is named
        misspelt = gazetteer.misspelt_actor(person) if " " in person else None
        if misspelt:  # "Vladimir Meki": a known person's name with a letter or two wrong
            return Speaker(
                misspelt.name, misspelt.role_on(context.day), misspelt.affiliation, "person"
            )
        title = _title(words[:index])
        return Speaker(person, title, place_of(words[:index], gazetteer), "person", _head(title))
    if words[0].lower() == "the" and len(words) <= 5 and "of the" not in lowered[4:]:
        referent = _definite_description(words, context)
        if referent:
            return referent
    last = words[-1].lower().strip(",")
    if last in GENERIC_HEADS:
        label = bare[0].upper() + bare[1:]
        if words[0].lower() == "the" and len(words) <= 3:
            return _anaphor(last, context) or Speaker(
                f"{label} (unnamed)", bare, place_of(words, gazetteer), "unnamed", last
            )
        return Speaker(f"{label} (unnamed)", bare, place_of(words, gazetteer), "unnamed", last)
    if any(lexical(word) in ORG_HEADS for word in words) and any(
        word[:1].isupper() for word in words
    ):
        return _organisation(bare, gazetteer, last)
    if last in PERSON_TITLE_HEADS:
        # "Ukraine's president" may be someone already in the story; "Spain's interior
        # minister" otherwise stays an office holder the text does not name.
        referent = _definite_description(["the", *_ARTICLE.sub("", text).split()], context)
        if referent:
            return referent
        label = _owner_as_demonym(bare, gazetteer)
        return Speaker(
            f"{label[0].upper()}{label[1:]} (unnamed)",
            bare,
            place_of(words, gazetteer),
            "unnamed",
            last,
        )
    return None


# "Both leaders agreed …" after "Modi spoke with Putin": a joint statement, recorded (as the
# annotation guide does) under one of the two, the one the story met first (its protagonist)
_PAIR = re.compile(
    r"^(?:[Bb]oth(?:\s+the)?|[Tt]he\s+two)\s+(?:leaders|presidents|men|heads of state)$"
    r"|^[Tt]he\s+two$"
)


# "a statement from the Finnish presidency", "a Kremlin statement", "the ministry's statement":
# the document speaks for whoever issued it
_ISSUED_DOCUMENT = re.compile(
    r"^(?:[Aa]n?|[Tt]he)\s+(?:(?P<owner>[A-Z][^’']*?)(?:['’]s)?\s+)?(?:joint\s+|written\s+)?"
    r"(?:statement|readout|communiqu[eé]|press release|message|declaration)"
    r"(?:\s+(?:from|by|of|issued by|released by|published by)\s+(?P<issuer>.+))?$"
)


def _first_of_pair(context: Context) -> Speaker | None:
    names = [
        speaker.name
        for speaker in context.mentioned
        if speaker.kind == "person" and " " in speaker.name  # a full name, not "Alaska"
    ]
    pair = list(dict.fromkeys(reversed(names)))[:2]
    if len(pair) < 2:
        return None
    first = min(pair, key=names.index)
    return next(speaker for speaker in context.mentioned if speaker.name == first)


_BODY_IN_CAPITAL = re.compile(
    r"^(?:[Tt]he\s+)?(?P<body>(?:(?!(?i:an?|for|of|to|from|at)\s)[\w-]+\s+){0,3}(?i:ministry|office|presidency|government"
    r"|administration|parliament|cabinet|council|committee))\s+in\s+"
    r"(?P<city>[A-Z][\w’'-]+)$"
)
# "Kiev and its European supporters": the side its backers stand with speaks ("Ukraine and its
# allies" stay a coalition of their own).
_WITH_BACKERS = re.compile(
    r"^(?P<side>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?)\s+and\s+(?:its|their)\s+(?:[\w-]+\s+)?"
    r"(?:supporters|backers)$"
)
# "Chinese leader Xi Jinping’s government", "Erdogan's cabinet": the leader's country speaks.
_LEADERS_GOVERNMENT = re.compile(
    r"^(?:[\w.-]+\s+){0,4}?(?P<leader>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)['’]s\s+"
    r"(?:government|cabinet)$"
)


# "Putin's spokesman", "his press secretary": the leader's own spokesperson.
_LEADERS_SPOKESPERSON = re.compile(
    r"^(?P<leader>his|her|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?['’]s)\s+"
    r"(?:spokes(?:man|woman|person)|press secretary)$",
    re.IGNORECASE,
)
_SPOKESPERSON_ROLE = re.compile(
    r"\bspokes(?:man|woman|person)\b|\bpress secretary\b", re.IGNORECASE
)
_LEADER_ROLE = re.compile(r"\b(?:president|chancellor|prime minister)\b", re.IGNORECASE)
# Spokespeople of a ministry, service or international body speak for it, not for the leader.
_BODY_SPOKESPERSON = re.compile(
    r"\b(?:ministry|department|force|intelligence|pentagon|eu|un|secretary-general|foreign)\b",
    re.IGNORECASE,
)


def _spokesperson_of(leader: str, context: Context) -> Speaker | None:
    """The one person the gazetteer lists on the day as the spokesperson of the head of state
    or government named ("Putin's") or last met ("his")."""
    gazetteer, day = context.gazetteer, context.day
    if leader.lower() in {"his", "her"}:
        people = [context.salient, *reversed(context.mentioned)]
        actors = [gazetteer.actor(person.name) for person in people if person]
    else:
        actors = [gazetteer.actor(re.sub(r"['’]s$", "", leader))]
    owner = next(
        (
            actor
            for actor in actors
            if actor and actor.kind == "person" and _LEADER_ROLE.search(actor.role_on(day))
        ),
        None,
    )
    if not owner or not day:
        return None
    holders = [
        actor
        for actor in gazetteer.actors.values()
        if actor.kind == "person"
        and actor.affiliation == owner.affiliation
        and _SPOKESPERSON_ROLE.search(actor.held_on(day))
        and not _BODY_SPOKESPERSON.search(actor.held_on(day))
    ]
    if len(holders) != 1:
        return None
    return Speaker(
        holders[0].name, holders[0].held_on(day), owner.affiliation, "person", "spokesman"
    )


_MEMBER_OF_GROUP = re.compile(
    r"^(?:(?:one|two|some|several|another|each|most) of (?:the|these|those)\s+(?:[\w-]+\s+){0,2}"
    r"(?P<head>[a-z]+)|another(?:\s+(?:source|official|diplomat))?)$",
    re.IGNORECASE,
)


def _unnamed_group(head: str, context: Context) -> Speaker | None:
    """The unnamed speakers last quoted whose head noun is `head` (any, when it is empty)."""
    for speaker in [context.salient, *reversed(context.mentioned)]:
        if speaker and speaker.kind == "unnamed" and (not head or speaker.head == head.lower()):
            return speaker
    return None


_CHIEF_OF_STAFF = re.compile(r"^(?:[Tt]he\s+)?(?P<owner>.+?)['’]s?\s+chief of staff$")
_TOP_DIPLOMAT = re.compile(r"\b(?:top|chief) diplomat\b")
_HEAD_OF_STATE = re.compile(r"\bhead of (?:the )?state\b", re.IGNORECASE)
# "the (former) head of the Russian delegation", "the former head of the GUR": an office whose
# holder the reader has met, or the gazetteer's holder of it on the day.
_OFFICE_OF = re.compile(
    r"^(?:the\s+)?(?P<former>(?:(?:former|then|acting|current)\s+)*)"
    r"(?P<title>head|chief|director|leader|commander|spokes(?:man|woman|person)|press secretary)"
    r"\s+of\s+(?:the\s+)?(?P<body>.+)$",
    re.IGNORECASE,
)


_BODY_TITLE = re.compile(
    r"^(?:[Tt]he\s+)?(?P<body>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+"
    r"(?P<title>head|chief|director|commander|spokes(?:man|woman|person))$"
)


def _office_holder(office: re.Match[str], context: Context) -> Speaker | None:
    return holder_of(
        office.group("title").lower(),
        office.group("body").strip(" ,"),
        context,
        former=bool(office.group("former")),
    )


# "the head of the Ministry of Foreign Affairs" is the foreign minister.
_MINISTRY = re.compile(
    r"^(?:(?:the\s+)?(?:Ministry|Department)\s+(?:of|for)\s+(?:the\s+)?(?P<after>[\w ]+?)"
    r"|(?:the\s+)?(?P<before>[\w ]+?)\s+(?:Ministry|Department))$",
    re.IGNORECASE,
)


def holder_of(title: str, body: str, context: Context, *, former: bool = False) -> Speaker | None:
    """The person who holds (or held) `title` of `body` ("chief" of "the DIU"): someone the
    reader has met whose role says so, else the gazetteer's only holder of it on the day."""
    gazetteer = context.gazetteer
    owner = gazetteer.actor(body)
    owner_names = {fold(name) for name in (owner.name, *owner.aliases)} if owner else set()
    owner_names.add(fold(body))
    # "the NATO chief", "the UN chief": an international body's head is its secretary general
    titles = {title, "secretary general", "secretary-general"} if title == "chief" else {title}
    # "head of the Office" is not its "deputy head" nor the "adviser to the head of" it (nor
    # the spokesman for its secretary general)
    underling = re.compile(
        r"\b(?:deputy|vice|under|(?:adviser|advisor|aide|spokes\w+) (?:to|for) the(?: \w+)?) (?:"
        + "|".join(re.escape(name) for name in titles)
        + ")"
    )
    offices = [
        lambda role: (
            any(name in role for name in titles)
            and not underling.search(role)
            and any(name in role for name in owner_names)
        )
    ]
    ministry = _MINISTRY.match(body) if title in {"head", "chief"} else None
    if ministry:
        field_words = (ministry.group("after") or ministry.group("before")).lower()
        field_words = re.sub(r"\s*\baffairs\b", "", field_words).strip()
        portfolio = fold(f"{field_words} minister").replace("defense", "defence")
        offices.append(lambda role: portfolio in role.replace("defense", "defence"))

    def holds(actor) -> bool:
        role = fold(actor.role if former else actor.role_on(context.day))
        return any(office(role) for office in offices)

    people = [context.salient, *reversed(context.mentioned)]
    for speaker in people:
        actor = gazetteer.actor(speaker.name) if speaker and speaker.kind == "person" else None
        if actor and holds(actor):
            return speaker
    holders = [
        actor for actor in gazetteer.actors.values() if actor.kind == "person" and holds(actor)
    ]
    if len(holders) == 1 and not former:
        actor = holders[0]
        return Speaker(actor.name, actor.role_on(context.day), actor.affiliation, "person", title)
    return None


def _owner_as_demonym(text: str, gazetteer: Gazetteer) -> str:
    """ "Spain's interior minister" → "Spanish interior minister"."""
    owner = re.match(r"^(?P<place>.+?)['’]s\s+(?P<rest>.+)$", text)
    place = gazetteer.place(owner.group("place")) if owner else None
    if owner and place and place.demonyms:
        return f"{place.demonyms[0]} {owner.group('rest')}"
    return text


def lexical(word: str) -> str:
    """Lower-case word without a trailing comma or possessive ("army’s" → "army")."""
    return re.sub(r"['’]s$", "", word.strip(",").lower())


def _organisation(name: str, gazetteer: Gazetteer, head: str) -> Speaker:
    """An organisation not in the gazetteer, named as the annotation guide does: "Italy's
    health ministry" → "Italian Health Ministry"."""
    words = name.split()
    owner_end = next((i for i, word in enumerate(words[:3]) if re.search(r"['’]s$", word)), None)
    owner = (
        re.sub(r"['’]s$", "", " ".join(words[: owner_end + 1])) if owner_end is not None else None
    )
    place = gazetteer.place(owner) if owner else None
    if owner_end is not None and place:
        rest = " ".join(_title_case(word) for word in words[owner_end + 1 :])
        name = f"{place.demonyms[0]} {rest}" if place.demonyms else f"{rest} of {place.name}"
    affiliation = place.name if place else place_of(words, gazetteer) or name
    return Speaker(name, "", affiliation, "organisation", head)


def _title_case(word: str) -> str:
    if word.lower() in {"of", "the", "and", "for", "on", "in"}:
        return word.lower()
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def last_word(text: str) -> str:
    return text.split()[-1].lower() if text.split() else ""


def _looks_like_surname(word: str) -> bool:
    return len(word) > 2 and word[0].isupper() and word[1:].islower()


_OFFICE_HEADS = {"president", "minister", "chancellor"}


def _definite_description(words: list[str], context: Context) -> Speaker | None:
    """ "The head of state", "the South African president", "the Kremlin leader": someone
    already in the story whose country fits the description."""
    rest = [word.strip(",") for word in words[1:]]
    if rest and lexical(rest[-1]) in ORG_HEADS and not context.gazetteer.place(rest[-1]):
        return None  # "the Chinese Foreign Ministry" is a body, not a person met before
    places: set[str] = set()
    index = 0
    while index < len(rest):
        for size in (3, 2, 1):
            place = context.gazetteer.place(" ".join(rest[index : index + size]))
            if index + size <= len(rest) and place:
                places.add(place.name)
                index += size
                break
        else:
            if lexical(rest[index]) not in TITLE_WORDS | {"of", "the", "for"}:
                return None
            index += 1
    candidates = [context.salient] if context.salient else []
    candidates += reversed(context.mentioned)
    # "the Ukrainian president" is not the Ukrainian defence minister met just before
    office = [lexical(word) for word in rest if lexical(word) in _OFFICE_HEADS][-1:]
    for speaker in candidates:
        if (
            speaker
            and speaker.kind == "person"
            and (not places or speaker.affiliation in places)
            and all(head in speaker.role.lower() for head in office)
        ):
            return speaker
    return _office_on_the_day(rest, places, context)


def _office_on_the_day(words: list[str], places: set[str], context: Context) -> Speaker | None:
    """ "the American president" before Trump is named: whoever the gazetteer says held
    "President of the United States" on the day, when exactly one person did."""
    titles = [lexical(word) for word in words if lexical(word) in PERSON_TITLE_WORDS]
    if len(places) != 1 or not titles:
        return None
    (place,) = places
    office = re.compile(
        rf"^{re.escape(fold(' '.join(titles)))} of (?:the )?{re.escape(fold(place))}$"
    )
    holders = [
        actor
        for actor in context.gazetteer.actors.values()
        if actor.kind == "person" and office.match(fold(actor.role_on(context.day)))
    ]
    if len(holders) != 1:
        return None
    actor = holders[0]
    return Speaker(actor.name, actor.role_on(context.day), actor.affiliation, "person", titles[-1])


PERSON_TITLE_WORDS = {
    "president", "prime", "minister", "foreign", "defence", "defense", "chancellor",
    "secretary", "spokesman", "spokeswoman",
}  # fmt: skip


def _anaphor(head: str, context: Context) -> Speaker | None:
    salient = context.salient
    if salient and (salient.head == head or head in salient.role.lower()):
        return salient
    people = [speaker for speaker in context.mentioned if speaker.kind == "person"]
    if salient and salient.kind == "person" and (not people or people[-1] is salient):
        return salient
    return people[-1] if people else salient


def _group_speaker(head: str, members_text: str, gazetteer: Gazetteer) -> Speaker | None:
    parts = [part.strip() for part in re.split(r",|\band\b", members_text) if part.strip()]
    members = []
    for part in parts:
        place = gazetteer.place(part)
        if not place:
            return None
        members.append(place.name)
    shown = [f"the {name}" if name in _PLURAL_ARTICLE_NAMES else name for name in members]
    listed = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
    return Speaker(
        f"{head[0].upper()}{head[1:].lower()} of {listed}",
        head.lower(),
        "Europe" if all(name != "United States" for name in members) else ", ".join(members),
        "group",
        head.lower(),
        tuple(members),
    )


def _met_by_a_name_not_last(word: str, context: Context) -> Speaker | None:
    """ "Wang noted" after "Wang Wenbin", "Sheikh Abdullah added" after "Abdullah bin Zayed Al
    Nahyan": surname-first and given-name references name the one person already met whose
    name holds that word before its last."""
    folded = fold(word)
    people = {
        speaker.name: speaker
        for speaker in [*context.mentioned, context.salient]
        if speaker
        and speaker.kind == "person"
        and folded in (fold(part) for part in speaker.name.split()[:-1])
    }
    return next(iter(people.values())) if len(people) == 1 else None


def _title(words: list[str]) -> str:
    title = _ARTICLE.sub("", " ".join(words).strip(" ,"))
    return title[:1].upper() + title[1:] if title else ""


def _head(role: str) -> str:
    words = re.findall(r"[a-z-]+", role.lower())
    heads = [word for word in words if word in GENERIC_HEADS or word in TITLE_WORDS]
    return heads[-1] if heads else ""
