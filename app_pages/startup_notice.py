"""The offline banner app.py shows on every page: the outcome of the server's start-up fetch.

A UI helper beside the pages, not a page: app.py draws it above whichever page runs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import cached, freshness, sources
from lib.markdown_text import literal
from lib.source_registry import LIVE_SOURCE_IDS, short_label


def startup_notice(shown_source: str, shown_monthly: pd.DataFrame) -> None:
    """Outcome of the server's start-up try at recent data of the default source: while it runs,
    a line saying so; when offline, a banner naming the bundled figures in view (`shown_source`,
    with their as-of date) and a Retry button, until a refresh reaches the live source (an
    upload is no sign of being online)."""
    source = LIVE_SOURCE_IDS[0]
    label = short_label(source)
    attempt = cached.startup_attempt(source)
    if not attempt.done():
        st.caption(f"Looking for recent {label} snapshots in the background…")
        return
    failure = attempt.exception()
    outcome = None if failure else attempt.result()
    if failure is None and (outcome is None or not outcome.unreachable):
        return
    if sources.last_refresh_reached(source):  # a refresh since then got through
        return
    as_of = freshness.as_of_date(shown_monthly)
    shown_label = short_label(shown_source)
    # Not the name of the source tried: the banner is about the figures in view, whichever.
    reason = (
        f"the start-up fetch failed ({literal(failure)})"
        if failure
        else "the start-up check for live data got no answer"
    )
    notice, retry = st.columns([6, 1], vertical_alignment="center")
    notice.warning(
        f"Offline: {reason}; showing the bundled {shown_label} figures"
        + (f" as of {as_of}." if as_of else "."),
        icon=":material/cloud_off:",
    )
    if retry.button("Retry", key="live_sources_startup_retry", icon=":material/refresh:"):
        cached.retry_startup_attempt()
        st.rerun()
