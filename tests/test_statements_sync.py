"""One name per person in a stored database, and the bundled record reaching existing stores.

Run on SQLite and PostgreSQL (`store_url`). The bundled record is replaced by small CSV files
written here, so the tests do not depend on what the curators have added to data/statements/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from lib.statements import (
    get_engine,
    list_affiliations,
    list_speakers,
    query_statements,
    statement_history,
    update_statement,
)
from lib.statements.__main__ import main
from lib.statements.schema import row_values, statements, utc_now


def _record(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "date": dt.date(2025, 5, 11),
        "speaker": "Vladimir Putin",
        "role": "President of Russia",
        "affiliation": "Russia",
        "stance": "proposal",
        "quote": "We propose to resume direct negotiations in Istanbul",
        "quote_is_paraphrase": False,
        "mediators": ["Turkey"],
        "source_name": "Example Wire",
        "source_url": "https://example.org/story",
    }
    record.update(changes)
    return record


def _store_as_written_before_aliases(engine: sa.Engine, records: list[dict[str, object]]) -> None:
    """Rows as an older store kept them: names as typed, keys computed from them."""
    with engine.begin() as connection:
        for record in records:
            connection.execute(
                sa.insert(statements).values(row_values(record, added_by="desk", now=utc_now()))
            )


@pytest.fixture
def empty(store_url: str) -> Iterator[sa.Engine]:
    engine = get_engine(store_url, seed=False)
    yield engine
    engine.dispose()


def test_merge_aliases_renames_and_merges_rows_and_logs_it(
    empty: sa.Engine, store_url: str, capsys
) -> None:
    _store_as_written_before_aliases(
        empty,
        [
            _record(speaker="Zelenskiy", affiliation="Ukrainian government", quote="A"),
            _record(speaker="Volodymyr Zelensky", affiliation="Ukraine", quote="A"),
            _record(speaker="Erdogan", affiliation="Turkey", quote="B"),
            _record(speaker="Jane Roe", affiliation="Example Institute", quote="C"),
        ],
    )
    assert len(list_speakers(empty)) == 4
    assert main(["merge-aliases", "--database", store_url]) == 0
    assert capsys.readouterr().out == (
        "2 statement(s) renamed to canonical names, "
        "1 merged into the same statement under its canonical name\n"
    )
    assert list_speakers(empty) == ["Jane Roe", "Recep Tayyip Erdoğan", "Volodymyr Zelensky"]
    assert list_affiliations(empty) == ["Example Institute", "Turkey", "Ukraine"]
    stored = query_statements(empty)
    assert stored["id"].tolist() == [1, 3, 4]
    assert query_statements(empty, text="zelensky")["id"].tolist() == [1]

    renamed = statement_history(empty, 1)
    assert [(entry["action"], entry["edited_by"]) for entry in renamed] == [
        ("update", "merge-aliases")
    ]
    assert renamed[0]["changes"] == {
        "speaker": ["Zelenskiy", "Volodymyr Zelensky"],
        "affiliation": ["Ukrainian government", "Ukraine"],
    }
    merged = statement_history(empty, 2)
    assert [entry["action"] for entry in merged] == ["merge"]
    assert merged[0]["changes"]["merged_into"] == [None, 1]
    assert merged[0]["changes"]["quote"] == ["A", None]

    assert main(["merge-aliases", "--database", store_url]) == 0
    assert capsys.readouterr().out.startswith("0 statement(s) renamed to canonical names, 0 merged")


def test_an_edit_stores_the_canonical_name(empty: sa.Engine) -> None:
    _store_as_written_before_aliases(empty, [_record(speaker="Peskow", affiliation="Kremlin")])
    update_statement(empty, 1, {"stance": "rejection"}, edited_by="editor")
    stored = query_statements(empty).iloc[0]
    assert (stored["speaker"], stored["affiliation"]) == ("Dmitry Peskov", "Russia")
