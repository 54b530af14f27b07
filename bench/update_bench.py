"""SQLAlchemy 1.4 beside bench/update_bench.cpp, on the same table and rows.

    update_bench.py bulk-update-mappings   Session.bulk_update_mappings of two fields of every row
                                           (SQLAlchemy's bulk update by primary key: executemany
                                           of UPDATE ... WHERE id = %(id)s through psycopg2)
Prints one line: "<mode> ms=<time> statements=<n> rows=<n>". Connects with the PG* variables
(pg_virtualenv), like psql.
"""
import sys
import time

from sqlalchemy import BigInteger, Column, Integer, Text, create_engine, event, select
from sqlalchemy.orm import Session, declarative_base

mode = sys.argv[1]
engine = create_engine("postgresql+psycopg2://")
statements = 0


@event.listens_for(engine, "before_cursor_execute")
def count(conn, cursor, statement, parameters, context, executemany):
    global statements
    statements += 1


Base = declarative_base()


class Hero(Base):
    __tablename__ = "update_hero"
    id = Column(BigInteger, primary_key=True)
    name = Column(Text, nullable=False)
    age = Column(Integer)
    secret_name = Column(Text, nullable=False)


with Session(engine) as session:
    rows = session.execute(select(Hero.id)).scalars().all()
    salt = int(time.time() * 1000) % 1000
    mappings = [{"id": i, "age": None if i % 11 == 0 else i % 97 + salt,
                 "secret_name": "changed %d %d" % (salt, i)} for i in rows]
    before = statements
    t0 = time.monotonic()
    if mode == "bulk-update-mappings":
        session.bulk_update_mappings(Hero, mappings)
        session.commit()
    else:
        sys.exit("usage: update_bench.py bulk-update-mappings")
    ms = (time.monotonic() - t0) * 1000
    print("sqlalchemy-%s ms=%.1f statements=%d rows=%d" % (mode, ms, statements - before,
                                                          len(mappings)))
