"""Editors' review queue on the Statements page: candidates from the feeds, each approved
(optionally after editing), rejected, or marked off-topic. An approval becomes a statement with
the editor's name through the store's validation; nothing else reaches the public table."""

import html

import pandas as pd
import sqlalchemy
import streamlit as st

from lib import cached, feeds
from lib import statements as store

ACTIONS = {
    "leave": None,
    "approve": feeds.APPROVED,
    "reject": feeds.REJECTED,
    "off-topic": feeds.OFF_TOPIC,
}
MEDIATOR_SEPARATOR = "; "
EDITABLE = [
    "date",
    "speaker",
    "role",
    "affiliation",
    "stance",
    "quote",
    "mediators",
    "quote_is_paraphrase",
]
TABLE_KEY = "review_queue_table"


def render(engine: sqlalchemy.Engine, editor: str) -> None:
    pending = feeds.list_queue(engine)
    if pending.empty:
        st.write(
            "No candidates await review. `python -m lib.feeds refresh` reads the Kremlin's, the "
            "UN's and GDELT's feeds into this queue."
        )
        return
    st.write(
        f"**{len(pending)}** candidate(s) from the feeds. Correct a row if needed, choose an "
        "action, then apply: approved rows become statements under your name."
    )
    table = pending.assign(
        action="leave",
        mediators=[MEDIATOR_SEPARATOR.join(names) for names in pending["mediators"]],
    )[["action", *EDITABLE, "feed", "article_title", "source_url", "id"]]
    edited = st.data_editor(
        table,
        hide_index=True,
        disabled=["feed", "article_title", "source_url", "id"],
        column_config={
            "action": st.column_config.SelectboxColumn("Action", options=list(ACTIONS)),
            "date": st.column_config.DateColumn("Date"),
            "stance": st.column_config.SelectboxColumn("Stance", options=store.STANCES),
            "quote": st.column_config.TextColumn("Quote", width="large"),
            "source_url": st.column_config.LinkColumn("Article", display_text="open"),
            "id": st.column_config.NumberColumn("#", width="small"),
        },
        key=TABLE_KEY,
    )
    with st.expander("Where a candidate sits in its article"):
        chosen = st.selectbox(
            "Candidate",
            list(pending["id"]),
            format_func=lambda number: f"#{number}",
            key="review_queue_context",
        )
        before, span, after = feeds.article_context(engine, int(chosen))
        st.markdown(
            f"…{html.escape(before)}<mark>{html.escape(span)}</mark>{html.escape(after)}…",
            unsafe_allow_html=True,
        )
    if st.button("Apply the chosen actions", type="primary", disabled=not editor):
        _apply(engine, pending, edited, editor)
    if not editor:
        st.caption("Enter your name above to review.")


def _apply(engine: sqlalchemy.Engine, pending: pd.DataFrame, edited: pd.DataFrame, who: str):
    original = pending.set_index("id")
    done, problems = [], []
    for row in edited.to_dict("records"):
        status = ACTIONS.get(row["action"])
        if status is None:
            continue
        number = int(row["id"])
        try:
            if status == feeds.APPROVED:
                approval = feeds.approve(
                    engine, number, reviewer=who, changes=_changes(original.loc[number], row)
                )
                done.append(f"#{number} approved as statement #{approval.statement_id}")
            else:
                feeds.review(engine, number, status, reviewer=who)
                done.append(f"#{number} {row['action']}")
        except store.StatementError as error:
            problems.append(f"#{number} not approved: " + "; ".join(error.problems))
        except feeds.QueueError as error:
            problems.append(str(error))
    if done:
        cached.clear_statements()
        st.success("Done: " + ", ".join(done) + ".")
    for problem in problems:
        st.error(problem)


def _changes(before: pd.Series, after: dict) -> dict:
    """The editable fields the editor changed, in the store's record form."""
    changes = {}
    for name in EDITABLE:
        value = after[name]
        if name == "mediators":
            value = [part.strip() for part in str(value or "").split(";") if part.strip()]
        if name == "date" and isinstance(value, pd.Timestamp):
            value = value.date()
        if value != before[name]:
            changes[name] = value
    return changes
