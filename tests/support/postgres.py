"""A throw-away PostgreSQL server for the tests (Debian's ``postgresql`` package, see .ci/run).

``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user the
package creates. The server listens on 127.0.0.1 and a socket in its own temporary folder, with
trust authentication, and is stopped and removed when the tests end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.server import free_port


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise RuntimeError(
            f"Không tìm thấy {name}: cài gói Debian 'postgresql' (apt-get install postgresql)"
            " để chạy thử với PostgreSQL"
        )
    return found


@contextmanager
def server() -> Iterator[str]:
    """Start a PostgreSQL server; yield a SQLAlchemy URL of an empty database on it."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    root = tempfile.mkdtemp(prefix="pgtest-")
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(root, "data")
    port = free_port()
    quiet = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        subprocess.run([*as_user, initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"], **quiet)
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off"
        subprocess.run(
            [*as_user, pg_ctl, "-D", data, "-o", options, "-l", os.path.join(root, "log"), "-w", "start"],
            **quiet,
        )
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], **quiet)
    finally:
        shutil.rmtree(root, ignore_errors=True)
