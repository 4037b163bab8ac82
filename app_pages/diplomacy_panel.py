"""The Overview's diplomacy series: GDELT's monthly coverage of negotiations, under the
territorial chart on the same months, with GDELT's citation. Read from the cache the feeds'
refresh writes; never mixed into the statements."""

import streamlit as st

from app_pages import chart_focus
from lib import cached, diplomacy_chart, feeds


def render(months: list[str]) -> None:
    path = feeds.series_path()
    series = cached.diplomacy_series(str(path), cached.file_signature(path))
    if series is None:
        st.caption(
            "GDELT's monthly coverage of negotiations is not fetched yet: "
            "`python -m lib.feeds refresh --feed gdelt` caches it."
        )
        return
    with chart_focus.focus_band_chart("diplomacy_series"):
        st.plotly_chart(
            diplomacy_chart.diplomacy_volume(series, months),
            key="diplomacy_series",
            config={"displayModeBar": False, "scrollZoom": False},
            theme=None,
        )
    covered = series[series["month"].isin(months)]
    st.caption(
        f"{feeds.CITATION}. Articles matching a query on talks, ceasefire and peace plans about "
        f"Ukraine, counted by machine ({len(covered)} of {len(months)} months in view; fetched "
        f"{series['fetched_on'].iloc[-1]}): how intense the coverage was, not what was said. "
        "It is never added to the statements."
    )
