"""The statements store, run against SQLite (a temporary file) and a real PostgreSQL server.

PostgreSQL: TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); each
test gets its own freshly created schema, dropped afterwards. Without a server those cases skip
locally and fail in CI (see conftest.require).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from conftest import REPO_ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.statements import (
    RECORD_FIELDS,
    SEED_FILE,
    STANCES,
    STATEMENT_COLUMNS,
    StatementError,
    add_statement,
    check_import,
    database,
    delete_statement,
    export_statements,
    find_duplicates,
    get_engine,
    import_file,
    import_records,
    list_affiliations,
    list_speakers,
    monthly_stance_counts,
    neutralise,
    query_statements,
    read_bundled_record,
    read_statements_file,
    statement_history,
    unneutralise,
    update_statement,
    validate_records,
)
from lib.statements.__main__ import main
from lib.statements.files import MAX_ROWS
from lib.statements.records import MAX_LISTED_PROBLEMS, latest_statement_date, statement_key
from lib.statements.schema import statement_edits, store_meta
from lib.statements.schema import statements as statements_table
from lib.statements.seed import write_seed_csv


@pytest.fixture
def seed_only(tmp_path, monkeypatch) -> None:
    """The bundled record reduced to the seed, so counts taken from it do not move when the
    curated yearly files grow."""
    monkeypatch.setattr(database, "RECORD_DIR", tmp_path / "no curated files")


@pytest.fixture
def seeded(store_url: str, seed_only: None) -> Iterator[sa.Engine]:
    engine = get_engine(store_url)
    yield engine
    engine.dispose()


def _seed_rows() -> int:
    return len(read_statements_file(SEED_FILE).rows)


def _bundled_statements() -> int:
    """Distinct statements in the whole bundled record (the seed and data/statements/*.csv)."""
    return len({statement_key(r["date"], r["speaker"], r["quote"]) for r in read_bundled_record()})


def _count_in_new_process(store_url: str) -> str:
    """What a freshly started app process finds in the store (its own engine, its own seeding)."""
    result = subprocess.run(
        [sys.executable, "-m", "lib.statements", "list", "--database", store_url],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip()


def test_the_bundled_record_loads_once_into_an_empty_store(store_url: str) -> None:
    engine = get_engine(store_url)
    try:
        assert _seed_rows() == 46
        assert len(query_statements(engine)) == _bundled_statements() >= 46
        assert get_engine(store_url) is engine
        assert _count_in_new_process(store_url) == f"{_bundled_statements()} statement(s)"
    finally:
        engine.dispose()


def test_query_returns_the_agreed_columns_and_types(seeded: sa.Engine) -> None:
    statements = query_statements(seeded)
    assert list(statements.columns[: len(STATEMENT_COLUMNS)]) == STATEMENT_COLUMNS
    first = statements.iloc[0]
    assert isinstance(first["date"], dt.date)
    assert all(isinstance(names, list) for names in statements["mediators"])
    assert set(statements["stance"]) <= set(STANCES)
    assert list(statements["date"]) == sorted(statements["date"])


def test_filters_by_month_range_stance_actor_affiliation_and_text(seeded: sa.Engine) -> None:
    march_2025 = query_statements(seeded, from_month="2025-03", to_month="2025-03")
    assert len(march_2025) > 0
    assert {day.strftime("%Y-%m") for day in march_2025["date"]} == {"2025-03"}

    openness = query_statements(seeded, stances=["openness", "proposal"])
    assert set(openness["stance"]) == {"openness", "proposal"}

    putin = query_statements(seeded, speakers=["Vladimir Putin"])
    assert set(putin["speaker"]) == {"Vladimir Putin"} and len(putin) > 0
    assert query_statements(seeded, speakers="Putin")["id"].tolist() == putin["id"].tolist()
    assert query_statements(seeded, actors="Vladimir Putin")["id"].tolist() == putin["id"].tolist()

    turkey = query_statements(seeded, affiliations=["Turkey"])
    assert set(turkey["affiliation"]) == {"Turkey"}

    erdogan = query_statements(seeded, text="ERDOGAN")
    assert set(erdogan["speaker"]) >= {"Recep Tayyip Erdoğan"} and len(erdogan) >= 2
    assert "Recep Tayyip Erdogan" not in set(erdogan["speaker"])

    trap = query_statements(seeded, text='"Negotiation  TRAP')
    assert list(trap["speaker"]) == ["Kaja Kallas"]


def test_an_actor_is_a_speaker_or_an_affiliation(seeded: sa.Engine) -> None:
    """What the app's `actor` filter means, done by the store (issue 16: one meaning)."""
    everything = query_statements(seeded)
    wanted = {"Russia", "Volodymyr Zelensky"}
    expected = everything[
        everything["speaker"].isin(wanted) | everything["affiliation"].isin(wanted)
    ]
    found = query_statements(seeded, actors=sorted(wanted))
    assert found["id"].tolist() == expected["id"].tolist()
    assert set(found["affiliation"]) == {"Russia", "Ukraine"}
    assert "Dmitry Peskov" in set(found["speaker"])
    assert query_statements(seeded, speakers=["Russia"]).empty
    counts = monthly_stance_counts(seeded, actors=sorted(wanted))
    assert counts["count"].sum() == len(found)


def test_monthly_counts_add_up_to_the_filtered_statements(seeded: sa.Engine) -> None:
    counts = monthly_stance_counts(seeded, from_month="2025-01", stances=["openness", "proposal"])
    statements = query_statements(seeded, from_month="2025-01", stances=["openness", "proposal"])
    assert list(counts.columns) == ["month", "stance", "count"]
    assert counts["count"].sum() == len(statements)
    assert set(counts["stance"]) <= {"openness", "proposal"}


def test_speakers_and_affiliations_are_listed_once_each(seeded: sa.Engine) -> None:
    speakers = list_speakers(seeded)
    assert len(speakers) == len(set(speakers))
    assert "Volodymyr Zelensky" in speakers
    assert {"Ukraine", "Russia", "United States"} <= set(list_affiliations(seeded))


def _record(**changes: object) -> dict[str, object]:
    """A valid record; keyword arguments override its fields."""
    record: dict[str, object] = {
        "date": "2025-05-11",
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


def _table_snapshot(engine: sa.Engine) -> str:
    """Every row of every store table, in id order, as text: equal text means an unchanged store."""
    lines = []
    with engine.connect() as connection:
        for table in (statements_table, statement_edits, store_meta):
            order = table.c.id if "id" in table.c else table.c.key
            for row in connection.execute(sa.select(table).order_by(order)):
                lines.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(lines)


@pytest.fixture
def empty(store_url: str) -> Iterator[sa.Engine]:
    engine = get_engine(store_url, seed=False)
    yield engine
    engine.dispose()


def test_the_database_itself_refuses_duplicates_and_unknown_stances(empty: sa.Engine) -> None:
    add_statement(empty, _record(), added_by="test")
    with empty.connect() as connection:
        row = dict(connection.execute(sa.select(statements_table)).mappings().one())
    del row["id"]
    with pytest.raises(sa.exc.IntegrityError), empty.begin() as connection:
        connection.execute(sa.insert(statements_table).values(**row))
    row["statement_key"] = "0" * 64
    row["stance"] = "maybe"
    with pytest.raises(sa.exc.IntegrityError), empty.begin() as connection:
        connection.execute(sa.insert(statements_table).values(**row))
    assert len(query_statements(empty)) == 1


def test_sqlite_store_is_created_in_wal_mode_with_a_busy_timeout(tmp_path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'new' / 'folder' / 'statements.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert (tmp_path / "new" / "folder" / "statements.db").is_file()
    finally:
        engine.dispose()


def test_default_database_comes_from_config(tmp_path, monkeypatch, seed_only: None) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    engine = get_engine()
    try:
        assert engine.url.database == str(tmp_path / "from-env.db")
        assert len(query_statements(engine)) == _seed_rows()
    finally:
        engine.dispose()


def test_seed_is_not_reloaded_after_the_table_is_emptied(store_url: str) -> None:
    engine = get_engine(store_url)
    try:
        for statement_id in query_statements(engine)["id"]:
            delete_statement(engine, int(statement_id), deleted_by="test")
        assert _count_in_new_process(store_url) == "0 statement(s)"
    finally:
        engine.dispose()


def test_add_update_delete_keep_a_history(empty: sa.Engine) -> None:
    statement_id = add_statement(empty, _record(), added_by="editor-a")
    update_statement(empty, statement_id, {"stance": "openness", "mediators": []}, edited_by="b")
    stored = query_statements(empty).iloc[0]
    assert (stored["stance"], stored["mediators"], stored["added_by"]) == (
        "openness",
        [],
        "editor-a",
    )
    assert query_statements(empty, stances=["openness"])["id"].tolist() == [statement_id]

    with pytest.raises(StatementError, match="stance"):
        update_statement(empty, statement_id, {"stance": "maybe"}, edited_by="b")
    with pytest.raises(StatementError, match="not an editable field"):
        update_statement(empty, statement_id, {"id": 7}, edited_by="b")
    with pytest.raises(StatementError, match="no statement #999"):
        update_statement(empty, 999, {"stance": "other"}, edited_by="b")

    delete_statement(empty, statement_id, deleted_by="c")
    history = statement_history(empty, statement_id)
    assert [entry["action"] for entry in history] == ["update", "delete"]
    assert history[0]["changes"]["stance"] == ["proposal", "openness"]
    assert history[1]["edited_by"] == "c"
    assert len(query_statements(empty)) == 0


def test_an_edit_may_not_turn_a_statement_into_a_duplicate(empty: sa.Engine) -> None:
    first = add_statement(empty, _record(), added_by="test")
    second = add_statement(empty, _record(quote="Another quote"), added_by="test")
    with pytest.raises(StatementError, match=f"duplicate statement #{first}"):
        update_statement(
            empty,
            second,
            {"quote": "we PROPOSE to resume direct negotiations in Istanbul"},
            edited_by="t",
        )


def test_same_statement_is_recognised_despite_case_spacing_and_quote_marks(
    empty: sa.Engine,
) -> None:
    add_statement(empty, _record(quote="a “window” may be — slowly — opening"), added_by="test")
    variant = _record(quote='A  "WINDOW" may be - slowly - opening ', speaker=" vladimir putin ")
    other_day = _record(quote="a “window” may be — slowly — opening", date="2025-05-12")
    assert find_duplicates(empty, [variant, other_day, {"date": "bad"}]) == [True, False, False]
    with pytest.raises(StatementError, match="already stored as statement #1"):
        add_statement(empty, variant, added_by="test")


def test_import_is_idempotent_and_reports_repeats(empty: sa.Engine) -> None:
    rows = [_record(), _record(quote="Second"), _record()]
    first = import_records(empty, rows, added_by="test", source_label="batch")
    assert (first.ok, first.added, first.repeated_in_file, first.already_stored) == (True, 2, 1, 0)
    assert "row 3 repeats row 1" in first.notes[0]
    second = import_records(empty, rows, added_by="test", source_label="batch")
    assert (second.added, second.already_stored) == (0, 2)
    assert len(query_statements(empty)) == 2


def test_import_with_one_bad_row_writes_nothing(empty: sa.Engine) -> None:
    add_statement(empty, _record(quote="already here"), added_by="test")
    before = _table_snapshot(empty)
    rows = [_record(quote="new one"), _record(stance="maybe"), _record(date="2025-02-30")]
    report = import_records(empty, rows, added_by="test", source_label="upload.csv")
    assert not report.ok and report.added == 0
    assert report.errors == [
        "upload.csv, row 2, stance: 'maybe' is not one of: " + ", ".join(STANCES),
        "upload.csv, row 3, date: '2025-02-30' is not a real calendar date",
    ]
    assert _table_snapshot(empty) == before


def test_the_import_check_reports_what_the_import_would_and_writes_nothing(
    empty: sa.Engine,
) -> None:
    """Issue 12: the preview said "0 problem(s)" and the import then listed problems; and the
    summary's row count read as the rows with problems."""
    add_statement(empty, _record(quote="already here"), added_by="test")
    before = _table_snapshot(empty)
    rows = [
        _record(quote="new one"),
        _record(stance="maybe", date="2025-02-30"),
        _record(quote="already here"),
        _record(date="2025-02-30"),
    ]
    locations = ["line 2", "line 3", "line 4", "line 5"]
    checked = check_import(empty, rows, source_label="upload.csv", locations=locations)
    imported = import_records(
        empty, rows, added_by="test", source_label="upload.csv", locations=locations
    )
    assert checked.errors == imported.errors and len(checked.errors) == 3
    assert (
        checked.summary()
        == imported.summary()
        == ("upload.csv: nothing imported; 3 problem(s) in 2 of 4 row(s): line 3, line 5")
    )
    assert _table_snapshot(empty) == before

    good = [rows[0], rows[2]]
    preview = check_import(empty, good, source_label="good.csv")
    assert (preview.ok, preview.already_stored, preview.added) == (True, 1, 0)
    assert _table_snapshot(empty) == before
    assert import_records(empty, good, added_by="test", source_label="good.csv").added == 1


def test_a_statement_dated_in_the_future_is_refused_naming_row_and_field(
    empty: sa.Engine, tmp_path
) -> None:
    """Issue 12: a future date was accepted without a word, by import and by the editors' form."""
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    path = tmp_path / "upload.csv"
    path.write_bytes(
        b"".join([_csv_line(RECORD_FIELDS), _csv_line(_cells()), _csv_line(_cells(date=future))])
    )
    report = import_file(empty, path, added_by="test")
    assert report.errors == [
        f"upload.csv, line 3, date: {future} is in the future; a statement is dated the day it "
        f"was said, on or before today ({latest_statement_date().isoformat()})"
    ]
    assert query_statements(empty).empty
    with pytest.raises(StatementError, match=f"^date: {future} is in the future"):
        add_statement(empty, _record(date=future), added_by="editor")
    statement_id = add_statement(empty, _record(), added_by="editor")
    with pytest.raises(StatementError, match=f"^date: {future} is in the future"):
        update_statement(empty, statement_id, {"date": future}, edited_by="editor")
    assert query_statements(empty)["date"].tolist() == [dt.date(2025, 5, 11)]


WRITERS = 8
STATEMENTS_PER_WRITER = 200
# Each writer is its own process with its own engine and connections, like separate app servers.
# All of them wait for the "go" file so their writes overlap instead of running one after another.
WRITER_SCRIPT = """
import sys, time, pathlib
from lib.statements import add_statement, get_engine, import_records
url, writer, go, mode = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4]
engine = get_engine(url, seed=False)
pathlib.Path("%s.ready.%d" % (go, writer)).touch()
def record(n, speaker):
    return {"date": "2025-01-%02d" % (n % 28 + 1), "speaker": speaker, "stance": "other",
            "quote": "statement %d" % n}
while not go.exists():
    time.sleep(0.005)
if mode == "distinct":
    for n in range(int(sys.argv[5])):
        add_statement(engine, record(n, "Writer %d" % writer), added_by="writer-%d" % writer)
else:
    rows = [record(n, "Everyone") for n in range(int(sys.argv[5]))]
    report = import_records(engine, rows, added_by="writer-%d" % writer, source_label="same")
    assert report.ok, report.errors
    print(report.added)
"""


def _run_writers(store_url: str, tmp_path, mode: str) -> list[str]:
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER_SCRIPT,
                store_url,
                str(n),
                str(go),
                mode,
                str(STATEMENTS_PER_WRITER),
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    deadline = time.monotonic() + 300
    while len(list(tmp_path.glob("go.ready.*"))) < WRITERS and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    outputs = []
    for writer in writers:
        stdout, stderr = writer.communicate(timeout=600)
        assert writer.returncode == 0, stderr
        outputs.append(stdout.strip())
    return outputs


def test_eight_concurrent_writers_lose_nothing(store_url: str, tmp_path) -> None:
    _run_writers(store_url, tmp_path, "distinct")
    engine = get_engine(store_url, seed=False)
    try:
        stored = query_statements(engine)
        assert len(stored) == WRITERS * STATEMENTS_PER_WRITER == 1600
        assert stored.groupby("added_by").size().tolist() == [STATEMENTS_PER_WRITER] * WRITERS
        # The writes really overlapped: in id order the writers take turns, not one block each.
        writer_by_id = stored.sort_values("id")["added_by"].tolist()
        turns = sum(a != b for a, b in itertools.pairwise(writer_by_id))
        assert turns > WRITERS
    finally:
        engine.dispose()


def test_eight_concurrent_imports_of_one_file_store_it_once(store_url: str, tmp_path) -> None:
    added = _run_writers(store_url, tmp_path, "same")
    engine = get_engine(store_url, seed=False)
    try:
        assert len(query_statements(engine)) == STATEMENTS_PER_WRITER
        assert sum(int(count) for count in added) == STATEMENTS_PER_WRITER
    finally:
        engine.dispose()


def test_eight_threads_sharing_one_engine_lose_nothing(empty: sa.Engine) -> None:
    def write(writer: int) -> None:
        for n in range(STATEMENTS_PER_WRITER):
            add_statement(
                empty,
                _record(speaker=f"Thread {writer}", quote=f"statement {n}"),
                added_by=f"thread-{writer}",
            )

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(write, range(WRITERS)))
    assert len(query_statements(empty)) == WRITERS * STATEMENTS_PER_WRITER


EDITED_FIELDS = {
    "role": lambda round_: f"Role in round {round_}",
    "affiliation": lambda round_: f"Affiliation {round_}",
    "source_name": lambda round_: f"Outlet {round_}",
    "stance": lambda round_: STANCES[round_ % len(STANCES)],
    "mediators": lambda round_: [f"Mediator {round_}"],
    "quote_is_paraphrase": lambda round_: round_ % 2 == 1,
}


def test_editors_changing_different_fields_at_once_lose_no_change(empty: sa.Engine) -> None:
    """Six editors each save one field of the same statement at the same moment, ten times over:
    every change is kept (on PostgreSQL the read-modify-write used to lose two to five of six)."""
    statement_id = add_statement(empty, _record(), added_by="test")
    for round_ in range(1, 11):
        start = threading.Barrier(len(EDITED_FIELDS))

        def edit(field: str, round_: int = round_, start: threading.Barrier = start) -> None:
            start.wait()
            update_statement(
                empty, statement_id, {field: EDITED_FIELDS[field](round_)}, edited_by=field
            )

        with ThreadPoolExecutor(max_workers=len(EDITED_FIELDS)) as pool:
            list(pool.map(edit, EDITED_FIELDS))
        stored = query_statements(empty).set_index("id").loc[statement_id]
        kept = {field: stored[field] == make(round_) for field, make in EDITED_FIELDS.items()}
        assert all(kept.values()), f"round {round_}: changes lost: {kept}"


def test_two_imports_of_the_same_rows_in_opposite_orders_both_succeed(empty: sa.Engine) -> None:
    """On PostgreSQL, inserting the same keys in opposite orders used to deadlock, and one import
    was refused."""
    for round_ in range(5):
        rows = [_record(quote=f"round {round_} statement {n}") for n in range(200)]
        start = threading.Barrier(2)

        def run(ordered: list[dict[str, object]], start: threading.Barrier = start):
            start.wait()
            return import_records(empty, ordered, added_by="test", source_label="file")

        with ThreadPoolExecutor(max_workers=2) as pool:
            reports = list(pool.map(run, [rows, rows[::-1]]))
        assert [report.errors for report in reports] == [[], []]
        assert sum(report.added for report in reports) == len(rows)


# Two days ahead is in the future in every time zone.
FUTURE_DATE = (dt.date.today() + dt.timedelta(days=2)).isoformat()

VALIDATION_CASES = [
    # (case name, fields changed from a valid record, field at fault or None, message fragment)
    ("valid_full_record", {}, None, None),
    (
        "valid_minimal_record",
        {
            "role": None,
            "affiliation": None,
            "mediators": None,
            "source_name": None,
            "source_url": None,
        },
        None,
        None,
    ),
    ("valid_flag_as_text", {"quote_is_paraphrase": "Yes"}, None, None),
    ("valid_mediators_as_cell", {"mediators": "Turkey; United States"}, None, None),
    ("valid_stance_in_capitals", {"stance": " Proposal "}, None, None),
    ("valid_html_is_just_text", {"quote": "<script>alert('x')</script>"}, None, None),
    ("valid_formula_is_just_text", {"quote": '=HYPERLINK("http://x")'}, None, None),
    ("valid_date_object", {"date": dt.date(2022, 3, 29)}, None, None),
    ("missing_date", {"date": None}, "date", "is missing or empty"),
    ("blank_date", {"date": "  "}, "date", "is missing or empty"),
    ("date_day_first", {"date": "11/05/2025"}, "date", "not a date in the form YYYY-MM-DD"),
    ("date_impossible", {"date": "2025-02-30"}, "date", "not a real calendar date"),
    ("date_too_early", {"date": "1900-01-01"}, "date", "is before 1991-01-01"),
    ("date_in_the_future", {"date": FUTURE_DATE}, "date", f"{FUTURE_DATE} is in the future"),
    ("date_as_number", {"date": 20250511}, "date", "expected text YYYY-MM-DD, got a number"),
    ("stance_unknown", {"stance": "maybe"}, "stance", "'maybe' is not one of: proposal"),
    ("stance_as_list", {"stance": ["proposal"]}, "stance", "expected text, got a list"),
    ("stance_missing", {"stance": ""}, "stance", "is missing or empty"),
    ("speaker_blank", {"speaker": "   "}, "speaker", "is missing or empty"),
    ("speaker_as_number", {"speaker": 42}, "speaker", "expected text, got a number"),
    ("speaker_with_line_break", {"speaker": "A\nB"}, "speaker", "a line break"),
    (
        "speaker_too_long",
        {"speaker": "x" * 201},
        "speaker",
        "201 characters long; the limit is 200",
    ),
    ("quote_empty", {"quote": ""}, "quote", "is missing or empty"),
    ("quote_with_nul", {"quote": "a\x00b"}, "quote", "control character U+0000"),
    ("quote_lone_surrogate", {"quote": "a\ud800b"}, "quote", "lone surrogate"),
    ("quote_too_long", {"quote": "x" * 5001}, "quote", "5,001 characters long; the limit is 5,000"),
    ("quote_ten_megabytes", {"quote": "x" * 10_000_000}, "quote", "10,000,000 characters long"),
    ("quote_as_object", {"quote": {"text": "x"}}, "quote", "expected text, got an object"),
    ("url_javascript", {"source_url": "javascript:alert(1)"}, "source_url", "not an http(s)"),
    ("url_ftp", {"source_url": "ftp://example.org/x"}, "source_url", "not an http(s)"),
    ("url_without_host", {"source_url": "https://"}, "source_url", "not an http(s)"),
    ("url_with_space", {"source_url": "https://example.org/a b"}, "source_url", "contains spaces"),
    ("url_too_long", {"source_url": "https://x.org/" + "a" * 2000}, "source_url", "the limit is"),
    ("mediators_as_object", {"mediators": {"Turkey": 1}}, "mediators", "expected a list of names"),
    ("mediator_not_text", {"mediators": ["Turkey", 7]}, "mediators", "item 2 should be text"),
    ("mediator_empty_in_list", {"mediators": ["Turkey", " "]}, "mediators", "item 2 is empty"),
    ("mediator_with_separator", {"mediators": ["A;B"]}, "mediators", "contains ';'"),
    ("mediators_too_many", {"mediators": [f"C{n}" for n in range(31)]}, "mediators", "limit is 30"),
    ("flag_unclear", {"quote_is_paraphrase": "maybe"}, "quote_is_paraphrase", "true or false"),
    ("flag_as_number", {"quote_is_paraphrase": 2}, "quote_is_paraphrase", "got a number"),
    ("added_at_not_a_time", {"added_at": "yesterday"}, "added_at", "not a timestamp"),
]


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        pytest.param(changes, field, fragment, id=name)
        for name, changes, field, fragment in VALIDATION_CASES
    ],
)
def test_validation(changes: dict[str, object], field: str | None, fragment: str | None) -> None:
    valid, errors = validate_records([_record(**changes)], locations=["line 2"])
    if field is None:
        assert errors == []
        assert len(valid) == 1
        assert valid[0]["stance"] in STANCES and isinstance(valid[0]["date"], dt.date)
    else:
        assert valid == []
        assert any(
            error.startswith(f"line 2, {field}: ") and fragment in error for error in errors
        ), errors


def test_validation_cleans_values() -> None:
    valid, _ = validate_records(
        [
            _record(
                mediators=" Turkey ;; United States ",
                stance="Openness",
                quote_is_paraphrase="no",
                speaker="  Putin ",
            )
        ]
    )
    assert valid[0]["mediators"] == ["Turkey", "United States"]
    assert (valid[0]["stance"], valid[0]["quote_is_paraphrase"], valid[0]["speaker"]) == (
        "openness",
        False,
        "Vladimir Putin",
    )


ALIAS_CASES = [
    # (case name, speaker given, affiliation given, speaker stored, affiliation stored)
    ("accent_dropped", "Recep Tayyip Erdogan", "Turkish", "Recep Tayyip Erdoğan", "Turkey"),
    ("surname_only", "Erdogan", "Turkey", "Recep Tayyip Erdoğan", "Turkey"),
    (
        "transliteration_ending",
        "Zelenskiy",
        "Ukrainian government",
        "Volodymyr Zelensky",
        "Ukraine",
    ),
    ("ukrainian_spelling", "Sibiga", "Kyiv", "Andrii Sybiha", "Ukraine"),
    ("german_spelling", "Dmitri Peskow", "Kremlin", "Dmitry Peskov", "Russia"),
    ("canonical_kept", "Andrii Sybiha", "Ukraine", "Andrii Sybiha", "Ukraine"),
    ("unknown_kept", "  Jane Roe ", "Example Institute", "Jane Roe", "Example Institute"),
    (
        "label_kept",
        "German government official (unnamed)",
        "",
        "German government official (unnamed)",
        "",
    ),
]


@pytest.mark.parametrize(
    ("speaker", "affiliation", "stored_speaker", "stored_affiliation"),
    [case[1:] for case in ALIAS_CASES],
    ids=[case[0] for case in ALIAS_CASES],
)
def test_validation_gives_one_name_per_person(
    speaker: str, affiliation: str, stored_speaker: str, stored_affiliation: str
) -> None:
    valid, errors = validate_records([_record(speaker=speaker, affiliation=affiliation)])
    assert errors == []
    assert (valid[0]["speaker"], valid[0]["affiliation"]) == (stored_speaker, stored_affiliation)


def test_validation_numbers_rows_from_one_and_reports_every_problem() -> None:
    _, errors = validate_records([_record(), "not an object", _record(date="x", stance="y")])
    assert errors == [
        "row 2: expected an object with named fields, got str",
        "row 3, date: 'x' is not a date in the form YYYY-MM-DD",
        "row 3, stance: 'y' is not one of: " + ", ".join(STANCES),
    ]


def _csv_line(cells: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _cells(**changes: object) -> list[str]:
    record = _record(**changes)
    return [
        "; ".join(record[name])
        if name == "mediators"
        else str(record[name]).lower()
        if name == "quote_is_paraphrase"
        else str(record[name])
        for name in RECORD_FIELDS
    ]


def _hostile_csv() -> bytes:
    """A CSV mixing acceptable-but-nasty rows with broken ones; line numbers in the comments."""
    return b"".join(
        [
            _csv_line(RECORD_FIELDS),  # line 1
            _csv_line(_cells(quote="fine row")),  # line 2
            _csv_line(_cells(quote="<script>alert(document.cookie)</script><b>bold</b>")),  # 3
            _csv_line(_cells(speaker="=cmd|' /C calc'!A0", quote="+SUM(1,2)", source_name="@x")),
            _csv_line(_cells(quote="x" * 10 * 1024 * 1024)),  # line 5: a 10 MB field
            _csv_line(_cells(quote="bytes")).replace(b"bytes", b"caf\xe9 \xff"),  # line 6
            _csv_line(_cells(quote="line one\nline two")),  # lines 7-8: one record on two lines
            _csv_line(_cells(date="2025-13-01")),  # line 9
            _csv_line(_cells(quote="fine row")),  # line 10: repeats line 2
            _csv_line(_cells(source_url="javascript:alert(1)")),  # line 11
            b"2025-05-11,only three,cells\n",  # line 12
            _csv_line(_cells(stance="maybe", speaker="")),  # line 13
        ]
    )


def test_hostile_csv_is_reported_line_by_line_and_changes_nothing(
    seeded: sa.Engine, tmp_path
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(_hostile_csv())
    before = _table_snapshot(seeded)
    report = import_file(seeded, path, added_by="test")
    assert not report.ok and report.added == 0
    assert report.errors == [
        "hostile.csv, line 6: byte 0xe9 at column 66 is not UTF-8; save the file as UTF-8",
        "hostile.csv, line 12: has 3 cells, the header has 10",
        "hostile.csv, line 5, quote: is 10,485,760 characters long; the limit is 5,000",
        "hostile.csv, line 9, date: '2025-13-01' is not a real calendar date",
        "hostile.csv, line 11, source_url: 'javascript:alert(1)' "
        "is not an http(s) address with a host",
        "hostile.csv, line 13, speaker: is missing or empty",
        "hostile.csv, line 13, stance: 'maybe' is not one of: " + ", ".join(STANCES),
    ]
    assert _table_snapshot(seeded) == before


def test_hostile_json_is_reported_record_by_record_and_changes_nothing(
    seeded: sa.Engine, tmp_path
) -> None:
    records = [
        _record(quote="fine"),
        _record(date=20250511, speaker=["Putin"], stance=None),
        "just a string",
        _record(mediators="Turkey", quote_is_paraphrase="sometimes"),
        _record(mediators=[1, None], quote={"nested": ["deep"]}),
        _record(quote="<img src=x onerror=alert(1)>", source_url="data:text/html,hi"),
        _record(quote="y" * 10 * 1024 * 1024),
        _record(quote="fine"),
    ]
    path = tmp_path / "hostile.json"
    path.write_bytes(json.dumps(records).encode("utf-8"))
    before = _table_snapshot(seeded)
    report = import_file(seeded, path, added_by="test")
    assert report.added == 0
    assert report.errors == [
        "hostile.json, record 2, date: expected text YYYY-MM-DD, got a number",
        "hostile.json, record 2, speaker: expected text, got a list",
        "hostile.json, record 2, stance: is missing or empty",
        "hostile.json, record 3: expected an object with named fields, got str",
        "hostile.json, record 4, quote_is_paraphrase: expected true or false, got 'sometimes'",
        "hostile.json, record 5, quote: expected text, got an object",
        "hostile.json, record 5, mediators: item 1 should be text, got a number",
        "hostile.json, record 5, mediators: item 2 should be text, got null",
        "hostile.json, record 6, source_url: 'data:text/html,hi' "
        "is not an http(s) address with a host",
        "hostile.json, record 7, quote: is 10,485,760 characters long; the limit is 5,000",
    ]
    assert _table_snapshot(seeded) == before


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param(b"", "line 1: the file is empty", id="empty_file"),
        pytest.param(
            b"date,speaker\n2025-01-01,x\n", "lacks column(s) stance, quote", id="missing_columns"
        ),
        pytest.param(
            b"date,date,speaker,stance,quote\n", "named more than once: date", id="repeated_column"
        ),
        pytest.param("date,speaker".encode("utf-16"), "UTF-16", id="utf16_file"),
    ],
)
def test_unusable_csv_files_are_refused_with_a_reason(
    empty: sa.Engine, tmp_path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    report = import_file(empty, path, added_by="test")
    assert not report.ok
    assert fragment in report.errors[0]
    assert len(query_statements(empty)) == 0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param(b'[{"date": ', "line 1, column 11: not valid JSON", id="truncated_json"),
        pytest.param(b'{"rows": []}', "expected a JSON list", id="wrong_shape"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested too deeply", id="deep_nesting"),
        pytest.param(b'[{"date": "caf\xe9"}]', "byte 0xe9", id="latin1_bytes"),
    ],
)
def test_unusable_json_files_are_refused_with_a_reason(
    empty: sa.Engine, tmp_path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "upload.json"
    path.write_bytes(content)
    report = import_file(empty, path, added_by="test")
    assert not report.ok
    assert any(fragment in error for error in report.errors), report.errors
    assert len(query_statements(empty)) == 0


def test_a_json_list_of_millions_of_empty_records_is_refused_before_parsing(
    empty: sa.Engine, tmp_path
) -> None:
    path = tmp_path / "empties.json"
    path.write_bytes(b"[" + b",".join([b"{}"] * (5 * MAX_ROWS)) + b"]")
    report = import_file(empty, path, added_by="test")
    assert report.errors == [
        f"empties.json: the JSON holds {5 * MAX_ROWS + 1:,} objects and lists; a file of at "
        f"most {MAX_ROWS:,} records holds far fewer, so it is not read (split the file)"
    ]
    assert len(query_statements(empty)) == 0


def test_a_json_list_longer_than_the_row_limit_is_refused(empty: sa.Engine, tmp_path) -> None:
    path = tmp_path / "numbers.json"
    path.write_bytes(b"[" + b",".join([b"1"] * (MAX_ROWS + 1)) + b"]")
    report = import_file(empty, path, added_by="test")
    assert report.errors == [
        f"numbers.json: record {MAX_ROWS + 1}: more than {MAX_ROWS:,} records; reading stopped "
        "and nothing is imported (split the file)"
    ]


def test_a_csv_of_millions_of_broken_lines_stops_at_the_row_limit(
    store_url: str, tmp_path, capsys
) -> None:
    path = tmp_path / "letters.csv"
    path.write_bytes(b"date,speaker,stance,quote\n" + b"x\n" * (3 * MAX_ROWS))
    assert main(["import", str(path), "--database", store_url]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == "letters.csv, line 2: has 1 cells, the header has 4"
    assert errors[MAX_LISTED_PROBLEMS] == (
        f"… and {MAX_ROWS + 1 - MAX_LISTED_PROBLEMS:,} more problem(s) not listed"
    )
    assert errors[-1].startswith(f"letters.csv: nothing imported; {MAX_ROWS + 1} problem(s)")
    assert len(errors) == MAX_LISTED_PROBLEMS + 2


def test_an_added_at_past_the_end_of_time_in_utc_is_a_problem_of_its_record(
    empty: sa.Engine,
) -> None:
    report = import_records(
        empty, [_record(added_at="9999-12-31T23:59:59-01:00")], added_by="test", source_label="f"
    )
    assert report.errors == [
        "f, row 1, added_at: '9999-12-31T23:59:59-01:00' is out of range in UTC"
    ]


def test_a_number_of_five_thousand_digits_is_refused_with_its_record_number(
    store_url: str, tmp_path, capsys
) -> None:
    path = tmp_path / "digits.json"
    path.write_text(
        "[" + json.dumps(_record()) + ', {"date": ' + "9" * 5000 + "}]", encoding="utf-8"
    )
    assert main(["import", str(path), "--database", store_url]) == 1
    errors = capsys.readouterr().err
    assert "digits.json, record 2, date: expected text YYYY-MM-DD, got a number" in errors


def test_semicolon_separated_csv_from_a_european_spreadsheet_is_read(
    empty: sa.Engine, tmp_path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        b"\xef\xbb\xbfdate;speaker;stance;quote\r\n2025-05-11;Putin;proposal;talks, in Istanbul\r\n"
    )
    report = import_file(empty, path, added_by="test")
    assert report.ok and report.added == 1
    assert query_statements(empty)["quote"].tolist() == ["talks, in Istanbul"]


def test_html_and_formulas_are_stored_as_text_and_exported_inert(
    empty: sa.Engine, tmp_path
) -> None:
    nasty = {
        "speaker": "=cmd|' /C calc'!A0",
        "quote": "<script>alert(document.cookie)</script> & -1 @home",
        "source_name": "+44 news",
        "role": "@mention",
        "affiliation": "'=already quoted",
        "mediators": ["-Turkey", "=United States"],
    }
    add_statement(empty, _record(**nasty), added_by="\tsneaky")
    stored = query_statements(empty).iloc[0]
    assert {name: stored[name] for name in nasty} == nasty
    assert stored["added_by"] == "sneaky"  # surrounding whitespace is trimmed

    exported_csv = export_statements(empty, "csv")
    rows = list(csv.DictReader(io.StringIO(exported_csv)))
    for cell in rows[0].values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[0]["speaker"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["affiliation"] == "''=already quoted"

    exported_json = export_statements(empty, "json")
    assert "<" not in exported_json and ">" not in exported_json and "&" not in exported_json
    assert (
        json.loads(exported_json)[0]["quote"]
        == "<script>alert(document.cookie)</script> & -1 @home"
    )

    for fmt, text in (("csv", exported_csv), ("json", exported_json)):
        path = tmp_path / f"export.{fmt}"
        path.write_text(text, encoding="utf-8")
        other = get_engine(f"sqlite:///{tmp_path / f'copy-{fmt}.db'}", seed=False)
        assert import_file(other, path, added_by="copy").added == 1
        copy = query_statements(other).iloc[0]
        assert {name: copy[name] for name in nasty} == nasty
        other.dispose()


def _clear(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.delete(statements_table))
        connection.execute(sa.delete(statement_edits))


def _text(max_size: int, *, multiline: bool = False) -> st.SearchStrategy[str]:
    characters = st.characters(
        exclude_categories=("Cs", "Cc"), include_characters="\n\r\t" if multiline else ""
    )
    plain = st.text(characters, min_size=1, max_size=max_size)
    formula_like = st.builds(
        str.__add__, st.sampled_from(["=", "+", "-", "@", "'", "'=", "''", "'-"]), plain
    )
    return st.one_of(plain, formula_like).filter(lambda text: bool(text.strip()))


def _mediator() -> st.SearchStrategy[str]:
    return _text(30).filter(lambda name: ";" not in name)


valid_records = st.fixed_dictionaries(
    {
        "date": st.dates(dt.date(1991, 1, 1), dt.date.today()),
        "speaker": _text(40),
        "role": st.one_of(st.just(""), _text(40)),
        "affiliation": st.one_of(st.just(""), _text(40)),
        "stance": st.sampled_from(STANCES),
        "quote": st.one_of(_text(200, multiline=True), st.just("<script>alert(1)</script>")),
        "quote_is_paraphrase": st.booleans(),
        "mediators": st.lists(_mediator(), max_size=4),
        "source_name": st.one_of(st.just(""), _text(40)),
        "source_url": st.one_of(
            st.just(""),
            st.builds(lambda path: "https://example.org/" + quote(path), st.text(max_size=20)),
        ),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    # The store fixture is created once per test; every example empties it before use.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(records=st.lists(valid_records, max_size=6), fmt=st.sampled_from(["csv", "json"]))
def test_export_then_import_reproduces_the_table(
    empty: sa.Engine, tmp_path, records: list[dict[str, object]], fmt: str
) -> None:
    _clear(empty)
    first = import_records(empty, records, added_by="hypothesis", source_label="generated")
    assert first.ok, first.errors
    original = query_statements(empty)
    path = tmp_path / f"export.{fmt}"
    path.write_text(export_statements(empty, fmt), encoding="utf-8", newline="")
    _clear(empty)
    again = import_file(empty, path, added_by="someone else")
    assert again.ok, again.errors
    assert again.added == len(original)
    copy = query_statements(empty)
    assert copy.drop(columns="id").to_dict("records") == original.drop(columns="id").to_dict(
        "records"
    )


@given(st.text())
def test_neutralising_is_reversible_and_leaves_no_formula_start(text: str) -> None:
    neutral = neutralise(text)
    assert unneutralise(neutral) == text
    assert not neutral.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_cli_import_is_idempotent_and_lists_what_it_added(store_url: str, tmp_path, capsys) -> None:
    path = tmp_path / "two.csv"
    path.write_bytes(
        b"".join([_csv_line(RECORD_FIELDS), _csv_line(_cells()), _csv_line(_cells(quote="2"))])
    )
    assert main(["import", str(path), "--database", store_url]) == 0
    assert "two.csv: 2 row(s) read, 2 added, 0 already stored" in capsys.readouterr().out
    assert main(["import", str(path), "--database", store_url, "--added-by", "desk"]) == 0
    assert "0 added, 2 already stored" in capsys.readouterr().out


def test_cli_import_of_a_bad_file_fails_with_every_problem(
    store_url: str, tmp_path, capsys
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(_hostile_csv())
    assert main(["import", str(path), "--database", store_url]) == 1
    errors = capsys.readouterr().err
    for where in (
        "line 5, quote",
        "line 6: byte",
        "line 9, date",
        "line 11, source_url",
        "line 12:",
        "line 13, stance",
    ):
        assert where in errors
    assert "hostile.csv: nothing imported; 7 problem(s)" in errors
    assert main(["import", str(tmp_path / "missing.csv"), "--database", store_url]) == 1
    assert "cannot be read" in capsys.readouterr().err


def test_cli_export_and_list_apply_the_filters(
    store_url: str, tmp_path, capsys, seed_only: None
) -> None:
    out = tmp_path / "openness.json"
    arguments = [
        "--from",
        "2025-03",
        "--to",
        "2025-05",
        "--stance",
        "openness",
        "--database",
        store_url,
    ]
    assert main(["export", "--format", "json", "--out", str(out), *arguments]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert len(exported) == 7
    assert {row["stance"] for row in exported} == {"openness"}
    assert all("2025-03" <= row["date"][:7] <= "2025-05" for row in exported)

    assert main(["list", *arguments]) == 0
    listed = capsys.readouterr()
    assert len(listed.out.splitlines()) == 7 and "7 statement(s)" in listed.err
    assert all(" openness " in line for line in listed.out.splitlines())

    assert main(["export", "--database", store_url, "--text", "TURKEY"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    assert all("turkey" in (row["quote"] + row["speaker"] + row["role"]).lower() for row in rows)

    assert main(["list", "--actor", "Russia", "--database", store_url]) == 0
    by_actor = capsys.readouterr()
    assert (
        main(["list", "--affiliation", "Russia", "--speaker", "Zelensky", "--database", store_url])
        == 0
    )
    assert capsys.readouterr().err == "0 statement(s)\n"
    russia = query_statements(get_engine(store_url), affiliations=["Russia"])
    assert by_actor.err == f"{len(russia)} statement(s)\n" and len(russia) > 0


def test_cli_refuses_bad_arguments(store_url: str, capsys) -> None:
    assert main(["list", "--from", "2025-13", "--database", store_url]) == 2
    assert "from_month: '2025-13' is not a month in the form YYYY-MM" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["list", "--stance", "maybe"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path) -> None:
    database_url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lib.statements",
            "list",
            "--stance",
            "rejection",
            "--text",
            "useless to try to press on us",
            "--database",
            database_url,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "rejection" in result.stdout and "1 statement(s)" in result.stderr


@pytest.mark.realdata
def test_shipped_seed_is_the_transcription_of_the_annotations(articles_dir, tmp_path) -> None:
    regenerated = tmp_path / "seed.csv"
    assert write_seed_csv(articles_dir, regenerated) == 46  # 52 entries - 4 off-topic - 2 repeats
    assert regenerated.read_bytes() == SEED_FILE.read_bytes()
    texts = {path.stem: path.read_text(encoding="utf-8") for path in articles_dir.glob("*.txt")}
    for record in read_statements_file(SEED_FILE).rows:
        assert any(record["quote"] in text for text in texts.values()), record["quote"]


def test_text_search_takes_wildcards_literally_and_filters_are_checked(empty: sa.Engine) -> None:
    add_statement(empty, _record(quote="We are 100% ready"), added_by="test")
    add_statement(empty, _record(quote="Ready for talks_now"), added_by="test")
    add_statement(empty, _record(quote="Ready for talks now"), added_by="test")
    assert query_statements(empty, text="100%")["quote"].tolist() == ["We are 100% ready"]
    assert query_statements(empty, text="talks_now")["quote"].tolist() == ["Ready for talks_now"]
    assert len(query_statements(empty, text="  READY ")) == 3
    with pytest.raises(ValueError, match="unknown stance"):
        query_statements(empty, stances=["maybe"])
    with pytest.raises(ValueError, match="to_month: '2025-5' is not a month"):
        monthly_stance_counts(empty, to_month="2025-5")
    assert query_statements(empty, from_month="2025-06", to_month="2025-04").empty


REFUSING_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER refuse_third BEFORE INSERT ON statements WHEN NEW.quote = 'third' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_third() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.quote = 'third' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER refuse_third BEFORE INSERT ON statements "
        "FOR EACH ROW EXECUTE FUNCTION refuse_third()",
    ],
}


def test_import_refused_midway_by_the_database_rolls_back_every_row(empty: sa.Engine) -> None:
    with empty.begin() as connection:
        for statement in REFUSING_TRIGGERS[empty.dialect.name]:
            connection.exec_driver_sql(statement)
    before = _table_snapshot(empty)
    rows = [_record(quote="first"), _record(quote="second"), _record(quote="third")]
    report = import_records(empty, rows, added_by="test", source_label="batch")
    assert report.added == 0 and report.added_ids == []
    assert "the database refused the import, nothing was written" in report.errors[0]
    assert "refused by the test trigger" in report.errors[0]
    assert _table_snapshot(empty) == before
