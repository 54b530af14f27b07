"""backfill emails

Data in Python: reads the accounts and writes each one's address. Alembic's offline mode
cannot run it.

Revision ID: d4e5f6a7b8c9
Revises: b2c3d4e5f6a7
Create Date: 2024-05-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "d4e5f6a7b8c9"
down_revision = "b2c3d4e5f6a7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM account WHERE email IS NULL")).fetchall()
    for id_, name in rows:
        conn.execute(sa.text("UPDATE account SET email = :e WHERE id = :i"),
                     {"e": name.lower().replace("'", "") + "@example.com", "i": id_})


def downgrade() -> None:
    pass
