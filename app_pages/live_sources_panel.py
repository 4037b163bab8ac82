"""Not a page: the live-sources section of the Data page (coverage, refresh, upload, comparison).

Layout only; everything it shows comes from lib.sources (status, refresh, store_upload,
side_by_side) and the monthly tables app.py already holds. The Data page calls
`render(monthly_by_source)`; Refresh now and the upload are drawn only for an editor
(`editor_access`); the offline banner of the start-up fetch is `startup_notice.py`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from app_pages import editor_access
from lib import sources
from lib.markdown_text import literal
from lib.months import month_label
from lib.source_registry import LIVE_SOURCE_IDS, short_label
from lib.sources.compare import WHY_THEY_DIFFER, months_with_opposite_leaders, side_by_side
from lib.territory.upload import MAX_UPLOAD_BYTES
from lib.territory.upload import SUFFIXES as UPLOAD_SUFFIXES

# What the engine's upload check accepts, and its size limit (Streamlit's own default is 200 MB).
UPLOAD_TYPES = [suffix.removeprefix(".") for suffix in UPLOAD_SUFFIXES]
UPLOAD_LIMIT_MB = MAX_UPLOAD_BYTES // (1024 * 1024)


def render(monthly_by_source: Mapping[str, pd.DataFrame]) -> None:
    """The live-sources section; `monthly_by_source` holds each source's monthly table."""
    st.header("Live sources")
    st.write(
        "Snapshots fetched from ISW's ArcGIS services and DeepStateMap's API are cached on this "
        "server; the bundled monthly figures above do not depend on them."
    )
    coverage = st.container()
    # Both write to the cache every reader and replica sees: behind the same gate as statement
    # edits, so without an editor no write widget is drawn.
    if editor_access.editor("live_sources", what="refreshing and uploading snapshots"):
        _refresh_form()
        _upload_form()
    with coverage:  # drawn above the forms, after the refresh or upload they may have run
        _coverage()
    _comparison(monthly_by_source)


def _coverage() -> None:
    table = sources.status()
    shown = table.drop(columns=["problems"]).assign(
        problems=table["problems"].map(len),
        source=table["source"].map(short_label),
        last_refresh=pd.to_datetime(table["last_refresh"], utc=True),
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_order=[  # the long layer names last, so the counts fit at 1280 px
            "source",
            "snapshots",
            "first_date",
            "last_date",
            "age_days",
            "quarantined",
            "problems",
            "last_refresh",
            "layers",
        ],
        column_config={
            "source": "Source",
            "snapshots": st.column_config.NumberColumn("Snapshots cached"),
            "layers": "Layers measured",
            "first_date": st.column_config.DateColumn("First"),
            "last_date": st.column_config.DateColumn("Newest"),
            "age_days": st.column_config.NumberColumn("Age of newest (days)"),
            "quarantined": st.column_config.NumberColumn("Quarantined"),
            "last_refresh": st.column_config.DatetimeColumn(
                "Last refresh (UTC)", format="YYYY-MM-DD HH:mm"
            ),
            "problems": st.column_config.NumberColumn("Problems"),
        },
    )
    for row in table.itertuples(index=False):
        if row.problems:
            label = short_label(row.source)
            with st.expander(f"{label}: {len(row.problems)} problem(s)"):
                st.markdown("\n".join(f"- {literal(problem)}" for problem in row.problems))


# Session keys of the refresh form's widgets and of the refresh it started.
REFRESH_SOURCE_KEY = "live_refresh_source"
REFRESH_SINCE_KEY = "live_refresh_since"
REFRESH_JOB_KEY = "live_refresh_job"
# How often the page asks the running refresh how far it got.
REFRESH_POLL_SECONDS = 1.0


def _refresh_form() -> None:
    """Refresh now: the refresh runs in a thread (lib.sources.BackgroundRefresh) that a fragment
    polls, showing its progress and a Cancel button, then its outcome, once.

    Why not run it in the page's own script run, and cancel by interrupting that run: Streamlit
    interrupts a run at its next `st` call whatever click asked for the rerun, so a sidebar
    filter changed or a page link followed during a refresh would cut it short as silently as
    Cancel, and the page stays greyed out until the run ends. In the thread only Cancel stops
    the refresh, at a point the refresh chooses (between two snapshots, each stored whole),
    and the rest of the page stays usable; the outcome waits in the session for the next run.
    """
    job = st.session_state.get(REFRESH_JOB_KEY)
    if job is not None and job.running():
        _refresh_progress()
        return
    with st.form("live_refresh", border=True):
        left, right = st.columns(2)
        left.selectbox(
            "Source to refresh",
            ["both", *LIVE_SOURCE_IDS],
            format_func=lambda source: "Both" if source == "both" else short_label(source),
            key=REFRESH_SOURCE_KEY,
        )
        right.date_input("Only snapshots since (optional)", value=None, key=REFRESH_SINCE_KEY)
        st.form_submit_button("Refresh now", icon=":material/refresh:", on_click=_start_refresh)
    if job is not None:
        del st.session_state[REFRESH_JOB_KEY]
        _refresh_outcome(job.summary())


def _start_refresh() -> None:
    choice = st.session_state[REFRESH_SOURCE_KEY]
    source = None if choice == "both" else choice
    since = st.session_state[REFRESH_SINCE_KEY]
    st.session_state[REFRESH_JOB_KEY] = sources.BackgroundRefresh(
        lambda progress, should_stop: sources.refresh(
            source, since, progress, quick_listing=True, should_stop=should_stop
        )
    )


@st.fragment(run_every=REFRESH_POLL_SECONDS)
def _refresh_progress() -> None:
    job = st.session_state.get(REFRESH_JOB_KEY)
    if job is None or not job.running():
        st.rerun()  # the whole page: its coverage table and the refresh's outcome
    progress = job.progress
    with st.container(border=True):  # where the form was
        if progress.total:
            st.progress(
                progress.done / progress.total,
                text=f"{progress.message} ({progress.done}/{progress.total})",
            )
        else:
            st.progress(0.0, text=f"{progress.message}…")
        if job.cancel_asked:
            st.caption("Cancelling: the refresh stops once the snapshot it is fetching is stored.")
        else:
            st.button("Cancel refresh", icon=":material/cancel:", on_click=job.cancel)


def _refresh_outcome(summary: sources.RefreshSummary) -> None:
    if summary.cancelled:
        st.info(
            f"Refresh cancelled ({summary.cancelled}): {summary.line()}; the snapshots stored "
            "before the cancel are kept.",
            icon=":material/cancel:",
        )
    elif summary.unreachable:
        st.warning(
            f"Could not reach {', '.join(summary.unreachable)}; the cache is unchanged. "
            f"{summary.line().capitalize()}.",
            icon=":material/cloud_off:",
        )
    elif summary.ok:
        st.success(f"Refresh done: {summary.line()}.", icon=":material/check:")
    else:
        st.warning(f"Refresh done with problems: {summary.line()}.", icon=":material/warning:")
    if summary.problems:
        with st.expander(f"{len(summary.problems)} problem(s) in this refresh"):
            st.markdown("\n".join(f"- {literal(problem)}" for problem in summary.problems))


def _upload_form() -> None:
    with st.form("live_upload", border=True, clear_on_submit=True):
        st.write(
            "Add a snapshot: GeoJSON, KML/KMZ, a zipped Shapefile or GeoParquet of the ground "
            "Russia holds on one date. It is checked before anything is stored."
        )
        left, right = st.columns(2)
        upload = left.file_uploader(
            "Snapshot file", type=UPLOAD_TYPES, max_upload_size=UPLOAD_LIMIT_MB
        )
        date = right.date_input("Date of the snapshot", value=None)
        clicked = st.form_submit_button("Add snapshot", icon=":material/upload:")
    if not clicked:
        return
    if upload is None:
        st.warning("Choose a file to add.")
        return
    try:
        outcome = sources.store_upload(upload.getvalue(), upload.name, date=date)
    except sources.UploadError as error:
        st.error(f"Not added: {literal(error)}", icon=":material/error:")
        return
    for day, result in outcome.results.items():
        if result.outcome == "stored":
            st.success(
                f"{literal(upload.name)}: snapshot of {day} added to the {outcome.source} cache."
            )
        else:
            st.warning(
                f"{literal(upload.name)}: snapshot of {day} quarantined: {literal(result.reason)}"
            )


def _comparison(monthly_by_source: Mapping[str, pd.DataFrame]) -> None:
    st.subheader("ISW and DeepStateMap side by side")
    table = side_by_side(monthly_by_source["isw"], monthly_by_source["deepstate"])
    disagreeing = [month_label(month) for month in months_with_opposite_leaders(table)]
    st.write(
        "Net change from Russia's point of view, km², per month; the difference is "
        "DeepStateMap − ISW. "
        + (
            f"The two name different sides as ahead in {len(disagreeing)} month(s): "
            f"{', '.join(disagreeing)}."
            if disagreeing
            else "They agree on which side came out ahead in every month both cover."
        )
    )
    st.dataframe(
        table.sort_values("month", ascending=False),
        hide_index=True,
        column_order=[
            "month",
            "isw_net_change_russia_km2",
            "deepstate_net_change_russia_km2",
            "difference_km2",
            "note",
            "isw_as_of",
            "deepstate_as_of",
        ],
        column_config={
            "month": "Month",
            "isw_net_change_russia_km2": st.column_config.NumberColumn("ISW", format="%+.0f"),
            "deepstate_net_change_russia_km2": st.column_config.NumberColumn(
                "DeepStateMap", format="%+.0f"
            ),
            "difference_km2": st.column_config.NumberColumn("Difference", format="%+.0f"),
            "isw_as_of": "ISW snapshot",
            "deepstate_as_of": "DeepStateMap snapshot",
            "note": st.column_config.TextColumn("Why they differ", width="large"),
        },
    )
    st.caption(WHY_THEY_DIFFER)
