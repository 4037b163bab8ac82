"""The Statements page's editor tools: behind the editor gate (editor_access), add, edit or delete
a statement (with its edit log), import a file, review an article's extracted candidates, or the
feeds' review queue. A UI helper beside the pages, not a page."""

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app_pages import editor_access, review_queue
from lib import cached
from lib import statements as store
from lib.extract import review
from lib.http import FetchError
from lib.markdown_text import literal
from lib.statements.files import FORMATS, MAX_FILE_BYTES
from lib.statements.records import MEDIATOR_SEPARATOR

REVIEW_SESSION_KEY = "statements_article_review"
# The outcome of the last change, shown once after the rerun that redraws the table with it.
LAST_CHANGE_SESSION_KEY = "statements_last_change"


def show_last_change() -> None:
    """The message of a change made in the previous run (its table and counts are now drawn
    from the store as changed), shown once."""
    message = st.session_state.pop(LAST_CHANGE_SESSION_KEY, None)
    if message:
        st.success(message, icon=":material/check:")


def changed(message: str) -> None:
    """After a write: forget the cached statements and rerun, so the count, the table and the
    sidebar's actors show the change at once, with `message` above them."""
    cached.clear_statements()
    st.session_state[LAST_CHANGE_SESSION_KEY] = message
    st.rerun()


def render(database_url: str, table: pd.DataFrame) -> None:
    """The editors' section under the statements `table` (the rows the page shows, which the
    Edit tab offers); nothing but the gate's sign-in controls until this session is an editor."""
    st.divider()
    st.header("Editors")
    # Every write below sits behind this one gate: no editor, no write widget.
    editor = editor_access.editor("statements_editor", what="editing statements")
    if editor is None:
        return
    # Tracked (key + on_change), so the rerun after a write reopens the tab the editor was in.
    add_tab, edit_tab, import_tab, article_tab, queue_tab = st.tabs(
        ["Add", "Edit", "Import CSV", "From an article", "Review queue"],
        key="statements_editor_tab",
        on_change="rerun",
    )
    engine = cached.engine(database_url)

    with add_tab:
        _add_tab(engine, editor)
    with edit_tab:
        _edit_tab(engine, editor, table)
    with import_tab:
        _import_tab(engine, editor)
    with article_tab:
        _article_tab(engine, editor)
    with queue_tab:
        review_queue.render(engine, editor)


def _add_tab(engine: Engine, editor: str) -> None:
    """A new statement from the form."""
    with st.form("add_statement"):
        new_record = record_form("add", form_values(None))
        if st.form_submit_button("Add statement", type="primary"):
            try:
                new_id = store.add_statement(engine, new_record, added_by=editor)
            except store.StatementError as error:
                st.error("Not added:\n\n" + "\n".join(f"- {literal(p)}" for p in error.problems))
            else:
                changed(f"Added statement #{new_id}.")


def _edit_tab(engine: Engine, editor: str, table: pd.DataFrame) -> None:
    """Change or delete one of the statements the page shows; its edit log below."""
    if table.empty:
        st.write("No statement matches the filters above.")
    else:
        labels = {
            int(row.id): f"#{row.id} · {row.date} · {row.speaker}: {str(row.quote)[:60]}"
            for row in table.itertuples()
        }
        chosen = st.selectbox(
            "Statement to edit", list(labels), format_func=labels.get, key="edit_choice"
        )
        current = table[table["id"] == chosen].iloc[0].to_dict()
        with st.form(f"edit_statement_{chosen}"):
            # The values the form opened with (its widgets keep their own state across reruns):
            # only what this editor changed from them is saved, so another editor's change to
            # another field since then is kept, not overwritten with the value shown here.
            shown = st.session_state.setdefault(f"edit_{chosen}_shown", form_values(current))
            edited = record_form(f"edit_{chosen}", shown)
            changes = {name: value for name, value in edited.items() if value != shown[name]}
            if st.form_submit_button("Save changes", type="primary"):
                try:
                    store.update_statement(engine, chosen, changes, edited_by=editor)
                except store.StatementError as error:
                    st.error(
                        "Not saved:\n\n" + "\n".join(f"- {literal(p)}" for p in error.problems)
                    )
                else:
                    st.session_state[f"edit_{chosen}_shown"] = edited
                    changed(f"Saved statement #{chosen}.")
        _delete_form(engine, editor, chosen)
        _edit_log(engine, chosen, current)


def _delete_form(engine: Engine, editor: str, chosen: int) -> None:
    """Delete the statement chosen in the Edit tab, once confirmed; logged with the editor."""
    with st.form(f"delete_statement_{chosen}", border=True):
        st.write(
            f"Delete statement #{chosen}. The edit log keeps its content and your name, and "
            "a later sync of the bundled record does not bring it back."
        )
        confirmed = st.checkbox("Yes, delete this statement", key=f"delete_confirm_{chosen}")
        if st.form_submit_button("Delete statement", icon=":material/delete:"):
            if not confirmed:
                st.warning("Tick the box to confirm the deletion.")
            else:
                try:
                    store.delete_statement(engine, chosen, deleted_by=editor)
                except store.StatementError as error:
                    st.error(
                        "Not deleted:\n\n" + "\n".join(f"- {literal(p)}" for p in error.problems)
                    )
                else:
                    changed(f"Deleted statement #{chosen}; the edit log keeps its content.")


def _edit_log(engine: Engine, statement_id: int, current: dict) -> None:
    """Who changed the statement, when, and which fields (read after this run's own write)."""
    st.subheader("Edit log", anchor=False)
    history = store.statement_history(engine, statement_id)
    if not history:
        st.caption(
            f"No edits yet: added by {current['added_by']} on {current['added_at']:%-d %b %Y}."
        )
        return
    st.table(
        pd.DataFrame(
            {
                "When (UTC)": [f"{entry['edited_at']:%Y-%m-%d %H:%M}" for entry in history],
                "Editor": [entry["edited_by"] for entry in history],
                "Action": [entry["action"] for entry in history],
                "Fields": [", ".join(entry["changes"]) for entry in history],
            }
        ),
        hide_index=True,
    )


def _import_tab(engine: Engine, editor: str) -> None:
    """An all-or-nothing import of a CSV or JSON file."""
    st.write(
        "A CSV (or JSON) file with the columns "
        + ", ".join(f"`{name}`" for name in store.RECORD_FIELDS)
        + ". The import is all-or-nothing: any invalid row means nothing is written, and the "
        "problems are listed by row. Statements already stored are skipped."
    )
    upload = st.file_uploader(
        "Statements file",
        type=list(FORMATS),
        key="import_file",
        max_upload_size=MAX_FILE_BYTES // (1024 * 1024),
    )
    if upload is not None:
        data = upload.getvalue()
        file_format = "json" if upload.name.lower().endswith(".json") else "csv"
        parsed = store.parse_statements(data, fmt=file_format)
        arguments = {
            "source_label": upload.name,
            "locations": parsed.locations,
            "file_errors": parsed.errors,
            "notes": parsed.notes,
        }
        # The same checks the import makes, so the preview's problems are the import's.
        preview = store.check_import(engine, parsed.rows, **arguments)
        if preview.ok:
            st.write(
                f"{preview.rows_read} row(s) read, no problems: "
                f"{preview.rows_read - preview.already_stored - preview.repeated_in_file} new, "
                f"{preview.already_stored} already stored, "
                f"{preview.repeated_in_file} repeated in the file."
            )
        else:
            listed = store.listed_problems(preview.errors)
            st.error(
                f"{literal(preview.problems_text().capitalize())}; nothing can be imported until "
                "they are fixed:\n\n" + "\n".join(f"- {literal(e)}" for e in listed)
            )
        if st.button(
            "Import",
            type="primary",
            disabled=not preview.ok,
            key="import_go",
        ):
            report = store.import_records(engine, parsed.rows, added_by=editor, **arguments)
            if report.ok:
                changed(
                    literal(report.summary())
                    + "".join(f"\n\n{literal(note)}" for note in report.notes)
                )
            else:  # the store changed since the check (another editor, a constraint)
                _refused(report)


def _article_tab(engine: Engine, editor: str) -> None:
    """An article's extracted candidates, reviewed in a table, saved when accepted."""
    st.write(
        "Paste an article's text (or its URL), extract the candidate statements, correct them "
        "in the table, untick those to leave out, and save the accepted ones."
    )
    with st.form("extract_article"):
        article = st.text_area("Article text or URL", height=200, key="article_source")
        published = st.date_input("Published (if the article does not say)", value=None)
        extract_clicked = st.form_submit_button("Extract candidates")
    if extract_clicked:
        try:
            st.session_state[REVIEW_SESSION_KEY] = review.prepare_review(
                engine, article, published=published
            )
        except ValueError as error:
            st.error(literal(error))
        except FetchError as error:
            st.error(
                f"Could not fetch the article: {literal(error)}.\n\nOffline, or the site refuses "
                "us? Copy the article's text from your browser and paste it here instead of its "
                "URL."
            )
    batch = st.session_state.get(REVIEW_SESSION_KEY)
    if batch is not None:
        st.caption(
            f"{len(batch.candidates)} candidate(s) from {literal(batch.source_name)}, "
            f"published {batch.published:%-d %b %Y}."
        )
        reviewed = st.data_editor(
            batch.candidates,
            hide_index=True,
            disabled=["already_stored", "char_start", "char_end"],
            column_config={
                "accept": st.column_config.CheckboxColumn("Accept"),
                "already_stored": st.column_config.CheckboxColumn("Stored"),
                "date": st.column_config.DateColumn("Date"),
                "stance": st.column_config.SelectboxColumn("Stance", options=store.STANCES),
                "quote": st.column_config.TextColumn("Quote", width="large"),
            },
            key="review_table",
        )
        if st.button("Save the accepted statements", type="primary"):
            report = review.save_reviewed(
                engine, reviewed, added_by=editor, source_label=batch.source_name
            )
            if report.ok:
                del st.session_state[REVIEW_SESSION_KEY]
                changed(literal(report.summary()))
            else:
                _refused(report)


def _refused(report: store.ImportReport) -> None:
    """A refused import's summary and problems as text, at most MAX_LISTED_PROBLEMS of them."""
    problems = store.listed_problems(report.errors)
    st.error(literal(report.summary()) + "\n\n" + "\n".join(f"- {literal(e)}" for e in problems))


def text(record: dict, name: str) -> str:
    value = record.get(name)
    return value if isinstance(value, str) else ""


def form_values(current: dict | None) -> dict:
    """What the statement form shows for `current` (a stored statement, or nothing for a new
    one), in the form's own terms: the date as YYYY-MM-DD, mediators as "A; B"."""
    current = current or {}
    day = current.get("date") or dt.date.today()
    return {
        "date": (day.date() if isinstance(day, dt.datetime) else day).isoformat(),
        "stance": current.get("stance") or "other",
        "speaker": text(current, "speaker"),
        "role": text(current, "role"),
        "affiliation": text(current, "affiliation"),
        "mediators": f"{MEDIATOR_SEPARATOR} ".join(current.get("mediators") or []),
        "quote": text(current, "quote"),
        "quote_is_paraphrase": bool(current.get("quote_is_paraphrase")),
        "source_name": text(current, "source_name"),
        "source_url": text(current, "source_url"),
    }


def record_form(prefix: str, shown: dict) -> dict:
    """The editable fields of one statement, prefilled with `shown` (see form_values)."""
    left, right = st.columns(2)
    record = {
        "date": left.date_input(
            "Date",
            value=dt.date.fromisoformat(shown["date"]),
            min_value=dt.date(1991, 1, 1),
            key=f"{prefix}_date",
        ),
        "stance": right.selectbox(
            "Stance",
            store.STANCES,
            index=store.STANCES.index(shown["stance"]),
            key=f"{prefix}_stance",
        ),
        "speaker": left.text_input("Speaker", shown["speaker"], key=f"{prefix}_speaker"),
        "role": right.text_input("Role", shown["role"], key=f"{prefix}_role"),
        "affiliation": left.text_input(
            "Affiliation", shown["affiliation"], key=f"{prefix}_affiliation"
        ),
        "mediators": right.text_input(
            f"Mediators (separated by {MEDIATOR_SEPARATOR})",
            shown["mediators"],
            key=f"{prefix}_mediators",
        ),
        "quote": st.text_area("Quote", shown["quote"], key=f"{prefix}_quote"),
        "quote_is_paraphrase": st.checkbox(
            "The quote is a paraphrase", shown["quote_is_paraphrase"], key=f"{prefix}_paraphrase"
        ),
        "source_name": left.text_input(
            "Source name", shown["source_name"], key=f"{prefix}_source_name"
        ),
        "source_url": right.text_input(
            "Source URL", shown["source_url"], key=f"{prefix}_source_url"
        ),
    }
    record["date"] = record["date"].isoformat()
    return record
