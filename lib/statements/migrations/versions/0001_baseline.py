"""Baseline: the schema the store created with `create_all` before it had migrations.

Revision ID: 0001
Revises:
Create Date: 2026-09-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The nine stances as they were at the baseline; a later change to the list needs its own revision.
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


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("speaker", sa.String(200), nullable=False),
        sa.Column("role", sa.String(300), nullable=False),
        sa.Column("affiliation", sa.String(200), nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("quote_is_paraphrase", sa.Boolean(create_constraint=True), nullable=False),
        sa.Column("mediators", sa.Text, nullable=False),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("source_url", sa.String(2000), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("statement_key", sa.String(64), nullable=False, unique=True),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.CheckConstraint(sa.column("stance").in_(STANCES), name="statements_stance_is_known"),
        sa.CheckConstraint("speaker <> '' AND quote <> ''", name="statements_speaker_quote_given"),
    )
    op.create_index("ix_statements_date", "statements", ["date"])
    op.create_index("ix_statements_speaker", "statements", ["speaker"])
    op.create_table(
        "statement_edits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_by", sa.String(100), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
    )
    op.create_index("ix_statement_edits_statement_id", "statement_edits", ["statement_id"])
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
    op.drop_table("statement_edits")
    op.drop_table("statements")
