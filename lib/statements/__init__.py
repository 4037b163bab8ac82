"""Diplomatic statements about ending the Russia–Ukraine war, kept in SQLite or PostgreSQL.

The public API: `get_engine` (schema migrated, bundled record synced), the queries the dashboard
draws from, validation (canonical names, no future dates), all-or-nothing import, editing with an
edit log, and exports safe to open in a spreadsheet. CLI:
`python -m lib.statements import|export|list|coverage|sync-bundled|merge-aliases|migrate|
seed-from-articles`.
"""

from lib.statements.database import (
    SEED_FILE,
    BundledRecordError,
    SyncReport,
    bundled_files,
    get_engine,
    migrate,
    read_bundled_record,
    sync_bundled,
)
from lib.statements.files import (
    EXPORT_COLUMNS,
    ParsedFile,
    neutralise,
    parse_statements,
    read_statements_file,
    records_to_csv,
    unneutralise,
)
from lib.statements.queries import (
    export_statements,
    find_duplicates,
    list_affiliations,
    list_speakers,
    monthly_stance_counts,
    query_statements,
    statement_history,
    statements_per_month,
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
from lib.statements.writes import (
    ImportReport,
    MergeReport,
    add_statement,
    check_import,
    delete_statement,
    import_file,
    import_records,
    merge_aliases,
    update_statement,
)

__all__ = [
    "EXPORT_COLUMNS",
    "MAX_LENGTHS",
    "RECORD_FIELDS",
    "SEED_FILE",
    "STANCES",
    "STATEMENT_COLUMNS",
    "BundledRecordError",
    "ImportReport",
    "MergeReport",
    "ParsedFile",
    "StatementError",
    "SyncReport",
    "add_statement",
    "bundled_files",
    "check_import",
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
    "merge_aliases",
    "migrate",
    "monthly_stance_counts",
    "neutralise",
    "parse_statements",
    "query_statements",
    "read_bundled_record",
    "read_statements_file",
    "records_to_csv",
    "statement_history",
    "statements_per_month",
    "sync_bundled",
    "unneutralise",
    "update_statement",
    "validate_record",
    "validate_records",
]
