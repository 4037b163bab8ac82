"""The app's entry point and its first page, the Overview: the focused month's figures, net gains
beside the statements, and its statements. The other pages are in pages/ (Streamlit's classic
multipage layout); every page starts by drawing the shared sidebar (app_pages/view_sidebar.py)."""

from functools import partial

import streamlit as st

from app_pages import diplomacy_panel, view_sidebar
from app_pages.statement_cards import statement_card
from lib import cached, charts, summary
from lib import view_state as vs
from lib.months import month_label, next_month
from lib.source_registry import long_label
from lib.territory import narrative

context = view_sidebar.page_context(view_sidebar.OVERVIEW)
view, choices = context.view, context.choices
range_months = vs.months_in_range(view, choices)
monthly = context.monthly[context.monthly["month"].isin(range_months)]
statements = cached.statements(
    context.database_url, view.from_month, view.to_month, view.stances, view.actors
)


def focus_clicked_month(chart_key: str) -> None:
    """Make the clicked month the focused one (the sidebar widget, hence the URL, follows)."""
    month = charts.selected_month(st.session_state[chart_key].selection.points)
    if month in range_months:
        st.session_state[vs.MONTH_KEY] = month


if view.focused_month is None:
    st.error(f"No monthly figures for {long_label(view.source)}: run `make data`.")
    st.stop()

focused_label = month_label(view.focused_month)


def km2(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} km²"


line = narrative.headline(context.monthly, view.focused_month)
as_of = context.monthly["as_of"].dropna().max()
st.header(f"{focused_label}: territory and talks")
st.caption(
    f"{long_label(view.source)} · bundled figures as of {as_of} · "
    f"{month_label(range_months[0])}–{month_label(range_months[-1])} · "
    "click a month on the chart to focus it"
)
with st.container(horizontal=True, gap="medium"):
    st.metric("Gained by Russia", km2(line.gained_by_russia_km2), width="content")
    st.metric("Regained by Ukraine", km2(line.regained_by_ukraine_km2), width="content")
    net_value = None if line.net_change_russia_km2 is None else abs(line.net_change_russia_km2)
    st.metric(narrative.net_label(line.net_change_russia_km2), km2(net_value), width="content")
sentences = narrative.streak_sentences(context.monthly, view.focused_month)
if sentences:
    st.markdown("\n".join(f"- {sentence}" for sentence in sentences))
if line.status != "ok":
    st.info(
        f"{focused_label} is a {line.status} month: "
        + (
            "no snapshot falls in it, so it has no figures."
            if line.status == "gap"
            else f"its figures run from the snapshot of {line.start_snapshot} "
            f"to that of {line.end_snapshot} only."
        )
    )

chart_key = f"net_gains_{view.focused_month}"
st.plotly_chart(
    charts.net_gains(monthly, statements, focused_month=view.focused_month),
    key=chart_key,
    on_select=partial(focus_clicked_month, chart_key),
    selection_mode="points",
    config={"displayModeBar": False, "scrollZoom": False},
    theme=None,
)
diplomacy_panel.render(range_months, view.focused_month)

all_months = context.choices.months(view.source)
if view.to_month == all_months[-1]:
    later = cached.statements(
        context.database_url, next_month(view.to_month), None, view.stances, view.actors
    )
    if len(later):
        st.caption(
            f"{len(later)} more statement(s) date from after {month_label(view.to_month)}, "
            "the latest month with figures from this source: see the Statements page."
        )

st.subheader(f"Statements in {focused_label}")
month_statements = summary.statements_in_month(statements, view.focused_month)
if month_statements.empty:
    st.write("No statements recorded for this month with the current filters.")
else:
    with st.container(height=520 if len(month_statements) > 4 else "content"):
        for record in month_statements.to_dict("records"):
            st.container(border=True).markdown(statement_card(record))

held = "—" if line.held_by_russia_km2 is None else f"{line.held_by_russia_km2:,.0f} km²"
st.caption(
    f"{focused_label}: snapshots {line.start_snapshot or '—'} → {line.end_snapshot or '—'}; "
    f"area held by Russia at the end of the month: {held}. "
    "How these figures are computed: see Data & method."
)
