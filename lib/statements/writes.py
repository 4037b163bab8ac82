"""Writes to the store: all-or-nothing imports, adding, editing and deleting statements.

Idempotence is the database's job: each row carries `statement_key` (a hash of date, speaker and
normalised quote) under a UNIQUE constraint, and inserts use ON CONFLICT DO NOTHING, so two
sessions importing the same file at once still store each statement once. Every edit and
deletion is logged in `statement_edits` with the editor's name, the fields' old values and the
statement's identity before the change (date, speaker, quote), by which the bundled-record sync
knows a row editors changed or removed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from lib.statements.aliases import canonical_affiliation, canonical_speaker
from lib.statements.engines import writing
from lib.statements.files import ParsedFile, read_statements_file
from lib.statements.queries import find_duplicates
from lib.statements.records import (
    RECORD_FIELDS,
    StatementError,
    clean_editor_name,
    search_text,
    statement_key,
    validate_record,
    validate_records,
)
from lib.statements.schema import (
    decode_row,
    identity_json,
    row_values,
    statement_edits,
    statements,
    utc_now,
)

# Recorded as the editor of the renames and merges `merge_aliases` makes.
MERGE_EDITOR = "merge-aliases"


@dataclass
class ImportReport:
    """What an import did (or, from `check_import`, would do): counts, and every problem found
    (nothing is written if any)."""

    source_label: str
    rows_read: int = 0
    added: int = 0
    already_stored: int = 0
    repeated_in_file: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)
    # Where the problems are ("line 3", "record 2"); a row with two problems is named once.
    problem_locations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{self.source_label}: nothing imported; {self.problems_text()}"
        return (
            f"{self.source_label}: {self.rows_read} row(s) read, {self.added} added, "
            f"{self.already_stored} already stored, {self.repeated_in_file} repeated in the file"
        )

    def problems_text(self) -> str:
        """ "3 problem(s) in 2 of 5 row(s): line 3, line 7" (the rows named when there are any)."""
        text = f"{len(self.errors)} problem(s)"
        if self.problem_locations:
            text += (
                f" in {len(self.problem_locations)} of {self.rows_read} row(s): "
                + ", ".join(self.problem_locations[:10])
                + (" …" if len(self.problem_locations) > 10 else "")
            )
        elif self.errors:
            text += " in the file itself"
        return text


def insert_if_new(
    connection: Connection, record: Mapping[str, Any], *, added_by: str, now: dt.datetime
) -> int | None:
    """Insert a clean record unless the database already holds it; the new id, or None."""
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(statements)
        .values(**row_values(record, added_by=added_by, now=now))
        .on_conflict_do_nothing(index_elements=["statement_key"])
        .returning(statements.c.id)
    )
    return connection.execute(statement).scalar_one_or_none()


def check_import(
    engine: Engine,
    rows: Iterable[Mapping[str, Any]],
    *,
    source_label: str,
    locations: Sequence[str] | None = None,
    file_errors: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> ImportReport:
    """What `import_records` would report, writing nothing: every problem by row, the rows
    repeated in the file and those the store already holds (`added` stays 0)."""
    report, unique_records = _checked(
        rows, source_label=source_label, locations=locations, file_errors=file_errors, notes=notes
    )
    if report.ok:
        report.already_stored = sum(find_duplicates(engine, unique_records))
    return report


def import_records(
    engine: Engine,
    rows: Iterable[Mapping[str, Any]],
    *,
    added_by: str,
    source_label: str,
    locations: Sequence[str] | None = None,
    file_errors: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> ImportReport:
    """Import records all-or-nothing; statements already stored (or repeated) are skipped.

    Any invalid row (or a `file_errors` entry from reading the file) means nothing is written;
    the report lists every problem, each prefixed with `source_label` and the row's location.
    """
    added_by = clean_editor_name(added_by)
    report, unique_records = _checked(
        rows, source_label=source_label, locations=locations, file_errors=file_errors, notes=notes
    )
    if report.errors:
        return report
    now = utc_now()
    # Inserted in key order: two imports holding some of the same statements then take the
    # unique index's locks in the same order and one waits for the other, where file order let
    # PostgreSQL deadlock them (and refuse one).
    unique_records.sort(
        key=lambda record: statement_key(record["date"], record["speaker"], record["quote"])
    )
    try:
        with writing(engine) as connection:
            for record in unique_records:
                new_id = insert_if_new(connection, record, added_by=added_by, now=now)
                if new_id is None:
                    report.already_stored += 1
                else:
                    report.added_ids.append(new_id)
    except sa.exc.DBAPIError as error:
        report.added_ids.clear()
        report.already_stored = 0
        report.errors.append(
            f"{source_label}: the database refused the import, nothing was written ({error.orig})"
        )
        return report
    report.added = len(report.added_ids)
    return report


def _checked(
    rows: Iterable[Mapping[str, Any]],
    *,
    source_label: str,
    locations: Sequence[str] | None,
    file_errors: Sequence[str],
    notes: Sequence[str],
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Validate the rows: the report with every problem (and the repeats noted), and the valid
    records each once, in file order."""
    rows = list(rows)
    locations = (
        list(locations) if locations is not None else [f"row {n}" for n in range(1, len(rows) + 1)]
    )
    report = ImportReport(source_label=source_label, rows_read=len(rows), notes=list(notes))
    for error in file_errors:
        if error.startswith("line "):
            report.errors.append(f"{source_label}, {error}")
            line = error.split(":", 1)[0]
            if line not in report.problem_locations:
                report.problem_locations.append(line)
        else:
            report.errors.append(f"{source_label}: {error}")
    valid_with_location = []
    for row, where in zip(rows, locations, strict=True):
        records, errors = validate_records([row], locations=[where])
        report.errors.extend(f"{source_label}, {error}" for error in errors)
        if errors and where not in report.problem_locations:
            report.problem_locations.append(where)
        valid_with_location.extend((record, where) for record in records)
    first_seen: dict[str, str] = {}
    unique_records = []
    for record, where in valid_with_location:
        key = statement_key(record["date"], record["speaker"], record["quote"])
        if key in first_seen:
            report.repeated_in_file += 1
            report.notes.append(f"{where} repeats {first_seen[key]}; imported once")
            continue
        first_seen[key] = where
        unique_records.append(record)
    return report, unique_records


def import_file(
    engine: Engine, path: str | Path, *, added_by: str, fmt: str | None = None
) -> ImportReport:
    """Read a CSV/JSON file and import it all-or-nothing (see `import_records`)."""
    parsed: ParsedFile = read_statements_file(path, fmt=fmt)
    return import_records(
        engine,
        parsed.rows,
        added_by=added_by,
        source_label=Path(path).name,
        locations=parsed.locations,
        file_errors=parsed.errors,
        notes=parsed.notes,
    )


def add_statement(engine: Engine, record: Mapping[str, Any], *, added_by: str) -> int:
    """Store one record and return its id; StatementError if invalid or already stored."""
    added_by = clean_editor_name(added_by)
    clean, problems = validate_record(record)
    if clean is None:
        raise StatementError([f"{problem.field}: {problem.message}" for problem in problems])
    with writing(engine) as connection:
        new_id = insert_if_new(connection, clean, added_by=added_by, now=utc_now())
        if new_id is None:
            existing = _id_for_key(connection, clean)
            raise StatementError(
                [f"already stored as statement #{existing} (same date, speaker and quote)"]
            )
    return new_id


def update_statement(
    engine: Engine, statement_id: int, changes: Mapping[str, Any], *, edited_by: str
) -> None:
    """Change fields of one statement, validated as a whole; logged with `edited_by`."""
    edited_by = clean_editor_name(edited_by)
    unknown = sorted(set(changes) - set(RECORD_FIELDS))
    if unknown:
        raise StatementError([f"{name}: not an editable field" for name in unknown])
    with writing(engine) as connection:
        current = _fetch_record(connection, statement_id, for_update=True)
        clean, problems = validate_record({**current, **changes})
        if clean is None:
            raise StatementError([f"{problem.field}: {problem.message}" for problem in problems])
        existing = _id_for_key(connection, clean)
        if existing is not None and existing != statement_id:
            raise StatementError(
                [f"would duplicate statement #{existing} (same date, speaker and quote)"]
            )
        diff = {
            name: [_jsonable(current[name]), _jsonable(clean[name])]
            for name in RECORD_FIELDS
            if current[name] != clean[name]
        }
        if not diff:
            return
        values = row_values(clean, added_by="", now=utc_now())
        connection.execute(
            sa.update(statements)
            .where(statements.c.id == statement_id)
            .values(
                {name: values[name] for name in (*RECORD_FIELDS, "statement_key", "search_text")}
            )
        )
        _log_edit(connection, current, "update", edited_by, diff)


def delete_statement(engine: Engine, statement_id: int, *, deleted_by: str) -> None:
    """Remove one statement; its last content is kept in the edit log with `deleted_by`."""
    deleted_by = clean_editor_name(deleted_by)
    with writing(engine) as connection:
        current = _fetch_record(connection, statement_id, for_update=True)
        connection.execute(sa.delete(statements).where(statements.c.id == statement_id))
        _log_edit(connection, current, "delete", deleted_by, _removed(current))


@dataclass
class MergeReport:
    """What `merge_aliases` did: ids renamed to canonical names, ids merged into another id."""

    renamed: list[int] = field(default_factory=list)
    merged: dict[int, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{len(self.renamed)} statement(s) renamed to canonical names, "
            f"{len(self.merged)} merged into the same statement under its canonical name"
        )


def merge_aliases(engine: Engine, *, edited_by: str = MERGE_EDITOR) -> MergeReport:
    """Give every stored statement the canonical speaker and affiliation (lib.statements.aliases).

    Rows that become the same statement (same date, canonical speaker and quote) are merged into
    the oldest: the others are removed, each logged as a "merge" with its content and the id it
    went into; every renamed row is logged as an "update". Idempotent.
    """
    edited_by = clean_editor_name(edited_by)
    with writing(engine) as connection:
        return merge_aliases_in(connection, edited_by=edited_by)


def merge_aliases_in(connection: Connection, *, edited_by: str) -> MergeReport:
    """`merge_aliases` inside the caller's write transaction."""
    report = MergeReport()
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in connection.execute(sa.select(statements).order_by(statements.c.id)).mappings():
        record = decode_row(row)
        canonical = {
            **record,
            "speaker": canonical_speaker(record["speaker"]),
            "affiliation": canonical_affiliation(record["affiliation"]),
        }
        key = statement_key(canonical["date"], canonical["speaker"], canonical["quote"])
        groups.setdefault(key, []).append(record | {"canonical": canonical})
    renames = []
    for key, (survivor, *repeats) in groups.items():
        for repeat in repeats:
            connection.execute(sa.delete(statements).where(statements.c.id == repeat["id"]))
            changes = _removed(repeat) | {"merged_into": [None, survivor["id"]]}
            _log_edit(connection, repeat, "merge", edited_by, changes)
            report.merged[repeat["id"]] = survivor["id"]
        if survivor["statement_key"] != key or any(
            survivor[name] != survivor["canonical"][name] for name in ("speaker", "affiliation")
        ):
            renames.append((survivor, key))
    # After every merge: a renamed row may take the key a merged row held.
    for survivor, key in renames:
        canonical = survivor["canonical"]
        connection.execute(
            sa.update(statements)
            .where(statements.c.id == survivor["id"])
            .values(
                speaker=canonical["speaker"],
                affiliation=canonical["affiliation"],
                statement_key=key,
                search_text=search_text(canonical),
            )
        )
        diff = {
            name: [survivor[name], canonical[name]]
            for name in ("speaker", "affiliation")
            if survivor[name] != canonical[name]
        }
        _log_edit(connection, survivor, "update", edited_by, diff)
        report.renamed.append(survivor["id"])
    return report


def _removed(record: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The log's changes for a removed statement: every field's last value, then nothing."""
    return {name: [_jsonable(record[name]), None] for name in RECORD_FIELDS}


def _fetch_record(
    connection: Connection, statement_id: int, *, for_update: bool = False
) -> dict[str, Any]:
    """One stored statement; `for_update` locks its row until the transaction ends, so two editors
    saving at once on PostgreSQL apply their changes one after the other instead of each writing
    back the row it read (SQLite's write transactions are serialised already)."""
    query = sa.select(statements).where(statements.c.id == statement_id)
    if for_update:
        query = query.with_for_update()
    row = connection.execute(query).mappings().one_or_none()
    if row is None:
        raise StatementError([f"no statement #{statement_id}"])
    return decode_row(row)


def _id_for_key(connection: Connection, record: Mapping[str, Any]) -> int | None:
    key = statement_key(record["date"], record["speaker"], record["quote"])
    return connection.execute(
        sa.select(statements.c.id).where(statements.c.statement_key == key)
    ).scalar_one_or_none()


def _log_edit(
    connection: Connection,
    before: Mapping[str, Any],
    action: str,
    who: str,
    changes: Mapping[str, Any],
) -> None:
    """Log one change to the statement `before` (its stored record until this change)."""
    connection.execute(
        sa.insert(statement_edits).values(
            statement_id=before["id"],
            action=action,
            edited_at=utc_now(),
            edited_by=who,
            changes=json.dumps(changes, ensure_ascii=False),
            identity_before=identity_json(before),
        )
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
