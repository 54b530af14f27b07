"""account status

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
Create Date: 2024-05-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "f6a7b8c9d0e1"
down_revision = "e5f6a7b8c9d0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("account", "name", type_=sa.String(80), existing_nullable=False)
    op.add_column("account", sa.Column("active", sa.Boolean(), nullable=False,
                                       server_default=sa.true()))
    op.create_unique_constraint("account_email_key", "account", ["email"])
    op.execute("CREATE VIEW active_account AS SELECT id, name FROM account WHERE active")


def downgrade() -> None:
    op.execute("DROP VIEW active_account")
    op.drop_constraint("account_email_key", "account", type_="unique")
    op.drop_column("account", "active")
    op.alter_column("account", "name", type_=sa.String(50), existing_nullable=False)
