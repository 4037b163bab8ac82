"""Read a battlefield claim: whose ground, which direction, over which months, citing whom.

Rules, not a model, for the extractor's reasons: nothing is downloaded at run time, and a reader
must see what was understood. The claims worth checking against monthly figures are few in
shape: "Ukraine has retaken more territory than it has lost for two consecutive months", "Russia
captured 449 km² in May", "Russian forces lost ground since January". Anything else is reported as
not understood, with the parts that were.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

SOURCES_CITED = {
    "isw": re.compile(r"\bISW\b|Institute for the Study of War", re.I),
    "deepstate": re.compile(r"Deep\s*State(?:\s*Map)?", re.I),
}
_UKRAINE = r"(?:Ukrain(?:e|ian)s?|Kyiv(?:'s)?|Ukrainian (?:forces|troops|army))"
_RUSSIA = r"(?:Russi(?:a|an)s?|Moscow(?:'s)?|Russian (?:forces|troops|army)|the Kremlin)"
_GAIN = (
    r"(?:retak\w*|retook|regain\w*|recaptur\w*|liberat\w*|gain\w*|captur\w*|seiz\w*|"
    r"occup\w*|took|tak\w*|advanc\w*|won|win\w*)"
)
_LOSE = r"(?:los[te]\w*|ced\w*|surrender\w*|gave up|giv\w* up|retreat\w*|withdr[ae]w\w*)"
_TERRITORY = r"(?:territory|ground|land|area|square kilomet\w*|km²|km2|sq\.? ?km)"

NUMBER_KM2 = re.compile(
    r"(\d{1,3}(?:[ ,]\d{3})+|\d+(?:\.\d+)?)\s*(?:km²|km2|sq\.?\s?km|square kilomet(?:re|er)s)",
    re.I,
)
MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B"), dt.date(2000, number, 1).strftime("%b"))
}
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
COUNT_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}


@dataclass(frozen=True)
class Claim:
    """What a claim says, as far as the sentence lets a reader tell.

    `measure` is what is compared: `net` (gains minus losses of `side`), or `gained` with
    `amount_km2` (an area taken by `side`). `each_month` says the claim holds for every month
    of the period ("two consecutive months"), not only in total.
    """

    text: str
    date: dt.date
    side: str | None = None  # "ukraine" or "russia": whose ground the claim is about
    direction: str | None = None  # "ahead" (gained more than lost) or "behind"
    measure: str = "net"
    amount_km2: float | None = None
    months: tuple[str, ...] = ()
    each_month: bool = False
    period_text: str | None = None
    cited_source: str | None = None
    not_understood: tuple[str, ...] = field(default=())

    @property
    def understood(self) -> bool:
        return not self.not_understood

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "date": self.date.isoformat(),
            "side": self.side,
            "direction": self.direction,
            "measure": self.measure,
            "amount_km2": self.amount_km2,
            "period": self.period_text,
            "months": list(self.months),
            "each_month": self.each_month,
            "cited_source": self.cited_source,
            "understood": self.understood,
            "not_understood": list(self.not_understood),
        }


def parse_claim(text: str, date: dt.date) -> Claim:
    """The claim in `text`, said on `date` (periods such as "last month" count back from it)."""
    cited = next(
        (source for source, pattern in SOURCES_CITED.items() if pattern.search(text)), None
    )
    side, direction, measure, amount = _side_and_direction(text)
    months, each_month, period_text = _period(text, date)
    missing = []
    if side is None or direction is None:
        missing.append(
            "whose ground and which way it moved (e.g. 'Ukraine retook more than it lost')"
        )
    if not months:
        missing.append("the period (e.g. 'in May', 'two consecutive months', 'since January')")
    return Claim(
        text=text,
        date=date,
        side=side,
        direction=direction,
        measure=measure,
        amount_km2=amount,
        months=tuple(months),
        each_month=each_month,
        period_text=period_text,
        cited_source=cited,
        not_understood=tuple(missing),
    )


def _side_and_direction(text: str) -> tuple[str | None, str | None, str, float | None]:
    """(side, direction, measure, amount): e.g. ('ukraine', 'ahead', 'net', None)."""
    for side, subject in (("ukraine", _UKRAINE), ("russia", _RUSSIA)):
        more_than = re.search(
            rf"{subject}\b[^.;]*?\b{_GAIN}\b[^.;]*?\bmore\b[^.;]*?\bthan\b[^.;]*?\b{_LOSE}",
            text,
            re.I,
        )
        if more_than:
            return side, "ahead", "net", None
        less_than = re.search(
            rf"{subject}\b[^.;]*?\b{_LOSE}\b[^.;]*?\bmore\b[^.;]*?\bthan\b[^.;]*?\b{_GAIN}",
            text,
            re.I,
        )
        if less_than:
            return side, "behind", "net", None
        if re.search(rf"{subject}\b[^.;]*?\bnet (?:gain|advance)", text, re.I):
            return side, "ahead", "net", None
        if re.search(rf"{subject}\b[^.;]*?\bnet loss", text, re.I):
            return side, "behind", "net", None
        amount = NUMBER_KM2.search(text)
        took = re.search(rf"{subject}\b[^.;]*?\b{_GAIN}\b", text, re.I)
        if amount and took and took.start() < amount.start():
            value = float(re.sub(r"[ ,]", "", amount.group(1)))
            return side, "ahead", "gained", value
        if re.search(rf"{subject}\b[^.;]*?\b{_LOSE}\b[^.;]*?\b{_TERRITORY}", text, re.I):
            return side, "behind", "net", None
    # "Russia's gains outpaced its losses" and the like are left to the reader.
    return None, None, "net", None


def _period(text: str, date: dt.date) -> tuple[list[str], bool, str | None]:
    """(months, each_month, the words that named the period)."""
    current = pd.Period(date, freq="M")
    last_complete = current - 1
    consecutive = re.search(
        r"\b(two|three|four|five|six|\d+) (?:consecutive|straight|successive) months\b"
        r"|\bfor the (second|third|fourth|fifth|sixth) (?:consecutive |straight )?month"
        r"(?: in a row| running)?\b|\b(two|three|four|five|six|\d+) months in a row\b",
        text,
        re.I,
    )
    if consecutive:
        word = next(group for group in consecutive.groups() if group)
        count = int(word) if word.isdigit() else COUNT_WORDS[word.lower()]
        months = [str(last_complete - offset) for offset in range(count - 1, -1, -1)]
        return months, True, consecutive.group(0)
    since = re.search(rf"\bsince (?:the (?:start|beginning) of )?{_MONTH}\b(?: (\d{{4}}))?", text)
    if since:
        start = _named_month(since.group(1), since.group(2), date)
        if start is not None and start <= last_complete:
            months = [str(month) for month in pd.period_range(start, last_complete, freq="M")]
            return months, False, since.group(0)
    if re.search(r"\bthis year\b|\bso far in \d{4}\b", text, re.I):
        start = pd.Period(dt.date(date.year, 1, 1), freq="M")
        if start <= last_complete:
            months = [str(month) for month in pd.period_range(start, last_complete, freq="M")]
            return months, False, "this year"
    if re.search(r"\blast month\b|\bpast month\b|\bprevious month\b", text, re.I):
        return [str(last_complete)], False, "last month"
    span = re.search(
        rf"\b(?:from|between) {_MONTH}(?: (\d{{4}}))? (?:to|and|through) {_MONTH}"
        rf"(?: (\d{{4}}))?",
        text,
    )
    if span:
        end = _named_month(span.group(3), span.group(4), date)
        start = _named_month(span.group(1), span.group(2) or span.group(4), date)
        if start is not None and end is not None and start <= end:
            months = [str(month) for month in pd.period_range(start, end, freq="M")]
            return months, False, span.group(0)
    named = re.search(rf"\b(?:in|during|over|for) {_MONTH}(?: (\d{{4}}))?\b", text)
    if named:
        month = _named_month(named.group(1), named.group(2), date)
        if month is not None:
            return [str(month)], False, named.group(0)
    return [], False, None


def _named_month(name: str, year: str | None, date: dt.date) -> pd.Period | None:
    """A month named without a year is the latest such month on or before the statement's."""
    number = MONTH_NAMES.get(name.lower()[:3] if name.lower() == "sept" else name.lower())
    if number is None:
        return None
    if year:
        return pd.Period(dt.date(int(year), number, 1), freq="M")
    candidate_year = date.year if number <= date.month else date.year - 1
    return pd.Period(dt.date(candidate_year, number, 1), freq="M")
