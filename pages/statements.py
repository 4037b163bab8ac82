"""Statements: the whole table with search and the sidebar filters, full quotes of the rows picked,
CSV download, editors' tools (in statement_editor.py)."""

import streamlit as st

from app_pages import claim_check, statement_editor, view_sidebar
from app_pages.statement_cards import statement_card
from lib import cached, heap, summary
from lib import statements as store
from lib import view_state as vs
from lib.markdown_text import literal
from lib.months import month_label

context = view_sidebar.page_context(view_sidebar.STATEMENTS)
view = context.view

st.title("Statements")
statement_editor.show_last_change()
from_month, to_month = vs.statement_range(view, context.choices)
if from_month and to_month:
    range_text = f"{month_label(from_month)}–{month_label(to_month)}"
elif from_month:
    range_text = f"from {month_label(from_month)}"
elif to_month:
    range_text = f"up to {month_label(to_month)}"
else:
    range_text = "all dates"
filters = [range_text]
if view.stances:
    filters.append("stances: " + ", ".join(view.stances))
if view.actors:
    filters.append("actors: " + literal(", ".join(view.actors)))
st.caption("Sidebar filters: " + " · ".join(filters))

st.text_input(
    "Search quotes, speakers and roles",
    key=vs.SEARCH_KEY,
    bind="query-params",
    max_chars=vs.MAX_SEARCH_CHARS,
    placeholder="e.g. ceasefire, Istanbul, Witkoff",
    help="The search is part of the link in the sidebar.",
)
table = cached.statements(
    context.database_url, from_month, to_month, view.stances, view.actors, view.search
)
st.write(
    f"**{len(table)}** statement{'s' if len(table) != 1 else ''}"
    + (f' matching "{view.search}"' if view.search else "")
    + " · tick rows to read their full quotes below"
)
picked = st.dataframe(
    claim_check.with_verdict_column(summary.for_display(table)),
    hide_index=True,
    height=560,
    on_select="rerun",
    selection_mode="multi-row",
    key="statements_table",
    # Date, speaker and quote first and narrow, so a phone's first screen shows what was said.
    column_order=[
        "date",
        "speaker",
        "quote",
        "stance",
        claim_check.VERDICT_COLUMN,
        "affiliation",
        "source_url",
        "mediators",
        "source_name",
        "role",
        "id",
    ],
    column_config={
        "id": st.column_config.NumberColumn("#", width="small"),
        "date": st.column_config.DateColumn("Date", format="D MMM YYYY", width="small"),
        "speaker": st.column_config.TextColumn("Speaker", width="small"),
        "role": "Role",
        "affiliation": "Affiliation",
        "stance": "Stance",
        claim_check.VERDICT_COLUMN: claim_check.VERDICT_COLUMN_CONFIG,
        "quote": st.column_config.TextColumn("Quote", width="large"),
        "mediators": st.column_config.ListColumn("Mediators"),
        "source_name": "Reported by",
        "source_url": st.column_config.LinkColumn(
            "Source", display_text="open ↗", help="The report the quote was taken from"
        ),
    },
)
for position in picked.selection.rows:
    record = table.iloc[position].to_dict()
    card = st.container(border=True)
    card.markdown(statement_card(record))
    checked = claim_check.statement_verdicts(record)
    if checked is not None:
        card.markdown(claim_check.verdicts_markdown(*checked))
st.download_button(
    "Download these statements (CSV)",
    store.export_statements(table, "csv"),
    file_name=f"statements_{from_month or 'start'}_{to_month or 'latest'}.csv",
    mime="text/csv",
    icon="⬇️",
)

statement_editor.render(context.database_url, table)
# After the page's first complete run: what is alive now lives as long as the server (lib/heap.py).
heap.freeze_long_lived_objects()
