"""The edit log remembers each statement's identity (date, speaker, quote) before the change.

The bundled-record sync reads it to leave alone what editors changed or deleted. Entries logged
before this revision are filled in by walking each statement's log back from its present state
(or from its deletion, which logged every field).

Revision ID: 0002
Revises: 0001
Create Date: 2026-09-01
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

IDENTITY_FIELDS = ("date", "speaker", "quote")


def upgrade() -> None:
    op.add_column("statement_edits", sa.Column("identity_before", sa.Text, nullable=True))
    connection = op.get_bind()
    edits = sa.table(
        "statement_edits",
        sa.column("id", sa.Integer),
        sa.column("statement_id", sa.Integer),
        sa.column("changes", sa.Text),
        sa.column("identity_before", sa.Text),
    )
    statements = sa.table(
        "statements",
        sa.column("id", sa.Integer),
        sa.column("date", sa.Date),
        sa.column("speaker", sa.String),
        sa.column("quote", sa.Text),
    )
    # The identity after the newest logged change: the stored row (none if it was deleted).
    after = {
        row.id: {"date": row.date.isoformat(), "speaker": row.speaker, "quote": row.quote}
        for row in connection.execute(sa.select(statements))
    }
    newest_first = connection.execute(
        sa.select(edits.c.id, edits.c.statement_id, edits.c.changes).order_by(
            edits.c.statement_id, edits.c.id.desc()
        )
    )
    for edit in newest_first:
        changes = json.loads(edit.changes)
        before = dict(after.get(edit.statement_id) or {})
        before.update({name: changes[name][0] for name in IDENTITY_FIELDS if name in changes})
        after[edit.statement_id] = before
        if all(before.get(name) for name in IDENTITY_FIELDS):
            connection.execute(
                sa.update(edits)
                .where(edits.c.id == edit.id)
                .values(identity_before=json.dumps(before, ensure_ascii=False))
            )


def downgrade() -> None:
    with op.batch_alter_table("statement_edits") as batch:
        batch.drop_column("identity_before")
