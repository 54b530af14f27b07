#!/usr/bin/python3
"""Generates the inputs of one revision-engine benchmark case, the same statements for every tool.

    gen_revisions.py --case inserts|tables --count N --out DIR --alembic-versions DIR

Writes, for N revisions in one linear chain:
  DIR/migrations/rNNNN.sql  the ender migration files (header + upgrade + downgrade sections)
  DIR/ender.sql             what an ender user runs through psql: register every file, then upgrade
  DIR/floor.sql             the same upgrade statements with no migration tool (for psql -1 -f)
  <alembic-versions>/*.py   one Alembic revision file per revision (op.execute of the same SQL)

Cases:
  inserts  revision r0000 creates bench_rows; r0001..rN each insert one row (N + 1 revisions)
  tables   r0001..rN each create one table tNNNN (N revisions)
"""
import argparse
import os


def revisions(case, count):
    """(id, parent or None, message, upgrade SQL, downgrade SQL) for every revision, in order."""
    out = []
    if case == "inserts":
        out.append(("r0000", None, "create bench_rows",
                    "CREATE TABLE bench_rows (n int PRIMARY KEY);", "DROP TABLE bench_rows;"))
        for n in range(1, count + 1):
            out.append((f"r{n:04d}", f"r{n - 1:04d}", f"insert row {n}",
                        f"INSERT INTO bench_rows VALUES ({n});",
                        f"DELETE FROM bench_rows WHERE n = {n};"))
    elif case == "tables":
        for n in range(1, count + 1):
            out.append((f"r{n:04d}", f"r{n - 1:04d}" if n > 1 else None, f"create t{n:04d}",
                        f"CREATE TABLE t{n:04d} (id int PRIMARY KEY, v text);",
                        f"DROP TABLE t{n:04d};"))
    else:
        raise SystemExit(f"unknown case {case!r}")
    return out


def ender_file(rev, parent, message, up, down):
    return (f"-- ender:revision {rev}\n"
            f"-- ender:parents {parent or ''}\n"
            f"-- ender:message {message}\n"
            f"-- ender:upgrade\n{up}\n"
            f"-- ender:downgrade\n{down}\n")


ALEMBIC_TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {parent}
Create Date: 2024-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = {rev!r}
down_revision = {parent_repr}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute({up!r})


def downgrade() -> None:
    op.execute({down!r})
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True, choices=["inserts", "tables"])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--alembic-versions", required=True)
    args = ap.parse_args()

    revs = revisions(args.case, args.count)
    mig_dir = os.path.join(args.out, "migrations")
    os.makedirs(mig_dir, exist_ok=True)
    os.makedirs(args.alembic_versions, exist_ok=True)

    sources = []
    for rev, parent, message, up, down in revs:
        text = ender_file(rev, parent, message, up, down)
        with open(os.path.join(mig_dir, f"{rev}.sql"), "w") as f:
            f.write(text)
        sources.append(text)
        slug = message.replace(" ", "_")
        with open(os.path.join(args.alembic_versions, f"{rev}_{slug}.py"), "w") as f:
            f.write(ALEMBIC_TEMPLATE.format(message=message, rev=rev, parent=parent or "",
                                            parent_repr=repr(parent), up=up, down=down))

    # ender: every file's text as one dollar-quoted array element; psql's \timing reports the
    # register and the upgrade statements separately.
    tag = "$ender_src$"
    assert not any(tag in s for s in sources)
    with open(os.path.join(args.out, "ender.sql"), "w") as f:
        f.write("\\timing on\n")
        f.write("SELECT count(*) FROM ender_register_many(ARRAY[\n")
        f.write(",\n".join(f"{tag}{s}{tag}" for s in sources))
        f.write("\n]);\n")
        f.write("SELECT count(*) FROM ender_upgrade();\n")

    # The floor: the same upgrade statements, nothing else.
    with open(os.path.join(args.out, "floor.sql"), "w") as f:
        for _, _, _, up, _ in revs:
            f.write(up + "\n")

    with open(os.path.join(args.out, "count"), "w") as f:
        f.write(f"{len(revs)}\n")


if __name__ == "__main__":
    main()
