"""merge orders and billing

Revision ID: e5f6a7b8c9d0
Revises: c3d4e5f6a7b8, d4e5f6a7b8c9
Create Date: 2024-05-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "e5f6a7b8c9d0"
down_revision = ("c3d4e5f6a7b8", "d4e5f6a7b8c9")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
