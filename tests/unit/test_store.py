"""The meetings database on SQLite and on a real PostgreSQL server: migrations, transactions, two writers."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard import store
from tests.support import postgres

_names = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return store.database_url(tmp_path)
    server = request.getfixturevalue("postgres_server")
    name = f"t{os.getpid()}_{next(_names)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def columns(engine, table: str) -> list[str]:
    with store.read(engine) as conn:
        return [c["name"] for c in sa.inspect(conn).get_columns(table)]


def test_default_database_is_one_sqlite_file_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    engine = store.connect(store.database_url(tmp_path))
    assert (tmp_path / store.DEFAULT_FILE).is_file()
    with store.read(engine) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.BUSY_TIMEOUT_MS
    monkeypatch.setenv(store.DATABASE_URL_ENV, "postgresql+psycopg://u@h/db")
    assert store.database_url(tmp_path) == "postgresql+psycopg://u@h/db"


def test_migrations_from_empty_reach_the_newest_tables(db_url):
    engine = store.connect(db_url)
    with store.read(engine) as conn:
        assert store.version(conn) == store.LATEST
    for table in store.metadata.sorted_tables:
        assert columns(engine, table.name) == [c.name for c in table.columns]
    # Running again (another process starting) changes nothing.
    assert store.migrate(engine) == store.LATEST
    with store.read(engine) as conn:
        applied = conn.execute(sa.select(store.schema_version.c.version)).scalars().all()
    assert applied == list(range(1, store.LATEST + 1))


def test_migration_from_the_previous_version_keeps_the_rows(db_url):
    engine = store.connect(db_url, migrate_to=store.LATEST - 1)
    assert "files" not in columns(engine, "meetings")
    now = dt.datetime(2026, 11, 2, 8, 30)
    with store.write(engine) as conn:
        conn.execute(
            sa.text(
                "INSERT INTO meetings (unit_code, unit_name, year, grain, period, period_label, snapshot_id,"
                " filters, held_on, created_by, created_at) VALUES ('019', 'Quận Nam Từ Liêm', 2026, 'month',"
                " :period, 'Tháng 10/2026', '2026-10-31', '{}', :held, 'thu.ky', :now)"
            ),
            dict(period=dt.date(2026, 10, 1), held=dt.date(2026, 11, 2), now=now),
        )
        conn.execute(
            sa.text(
                "INSERT INTO conclusions (meeting_id, text, unit_code, communes, responsible, status,"
                " figures_then, created_by, created_at, updated_by, updated_at)"
                " VALUES (1, 'Rà soát 5 xã', '019', '[]', 'Công an quận', 'todo', '{}',"
                " 'thu.ky', :now, 'thu.ky', :now)"
            ),
            dict(now=now),
        )
    assert store.migrate(engine) == store.LATEST
    with store.read(engine) as conn:
        meeting = conn.execute(sa.select(store.meetings)).one()
        conclusion = conn.execute(sa.select(store.conclusions)).one()
    assert (meeting.unit_name, meeting.files, meeting.created_at) == ("Quận Nam Từ Liêm", "{}", now)
    assert (conclusion.text, conclusion.responsible, conclusion.missing_since) == (
        "Rà soát 5 xã",
        "Công an quận",
        None,
    )


def test_a_failed_write_leaves_nothing(db_url):
    engine = store.connect(db_url)
    with pytest.raises(RuntimeError), store.write(engine) as conn:
        conn.execute(
            sa.insert(store.meetings).values(
                unit_code="019", unit_name="x", year=2026, grain="month", period=dt.date(2026, 10, 1),
                period_label="x", snapshot_id="s", filters="{}", held_on=dt.date(2026, 11, 2),
                created_by="a", created_at=store.utcnow(),
            )
        )  # fmt: skip
        raise RuntimeError("stop half-way")
    with store.read(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.meetings)).scalar() == 0


WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from dashboard import conclusions, store
    from dashboard.access import Access
    from dashboard.geography import Geography

    url, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    geo = Geography.from_reference()
    engine = store.connect(url)
    meeting = conclusions.open_meeting(
        engine, Access(), geo, unit_code="019", year=2026, grain="month", period=dt.date(2026, 10, 1),
        period_label="Tháng 10/2026", snapshot_id="2026-10-31", held_on=dt.date(2026, 11, 2), user=who,
    )
    for i in range(count):
        made = conclusions.record(
            engine, Access(), geo, meeting, text=f"{who} việc {i}", responsible="Công an quận", user=who
        )
        conclusions.progress(
            engine, Access(), geo, made.id, user=who, on=dt.date(2026, 11, 3), note="đã triển khai",
            status=conclusions.DOING,
        )
    """
)


def test_two_processes_writing_at_once_keep_every_change(db_url):
    store.connect(db_url)  # migrated once, as the app does on start
    count = 15
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, who, str(count)], env=env, stderr=subprocess.PIPE
        )
        for who in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    engine = store.connect(db_url)
    with store.read(engine) as conn:
        texts = conn.execute(sa.select(store.conclusions.c.text)).scalars().all()
        meetings = conn.execute(sa.select(sa.func.count()).select_from(store.meetings)).scalar()
        kinds = conn.execute(sa.select(store.events.c.kind, store.events.c.author)).all()
    assert meetings == 1  # both opened the same meeting
    assert sorted(texts) == sorted(f"{w} việc {i}" for w in "ab" for i in range(count))
    assert len(kinds) == 4 * count
    assert sorted(kinds).count(("progress", "a")) == count
    assert sorted(kinds).count(("progress", "b")) == count
