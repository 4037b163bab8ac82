"""The Overview's period totals: both sources' km² over the range, side by side, with the months
each lacks and where they disagree. Not a page: a helper the Overview calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import streamlit as st

from lib.freshness import age_in_words
from lib.months import month_label
from lib.source_registry import short_label
from lib.territory import narrative
from lib.territory.totals import PeriodTotal


def totals_markdown(totals: Sequence[PeriodTotal], today: dt.date) -> str:
    """A markdown table, one column per source: gained, regained, net, the months with and
    without figures, and the as-of date with its age."""

    def km2(value: float | None) -> str:
        return "—" if value is None else f"{value:,.0f} km²"

    def months_text(months: Sequence[str]) -> str:
        return ", ".join(month_label(month) for month in months) or "none"

    rows = {
        "Gained by Russia": [km2(total.gained_by_russia_km2) for total in totals],
        "Regained by Ukraine": [km2(total.regained_by_ukraine_km2) for total in totals],
        "Net": [
            "—"
            if total.net_change_russia_km2 is None
            else narrative.net_in_words(total.net_change_russia_km2)
            for total in totals
        ],
        "Months with figures": [
            f"{len(total.months_with_figures)} of {len(total.months)}"
            + (f" ({months_text(total.partial_months)} partial)" if total.partial_months else "")
            for total in totals
        ],
        "Months without figures": [months_text(total.missing_months) for total in totals],
        "Figures as of": [
            "—"
            if total.as_of is None
            else f"{total.as_of:%Y-%m-%d} ({age_in_words(total.as_of, today)})"
            for total in totals
        ],
    }
    header = "| | " + " | ".join(short_label(total.source) for total in totals) + " |"
    lines = [header, "|---|" + "---|" * len(totals)]
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows.items()]
    return "\n".join(lines)


def render(
    totals: Sequence[PeriodTotal],
    range_months: Sequence[str],
    disagreements: Mapping[str, str],
    today: dt.date,
) -> None:
    """The range's totals of every source (`lib.territory.totals.period_totals`) side by side,
    then the months in which the sources disagree on who came out ahead."""
    if not range_months:
        return
    span = month_label(range_months[0])
    if len(range_months) > 1:
        span += f"–{month_label(range_months[-1])}"
    st.subheader(f"Totals, {span}: both sources")
    st.markdown(totals_markdown(totals, today))
    notes = [
        "Sums over the months with figures; a month without figures is left out, never "
        "counted as zero (the sums then cover fewer months)."
    ]
    if disagreements:
        notes.append(
            "The sources disagree on who came out ahead in "
            + "; ".join(
                f"{month_label(month)} ({sentence})" for month, sentence in disagreements.items()
            )
            + ": ◇ on the chart."
        )
    st.caption(" ".join(notes))
