"""The statement record: its fields, the nine stances, and validation with row-numbered messages.

Validation is pure (no database): the import, the editors' form and the extraction review all
call it, so a record is judged the same way wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lib.statements.aliases import canonical_affiliation, canonical_speaker

STANCES = (
    "proposal",
    "openness",
    "condition",
    "skepticism",
    "rejection",
    "impasse",
    "pressure",
    "battlefield_claim",
    "other",
)
STATEMENT_COLUMNS = [
    "id",
    "date",
    "speaker",
    "role",
    "affiliation",
    "stance",
    "quote",
    "mediators",
    "source_name",
    "source_url",
    "added_at",
    "added_by",
]
# Columns the store keeps beyond the agreed ones; query results and exports carry them at the end.
EXTRA_COLUMNS = ["quote_is_paraphrase"]
# What an import or the editors' form may set; id is assigned by the database.
RECORD_FIELDS = [
    "date",
    "speaker",
    "role",
    "affiliation",
    "stance",
    "quote",
    "quote_is_paraphrase",
    "mediators",
    "source_name",
    "source_url",
]
# Provenance an import keeps when a file carries it (an export re-imported), else the importer's.
PROVENANCE_FIELDS = ["added_at", "added_by"]
REQUIRED_FIELDS = ("date", "speaker", "stance", "quote")
TEXT_FIELDS = ("speaker", "role", "affiliation", "quote", "source_name", "source_url")

# Limits in characters: generous for real statements, small enough that a pasted page or a
# runaway cell is refused instead of bloating every query result.
MAX_LENGTHS = {
    "speaker": 200,
    "role": 300,
    "affiliation": 200,
    "quote": 5000,
    "source_name": 200,
    "source_url": 2000,
    "added_by": 100,
}
MAX_MEDIATORS = 30
MAX_MEDIATOR_LENGTH = 200
# Mediators travel as one "; "-separated cell in CSV, so a name may not contain the separator.
MEDIATOR_SEPARATOR = ";"
EARLIEST_DATE = dt.date(1991, 1, 1)
# Problems listed for one file or import; the rest are counted in one closing line, so a file of
# a million broken rows gives a readable answer rather than a million lines.
MAX_LISTED_PROBLEMS = 100
# A statement is dated the day it was said, so never after today; "today" is the date where it
# is latest on Earth (UTC+14), so a statement made this morning in Kyiv or Tokyo is accepted on a
# server whose clock is still on yesterday.
LATEST_UTC_OFFSET = dt.timedelta(hours=14)
PARAPHRASE_TRUE = {"true", "yes", "1", "y"}
PARAPHRASE_FALSE = {"false", "no", "0", "n", ""}

_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_SINGLE_LINE_FIELDS = {"speaker", "role", "affiliation", "source_name", "source_url", "added_by"}
_QUOTE_FOLDS = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "−": "-",
    }
)


class StatementError(ValueError):
    """A record or an edit was refused; `problems` lists every reason, one message each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row."""

    field: str
    message: str


def fold_text(text: str) -> str:
    """Text as compared and searched: straight quotes and dashes, no accents, one space, no case.

    So "Erdoğan" finds "Erdogan" and a quote pasted with curly quotes matches one typed plainly.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_QUOTE_FOLDS).split()).casefold()


def statement_key(date: dt.date, speaker: str, quote: str) -> str:
    """Identity of a statement (same date, speaker and normalised quote) as a fixed-size hash.

    A hash keeps the database's uniqueness index small whatever the quote's length (PostgreSQL
    cannot index long text directly).
    """
    identity = "\x1f".join((date.isoformat(), fold_text(speaker), fold_text(quote)))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def search_text(record: Mapping[str, Any]) -> str:
    """What free-text search looks in: quote, speaker and role, folded in Python.

    Folding here rather than with SQL lower() gives the same matches on SQLite (whose lower()
    only knows ASCII) and PostgreSQL.
    """
    return "\n".join(fold_text(record[name]) for name in ("quote", "speaker", "role"))


def validate_record(fields: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check one raw record (strings from CSV, JSON values) and return it cleaned, or problems.

    The clean record has `date` as datetime.date, `mediators` as list[str], stripped strings,
    speaker and affiliation canonical (lib.statements.aliases) and `quote_is_paraphrase` as
    bool; `added_at`/`added_by` are kept when present and valid.
    """
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    for name in REQUIRED_FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(name, "is missing or empty"))
    clean["date"] = _check_date(fields.get("date"), problems)
    for name in TEXT_FIELDS:
        clean[name] = _check_text(name, fields.get(name), problems)
    clean["speaker"] = canonical_speaker(clean["speaker"])
    clean["affiliation"] = canonical_affiliation(clean["affiliation"])
    clean["stance"] = _check_stance(fields.get("stance"), problems)
    clean["mediators"] = _check_mediators(fields.get("mediators"), problems)
    clean["quote_is_paraphrase"] = _check_flag(fields.get("quote_is_paraphrase"), problems)
    if clean["source_url"]:
        _check_url(clean["source_url"], problems)
    if fields.get("added_at") not in (None, ""):
        clean["added_at"] = _check_timestamp(fields["added_at"], problems)
    if fields.get("added_by") not in (None, ""):
        clean["added_by"] = _check_text("added_by", fields["added_by"], problems)
    if problems:
        order = [*RECORD_FIELDS, *PROVENANCE_FIELDS]
        return None, sorted(problems, key=lambda problem: order.index(problem.field))
    return clean, []


def clean_editor_name(name: str) -> str:
    """The name recorded as added_by/edited_by, trimmed; StatementError if unusable."""
    problems: list[Problem] = []
    cleaned = _check_text("added_by", name, problems)
    if not cleaned and not problems:
        problems.append(Problem("added_by", "is missing or empty"))
    if problems:
        raise StatementError([f"editor name: {problem.message}" for problem in problems])
    return cleaned


def record_identity(fields: Mapping[str, Any]) -> str | None:
    """The statement key of a record whose date, speaker and quote are valid, else None
    (the speaker canonical, as validation makes it).

    The other fields are not judged, so a candidate without a stance can still be recognised
    as already stored.
    """
    problems: list[Problem] = []
    date = _check_date(fields.get("date"), problems)
    speaker = _check_text("speaker", fields.get("speaker"), problems)
    quote = _check_text("quote", fields.get("quote"), problems)
    if problems or fields.get("date") in (None, "") or not speaker or not quote:
        return None
    return statement_key(date, canonical_speaker(speaker), quote)


def validate_records(
    rows: Iterable[Mapping[str, Any]], *, locations: Sequence[str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Validate many records; return the clean ones and one message per problem.

    Messages name the row as the user sees it: `locations[i]` (e.g. "line 5" of a CSV whose
    header is line 1, or "record 3" of a JSON list), else "row N" counting from 1.
    """
    valid: list[dict[str, Any]] = []
    errors: list[str] = []
    for index, row in enumerate(rows):
        where = locations[index] if locations is not None else f"row {index + 1}"
        if not isinstance(row, Mapping):
            errors.append(f"{where}: expected an object with named fields, got {_kind(row)}")
            continue
        clean, problems = validate_record(row)
        if clean is not None:
            valid.append(clean)
        errors.extend(f"{where}, {problem.field}: {problem.message}" for problem in problems)
    return valid, errors


def listed_problems(problems: Sequence[str], limit: int = MAX_LISTED_PROBLEMS) -> list[str]:
    """The first `limit` problems, then one line counting the others (if any)."""
    if len(problems) <= limit:
        return list(problems)
    return [*problems[:limit], f"… and {len(problems) - limit:,} more problem(s) not listed"]


def _check_date(value: Any, problems: list[Problem]) -> dt.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        return EARLIEST_DATE
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    elif not isinstance(value, str):
        problems.append(Problem("date", f"expected text YYYY-MM-DD, got {_kind(value)}"))
        return EARLIEST_DATE
    else:
        text = value.strip()
        if not _DATE_PATTERN.fullmatch(text):
            problems.append(Problem("date", f"{_show(text)} is not a date in the form YYYY-MM-DD"))
            return EARLIEST_DATE
        try:
            parsed = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(Problem("date", f"{_show(text)} is not a real calendar date"))
            return EARLIEST_DATE
    if parsed < EARLIEST_DATE:
        problems.append(
            Problem("date", f"{parsed.isoformat()} is before {EARLIEST_DATE.isoformat()}")
        )
    latest = latest_statement_date()
    if parsed > latest:
        problems.append(
            Problem(
                "date",
                f"{parsed.isoformat()} is in the future; a statement is dated the day it was "
                f"said, on or before today ({latest.isoformat()})",
            )
        )
    return parsed


def latest_statement_date() -> dt.date:
    """The latest date a statement may carry: today, wherever on Earth it is already today."""
    return (dt.datetime.now(dt.UTC) + LATEST_UTC_OFFSET).date()


def _check_text(name: str, value: Any, problems: list[Problem]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(Problem(name, f"expected text, got {_kind(value)}"))
        return ""
    text = value.strip()
    limit = MAX_LENGTHS[name]
    if len(text) > limit:
        problems.append(Problem(name, f"is {len(text):,} characters long; the limit is {limit:,}"))
        return ""
    bad = _bad_character(text, allow_newlines=name not in _SINGLE_LINE_FIELDS)
    if bad:
        problems.append(Problem(name, bad))
    return text


def _bad_character(text: str, *, allow_newlines: bool) -> str | None:
    for position, char in enumerate(text, start=1):
        if allow_newlines and char in "\n\r\t":
            continue
        if 0xD800 <= ord(char) <= 0xDFFF:
            return f"character {position} is a lone surrogate (U+{ord(char):04X}), not text"
        if unicodedata.category(char) == "Cc":
            what = "a line break" if char in "\n\r" else f"a control character U+{ord(char):04X}"
            return f"character {position} is {what}, which this field may not contain"
    return None


def _check_stance(value: Any, problems: list[Problem]) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not isinstance(value, str):
        problems.append(Problem("stance", f"expected text, got {_kind(value)}"))
        return ""
    stance = value.strip().lower()
    if stance not in STANCES:
        problems.append(Problem("stance", f"{_show(value)} is not one of: {', '.join(STANCES)}"))
    return stance


def _check_mediators(value: Any, problems: list[Problem]) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        names = value.split(MEDIATOR_SEPARATOR)
    elif isinstance(value, list | tuple):
        names = list(value)
    else:
        problems.append(Problem("mediators", f"expected a list of names, got {_kind(value)}"))
        return []
    clean: list[str] = []
    for position, name in enumerate(names, start=1):
        if not isinstance(name, str):
            problems.append(
                Problem("mediators", f"item {position} should be text, got {_kind(name)}")
            )
            continue
        name = name.strip()
        if not name:
            if isinstance(value, str):
                continue
            problems.append(Problem("mediators", f"item {position} is empty"))
        elif MEDIATOR_SEPARATOR in name:
            problems.append(
                Problem("mediators", f"item {position} contains '{MEDIATOR_SEPARATOR}'")
            )
        elif len(name) > MAX_MEDIATOR_LENGTH:
            problems.append(
                Problem(
                    "mediators",
                    f"item {position} is {len(name):,} characters long; "
                    f"the limit is {MAX_MEDIATOR_LENGTH}",
                )
            )
        elif bad := _bad_character(name, allow_newlines=False):
            problems.append(Problem("mediators", f"item {position}: {bad}"))
        else:
            clean.append(name)
    if len(clean) > MAX_MEDIATORS:
        problems.append(Problem("mediators", f"{len(clean)} names; the limit is {MAX_MEDIATORS}"))
    return clean


def _check_flag(value: Any, problems: list[Problem]) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in PARAPHRASE_TRUE:
            return True
        if text in PARAPHRASE_FALSE:
            return False
    problems.append(
        Problem("quote_is_paraphrase", f"expected true or false, got {_show_any(value)}")
    )
    return False


def _check_url(url: str, problems: list[Problem]) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as error:
        problems.append(Problem("source_url", f"{_show(url)} is not a URL ({error})"))
        return
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        problems.append(
            Problem("source_url", f"{_show(url)} is not an http(s) address with a host")
        )
    elif any(char.isspace() for char in url):
        problems.append(Problem("source_url", f"{_show(url)} contains spaces"))


def _check_timestamp(value: Any, problems: list[Problem]) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            problems.append(
                Problem("added_at", f"{_show(value)} is not a timestamp (ISO 8601 expected)")
            )
            return None
    else:
        problems.append(Problem("added_at", f"expected an ISO 8601 timestamp, got {_kind(value)}"))
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    try:
        return stamp.astimezone(dt.UTC)
    except OverflowError:
        # 9999-12-31T23:59:59-01:00 is a valid ISO timestamp one hour past datetime's range.
        problems.append(Problem("added_at", f"{_show(str(value))} is out of range in UTC"))
        return None


def _kind(value: Any) -> str:
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }
    if value is None:
        return "null"
    return names.get(type(value), type(value).__name__)


def _show(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[:limit] + "…"
    return repr(shown)


def _show_any(value: Any) -> str:
    return _show(value) if isinstance(value, str) else _kind(value)
