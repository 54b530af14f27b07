"""SQLAlchemy 1.4 (or SQLModel) beside bench/load_bench.cpp, on the same tables and data.

    load_bench.py selectin [--sqlmodel]   all teams with their heroes through selectinload
    load_bench.py selectin-wide           the same on the wide rows (wide_team, wide_hero)
    load_bench.py insert                  1,000,000 heroes into hero_copy, SQLAlchemy's fastest
                                          bulk path (Core executemany, psycopg2 execute_values)
Prints one line: "<mode> ms=<time> statements=<n> teams=<n> heroes=<n>". Connects with the PG*
variables (pg_virtualenv), like psql.
"""
import sys
import time

from sqlalchemy import (BigInteger, Column, DateTime, ForeignKey, Integer, Numeric, Text,
                        create_engine, event, select)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session, declarative_base, relationship, selectinload

mode = sys.argv[1]
use_sqlmodel = "--sqlmodel" in sys.argv
engine = create_engine("postgresql+psycopg2://", executemany_mode="values_only",
                       executemany_values_page_size=10000)
statements = 0


@event.listens_for(engine, "before_cursor_execute")
def count(conn, cursor, statement, parameters, context, executemany):
    global statements
    statements += 1


if use_sqlmodel:
    from typing import List, Optional
    from sqlmodel import Field, Relationship, SQLModel

    class Team(SQLModel, table=True):
        id: Optional[int] = Field(default=None, primary_key=True)
        name: str
        heroes: List["Hero"] = Relationship(back_populates="team")

    class Hero(SQLModel, table=True):
        id: Optional[int] = Field(default=None, primary_key=True)
        name: str
        team_id: Optional[int] = Field(default=None, foreign_key="team.id")
        team: Optional[Team] = Relationship(back_populates="heroes")
else:
    Base = declarative_base()

    class Team(Base):
        __tablename__ = "team"
        id = Column(BigInteger, primary_key=True)
        name = Column(Text, nullable=False)
        heroes = relationship("Hero")

    class Hero(Base):
        __tablename__ = "hero"
        id = Column(BigInteger, primary_key=True)
        name = Column(Text, nullable=False)
        team_id = Column(BigInteger, ForeignKey("team.id"))

    class WideTeam(Base):
        __tablename__ = "wide_team"
        id = Column(BigInteger, primary_key=True)
        name = Column(Text, nullable=False)
        founded = Column(DateTime(timezone=True), nullable=False)
        heroes = relationship("WideHero")

    class WideHero(Base):
        __tablename__ = "wide_hero"
        id = Column(BigInteger, primary_key=True)
        name = Column(Text, nullable=False)
        secret_name = Column(Text, nullable=False)
        age = Column(Integer)
        team_id = Column(BigInteger, ForeignKey("wide_team.id"))
        created_at = Column(DateTime(timezone=True), nullable=False)
        salary = Column(Numeric(10, 2), nullable=False)
        badge = Column(UUID(as_uuid=True), nullable=False)

    class HeroCopy(Base):
        __tablename__ = "hero_copy"
        id = Column(BigInteger, primary_key=True)
        name = Column(Text, nullable=False)
        team_id = Column(BigInteger)

teams = heroes = 0
if mode in ("selectin", "selectin-wide"):
    model = WideTeam if mode == "selectin-wide" else Team
    with Session(engine) as session:
        start = time.perf_counter()
        all_teams = session.execute(
            select(model).options(selectinload(model.heroes))).scalars().all()
        teams = len(all_teams)
        heroes = sum(len(t.heroes) for t in all_teams)
        elapsed = time.perf_counter() - start
elif mode == "insert":
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE hero_copy RESTART IDENTITY")
    rows = [{"name": "hero %d" % (i + 1), "team_id": 1 + (i * 7919) % 10000}
            for i in range(1000000)]
    statements = 0
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(HeroCopy.__table__.insert(), rows)
    elapsed = time.perf_counter() - start
    heroes = len(rows)
else:
    sys.exit("usage: load_bench.py selectin [--sqlmodel] | selectin-wide | insert")
print("%s ms=%.1f statements=%d teams=%d heroes=%d" % (
    "sqlmodel-selectin" if use_sqlmodel else "sqlalchemy-" + mode, elapsed * 1000, statements,
    teams, heroes))
