"""Article layout: which lines are body prose, which are page furniture, which are teasers.

Pasted or fetched articles keep the clutter of the page they came from: advertisement slots,
"Read also" links, teaser blocks for other stories ("Related Topics", "Most read"), bylines and
correction boilerplate. Statements are only looked for in prose lines, and prose that belongs to a
teaser is marked so that its statements come out off-topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

BODY = "body"
TEASER = "teaser"
HEADLINE = "headline"
HEADING = "heading"
NOISE = "noise"

_NOISE_LINE = re.compile(
    r"""^(?:
        (?:advertisement|advert|sponsored(?:\ content)?|promoted|ad)\W*$
      | (?:read|see|watch|listen)\ (?:also|more)\b
      | also\ read\b
      | (?:reporting|writing|editing|additional\ reporting|compiled)\ by\b
      | by\ [A-Z][^.]{0,80}$
      | (?:subscribe|sign\ up|follow\ us|share\ this)\b
      | .*\b(?:suggest\ a\ correction|report\ an\ error|spotted\ a\ (?:mistake|typo)
             |highlight\ the\ text\ and\ press|become\ a\ member|our\ newsletter
             |all\ rights\ reserved|cookie)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_TEASER_MARKER = re.compile(
    r"""^(?:related(?:\ (?:topics|news|stories|articles|coverage|content))?
      | (?:read|see)\ (?:more|also)
      | most\ (?:read|popular|viewed|shared)
      | popular(?:\ now)?
      | trending(?:\ now)?
      | recommended(?:\ for\ you)?
      | (?:more|other)\ (?:stories|news|topics(?:\ of\ interest)?|from\ [\w\ ]+
                          |on\ this\ (?:story|topic))
      | also\ read | don['’]t\ miss | must\ read | popular\ (?:now|stories) | news\ feed
      | recommended\ (?:stories|articles|reading) | top\ news | what\ else\ to\ read
      | you\ (?:may|might)\ also\ (?:like|be\ interested\ in)
      | (?:read|up)\ next
      | top\ stories
      | latest(?:\ news)?
      | editor['’]s\ picks?
      | what\ to\ read\ next
    )\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A card for another story in a list of teasers: its summary cut off with an ellipsis and
# followed by the section's name ("… said on Saturday that Chechen fighters had ... World
# News"). (A headline glued to the summary, "KadyrovRamzan", is no sign on its own: brand names
# such as "YouTube" look the same.)
_TEASER_CARD = re.compile(r"(?:\.\.\.|…)\s*[A-Z][\w&]*(?:\s+[A-Z][\w&]*){0,2}\s*$")
# A prose line ends as a sentence does; headlines, section heads and bylines do not.
# (a closing bracket counts: "… the parade in Moscow. [Victory Day is … – ed.]")
_SENTENCE_END = re.compile(r"[.!?…][\"“”’)\]]*\s*$|[\"”]\s*$")  # "…!!!“": a mistyped close
_PIPE_META = re.compile(r"\s\|\s")
# A long paragraph cut off mid-sentence (the end of an excerpt) is still prose: it holds a
# finished sentence before the cut, which a headline never does.
_CUT_OFF_LENGTH = 120
_TRUNCATED_LAST_LINE_WORDS = 15
_INTRODUCTION_WORDS = 8

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_FULL_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_NAMES})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_NAMES})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Line:
    """One non-blank line of the article, with its offsets into the text and its kind."""

    start: int
    end: int
    kind: str
    block: int  # lines of one teaser share a block number; body lines have block 0


def classify_lines(text: str) -> list[Line]:
    """Label every non-blank line as headline, heading, noise, body or teaser prose.

    A teaser starts at a marker line ("Related Topics", "Most read"...) or at the heading just
    before one; it holds the headings that follow and the first prose line after them, after
    which the article resumes (as in the seed, where a teaser interrupts the body) — unless
    another headline follows directly, as in a list of teasers.
    """
    raw = _join_wrapped_lines(text, [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)])
    raw = [(start, end) for start, end in raw if text[start:end].strip()]
    lines: list[Line] = []
    in_teaser = False
    teaser_block = 0
    for index, (start, end) in enumerate(raw):
        content = text[start:end].strip()
        # an excerpt that ends mid-sentence: a long last line right after the body is body too
        truncated_end = (
            index == len(raw) - 1
            and bool(lines)
            and lines[-1].kind == BODY
            and len(content.split()) >= _TRUNCATED_LAST_LINE_WORDS
        )
        is_prose = bool(
            _SENTENCE_END.search(content)
            or _cut_off_prose(content)
            or truncated_end
            or _introduces_quotation(content)
            or (index > 0 and _attributed_standfirst(content))
            or (index > 0 and _long_sentence_case(content))
        ) and not _PIPE_META.search(content)
        if index == 0 and not is_prose and len(raw) > 1:
            kind = HEADLINE
        elif _TEASER_MARKER.match(content):
            in_teaser = True
            teaser_block += 1
            adjacent = bool(lines) and text[lines[-1].end : start].count("\n") == 1
            if adjacent and lines[-1].kind == HEADING:
                lines[-1] = Line(lines[-1].start, lines[-1].end, TEASER, teaser_block)
            kind = NOISE
        elif _NOISE_LINE.match(content) or _PIPE_META.search(content):
            kind = NOISE
        elif is_prose and _TEASER_CARD.search(content):
            teaser_block += 1
            lines.append(Line(start, end, TEASER, teaser_block))
            continue
        elif not is_prose:
            follows_teaser = (
                bool(lines)
                and lines[-1].kind == TEASER
                and text[lines[-1].end : start].count("\n") == 1
            )
            in_teaser = in_teaser or follows_teaser
            kind = TEASER if in_teaser else HEADING
        elif in_teaser:
            kind = TEASER
            in_teaser = False
            lines.append(Line(start, end, kind, teaser_block))
            continue
        else:
            kind = BODY
        lines.append(Line(start, end, kind, teaser_block if kind == TEASER else 0))
    return _cut_cards_as_teasers(text, lines, teaser_block)


# "… Trump says sweeping secondary tariffs will..." / "… suggested by the American..": a summary
# cut off mid-sentence by an ellipsis, as lists of other stories show them.
_CUT_SUMMARY = re.compile(r"(?:\w|[—–-])\s?(?:\.{2,3}|…)\s*$")


def _cut_cards_as_teasers(text: str, lines: list[Line], teaser_block: int) -> list[Line]:
    """Two or more body paragraphs in a row, each cut off by an ellipsis, are a list of teaser
    cards for other stories (one alone may be the excerpt's own cut-off end)."""
    cut = [
        line.kind == BODY and bool(_CUT_SUMMARY.search(text[line.start : line.end]))
        for line in lines
    ]
    result = list(lines)
    index = 0
    while index < len(lines):
        run_end = index
        while run_end < len(lines) and cut[run_end]:
            run_end += 1
        if run_end - index >= 2:
            for position in range(index, run_end):
                teaser_block += 1
                line = lines[position]
                result[position] = Line(line.start, line.end, TEASER, teaser_block)
        index = max(run_end, index + 1)
    return result


# Some pages come with hard line breaks inside sentences ("…begins really withdrawing\ntroops
# and…"): a line followed by one that starts in lower case, or a long line that stops
# mid-sentence followed by another long line or a sentence's end, continues on the next line
# (never across a blank line, never into the headline).
_WRAPPED_LINE_LENGTH = 90


def _introduces_quotation(content: str) -> bool:
    """ "Trump says that he is optimistic about a ceasefire:" a sentence that hands over to the
    quotation on the next line (a heading with a colon is short)."""
    return content.endswith(":") and len(content.split()) >= _INTRODUCTION_WORDS


# "Moscow and Kiev must agree on the memorandum before ceasefire talks can take place, Dmitry
# Peskov has said": a standfirst under the headline, reported speech without its full stop.
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:[A-Z][\w’'.-]*\s+){1,4}(?:has said|have said|said|says|told [a-z]+)$"
)
_STANDFIRST_WORDS = 12


def _attributed_standfirst(content: str) -> bool:
    return len(content.split()) >= _STANDFIRST_WORDS and bool(_TRAILING_ATTRIBUTION.search(content))


# "Zelensky hailed the diplomatic success of the event, … with a just and lasting": a paragraph
# the excerpt cut off before its full stop is still prose when it is long and in sentence case
# (headings are short, and long headlines capitalise their words).
_LONG_PROSE_WORDS = 20


def _long_sentence_case(content: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", content)
    lower = sum(word[0].islower() for word in words)
    return len(content.split()) >= _LONG_PROSE_WORDS and lower > len(words) / 2


def _cut_off_prose(content: str) -> bool:
    return len(content) >= _CUT_OFF_LENGTH and bool(_BOUNDARY.search(content))


def _join_wrapped_lines(text: str, raw: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(raw):
        if index > 1 and start == raw[index - 1][1] + 1:
            previous = text[raw[index - 1][0] : raw[index - 1][1]].rstrip()
            following = text[start:end].strip()
            if following[:1].islower() or (
                _cut_long(previous)
                and not _attributed_standfirst(previous)
                and (len(following) >= _WRAPPED_LINE_LENGTH or _SENTENCE_END.search(following))
            ):
                joined[-1] = (joined[-1][0], end)
                continue
        joined.append((start, end))
    return joined


def _cut_long(line: str) -> bool:
    """A long line that stops in the middle of a sentence, after a word."""
    return (
        len(line) >= _WRAPPED_LINE_LENGTH and line[-1:].isalnum() and not _SENTENCE_END.search(line)
    )


def published_from_text(text: str) -> date | None:
    """The first full calendar date in the article's first lines (byline or dateline), if any."""
    head = "\n".join(text.splitlines()[:4])
    for match in _FULL_DATE.finditer(head):
        parsed = _date_from_match(match)
        if parsed:
            return parsed
    return None


def _date_from_match(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    try:
        if groups["y3"]:
            return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
        if groups["y1"]:
            return date(int(groups["y1"]), _MONTHS[groups["m1"].lower()], int(groups["d1"]))
        return date(int(groups["y2"]), _MONTHS[groups["m2"].lower()], int(groups["d2"]))
    except ValueError:
        return None


def month_number(name: str) -> int | None:
    """1–12 for an English month name or abbreviation, else None."""
    return _MONTHS.get(name.lower().rstrip("."))


MONTH_NAMES_PATTERN = _MONTH_NAMES

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "st",
    "no",
    "prof",
    "sen",
    "rep",
    "gov",
    "adm",
    "jr",
    "sr",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
# A quotation left open runs to the end of its paragraph (news copy opens each paragraph of a
# long quotation and closes only the last); one opened with a curly mark and never closed with
# one ends at a straight mark (“… integrity," Yermak told …: the page mixed its typography).
# A straight mark after a comma or full stop and before a space closes a curly quotation
# ("“… a certain country," he said. “This is …”"): the next curly mark opens another.
_QUOTED = re.compile(
    r"“(?:[^”\"]|(?<![,.!?])\"|\"(?!\s))*”|\"[^\"]*\"|“[^”\"]*\"|“[^”]*$|\"[^\"]*$"
)
# A sentence also ends where a page lost the space after the full stop ("he said.Russia was").
_BOUNDARY = re.compile(
    r"[.!?…][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[a-z]{2})[.!?][”’]?(?=[\"“‘']?[A-Z][a-z])"
)


def quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets (including the marks) of the quotations between start and end."""
    return [(start + m.start(), start + m.end()) for m in _QUOTED.finditer(text[start:end])]


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence offsets within one prose line; never splits inside a quotation or after
    an abbreviation or initial ("U.S.", "Gen.", "A. Smith")."""
    quotes = quoted_spans(text, start, end)
    sentences: list[tuple[int, int]] = []
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.start() + 1
        if any(q_start < stop < q_end - 1 for q_start, q_end in quotes):
            continue
        word = re.search(r"(\w+)$", text[sentence_start : match.start()])
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            continue
        closing = len(match.group(0).rstrip()) + match.start()
        sentences.append((sentence_start, closing))
        sentence_start = match.end()
    if sentence_start < end:
        sentences.append((sentence_start, end))
    return sentences
