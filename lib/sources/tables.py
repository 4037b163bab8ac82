"""The tables of the shared snapshot store (lib/sources/shared_store.py), on the store's metadata.

They live in the same database as the statements and come with the same Alembic migrations
(revision 0003 in lib/statements/migrations), which create them on SQLite too, where nothing
uses them (one machine keeps the file cache). The migrations' env.py imports this module so
that autogenerate compares them too.
"""

import sqlalchemy as sa

from lib.statements.schema import metadata

ACCEPTED = "accepted"
QUARANTINED = "quarantined"

snapshot_sources = sa.Table(
    "snapshot_sources",
    metadata,
    sa.Column("source", sa.String(32), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

snapshot_entries = sa.Table(
    "snapshot_entries",
    metadata,
    sa.Column("source", sa.String(32), primary_key=True),
    sa.Column("status", sa.String(16), primary_key=True),
    sa.Column("date", sa.Date, primary_key=True),
    sa.Column("entry", sa.Text, nullable=False),  # JSON: area_km2, layers, version, stored_at…
    sa.Column("geoparquet", sa.LargeBinary, nullable=True),
    sa.CheckConstraint(
        sa.column("status").in_((ACCEPTED, QUARANTINED)), name="snapshot_entries_status_is_known"
    ),
)

snapshot_refreshes = sa.Table(
    "snapshot_refreshes",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("source", sa.String(32), nullable=False, index=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("report", sa.Text, nullable=False),  # JSON, as the updater writes it
)
