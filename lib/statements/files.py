"""Statement files: reading CSV/JSON uploads defensively, and writing exports safe for spreadsheets.

Reading never raises on bad content: every problem becomes a message naming the line (CSV, whose
header is line 1) or the record (JSON, counting from 1), so one pass reports everything. Reading
stops after MAX_ROWS records (the whole statements record is about a thousand): a 64 MB file of
millions of tiny broken records is refused after a bounded amount of work and memory, instead of
building millions of rows and problems (JSON's objects and lists are counted before parsing).

Spreadsheet safety: a cell that starts with = + - @ (or tab/CR) is prefixed with an apostrophe
so Excel and LibreOffice show it as text instead of running it. The same prefix is added to a
cell that already starts with an apostrophe followed by one of those characters (or another
apostrophe), which makes the rule reversible: reading strips exactly one leading apostrophe in
those two cases, so export -> import gives back the stored text exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.statements.records import (
    EXTRA_COLUMNS,
    MEDIATOR_SEPARATOR,
    PROVENANCE_FIELDS,
    RECORD_FIELDS,
    REQUIRED_FIELDS,
    STATEMENT_COLUMNS,
)

EXPORT_COLUMNS = STATEMENT_COLUMNS + EXTRA_COLUMNS
# Large enough for any honest file, small enough to refuse a mistaken upload of a dump.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 50_000
# Objects and lists in a JSON file: one per record and one per mediators list, with room to spare.
MAX_JSON_CONTAINERS = 4 * MAX_ROWS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
FORMATS = ("csv", "json")
# Columns an import understands; "id" is recognised but ignored (the database assigns ids).
KNOWN_COLUMNS = {*RECORD_FIELDS, *PROVENANCE_FIELDS, "id"}

# Raised once for the process rather than per read: the limit is global to the csv module, and
# restoring it after each read would race with a concurrent import in another app session.
# Over-long cells are then refused by validation, with their length, instead of by the parser.
csv.field_size_limit(MAX_FILE_BYTES)


@dataclass
class ParsedFile:
    """Rows read from a file, where each came from, and what was wrong with the file itself."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def neutralise(text: str) -> str:
    """Text as written to an export cell: formula starts prefixed with an apostrophe."""
    if text.startswith(FORMULA_STARTS) or _is_escaped(text):
        return NEUTRALISING_PREFIX + text
    return text


def unneutralise(text: str) -> str:
    """Undo `neutralise` (also accepts the apostrophe a spreadsheet user typed by hand)."""
    return text[1:] if _is_escaped(text) else text


def _is_escaped(text: str) -> bool:
    return (
        text.startswith(NEUTRALISING_PREFIX)
        and len(text) > 1
        and text[1] in (*FORMULA_STARTS, NEUTRALISING_PREFIX)
    )


def detect_format(name: str, data: bytes) -> str:
    """csv or json, from the file name's suffix, else from the first non-blank byte."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"[", b"{") else "csv"


def read_statements_file(path: str | Path, *, fmt: str | None = None) -> ParsedFile:
    """Read a CSV or JSON file of statement records; problems are reported, not raised."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ParsedFile(
                errors=[f"{path.name}: {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"]
            )
        data = path.read_bytes()
    except OSError as error:
        return ParsedFile(errors=[f"{path}: cannot be read ({error.strerror or error})"])
    return parse_statements(data, fmt=fmt or detect_format(path.name, data))


def parse_statements(data: bytes, *, fmt: str) -> ParsedFile:
    """Parse the bytes of a CSV or JSON statements file (as uploaded or read from disk)."""
    if fmt not in FORMATS:
        return ParsedFile(errors=[f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}"])
    if len(data) > MAX_FILE_BYTES:
        return ParsedFile(errors=[f"{len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}"])
    text, encoding_errors = _decode(data)
    if not text and encoding_errors:
        return ParsedFile(errors=encoding_errors)
    parsed = _parse_csv(text) if fmt == "csv" else _parse_json(text)
    parsed.errors[:0] = encoding_errors
    return parsed


def _decode(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 text (a BOM is accepted); bytes that are not UTF-8 are reported by line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", ["the file is UTF-16 (as Excel's 'Unicode Text' saves it); save it as UTF-8"]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    errors = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            errors.append(
                f"line {number}: byte 0x{line[error.start]:02x} at column {error.start + 1} "
                "is not UTF-8; save the file as UTF-8"
            )
    return data.decode("utf-8-sig", errors="replace"), errors


def _parse_csv(text: str) -> ParsedFile:
    parsed = ParsedFile()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = _read_header(reader, parsed)
    if header is None:
        return parsed
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            parsed.errors.append(f"line {start_line}: not readable as CSV ({error})")
            break
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(parsed.locations) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append(_too_many_rows(f"line {start_line}"))
            break
        if len(cells) != len(header):
            parsed.errors.append(
                f"line {start_line}: has {len(cells)} cells, the header has {len(header)}"
            )
            continue
        row = {
            name: unneutralise(cell)
            for name, cell in zip(header, cells, strict=True)
            if name in KNOWN_COLUMNS and name != "id"
        }
        parsed.rows.append(row)
        parsed.locations.append(f"line {start_line}")
    return parsed


def _delimiter(text: str) -> str:
    """Comma, or semicolon for the CSV that spreadsheets in many European locales save."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _read_header(reader: Any, parsed: ParsedFile) -> list[str] | None:
    try:
        header = next(reader, None)
    except csv.Error as error:
        parsed.errors.append(f"line 1: not readable as CSV ({error})")
        return None
    if not header:
        parsed.errors.append("line 1: the file is empty; expected a header row")
        return None
    names = [unneutralise(name).strip().lower() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        parsed.errors.append(f"line 1: column(s) named more than once: {', '.join(repeated)}")
        return None
    missing = [name for name in REQUIRED_FIELDS if name not in names]
    if missing:
        parsed.errors.append(
            f"line 1: the header lacks column(s) {', '.join(missing)}; "
            f"expected columns: {', '.join(RECORD_FIELDS)}"
        )
        return None
    unknown = [name for name in names if name not in KNOWN_COLUMNS]
    if unknown:
        parsed.notes.append(f"ignored column(s) not in the record: {', '.join(unknown)}")
    return names


def _too_many_rows(where: str) -> str:
    return (
        f"{where}: more than {MAX_ROWS:,} records; reading stopped and nothing is imported "
        "(split the file)"
    )


def _json_int(digits: str) -> int | float:
    """An integer as JSON gives it; one too long for int() (over 4,300 digits) becomes a float
    (inf), so the record is refused by validation with its number and field."""
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def _parse_json(text: str) -> ParsedFile:
    parsed = ParsedFile()
    # Counted before parsing (at C speed): a 64 MB list of `{}` or `[]` would otherwise build
    # twenty million Python objects. Brackets inside strings count too, which only errs on the
    # side of refusing files no statements record comes near.
    containers = text.count("{") + text.count("[")
    if containers > MAX_JSON_CONTAINERS:
        parsed.errors.append(
            f"the JSON holds {containers:,} objects and lists; a file of at most {MAX_ROWS:,} "
            "records holds far fewer, so it is not read (split the file)"
        )
        return parsed
    try:
        document = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        parsed.errors.append(
            f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        )
        return parsed
    except RecursionError:
        parsed.errors.append("the JSON is nested too deeply to be a list of statements")
        return parsed
    if isinstance(document, dict) and isinstance(document.get("statements"), list):
        items = document["statements"]
    elif isinstance(document, list):
        items = document
    else:
        parsed.errors.append('expected a JSON list of statement objects (or {"statements": [...]})')
        return parsed
    if len(items) > MAX_ROWS:
        parsed.errors.append(_too_many_rows(f"record {MAX_ROWS + 1}"))
        return parsed
    unknown: set[str] = set()
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            unknown.update(str(key) for key in item if key not in KNOWN_COLUMNS)
            item = {
                key: _unneutralise_value(value)
                for key, value in item.items()
                if key in KNOWN_COLUMNS and key != "id"
            }
        parsed.rows.append(item)
        parsed.locations.append(f"record {number}")
    if unknown:
        parsed.notes.append(f"ignored field(s) not in the record: {', '.join(sorted(unknown))}")
    return parsed


def _unneutralise_value(value: Any) -> Any:
    if isinstance(value, str):
        return unneutralise(value)
    if isinstance(value, list):
        return [unneutralise(item) if isinstance(item, str) else item for item in value]
    return value


def records_to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text (header first) of rows shaped like query results, every text cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in columns])
    return buffer.getvalue()


def records_to_json(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A JSON list of objects, text neutralised as in CSV; < > & escaped so it is inert in HTML."""
    payload = [{name: _json_value(row[name]) for name in columns} for row in rows]
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return neutralise(f"{MEDIATOR_SEPARATOR} ".join(value))
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list):
        return [neutralise(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(str(value))
