"""create account

Revision ID: 0f1e2d3c4b5a
Revises:
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0f1e2d3c4b5a"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("email", sa.String(100)),
        sa.Column("kind", sa.Enum("person", "company", name="account_kind"),
                  nullable=False, server_default="person"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_account_name", "account", ["name"])
    op.bulk_insert(
        sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String)),
        [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}, {"id": 3, "name": "O'Brien"}],
    )


def downgrade() -> None:
    op.drop_index("ix_account_name", table_name="account")
    op.drop_table("account")
    sa.Enum(name="account_kind").drop(op.get_bind())
