"""Data & method: sources and snapshots in use, coverage and gaps, how figures are computed."""

import pandas as pd
import streamlit as st

from app_pages import live_sources_panel, view_sidebar
from lib import charts, freshness, territory
from lib import view_state as vs
from lib.months import month_label
from lib.source_registry import long_label
from lib.territory import countings, narrative, reconcile

context = view_sidebar.page_context(view_sidebar.DATA)
view = context.view

st.title("Data & method")

st.header("Sources in use")
coverage = narrative.coverage(context.monthly_by_source)
st.write(
    f"The charts use **{long_label(view.source)}** (change it in the sidebar). "
    "Both sources' figures are bundled with the app in `data/monthly_<source>.csv`, computed "
    "from archived control-of-terrain snapshots; each is labelled with the date of its latest "
    "snapshot (as of)."
)
st.dataframe(
    coverage,
    hide_index=True,
    column_config={
        "source": "Source",
        "first_month": "First month",
        "last_month": "Last month",
        "months": st.column_config.NumberColumn("Months"),
        "complete_months": st.column_config.NumberColumn("Complete"),
        "partial_months": st.column_config.NumberColumn("Partial"),
        "gap_months": st.column_config.NumberColumn("Gaps"),
        "as_of": "Figures as of",
        "layer_recipe": "Layers used",
        "engine_version": "Engine",
        "attribution": st.column_config.TextColumn("Attribution", width="large"),
    },
)
st.caption(
    " · ".join(
        freshness.figures_as_of(source, monthly)
        for source, monthly in context.monthly_by_source.items()
    )
)

st.subheader("How the figures are counted")
st.markdown(
    f"""
The charts count **{countings.LABELS[view.counting]}** (change it in the sidebar; the link
keeps it).
- **Ground in Ukraine only** (default): each source's layers of Russian-held ground in Ukraine.
- **With Kursk oblast** (ISW): the change of the Ukrainian salient in Kursk oblast is counted
  too, as ISW's own monthly counts do: ground Russia retook there is added to its gains, the
  salient's growth to Ukraine's. It is measured on ISW's line of the Ukrainian advance in the
  same weekly maps (2024-08-11 to 2025-06-29); before them there was no salient, after them it
  is held at its last mapped extent (8 km²). The area held by Russia stays its ground in Ukraine.
- **With ISW's claimed layer** (as AFP counts) is not offered: {countings.CLAIMED_NOT_BUNDLED}.
"""
)

st.header("Coverage and gaps")
incomplete = narrative.incomplete_months(context.monthly)
if incomplete.empty:
    st.write(f"Every month of {long_label(view.source)} has a snapshot at both ends.")
else:
    st.write(
        f"{len(incomplete)} month(s) of {long_label(view.source)} are not complete. "
        "A **partial** month's window misses more than 7 days of it; a "
        "**gap** lacks a snapshot at one end and has no figures."
    )
    st.dataframe(
        incomplete[["month", "status", "start_snapshot", "end_snapshot"]],
        hide_index=True,
        column_config={
            "month": "Month",
            "status": "Status",
            "start_snapshot": st.column_config.DateColumn("Start snapshot"),
            "end_snapshot": st.column_config.DateColumn("End snapshot (as of)"),
        },
    )
focused = context.monthly[context.monthly["month"] == view.focused_month]
if not focused.empty:
    st.caption(
        f"{month_label(view.focused_month)} compares the snapshots "
        f"{reconcile.window_text(focused.iloc[0])} ({focused.iloc[0]['status']})."
    )

st.subheader("Published figures beside the app's")
try:
    published = reconcile.compare_published(
        reconcile.read_published(), context.monthly_by_source, context.counted_monthly
    )
except (FileNotFoundError, ValueError) as problem:
    st.warning(f"Published figures unavailable: {problem}")
    published = pd.DataFrame(columns=reconcile.COMPARISON_COLUMNS)
shown = published[published["month"].isin(vs.months_in_range(view, context.choices))]
st.write(
    "What DeepStateMap, AFP and ISW published for a month, the app's net change for the same "
    "source and month, and why they differ. Each is compared with the app's figures counted as "
    "nearly as the publisher counts (*App counting*): ISW's own counts include Kursk oblast, so "
    "they meet the ISW figures with Kursk counted; AFP's totals are of Ukrainian ground (with "
    "ISW's claimed layer, which the bundled figures lack) and DeepStateMap's of its occupied "
    "ground in Ukraine, so they meet the default figures, whatever the sidebar's counting."
)
st.dataframe(
    shown.drop(columns=["app_gained_km2", "app_regained_km2"]),
    hide_index=True,
    column_config={
        "published_km2": st.column_config.NumberColumn("Published km²", format="%.0f"),
        "app_counting": "App counting",
        "app_net_km2": st.column_config.NumberColumn("App net km²", format="%.0f"),
        "difference_km2": st.column_config.NumberColumn("Difference km²", format="%+.0f"),
        "difference_percent": st.column_config.NumberColumn("Difference %", format="%+.1f"),
        "reason": st.column_config.TextColumn("Why they differ", width="large"),
        "url": st.column_config.LinkColumn("Report"),
    },
)

st.subheader("Area held by Russia")
st.plotly_chart(charts.held_area(context.monthly), config={"displayModeBar": False}, theme=None)
st.caption(
    f"{context.figures_label}, at the end of each month, as of "
    f"{narrative.coverage({view.source: context.monthly}).iloc[0]['as_of']}. "
    "Includes Crimea and the parts of Donetsk and Luhansk held before 2022."
)

live_sources_panel.render(context.monthly_by_source)

st.header("How the figures are computed")
st.markdown(
    f"""
- **Snapshots.** Each source publishes maps of the ground Russia holds. For every snapshot date
  the layers of the source's recipe are merged (dissolved) into one shape, so overlapping layers
  are never counted twice, and repaired where invalid.
- **Areas** are measured in an equal-area projection centred on Ukraine
  (`{territory.EQUAL_AREA_CRS}`): areas in degrees are meaningless, and this projection keeps
  square kilometres true across the front.
- **A month** compares two snapshots: those nearest the ends of the previous month (start) and
  of the month itself (end); a snapshot taken up to two days after a month's last day, such as
  DeepStateMap's first-of-month snapshot, stands for that month's end. *Gained by Russia* is the
  area held at the end but not at the start; *regained by Ukraine* is the area held at the start
  but not at the end; the **net change** is gained − regained, from Russia's point of view (a
  negative net means Ukraine came out ahead), so the nets add up to the change in held area.
  *Held by Russia* is the area of the end snapshot. A month is **partial** when its window misses
  more than 7 days of the month, and a **gap** when a snapshot is missing at one end
  (its figures are empty, never zero). The *as of* date is the end snapshot's date.
- **Streaks** on the Overview are counted over consecutive months in which the same side came out
  ahead; a gap month ends a streak.
- **Statements** come from the statements store (newsroom-entered or imported, each with its
  source link); their stance is an editor's reading of the quote.
"""
)

st.header("Downloads")
range_months = vs.months_in_range(view, context.choices)
in_range = context.monthly[context.monthly["month"].isin(range_months)]
table_name = (
    view.source if view.counting == vs.DEFAULT_COUNTING else f"{view.source}_{view.counting}"
)
left, right = st.columns(2)
left.download_button(
    f"Monthly table, {month_label(range_months[0])}–{month_label(range_months[-1])} (CSV)"
    if range_months
    else "Monthly table (CSV)",
    in_range.to_csv(index=False),
    file_name=f"monthly_{table_name}_{view.from_month}_{view.to_month}.csv",
    mime="text/csv",
    icon="⬇️",
)
right.download_button(
    f"Whole monthly table, {table_name} (CSV)",
    context.monthly.to_csv(index=False),
    file_name=f"monthly_{table_name}.csv",
    mime="text/csv",
    icon="⬇️",
)
