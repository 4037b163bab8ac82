"""One name per person in a stored database, and the bundled record reaching existing stores.

Run on SQLite and PostgreSQL (`store_url`). The bundled record is replaced by small CSV files
written here, so the tests do not depend on what the curators have added to data/statements/.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_fixtures import legacy

from lib.statements import (
    RECORD_FIELDS,
    STATEMENT_COLUMNS,
    BundledRecordError,
    add_statement,
    database,
    delete_statement,
    get_engine,
    list_affiliations,
    list_speakers,
    query_statements,
    statement_history,
    update_statement,
)
from lib.statements.__main__ import main
from lib.statements.files import records_to_csv
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


class Bundle:
    """A stand-in for the shipped record: a seed file and a folder of yearly files in tmp_path."""

    def __init__(self, root: Path) -> None:
        self.seed = root / "seed_statements.csv"
        self.folder = root / "statements"
        self.folder.mkdir(parents=True)
        self.write(self.seed, [])

    def write(self, path: Path, records: list[dict[str, object]]) -> None:
        path.write_text(records_to_csv(records, RECORD_FIELDS), encoding="utf-8", newline="")

    def year(self, year: int, records: list[dict[str, object]]) -> None:
        self.write(self.folder / f"{year}.csv", records)


@pytest.fixture
def bundle(tmp_path, monkeypatch) -> Bundle:
    shipped = Bundle(tmp_path / "bundled")
    monkeypatch.setattr(database, "SEED_FILE", shipped.seed)
    monkeypatch.setattr(database, "RECORD_DIR", shipped.folder)
    return shipped


def _day(month: int, day: int, year: int = 2024) -> dt.date:
    return dt.date(year, month, day)


def test_a_fresh_store_receives_the_bundled_record_and_exports_it(
    bundle: Bundle, store_url: str, capsys
) -> None:
    bundle.write(bundle.seed, [_record(quote="From an article", date=_day(1, 5))])
    bundle.year(2022, [_record(quote="Belarus round", date=_day(2, 28, 2022))])
    bundle.year(
        2024,
        [
            _record(quote="Peace formula", date=_day(1, 14), speaker="Zelenskiy"),
            # The seed's statement again, typed differently: stored once.
            _record(quote="from an  ARTICLE", date=_day(1, 5), speaker="Putin"),
        ],
    )
    assert main(["export", "--format", "csv", "--database", store_url]) == 0
    exported = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(exported[0]) == [*STATEMENT_COLUMNS, "quote_is_paraphrase"]
    assert [(row["date"], row["speaker"], row["quote"], row["added_by"]) for row in exported] == [
        ("2022-02-28", "Vladimir Putin", "Belarus round", "seed"),
        ("2024-01-05", "Vladimir Putin", "From an article", "seed"),
        ("2024-01-14", "Volodymyr Zelensky", "Peace formula", "seed"),
    ]


def test_sync_adds_new_rows_and_keeps_what_editors_changed_or_deleted(
    bundle: Bundle, store_url: str, capsys
) -> None:
    first = [_record(quote=name, date=_day(3, day)) for day, name in enumerate("ABC", start=1)]
    bundle.year(2024, first)
    engine = get_engine(store_url)
    try:
        ids = dict(zip("ABC", query_statements(engine)["id"].tolist(), strict=True))
        update_statement(engine, ids["A"], {"stance": "rejection"}, edited_by="editor")
        update_statement(engine, ids["B"], {"quote": "B, as corrected"}, edited_by="editor")
        delete_statement(engine, ids["C"], deleted_by="editor")
        # An editor stores D before the curators ship it.
        add_statement(engine, _record(quote="D", date=_day(3, 4), stance="openness"), added_by="e")
        bundle.year(
            2024,
            [*first, _record(quote="D", date=_day(3, 4)), _record(quote="E", date=_day(3, 5))],
        )
        assert main(["sync-bundled", "--database", store_url]) == 0
        assert capsys.readouterr().out == (
            "bundled record (2 file(s), 5 row(s)): 1 added, 2 already stored, 2 left out "
            "because editors changed or deleted them; names: 0 statement(s) renamed to "
            "canonical names, 0 merged into the same statement under its canonical name\n"
        )
        stored = query_statements(engine)
        assert [(row.quote, row.stance, row.added_by) for row in stored.itertuples()] == [
            ("A", "rejection", "seed"),
            ("B, as corrected", "proposal", "seed"),
            ("D", "openness", "e"),
            ("E", "proposal", "seed"),
        ]
        assert main(["sync-bundled", "--database", store_url]) == 0
        assert capsys.readouterr().out == (
            "bundled record unchanged since the last sync: nothing to do\n"
        )
    finally:
        engine.dispose()


def test_an_old_team_store_gets_the_new_rows_on_upgrade_and_keeps_its_deletions(
    bundle: Bundle, store_url: str
) -> None:
    """A store made before migrations, seeded with an older record that spelled a name
    differently, one of its rows deleted by an editor (logged the old way)."""
    old_record = [
        _record(quote="Kept", speaker="Zelenskiy", affiliation="Ukraine", date=_day(4, 1)),
        _record(quote="Deleted by an editor", date=_day(4, 2)),
    ]
    legacy_engine = sa.create_engine(store_url)
    with legacy_engine.begin() as connection:
        legacy.create_all(connection)
        for record in old_record:
            connection.execute(
                sa.insert(legacy.tables["statements"]).values(
                    row_values(record, added_by="seed", now=utc_now())
                )
            )
        removed = {name: [str(value), None] for name, value in old_record[1].items()}
        connection.execute(sa.delete(legacy.tables["statements"]).where(sa.text("id = 2")))
        connection.execute(
            sa.insert(legacy.tables["statement_edits"]).values(
                statement_id=2,
                action="delete",
                edited_at=utc_now(),
                edited_by="editor",
                changes=json.dumps(removed),
            )
        )
    legacy_engine.dispose()
    bundle.year(
        2024,
        [
            _record(quote="Kept", speaker="Volodymyr Zelensky", date=_day(4, 1)),
            old_record[1],
            _record(quote="New in this release", date=_day(4, 3)),
        ],
    )
    engine = get_engine(store_url)
    try:
        stored = query_statements(engine)
        assert [(row.speaker, row.quote) for row in stored.itertuples()] == [
            ("Volodymyr Zelensky", "Kept"),
            ("Vladimir Putin", "New in this release"),
        ]
    finally:
        engine.dispose()


def test_an_invalid_bundled_file_is_named_by_line_and_field(
    bundle: Bundle, store_url: str, capsys
) -> None:
    future = dt.date.today() + dt.timedelta(days=2)
    bundle.year(2024, [_record(quote="fine"), _record(quote="later", date=future)])
    with pytest.raises(BundledRecordError, match=r"/statements/2024.csv, line 3, date: "):
        get_engine(store_url)
    assert main(["sync-bundled", "--database", store_url]) == 1
    assert "line 3, date: " + future.isoformat() + " is in the future" in capsys.readouterr().err


def test_coverage_prints_every_month_and_fails_below_three(
    bundle: Bundle, store_url: str, capsys
) -> None:
    bundle.year(
        2024,
        [_record(quote=f"January {day}", date=_day(1, day)) for day in (1, 2, 3)]
        + [_record(quote="February", date=_day(2, 1))],
    )
    assert main(["coverage", "--from", "2023-12", "--to", "2024-03", "--database", store_url]) == 1
    printed = capsys.readouterr()
    assert printed.out == "2023-12 0\n2024-01 3\n2024-02 1\n2024-03 0\n"
    assert "3 of 4 month(s) have fewer than 3 statements: 2023-12, 2024-02, 2024-03" in printed.err
    assert main(["coverage", "--from", "2024-01", "--to", "2024-01", "--database", store_url]) == 0
    assert capsys.readouterr().out == "2024-01 3\n"
    assert main(["coverage", "--from", "2024-02", "--to", "2024-01", "--database", store_url]) == 2
