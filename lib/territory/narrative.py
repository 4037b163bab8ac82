"""The monthly narrative: headline figures for a focused month and the sentences computed from the
monthly table, and each source's coverage.

Everything here is derived from the `monthly` frame (one row per month, figures from Russia's
point of view: `net_change_russia_km2 = gained_by_russia_km2 − regained_by_ukraine_km2`); no
sentence is written by hand for a particular month.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from lib.months import month_label


@dataclass(frozen=True)
class Headline:
    """The focused month's figures in km²; None where the month has no snapshots (a gap)."""

    month: str
    gained_by_russia_km2: float | None
    regained_by_ukraine_km2: float | None
    net_change_russia_km2: float | None
    held_by_russia_km2: float | None
    status: str
    as_of: str | None
    start_snapshot: str | None
    end_snapshot: str | None


def headline(monthly: pd.DataFrame, month: str) -> Headline | None:
    """The row of `month` as a Headline, or None when the month is not in the table."""
    rows = monthly[monthly["month"] == month]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Headline(
        month=month,
        gained_by_russia_km2=_number(row.get("gained_by_russia_km2")),
        regained_by_ukraine_km2=_number(row.get("regained_by_ukraine_km2")),
        net_change_russia_km2=_number(row.get("net_change_russia_km2")),
        held_by_russia_km2=_number(row.get("held_by_russia_km2")),
        status=str(row.get("status") or "ok"),
        as_of=_text(row.get("as_of")),
        start_snapshot=_text(row.get("start_snapshot")),
        end_snapshot=_text(row.get("end_snapshot")),
    )


def net_in_words(net_change_russia_km2: float | None) -> str:
    """Which side the net favours, in words: "Russia +330 km²", "Ukraine +80 km²", "no change"."""
    if net_change_russia_km2 is None:
        return "no figures (gap)"
    rounded = round(net_change_russia_km2)
    if rounded > 0:
        return f"Russia +{rounded:,} km²"
    if rounded < 0:
        return f"Ukraine +{-rounded:,} km²"
    return "no net change"


def net_label(net_change_russia_km2: float | None) -> str:
    """A label for the size of the net: which side came out ahead ("Net: Russia ahead")."""
    sign = _sign(net_change_russia_km2)
    if net_change_russia_km2 is None:
        return "Net change"
    if sign == 0:
        return "Net: no change"
    return "Net: Russia ahead" if sign > 0 else "Net: Ukraine ahead"


def streak_sentences(monthly: pd.DataFrame, month: str) -> list[str]:
    """Sentences on the run of months that ends at `month`, computed from the net figures.

    A run counts consecutive months in which the same side came out ahead; a month without
    figures (a gap) or with no net change ends it. Also says when the month breaks a longer
    opposite run, and when its net is the largest for that side in a while.
    """
    ordered = monthly.sort_values("month").reset_index(drop=True)
    positions = ordered.index[ordered["month"] == month]
    if len(positions) == 0:
        return []
    position = int(positions[0])
    signs = [_sign(_number(value)) for value in ordered["net_change_russia_km2"]]
    sign = signs[position]
    if sign == 0:
        return []
    side = _side_sentence(sign)
    length = _run_length(signs, position, sign)
    start_month = ordered["month"].iloc[position - length + 1]
    sentences: list[str] = []
    if length > 1:
        sentences.append(
            f"{side} for {length} consecutive months "
            f"({month_label(start_month)}–{month_label(month)})."
        )
    else:
        sentences.append(f"{side} in {month_label(month)}.")
        previous_position = position - 1
        if previous_position >= 0 and signs[previous_position] == -sign:
            previous_length = _run_length(signs, previous_position, -sign)
            if previous_length > 1:
                sentences.append(
                    f"That ends a run of {previous_length} months in which {_side_sentence(-sign)}."
                )
        earlier_same = [index for index in range(previous_position, -1, -1) if signs[index] == sign]
        if earlier_same and position - earlier_same[0] > 2:
            sentences.append(
                f"The first such month since {month_label(ordered['month'].iloc[earlier_same[0]])}."
            )
    sentences.extend(_record_sentence(ordered, position, sign))
    return sentences


def coverage(monthly_by_source: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per source: months covered, how many are complete, partial or gaps, and the as-of
    date and provenance of its figures."""
    rows = []
    for source, monthly in monthly_by_source.items():
        statuses = monthly["status"] if "status" in monthly else pd.Series(dtype=str)
        rows.append(
            {
                "source": source,
                "first_month": monthly["month"].min() if len(monthly) else None,
                "last_month": monthly["month"].max() if len(monthly) else None,
                "months": len(monthly),
                "complete_months": int((statuses == "ok").sum()),
                "partial_months": int((statuses == "partial").sum()),
                "gap_months": int((statuses == "gap").sum()),
                "as_of": _latest(monthly, "as_of"),
                "layer_recipe": _distinct_text(monthly, "layer_recipe"),
                "engine_version": _distinct_text(monthly, "engine_version"),
                "attribution": _distinct_text(monthly, "attribution"),
            }
        )
    return pd.DataFrame(rows)


def incomplete_months(monthly: pd.DataFrame) -> pd.DataFrame:
    """The months whose figures are partial or missing, with the snapshots that bound them."""
    if "status" not in monthly:
        return monthly.iloc[0:0]
    return monthly[monthly["status"] != "ok"]


def _latest(frame: pd.DataFrame, column: str) -> str | None:
    if column not in frame:
        return None
    values = frame[column].dropna()
    return str(values.max()) if len(values) else None


def _distinct_text(frame: pd.DataFrame, column: str) -> str | None:
    if column not in frame:
        return None
    values = sorted({str(value) for value in frame[column].dropna()})
    return "; ".join(values) or None


def _record_sentence(ordered: pd.DataFrame, position: int, sign: int) -> list[str]:
    nets = [_number(value) for value in ordered["net_change_russia_km2"]]
    current = nets[position]
    if current is None or position == 0:
        return []
    owner = "Russia" if sign > 0 else "Ukraine"
    magnitude = abs(current)
    for index in range(position - 1, -1, -1):
        other = nets[index]
        if other is not None and _sign(other) == sign and abs(other) >= magnitude:
            gap = position - index
            if gap <= 3:
                return []
            return [
                f"{owner}'s largest monthly net gain since "
                f"{month_label(ordered['month'].iloc[index])} ({net_in_words(other)})."
            ]
    first = month_label(ordered["month"].iloc[0])
    return [f"{owner}'s largest monthly net gain in the figures (since {first})."]


def _run_length(signs: list[int], position: int, sign: int) -> int:
    length = 0
    while position - length >= 0 and signs[position - length] == sign:
        length += 1
    return length


def _side_sentence(sign: int) -> str:
    if sign > 0:
        return "Russia gained more ground than it lost"
    return "Ukraine regained more ground than it lost"


def _sign(value: float | None) -> int:
    if value is None or round(value) == 0:
        return 0
    return 1 if value > 0 else -1


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: object) -> str | None:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    text = str(value)
    return text or None
