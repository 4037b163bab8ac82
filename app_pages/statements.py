"""Statements: the whole table with search and the sidebar filters, CSV download, editors' tools
(in statement_editor.py)."""

import streamlit as st

from app_pages import statement_editor
from lib import cached
from lib import statements as store
from lib import view_state as vs
from lib.markdown_text import literal
from lib.months import month_label

context: vs.PageContext = st.session_state[vs.VIEW_SESSION_KEY]
view = context.view

st.title("Statements")
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

search = st.text_input(
    "Search quotes, speakers and roles",
    key="statements_search",
    placeholder="e.g. ceasefire, Istanbul, Witkoff",
)
table = cached.statements(
    context.database_url, from_month, to_month, view.stances, view.actors, search.strip()
)
st.write(f"**{len(table)}** statement{'s' if len(table) != 1 else ''}")
st.dataframe(
    table,
    hide_index=True,
    height=560,
    column_order=[
        "date",
        "speaker",
        "affiliation",
        "stance",
        "quote",
        "mediators",
        "source_url",
        "source_name",
        "role",
        "id",
    ],
    column_config={
        "id": st.column_config.NumberColumn("#", width="small"),
        "date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
        "speaker": st.column_config.TextColumn("Speaker", width="medium"),
        "role": "Role",
        "affiliation": "Affiliation",
        "stance": "Stance",
        "quote": st.column_config.TextColumn("Quote", width="large"),
        "mediators": st.column_config.ListColumn("Mediators"),
        "source_name": "Reported by",
        "source_url": st.column_config.LinkColumn("Source", display_text="open"),
    },
)
st.download_button(
    "Download these statements (CSV)",
    store.export_statements(table, "csv"),
    file_name=f"statements_{from_month or 'start'}_{to_month or 'latest'}.csv",
    mime="text/csv",
    icon="⬇️",
)

statement_editor.render(context.database_url, table)
