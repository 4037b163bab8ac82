"""The words and patterns the rule engine reads news copy with: reporting verbs, participles,
function words, and the regular expressions for datelines, labels and set phrases.

All lower case unless a pattern says otherwise; tokens are compared by `Token.lower`.
"""

from __future__ import annotations

import re

REPORTING_VERBS = {
    "said", "says", "say", "told", "tells", "tell", "added", "adds", "stated", "states",
    "expressed", "announced", "announces", "declared", "declares", "warned", "warns", "warn",
    "cautioned", "cautions",
    "insisted", "insists", "argued", "argues", "stressed", "stresses", "emphasised",
    "emphasized", "emphasises", "emphasizes", "noted", "notes", "suggested", "suggests",
    "suggest", "claimed", "claims",
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
    "recalled", "recalls", "remarked", "commented", "observed", "specified", "clarified",
    "affirmed", "reaffirmed", "complained", "lamented", "characterised", "characterized",
    "floated", "questioned", "objected", "retorted", "acknowledges", "admits", "convinced",
    "issued", "denounced", "denounces", "offering", "concerned", "written", "hopes", "hoped",
    "briefed", "cited", "brushed", "summarised", "summarized", "continued", "went", "made",
    "spoke", "voiced", "assured", "confident", "doubts", "doubted", "demand",
}  # fmt: skip


PARTICIPLES = {
    "saying", "adding", "arguing", "stressing", "explaining", "noting", "insisting", "warning",
    "claiming", "urging", "emphasising", "emphasizing", "describing", "suggesting", "accusing",
    "vowing", "pledging", "calling", "underlining", "asserting", "telling", "thanking",
    "declaring",
}  # fmt: skip


# Verbs that only report speech after a subject that can speak (so "Moscow expects" counts
# but "the two neighbours had agreed" inside a quote's content does not).
WEAK_VERBS = {
    "say", "warn", "suggest", "claim", "urge", "pledge", "reject", "welcome", "believe",
    "assess", "expect", "think", "expects", "believes", "thinks", "reckons", "agreed", "agrees",
    "accepted", "accepts", "named", "called", "calls", "described", "describes", "welcomed",
    "hopes", "hoped",
}  # fmt: skip


SKIP_BEFORE_VERB = {
    "also", "recently", "later", "then", "now", "reportedly", "earlier", "again", "further",
    "publicly", "previously", "repeatedly", "separately", "once", "had", "has", "have", "was",
    "is", "would", "will", "already", "personally", "himself", "herself", "themselves",
    "openly", "privately", "flatly", "firmly", "however", "too", "swiftly", "quickly", "only",
    "today", "yesterday", "tonight", "on", "last", "this", "evening", "morning",
    "afternoon", "night", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "hours", "days", "weeks", "ago", "late", "early", "in", "the", "day", "long",
    "always", "often", "consistently", "afterwards", "afterward", "subsequently", "immediately",
    "since",
}  # fmt: skip


CLAUSE_OPENERS = {
    "that", "after", "and", "but", "although", "though", "while", "as", "when", "because",
    "since", "if", "whether", "so", "yet", "where", "especially", "even", "before", "once",
    "until",
}  # fmt: skip


SUBORDINATE = CLAUSE_OPENERS - {"and", "but", "yet", "so"}


NP_CONNECTORS = {"of", "the", "for", "a", "an", "by", "cited", "quoted", "including", "and"}


PREPOSITIONS = {
    "on", "in", "at", "after", "before", "during", "following", "against", "despite", "opening",
    "speaking", "asked", "with", "amid", "addressing", "writing", "closing", "from",
}  # fmt: skip


TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
    "afternoon", "evening", "night", "later", "earlier", "hours", "minutes", "days", "weeks",
    "ago", "last", "this", "late", "early", "same", "day", "shortly", "then", "now",
    "meanwhile", "separately", "today", "yesterday", "tonight",
}  # fmt: skip


GROUP_HEADS = {"leaders", "heads", "presidents", "governments", "ministers"}


TOLD_OBJECTS = {
    "reporters", "journalists", "lawmakers", "parliament", "the", "a", "an", "state", "media",
    "television", "tv", "news", "agency", "conference", "press", "briefing", "delegations",
    "two", "his", "her", "their", "counterpart", "counterparts", "crowd", "audience", "allies",
    "leaders", "gathering", "summit", "meeting", "interviewer", "broadcaster", "newspaper",
    "channel", "website", "outlet", "public", "nation", "forum", "participants", "students",
    "state-owned", "state-run", "official", "daily", "magazine", "radio", "service", "wire",
}  # fmt: skip


OBJECT_VERBS = {
    "announced", "proposed", "offered", "called", "described", "welcomed", "dismissed",
    "condemned", "accused", "presented", "unveiled", "outlined", "rejected", "praised",
    "criticised", "criticized", "hailed", "invited", "urged", "call", "thanked", "disputed",
}  # fmt: skip


MODALS = {"would", "will", "could", "can", "had", "has", "was", "is", "were", "are", "should"}


OBJECT_PREPOSITIONS = {
    "with", "to", "by", "alongside", "for", "of", "from", "between", "against", "and", "or",
    "than", "like", "toward", "towards", "on", "at", "in", "about", "into", "over", "via", "as",
}  # fmt: skip


CONDITIONAL_OPENING = re.compile(
    r"^(?:as soon as|as long as|only if|only when|only once|if|once|unless|should|provided"
    r"|until)\b",
    re.IGNORECASE,
)


NEGATIONS = {"not", "n't", "never", "no", "nor"}


CONNECTORS_AT_END = CLAUSE_OPENERS | {"with", "especially", "even", ",", "–", "—", "-", ";"}


TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-'’]\w+)*|[^\w\s]")


OPEN_QUOTES = {"“", '"'}
# «…» quotations (Russian and European outlets) are read as “…”: one character for one, so the
# offsets into the text stay the same.
GUILLEMETS_AS_QUOTES = str.maketrans({"«": "“", "»": "”"})


CLOSE_QUOTES = {"”", '"'}


# 'We are committed,' Peskov said.: single marks used as quotation marks (British and some wire
# reprints). An opening mark follows a line start, space or bracket and comes before a letter;
# a closing one follows a letter or punctuation and comes before a space, punctuation or the
# line end, so "That's" and "Putin's" stay apostrophes.
SINGLE_QUOTATION = re.compile(
    r"(?<![^\s(\[—–-])['‘](?=[A-Za-z0-9])(?P<inner>[^'‘’\n]*?(?:['’]\w[^'‘’\n]*?)*?)"
    r"(?<=[\w.,!?…])['’](?=[\s.,;:!?)\]—–-]|$)",
    re.MULTILINE,
)


# "MOSCOW (Reuters) – ", "KYIV, May 15 (Wire) - ", and the other shapes wire copy opens with:
# "MOSCOW, March 22. /TASS/. ", "ISTANBUL. March 29 (Interfax) - ", "KYIV, Ukraine: ",
# "March 29, 2022 (EIRNS)—".
DATELINE = re.compile(
    r"^[A-Z][A-Z/ .'-]{2,}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]*\))?\s*[-–—]\s+"
    r"|^[A-Z]{3,}(?:[/ ][A-Z]{3,})*[.,]\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?\.?\s*"
    r"(?:/[A-Z]+/\.?|\([^)]*\)\s*[-–—])\s*"
    r"|^[A-Z]{3,}(?:[/ ][A-Z]{3,})*,\s+[A-Z][a-z]+:\s+"
    r"|^[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}\s*(?:\([^)]*\))?\s*[-–—]\s*"
    # "BÜRGENSTOCK, Switzerland — ": a place in capitals (any alphabet's), then its country
    r"|^[^\W\d_a-z]{3,}(?:[ -][^\W\d_a-z]{3,})*,\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*[-–—]\s+"
)


DATELINE_PLACE = re.compile(r"^([A-Z][A-Z .'/-]{2,}?)\s*(?:,|—|–|-\s|\()")


LABEL = re.compile(r"^(?:Details|Background|Context|Update|UPDATE|Reminder)\s*:\s*")


QUOTE_FROM = re.compile(r"^Quote(?:\s+from\s+(?P<who>[^:]+?))?\s*:\s*")


# "His impression is that …", "Moscow's position remains that …": a view stated as its owner's
VIEW_IS_THAT = re.compile(
    r"^(?P<owner>His|Her|Their|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}['’]s?)\s+"
    r"(?:view|position|impression|belief|assessment|stance|understanding|conviction)\s+"
    r"(?:is|was|remains|remained)\s+that\s+"
)
# "According to Peskov, …", and the same source put as "In his words, …", "In Peskov's view, …"
ACCORDING_START = re.compile(
    r"^(?:According to (?P<who>[^,]+)|In (?P<owner>his|her|their"
    r"|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?['’]s?)\s+"
    r"(?:words|view|opinion|assessment|estimation)),\s*"
)


# '"…," the BBC quoted a Ukrainian official as saying.' / 'Reuters cited X as saying that …'
QUOTED_AS_SAYING = re.compile(
    r"^(?P<relay>.*?)\s*\b(?:quoted|cited)\s+(?!by\b)(?P<who>[^,;“”\"]+?)\s+as\s+(?:saying|stating)\b"
    r"[,:]?\s*(?:that\s+)?(?P<content>.*?)\s*$",
    re.DOTALL,
)
# "…, Kremlin spokesman Dmitry Peskov was quoted as saying on Friday.": the clause before is his.
QUOTED_AS_SAYING_END = re.compile(
    r"^(?P<content>.{20,}?),\s+(?P<who>[^,;“”\"]{2,80}?)\s+(?:was|were|has been|had been)\s+"
    r"(?:quoted|cited)\s+(?:by\s+[^,;]{2,60}?\s+)?as\s+(?:saying|stating)"
    r"(?:\s+(?:on|last|late on|early on)\s+[A-Z][a-z]+)?(?:,?\s+(?:by|according to)\s+[^.,;]+)?"
    r"\s*\.?\s*$",
    re.DOTALL,
)
# "…, Reuters and AFP reported, citing the Turkish foreign ministry.": the cited body speaks.
CITING_END = re.compile(
    r"^(?P<content>.+?),\s+(?P<relay>[^,]{2,60}?)\s+(?:reported|reports|said|says|wrote|writes)"
    r"\s*,\s+citing\s+(?P<who>[^,.;]+?)\s*\.?\s*$",
    re.DOTALL,
)


# "…, he added.": a pronoun attribution closing the sentence points back at the last speaker,
# not at a person the sentence itself names as its subject.
TRAILING_PRONOUN_ATTRIBUTION = re.compile(
    r",\s+(?:he|she)\s+(?:\w+ly\s+)?(?:said|added|stressed|noted|says|adds|explained|insisted"
    r"|emphasi[sz]ed|continued)\b[^,;]{0,40}\.?\s*$"
)
# "according to President Zelensky on Telegram", "… a source speaking to Reuters": where the
# words appeared, or whom they were told to, is not the speaker.
SPEAKER_VENUE = re.compile(
    r"\s+(?:(?:on|in|via)\s+(?:Telegram|X|Facebook|Twitter|Instagram|Truth Social|his|her|their"
    r"|an?|the)|(?:speaking|talking|who spoke|who talked)\s+(?:to|with))\b.*$",
    re.DOTALL,
)


# "…, according to General Valery Gerasimov, Chief of the General Staff.": the title or the
# who-clause in apposition after the source closes the sentence too
ACCORDING_END = re.compile(
    r",?\s*according to (?P<who>[^,.]+?)(?:,\s+(?:who |which )[^,;“”\"]*"
    r"|,\s+(?:the |an? )?[A-Z][\w’'-]*(?:\s+(?:of|the|and|for|[A-Z][\w’'-]*))*)?[.]?$"
)


TIME_AFTER_VERB = re.compile(
    r"^(?:\s*(?:on|last|this|late on|early on|late|early)?\s*"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\s*(?:later|earlier) (?:in|on) the day"
    r"|\s*(?:recently|again|also|publicly|today|yesterday))\b"
    r"(?![’'])",  # "said Tuesday's talks aim …": the day belongs to the content
)


MEDIA = {
    "reuters", "ap", "afp", "associated press", "tass", "ria novosti", "ria", "interfax",
    "bloomberg", "cnn", "bbc", "cbs", "cbs news", "nbc", "abc", "fox news", "axios", "politico",
    "the washington post", "washington post", "the new york times", "new york times",
    "financial times", "the wall street journal", "wall street journal", "the guardian", "dpa",
    "anadolu", "ukrinform", "ukrainska pravda", "the kyiv independent", "kyiv independent",
    "kommersant", "izvestia", "rbc", "the economist", "le monde", "der spiegel", "bild",
}  # fmt: skip


# "… in a televised address on Thursday": where or how something was said, not what.
CIRCUMSTANCE_ONLY = re.compile(
    r"(?:in|on|at|during|via|through|from|to) (?:a |an |the |his |her |their )?[\w -]{0,40}?"
    r"(?:address|statement|interview|briefing|conference|post|video|message|speech|remarks"
    r"|telegram|x|facebook|television|tv|channel|meeting|ceremony|summit|forum|reporters"
    r"|journalists)\b(?:\s+(?:in|at|on|to|from|with|before|after)\b[^,;]{0,80})?"
    r"(?:,? according to [\w .]+)?"
)


BARE_QUOTATION = re.compile(r"\s*(?:[“\"][^”\"]+[”\"]|“[^”\"]+)\s*\.?\s*")


APPEAL_QUOTE = re.compile(r":\s*(?P<quote>[“\"][^”\"]+[”\"])\s*$")


# "declined to provide any specifics": an omission, not a refusal of its own
_OMISSION = r"(?:provide|give|comment|elaborate|specify|detail|disclose|reveal|name|explain)\b"
NEGATIVE_TURN = re.compile(
    r"(?:(?:did not|didn't|would not) (?:\w+ly )?(?:accept|agree|support|back|endorse|recogni[sz]e"
    rf"|rule|sign|join|negotiate|discuss|meet|say)|(?:refused|declined) to(?! {_OMISSION})"
    r"|rejected|ruled out)\b"
)


# "… was open to talks but was not ready to back the plan": a refusal joined by a bare "but".
NOT_READY = re.compile(r"(?:was|were|is|are) not (?:yet )?(?:ready|willing|prepared) to\b")


# ", and Washington has lifted …" (a clause with its own subject) or ", but gave no answer …"
# (a contrasting predicate) ends the statement before it.
NEW_CLAUSE = re.compile(
    r",\s+(?:and|but|while)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+"
    r"(?:has|have|had|was|were|is|are|will|would|could|did)\b"
    r"|,\s+but\s+(?:gave|did|made|took|left|went|declined|refused|failed|stopped|offered)\b"
    r"|,\s+(?:after|following|amid|despite|during|before)\s"
)


RELAY_POSSESSIVE = re.compile(r"^(?:his|her|their|its)\s+\w+$", re.IGNORECASE)

# "… is a ceasefire. - President Zelenskyy said on his social media page.": unquoted speech
# closed by its attribution after a dash.
DASH_ATTRIBUTION = re.compile(
    r"^(?P<content>.+?)\s+[-–—]\s+(?P<who>(?:[\w’'.-]+\s+){0,6}?[\w’'.-]+)\s+"
    r"(?P<verb>said|says|noted|notes|stressed|stresses|emphasi[sz]ed|wrote|writes|added|adds"
    r"|stated|states|told|declared|explained)\b"
    r"(?:\s+(?:on|in|at|to|during|via|from|after|before)\b[^.,;\"“”]{0,50})?\s*\.?\s*$",
    re.DOTALL,
)
# "… have brought about the greatest progress so far, said Turkish Minister of Foreign Affairs
# Mevlut Cavusoglu, as quoted by Reuters.": unquoted speech (or a quote run into it) closed by
# an inverted attribution; the outlet that relayed it is not the speaker.
INVERTED_AFTER_PROSE = re.compile(
    r"^(?P<content>.{20,}?)[,”\"]+\s+(?P<verb>said|says|informed the public|told reporters"
    r"|told journalists|noted|notes|added|adds|stressed|stresses|stated|states|explained)\s+"
    # the speaker, with a title in lower case before the name ("said spokesperson Dmitry Peskov")
    r"(?P<who>(?:(?:[A-Z][\w’'.-]*|of|the|for|and|spokes(?:man|woman|person)|adviser|aide"
    r"|envoy|minister|president|secretary|chief|head|official)\s+){0,9}[A-Z][\w’'-]+)"
    # "…, noted the head of the office, Andriy Yermak, at the annual meeting": the name in
    # apposition to the title, and the occasion after it
    r"(?:,\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})(?=,|\s*\.?\s*$),?)?"
    r"(?:\s+(?:on|late on|early on|last)\s+[A-Z][a-z]+day|\s+(?:yesterday|today|earlier|later))?"
    r"(?:,?\s+(?:at|during|after|following|speaking at)\s+(?:the|a|an|his|her)\s[^“”\"]+?)?"
    # "…, added Guterres, who travelled from Moldova for the visit."
    r"(?:,\s+(?:who|whose)\s[^“”\"]+?)?"
    r"(?:,\s+(?:as quoted by|quoted by|citing|according to|as reported by|reports?|reported)"
    r"\s+[^.,;]+)?\s*\.?\s*$",
    re.DOTALL,
)
# "President Trump announced the following:" on a line of its own: the next paragraph is the
# speaker's text (a post or statement quoted in full).
INTRODUCES_TEXT = re.compile(
    r"^\s*(?:[A-Z][\w’' ]{2,40},\s+)?"  # "In addition to this, …"
    r"(?P<who>(?:[Tt]he\s+)?[A-Z][\w’'. -]{2,80}?|he|she)\s+"
    r"(?:announced|wrote|posted|stated|declared|said|added|noted|stressed|emphasi[sz]ed"
    r"|explained|continued|went on|told (?:reporters|journalists|the press"
    r"|[A-Z][\w.]+(?:\s+[A-Z][\w.]+){0,2}))"
    r"(?:\s+(?:the following|on [\w ]{2,30}))?\s*:\s*$"
)
# '"…," Pace said Koff said.': a garbled attribution (two unknown names, two verbs).
GARBLED_ATTRIBUTION = re.compile(
    r"[”\"]\s*,?\s*(?P<first>[A-Z][\w’'-]+) said (?P<second>[A-Z][\w’'-]+) said\.?\s*$"
)
# An embedded post's signature closing its paragraph: "… — Volodymyr Zelenskyy / Володимир
# Зеленський (@ZelenskyyUa) May 11, 2025".
SIGNED_POST = re.compile(
    r"\s+[—–-]\s+(?P<who>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){1,3})\s*(?:/[^(\n]*)?"
    r"\(@\w+\)[^\n]*$"
)
# "This was stated by Kirill Budanov, …": the speaker of the sentence before.
STATED_BY = re.compile(
    r"^(?:This|That|It|Th(?:is|e) statement(?: [\w ]{0,40}?)?"
    r"|The (?:\w+ ){0,2}(?:visit|meeting|talks|trip|call|news|information|decision))\s+"
    r"(?:was|were|has been|had been)\s+"
    r"(?P<verb>stated|said|announced|written|declared|made|noted|reported|confirmed)\s+by\s+"
    r"(?P<who>.+?)(?:,\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}))?"
    r"(?=,|\s+(?:in|on|at|during|to|via|after)\s|[.]?$)"
)
# A page's date stamp glued to the first paragraph (" date 2025-07-01 Statements by …").
DATE_STAMP = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s+")
# "… the latest statement by US Special Envoy Witkoff that a summit is possible": words
# reported as a noun with their speaker.
STATEMENT_BY = re.compile(
    r"\b(?:statements?|remarks?|words|claims?|comments?|assertions?|announcement)\s+by\s+"
    r"(?P<who>[^,;“”\"]+?)\s+that\s+(?P<content>[^“”\"]+?)\s*\.?$"
    # "Kuleba's caveat was that …": the view named as a noun of its holder
    r"|^(?P<owner>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)['’]s\s+(?:caveat|position|message|view"
    r"|argument|point|condition|demand|warning|answer|reply|response)\s+(?:was|is)\s+that\s+"
    r"(?P<owned>[^“”\"]+?)\s*\.?$"
    # "a recent call by Ukraine's Vladimir Zelensky for a three-way meeting with …"
    r"|\b(?:call|calls|appeal|demand|proposal)\s+by\s+(?P<caller>[^,;“”\"]+?)\s+for\s+"
    r"(?P<called>[^“”\"]+?)\s*\.?$"
)
# An interviewer's question inside a quoted interview: "[Do you have something to push?]".
INTERVIEW_QUESTION = re.compile(r"\[[^\]]{3,200}\?\]")
# A capitalised name, one word or more, as a mention of someone known ("Trump’s message").
MENTION = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|von|der|de|bin|al))*")
POSSESSIVE_END = re.compile(r"['’]s$")
# What may follow "…, Medinsky said" without being the statement: "as the talks' round ended",
# "in Istanbul on Tuesday", "after the session".
TRAILING_CIRCUMSTANCE = re.compile(
    r"(?:(?:as|when|after|before|while|once) (?:[\w’'-]+ ){0,6}[\w’'-]+"
    r"|(?:(?:in|on|at|from|after|during|late on|early on) (?:the )?[A-Z0-9][\w’'-]*"
    r"(?: [A-Z0-9][\w’'-]*)*\s*)+)"
)
# What may follow "…, Peskov said" besides new content: a day, then the occasion or the relay
# ("on April 15, according to TASS", "during a press conference following …", "answering a
# question about …").
TRAILING_ADJUNCT = re.compile(
    r"(?:(?:on|last|this|late on|early on) (?:[A-Z]\w+|\d+)(?: \d+)?,?\s*)?"
    r"(?:(?:last|this|earlier this|late last|early last) (?:week|month|year)\b,?\s*)?"
    r"(?:(?:during|following|answering|responding|replying|reacting|referring|speaking"
    r"|commenting|addressing|according to|in response to|in reaction to|in an interview"
    r"|in a (?:statement|post|video|speech|(?:phone |telephone )?(?:conversation|call))"
    # "…, the Kremlin said without providing details", "…, X said, citing …", "…, X confirmed,
    # as reported by TASS"
    r"|without|citing|as (?:reported|quoted|cited) by)\b.*)?",
    re.DOTALL,
)
# "says according to Reuters that …", "said, citing sources, that …": a relay before the content
RELAY_BEFORE_THAT = re.compile(
    r",?\s*(?:according to|citing|as reported by|as quoted by|quoted by)\s+[^,.;“”\"]{1,60}?,?"
    r"\s+that\s+",
    re.IGNORECASE,
)
# "…, reports AFP", "…, Reuters reported": the outlet that relays the words closing the span
TRAILING_RELAY = re.compile(
    r",\s*(?:(?:reports?|reported|writes|wrote)\s+(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}"
    r"|(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}\s+(?:reports?|reported))"
    r"(?:\s+(?:on|last)\s+[A-Z][a-z]+|\s+(?:today|yesterday|earlier))?[.,]?\s*$"  # "… on Monday"
)
# "X said this in an interview": the words were in the sentences before.
REFERS_BACK = re.compile(
    r"(?:this|that|so)\b(?:\s+(?:today|yesterday|tonight|earlier|later|again|too|also)\b)?"
    r"(?:,?\s+[A-Z][a-z]+ \d{1,2},?)?(?:\s+(?:on|in|at|during|to|when|while)\b.*)?\W*$"
    r"|(?:a |an |its |his |her |their )?(?:comments?|statement) (?:on|about|regarding)\b"
)
SPOKESPERSON_ROLE = re.compile(r"\bspokes(?:man|woman|person)\b|\bpress secretary\b")
# A list item: "▪ We see Turkey as …", "• …", "- …".
BULLET = re.compile(r"\s*[▪•·◦‣∙*–-]\s+")
# A finite verb in the present or future: how a translated report goes on in the speaker's
# words ("The talks should continue."), where the reporter's own narration is in the past.
REPORTED_TENSE = re.compile(r"\b(?:is|are|will|should|must|can|cannot|needs?|wants?|remains?)\b")
# Words of a reporter's sentence (who said what, what became known), not of the speaker's.
NARRATION = re.compile(
    r"\b(?:[Rr]eports?|[Aa]ccording to|stated|said|says|specif\w*|known|told|sources?|"
    r"[Mm]eanwhile|[Ee]arlier|[Ll]ater)\b"
)
FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Uu]s|I|[Mm]y|[Mm]e)\b")
# "First outcomes … were announced by David Arakhamia, …": who speaks in what follows.
ANNOUNCED_BY = re.compile(
    r"\b(?:was|were)\s+(?:announced|presented|outlined|set out|made public|listed)\s+by\s+"
    r"(?P<who>[^,.;]+)"
)
# ", which Kiev rejected": the other side's answer inside a report of a demand or offer.
REJOINDER = re.compile(
    r",\s+(?P<reply>which\s+(?P<who>Kyiv|Kiev|Moscow|Ukraine|Russia|Washington|the Kremlin"
    r"|Beijing|Brussels)\s+(?:(?:has|had|swiftly|promptly|flatly|quickly|immediately)\s+)?"
    r"(?P<verb>rejected|refused|dismissed|accepted|welcomed|denied|ruled out)\b[^,;]*)"
)
# A title-case label of two to six words run into the first sentence with a colon.
KICKER = re.compile(r"^(?P<words>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){1,5}):\s+(?=[A-Z])")
# "Putin made two conditions to stop the war." followed by "First, …" "Second, …": a list of
# points with no verb of saying, announced as its speaker's.
LIST_INTRO = re.compile(
    r"^(?P<who>[^,;“”\"]+?)\s+(?:has\s+|have\s+|had\s+)?(?:made|set|set out|laid out|named|listed"
    r"|outlined|put forward|presented|gave|stated|announced)\s+(?:two|three|four|five|several"
    r"|a number of|\d)\s+(?:key\s+|main\s+|basic\s+)?(?:conditions|preconditions|demands"
    r"|points|requirements|terms|proposals|steps)\b"
)
ORDINAL_OPENER = re.compile(
    r"^(?:First|Second|Third|Fourth|Fifth|Firstly|Secondly|Thirdly|Finally|Lastly)\b,?\s"
)
# An interview set out as questions and answers: "Q: …" / "Question: …" lines are the
# interviewer's; "A: …", "Answer: …" or "Kuleba: …" after them are the interviewee's.
INTERVIEW_LINE = re.compile(
    r"\s*(?:(?P<question>Q|Question|Interviewer)|(?P<answer>A|Answer)"
    r"|(?P<who>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,2}))\s*:\s+(?=\S)"
)
