"""The meetings database: its tables, versioned migrations, and transactions (SQLAlchemy Core).

Meetings, their conclusions and every change to them live here; figures never do (snapshots stay
Parquet). The default is one SQLite file in the data folder, ``<data>/meetings.sqlite``;
``$DASHBOARD_DATABASE_URL`` names another database, e.g. ``postgresql+psycopg://…``, used the same way.

SQLite is set up for several processes reading and one writing: WAL journal (readers never wait
for the writer), a busy timeout (a second writer waits instead of failing), and write
transactions that start with ``BEGIN IMMEDIATE`` so two writers queue at the start rather than
deadlock when a read lock would have to be upgraded half-way.

Migrations are a list of functions numbered from 1, each run in its own transaction together with
the row that records it in ``schema_version``. Alembic would bring a configuration file, an
``env.py`` and a script folder to do the same for a handful of tables that only ever gain
columns; the list here is tested from an empty database and from every earlier version.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

DATABASE_URL_ENV = "DASHBOARD_DATABASE_URL"
DEFAULT_FILE = "meetings.sqlite"
BUSY_TIMEOUT_MS = 30_000

metadata = sa.MetaData()

# The tables as of the newest version; migrations below build them step by step.
meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit_code", sa.String(16), nullable=False),
    sa.Column("unit_name", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("grain", sa.String(8), nullable=False),
    sa.Column("period", sa.Date, nullable=False),
    sa.Column("period_label", sa.Text, nullable=False),
    sa.Column("snapshot_id", sa.Text, nullable=False),
    sa.Column("filters", sa.Text, nullable=False),  # JSON: structure, sections, the page's link
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("files", sa.Text, nullable=False, server_default="{}"),  # v2, JSON: file name → SHA-256
    sa.UniqueConstraint("unit_code", "grain", "period", name="uq_meeting_unit_period"),
)

conclusions = sa.Table(
    "conclusions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("unit_code", sa.String(16), nullable=False),
    sa.Column("metric", sa.Text),
    sa.Column("rule", sa.Text),
    sa.Column("target_year", sa.Integer),
    sa.Column("communes", sa.Text, nullable=False),  # JSON list of commune codes
    sa.Column("responsible", sa.Text, nullable=False),
    sa.Column("deadline", sa.Date),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("figures_then", sa.Text, nullable=False),  # JSON: the target's figures when recorded
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("missing_since", sa.Text),  # v2: the snapshot in which its target was no longer found
)

events = sa.Table(
    "conclusion_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conclusion_id", sa.Integer, sa.ForeignKey("conclusions.id"), nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16)),
    sa.Column("note", sa.Text),
    sa.Column("note_date", sa.Date),
)

sa.Index("ix_conclusions_meeting", conclusions.c.meeting_id)
sa.Index("ix_conclusions_unit", conclusions.c.unit_code)
sa.Index("ix_events_conclusion", events.c.conclusion_id)

schema_version = sa.Table(
    "schema_version",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)


# --------------------------------------------------------------------------- migrations


def _v1(conn: Connection) -> None:
    """Meetings, conclusions and their history."""
    v1 = sa.MetaData()
    sa.Table(
        "meetings",
        v1,
        *[
            sa.Column(
                c.name, c.type, primary_key=c.primary_key, autoincrement=c.autoincrement, nullable=c.nullable
            )
            for c in meetings.columns
            if c.name != "files"
        ],  # fmt: skip
        sa.UniqueConstraint("unit_code", "grain", "period", name="uq_meeting_unit_period"),
    )
    sa.Table(
        "conclusions",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
        *[
            sa.Column(c.name, c.type, nullable=c.nullable)
            for c in conclusions.columns
            if c.name not in ("id", "meeting_id", "missing_since")
        ],  # fmt: skip
    )
    sa.Table(
        "conclusion_events",
        v1,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conclusion_id", sa.Integer, sa.ForeignKey("conclusions.id"), nullable=False),
        *[
            sa.Column(c.name, c.type, nullable=c.nullable)
            for c in events.columns
            if c.name not in ("id", "conclusion_id")
        ],  # fmt: skip
    )
    v1.create_all(conn)
    sa.Index("ix_conclusions_meeting", v1.tables["conclusions"].c.meeting_id).create(conn)
    sa.Index("ix_conclusions_unit", v1.tables["conclusions"].c.unit_code).create(conn)
    sa.Index("ix_events_conclusion", v1.tables["conclusion_events"].c.conclusion_id).create(conn)


def _v2(conn: Connection) -> None:
    """A meeting's frozen files (SHA-256 of its slides and report); a conclusion whose target went missing."""
    conn.execute(sa.text("ALTER TABLE meetings ADD COLUMN files TEXT NOT NULL DEFAULT '{}'"))
    conn.execute(sa.text("ALTER TABLE conclusions ADD COLUMN missing_since TEXT"))


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2)
LATEST = len(MIGRATIONS)


def version(conn: Connection) -> int:
    """The schema version of the database (0 for an empty one)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, to: int = LATEST) -> int:
    """Bring the database up to version ``to``, one transaction per version; return the version reached.

    Several processes may start at once: each version is applied under the write lock (SQLite) or
    an advisory lock (PostgreSQL), and a process that finds it already applied skips it.
    """
    with write(engine) as conn:
        schema_version.create(conn, checkfirst=True)
    for number in range(1, to + 1):
        with write(engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(210021)"))
            if version(conn) >= number:
                continue
            MIGRATIONS[number - 1](conn)
            conn.execute(sa.insert(schema_version).values(version=number, applied_at=utcnow()))
    with read(engine) as conn:
        return version(conn)


# --------------------------------------------------------------------------- engine and transactions


def database_url(data_dir: str | Path) -> str:
    """``$DASHBOARD_DATABASE_URL`` if set, else the SQLite file ``meetings.sqlite`` in the data folder."""
    named = os.environ.get(DATABASE_URL_ENV, "").strip()
    if named:
        return named
    return f"sqlite:///{Path(data_dir).resolve() / DEFAULT_FILE}"


def _sqlite_setup(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" below emit BEGIN itself (pysqlite would delay it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("writing", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def connect(url: str, *, migrate_to: int | None = LATEST) -> Engine:
    """An engine for ``url``, migrated to the newest version (``migrate_to=None``: left as it is)."""
    engine = sa.create_engine(url, pool_pre_ping=url.startswith("postgresql"))
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_setup(engine)
    if migrate_to is not None:
        migrate(engine, migrate_to)
    return engine


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed when the block ends, rolled back whole on an error."""
    with engine.connect() as conn:
        conn = conn.execution_options(writing=True)
        with conn.begin():
            yield conn


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction (a consistent view; in WAL mode it never blocks the writer)."""
    with engine.connect() as conn, conn.begin():
        yield conn


def utcnow() -> dt.datetime:
    """Now in UTC without the zone (every timestamp in the database is UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
