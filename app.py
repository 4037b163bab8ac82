"""The app's entry point and its first page, the Overview: the focused month's figures, net gains
beside the statements, both sources' totals for the range, the focused month's statements and a
claim check. The other pages are in pages/ (Streamlit's classic multipage layout); every page
starts by drawing the shared sidebar (app_pages/view_sidebar.py)."""

import streamlit as st

from app_pages import (
    chart_focus,
    chart_touch,
    claim_check,
    diplomacy_panel,
    period_totals,
    view_sidebar,
)
from app_pages.statement_cards import CARD_SEPARATOR, statement_card
from lib import cached, charts, freshness, heap, summary
from lib import view_state as vs
from lib.months import month_label, next_month
from lib.source_registry import long_label, short_label
from lib.territory import narrative
from lib.territory.kursk import kursk_sentence

context = view_sidebar.page_context(view_sidebar.OVERVIEW)
view, choices = context.view, context.choices
range_months = vs.months_in_range(view, choices)
statements = cached.statements(
    context.database_url, view.from_month, view.to_month, view.stances, view.actors
)
today = freshness.today_utc()


CHART_KEY = "net_gains"
LAST_CLICKED_KEY = "net_gains_last_clicked"


def focus_clicked_month() -> None:
    """Make the clicked month the focused one (the sidebar widget, hence the URL, follows).

    The chart stays the same element across month changes, so Plotly keeps its selection: a
    click on the month it last selected deselects it, which arrives as an empty selection and
    means that month again."""
    month = charts.selected_month(st.session_state[CHART_KEY].selection.points)
    if month is None:
        month = st.session_state.get(LAST_CLICKED_KEY)
    st.session_state[LAST_CLICKED_KEY] = month
    if month in range_months:
        st.session_state[vs.MONTH_KEY] = month


if view.focused_month is None:
    st.error(f"No monthly figures for {long_label(view.source)}: run `make data`.")
    st.stop()

focused_label = month_label(view.focused_month)
source_label = short_label(view.source)
age = freshness.figures_as_of(view.source, context.monthly, today)


def km2(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} km²"


line = narrative.headline(context.monthly, view.focused_month)
st.header(f"{focused_label}: territory and talks")
st.caption(
    f"{context.figures_label} · {age} · "
    f"{month_label(range_months[0])}–{month_label(range_months[-1])} · "
    "click a month on the chart to focus it"
)
if line is None:
    others = [
        short_label(source)
        for source, other in context.monthly_by_source.items()
        if source != view.source and narrative.headline(other, view.focused_month) is not None
    ]
    st.info(
        f"No {source_label} figures yet for {focused_label}: {age}."
        + (
            f" {' and '.join(others)} has figures for it (choose it as the territory source, "
            "or see the totals below)."
            if others
            else ""
        ),
        icon=":material/hourglass_empty:",
    )
else:
    with st.container(horizontal=True, gap="medium"):
        st.metric("Gained by Russia", km2(line.gained_by_russia_km2), width="content")
        st.metric("Regained by Ukraine", km2(line.regained_by_ukraine_km2), width="content")
        net_value = None if line.net_change_russia_km2 is None else abs(line.net_change_russia_km2)
        st.metric(narrative.net_label(line.net_change_russia_km2), km2(net_value), width="content")
    sentences = narrative.streak_sentences(context.monthly, view.focused_month)
    if sentences:
        st.markdown("\n".join(f"- {sentence}" for sentence in sentences))
    kursk = kursk_sentence(context.monthly, view.focused_month)
    if kursk:
        st.caption(kursk)
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

disagreements, totals = cached.comparison(cached.bundled_signatures(), tuple(range_months))
with chart_focus.focus_band_chart("net_gains"):
    st.plotly_chart(
        cached.net_gains_figure(
            view.source,
            view.counting,
            cached.bundled_signature(view.source, view.counting),
            context.database_url,
            view.from_month,
            view.to_month,
            view.stances,
            view.actors,
            tuple(range_months),
            view.scale,
        ),
        key=CHART_KEY,
        on_select=focus_clicked_month,
        selection_mode="points",
        config={"displayModeBar": False, "scrollZoom": False},
        theme=None,
    )
with st.sidebar:  # where the scripts' empty elements add no gap
    chart_touch.adapt_charts_to_touch()
    chart_focus.mark_focused_month(view.focused_month)
diplomacy_panel.render(range_months)

if view.to_month == choices.months(view.source)[-1]:
    later = cached.statements(
        context.database_url, next_month(view.to_month), None, view.stances, view.actors
    )
    if len(later):
        st.caption(
            f"{len(later)} more statement(s) date from after {month_label(view.to_month)}, "
            "the latest month with figures: see the Statements page."
        )

period_totals.render(totals, range_months, disagreements, today)

st.subheader(f"Statements in {focused_label}")
month_statements = summary.statements_in_month(statements, view.focused_month)
if month_statements.empty:
    st.write("No statements recorded for this month with the current filters.")
else:
    st.caption(
        f"{len(month_statements)} statement{'s' if len(month_statements) != 1 else ''}; "
        "on the chart, one marker per stance and month (its size and hover give the count)."
    )
    cards = []
    for record in month_statements.to_dict("records"):
        checked = claim_check.statement_verdicts(record)
        verdicts = "" if checked is None else claim_check.verdicts_markdown(*checked)
        cards.append(statement_card(record, verdicts))
    with st.container(height=520 if len(month_statements) > 4 else "content", border=True):
        st.markdown(CARD_SEPARATOR.join(cards))

claim_check.check_a_claim_box(today)

if line is not None:
    held = "—" if line.held_by_russia_km2 is None else f"{line.held_by_russia_km2:,.0f} km²"
    st.caption(
        f"{focused_label}: snapshots {line.start_snapshot or '—'} → {line.end_snapshot or '—'}; "
        f"area held by Russia at the end of the month: {held}. "
        "How these figures are computed: see Data & method."
    )
# After the page's first complete run: what is alive now lives as long as the server (lib/heap.py).
heap.freeze_long_lived_objects()
