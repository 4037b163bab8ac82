"""Diplomatic statements about ending the Russia–Ukraine war, kept in SQLite or PostgreSQL.

The public API (see CONTRACTS.md): `get_engine`, the queries the dashboard draws from, validation,
all-or-nothing import, editing, and exports safe to open in a spreadsheet. CLI:
`python -m lib.statements import|export|list|seed-from-articles`.
"""

from lib.statements.files import (
    EXPORT_COLUMNS,
    ParsedFile,
    neutralise,
    parse_statements,
    read_statements_file,
    records_to_csv,
    unneutralise,
)
from lib.statements.records import (
    MAX_LENGTHS,
    RECORD_FIELDS,
    STANCES,
    STATEMENT_COLUMNS,
    StatementError,
    fold_text,
    listed_problems,
    validate_record,
    validate_records,
)
from lib.statements.store import (
    SEED_FILE,
    ImportReport,
    add_statement,
    delete_statement,
    export_statements,
    find_duplicates,
    get_engine,
    import_file,
    import_records,
    list_affiliations,
    list_speakers,
    monthly_stance_counts,
    query_statements,
    statement_history,
    update_statement,
)

__all__ = [
    "EXPORT_COLUMNS",
    "MAX_LENGTHS",
    "RECORD_FIELDS",
    "SEED_FILE",
    "STANCES",
    "STATEMENT_COLUMNS",
    "ImportReport",
    "ParsedFile",
    "StatementError",
    "add_statement",
    "delete_statement",
    "export_statements",
    "find_duplicates",
    "fold_text",
    "get_engine",
    "import_file",
    "import_records",
    "list_affiliations",
    "list_speakers",
    "listed_problems",
    "monthly_stance_counts",
    "neutralise",
    "parse_statements",
    "query_statements",
    "read_statements_file",
    "records_to_csv",
    "statement_history",
    "unneutralise",
    "update_statement",
    "validate_record",
    "validate_records",
]
