"""The Statements page through AppTest: search in the link, full quotes, the source column, and
the editors' tools (issue 10 item 5; issue 12's bugs of a new user), on a temporary store."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from markdown_support import shown_text
from test_app import (
    button,
    database_url,  # noqa: F401 (the fixture, used by name below)
    run_app,
    unlock,
)

from lib import config
from lib import statements as store

# Every test runs on a fresh seeded SQLite store with the live sources offline (test_app's).
pytestmark = pytest.mark.usefixtures("database_url")

PAGE = "pages/statements.py"


def stored(**filters) -> pd.DataFrame:
    """The statements in the test's store."""
    return store.query_statements(store.get_engine(config.database_url()), **filters)


def count_line(app) -> str:
    return next(block.value for block in app.markdown if block.value.startswith("**"))


def unlocked_editor(monkeypatch, name: str = "Desk Editor"):
    monkeypatch.setenv("FRONTLINE_EDITOR_PASSWORD", "pw")
    app = run_app(page=PAGE)
    unlock(app, "pw", name)
    return app


def test_search_text_is_in_the_share_link_and_a_link_restores_it():
    seeded = stored()
    word = seeded["speaker"].value_counts().index[0]
    app = run_app(page=PAGE)
    app.text_input(key="q").input(word).run()
    assert not app.exception
    share = parse_qs(urlsplit(app.sidebar.code[0].value).query)
    assert share == {"q": [word]}
    found = len(app.dataframe[0].value)
    assert 0 < found < len(seeded)

    opened = run_app({"q": word}, page=PAGE)
    assert opened.text_input(key="q").value == word
    assert len(opened.dataframe[0].value) == found
    assert f'matching "{word}"' in count_line(opened)


def test_other_pages_leave_the_search_out_of_the_link():
    app = run_app({"q": "ceasefire"})
    assert "q=" not in app.sidebar.code[0].value


def test_ticked_rows_show_their_full_quote_and_source():
    seeded = stored()
    longest = seeded.loc[seeded["quote"].str.len().idxmax()]
    app = run_app({"q": " ".join(str(longest["quote"]).split()[:8])}, page=PAGE)
    assert len(app.dataframe[0].value) >= 1
    app.session_state["statements_table"] = {"selection": {"rows": [0], "columns": []}}
    app.run()
    assert not app.exception
    cards = [
        block.value for block in app.markdown if block.value.startswith("**") and ">" in block.value
    ]
    assert len(cards) == 1
    assert str(longest["quote"]).split()[-1].rstrip(".") in cards[0]
    assert f"]({longest['source_url']})" in cards[0]


def test_table_has_a_link_column_and_the_quote_beside_date_and_speaker():
    app = run_app(page=PAGE)
    table = app.dataframe[0]
    config = table.proto.columns
    assert (
        '"source_url": {"label": "Source"' in config and '"type_config": {"type": "link"' in config
    )
    # Date, speaker and quote first, narrow where they can be, for a 390-px phone.
    assert list(table.proto.column_order[:3]) == ["date", "speaker", "quote"]
    assert '"date": {"label": "Date", "width": "small"' in config
    assert '"speaker": {"label": "Speaker", "width": "small"' in config


def test_empty_cells_are_blank_not_the_word_none():
    engine = store.get_engine(config.database_url())
    store.add_statement(
        engine,
        {"date": "2025-05-02", "speaker": "A. Nobody", "stance": "other", "quote": "Bare quote"},
        added_by="test",
    )
    app = run_app({"q": "Bare quote"}, page=PAGE)
    row = app.dataframe[0].value.iloc[0]
    assert row["role"] == "" and row["affiliation"] == "" and row["source_url"] == ""
    assert list(row["mediators"]) == []


def test_sidebar_range_says_all_dates_on_the_statements_page():
    app = run_app(page=PAGE)
    placeholders = {box.label: box.proto.placeholder for box in app.sidebar.selectbox}
    assert placeholders["From month"] == "Earliest statement"
    assert placeholders["To month"] == "Latest statement"
    assert any("Sidebar filters: all dates" in caption.value for caption in app.caption)
    overview = run_app()
    from_placeholder = next(
        box.proto.placeholder for box in overview.sidebar.selectbox if box.label == "From month"
    )
    assert from_placeholder.startswith("24 months back")


def test_adding_a_statement_updates_the_count_and_table_at_once(monkeypatch):
    seeded = stored()
    app = unlocked_editor(monkeypatch)
    assert count_line(app).startswith(f"**{len(seeded)}** statements")
    app.date_input(key="add_date").set_value(dt.date(2025, 5, 20))
    app.text_input(key="add_speaker").input("A. Tester")
    app.text_area(key="add_quote").input("We propose a test ceasefire.")
    button(app, "Add statement").click().run()
    assert not app.exception
    assert any("Added statement" in success.value for success in app.success)
    assert count_line(app).startswith(f"**{len(seeded) + 1}** statements")
    assert "We propose a test ceasefire." in set(app.dataframe[0].value["quote"])
    assert "A. Tester" in app.sidebar.multiselect(key="actor").options


def test_a_statement_dated_in_the_future_is_refused_with_the_reason(monkeypatch):
    app = unlocked_editor(monkeypatch)
    app.date_input(key="add_date").set_value(dt.date.today() + dt.timedelta(days=3))
    app.text_input(key="add_speaker").input("A. Prophet")
    app.text_area(key="add_quote").input("Peace will come next week.")
    button(app, "Add statement").click().run()
    assert not app.exception
    errors = [shown_text(error.value) for error in app.error]
    assert any(error.startswith("Not added:") and "date:" in error for error in errors), errors
    assert "is in the future" in " ".join(errors)
    assert stored(text="next week").empty


def test_the_edit_tab_deletes_a_statement_and_logs_it(monkeypatch):
    seeded = stored()
    app = unlocked_editor(monkeypatch, "Deleting Editor")
    target = int(seeded.iloc[0]["id"])
    app.selectbox(key="edit_choice").select(target).run()
    button(app, "Delete statement").click().run()
    assert any("Tick the box" in warning.value for warning in app.warning)
    app.checkbox(key=f"delete_confirm_{target}").check()
    button(app, "Delete statement").click().run()
    assert not app.exception
    assert any(f"Deleted statement #{target}" in success.value for success in app.success)
    assert count_line(app).startswith(f"**{len(seeded) - 1}** statements")
    engine = store.get_engine(config.database_url())
    assert target not in set(store.query_statements(engine)["id"])
    last = store.statement_history(engine, target)[-1]
    assert (last["action"], last["edited_by"]) == ("delete", "Deleting Editor")


def test_import_preview_lists_the_problems_the_import_would_and_names_their_rows(monkeypatch):
    seeded = stored()
    app = unlocked_editor(monkeypatch, "Importer")
    bad = (
        "date,speaker,stance,quote\n"
        "2025-05-01,Good Speaker,proposal,A fine quote\n"
        "2025-05-02,Second Speaker,maybe,Another quote\n"
        "2025-05-03,Third Speaker,proposal,A third quote\n"
        "2025-13-01,Bad Date,proposal,\n"
    )
    app.file_uploader(key="import_file").upload("bad.csv", bad.encode(), "text/csv").run()
    assert not app.exception
    preview = next(shown_text(error.value) for error in app.error)
    assert preview.startswith("3 problem(s) in 2 of 4 row(s): line 3, line 5;")
    assert "bad.csv, line 3, stance" in preview and "bad.csv, line 5, date" in preview
    assert app.button(key="import_go").disabled

    good = (
        "date,speaker,stance,quote\n2025-05-01,Good Speaker,proposal,A fine quote\n"
        + seeded.iloc[0][["date", "speaker", "stance", "quote"]]
        .to_frame()
        .T.to_csv(index=False, header=False)
    )
    app.file_uploader(key="import_file").upload("good.csv", good.encode(), "text/csv").run()
    assert any(
        "2 row(s) read, no problems: 1 new, 1 already stored" in block.value
        for block in app.markdown
    )
    app.button(key="import_go").click().run()
    assert not app.exception
    assert any(
        "good.csv: 2 row(s) read, 1 added" in shown_text(success.value) for success in app.success
    )
    assert count_line(app).startswith(f"**{len(seeded) + 1}** statements")


def test_an_article_url_that_cannot_be_fetched_says_what_to_do(monkeypatch):
    app = unlocked_editor(monkeypatch, "Reviewer")
    app.text_area(key="article_source").input("https://news.example.invalid/peace-talks")
    button(app, "Extract candidates").click().run()
    assert not app.exception
    message = " ".join(shown_text(error.value) for error in app.error)
    assert message.startswith("Could not fetch the article: https://news.example.invalid/")
    assert "paste it here instead of its URL" in message
    assert "HTTPSConnectionPool" not in message and "NameResolutionError" not in message


def test_two_editors_changing_different_fields_keep_both_changes(monkeypatch):
    """Editor A opens a statement, editor B saves a new stance, then A saves a new role: the form
    sends only what A changed, so B's stance stays."""
    target = stored().iloc[0]
    statement_id = int(target["id"])
    editors = []
    for name in ("Editor A", "Editor B"):
        app = unlocked_editor(monkeypatch, name)
        app.selectbox(key="edit_choice").select(statement_id).run()
        editors.append(app)
    first, second = editors
    new_stance = "other" if target["stance"] != "other" else "proposal"
    second.selectbox(key=f"edit_{statement_id}_stance").select(new_stance)
    button(second, "Save changes").click().run()
    first.text_input(key=f"edit_{statement_id}_role").input("A role typed by editor A")
    button(first, "Save changes").click().run()
    assert not first.exception and not second.exception
    after = stored().set_index("id")
    assert after.loc[statement_id, "stance"] == new_stance
    assert after.loc[statement_id, "role"] == "A role typed by editor A"
