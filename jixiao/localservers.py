"""Start PostgreSQL and Redis from the machine's Debian packages under a data folder.

Used by the run command (when no URLs are configured) and by the test fixtures (throwaway
servers on free loopback ports). initdb refuses to run as root, so as root the cluster is run
as the ``postgres`` system user that Debian's package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def pg_bin(name: str) -> str:
    for d in PG_BIN_CANDIDATES:
        p = Path(d) / name
        if p.exists():
            return str(p)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install Debian's postgresql-15")
    return found


def _as_pg_user() -> list[str]:
    # Run server binaries as 'postgres' when we are root; otherwise as ourselves.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"]
    return []


def _chown_pg(path: Path) -> None:
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(path, pw.pw_uid, pw.pw_gid)


@dataclass
class LocalPostgres:
    """A cluster in ``root`` listening on 127.0.0.1:port, with the project's two roles."""

    root: Path
    port: int
    database: str = "jixiao"
    owner: str = "jixiao_owner"
    owner_password: str = "jixiao_owner"
    app_role: str = "jixiao_app"
    app_password: str = "jixiao_app"

    @property
    def datadir(self) -> Path:
        return self.root / "pgdata"

    @property
    def sockdir(self) -> Path:
        return self.root / "pgsock"

    def url(self, role: str, password: str) -> str:
        return f"postgresql+psycopg://{role}:{password}@127.0.0.1:{self.port}/{self.database}"

    @property
    def owner_url(self) -> str:
        return self.url(self.owner, self.owner_password)

    @property
    def app_url(self) -> str:
        return self.url(self.app_role, self.app_password)

    def _psql(self, sql: str, db: str = "postgres") -> None:
        subprocess.run(
            [*_as_pg_user(), pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h",
             str(self.sockdir), "-p", str(self.port), "-U", "postgres", "-d", db, "-c", sql],
            check=True, capture_output=True,
        )

    def sql(self, statement: str) -> None:
        """Runs ``statement`` as the superuser (over the local socket)."""
        self._psql(statement)

    def start(self) -> LocalPostgres:
        self.root.mkdir(parents=True, exist_ok=True)
        _chown_pg(self.root)
        self.sockdir.mkdir(exist_ok=True)
        _chown_pg(self.sockdir)
        fresh = not (self.datadir / "PG_VERSION").exists()
        if fresh:
            subprocess.run(
                [*_as_pg_user(), pg_bin("initdb"), "-D", str(self.datadir), "-U", "postgres",
                 "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync"],
                check=True, capture_output=True,
            )
        if not port_open(self.port):
            opts = (f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    "-c max_connections=200")
            subprocess.run(
                [*_as_pg_user(), pg_bin("pg_ctl"), "-D", str(self.datadir), "-o", opts,
                 "-l", str(self.root / "postgres.log"), "-w", "-t", "60", "start"],
                check=True, capture_output=True,
            )
        if fresh:
            self._psql(
                f"CREATE ROLE {self.owner} LOGIN PASSWORD '{self.owner_password}';"
                f"CREATE ROLE {self.app_role} LOGIN PASSWORD '{self.app_password}' "
                "NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;"
            )
            self._psql(f"CREATE DATABASE {self.database} OWNER {self.owner};")
            self._psql(f"REVOKE ALL ON SCHEMA public FROM PUBLIC;"
                       f"GRANT ALL ON SCHEMA public TO {self.owner};", db=self.database)
        return self

    def start_replica(self, root: Path, port: int) -> LocalPostgres:
        """A streaming hot standby of this cluster in ``root`` on ``port``: ``pg_basebackup``
        (``-R``: ``standby.signal`` and ``primary_conninfo``) as a replication role over the
        loopback (PostgreSQL 15's defaults: ``wal_level=replica``, WAL senders, and an hba line
        for replication from 127.0.0.1). Statements run there are logged (tests check where a
        read went). The same roles and schema: row-level security applies as here."""
        role, password = "jixiao_replicator", "jixiao_replicator"
        self._psql(f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
                   f"THEN CREATE ROLE {role} LOGIN REPLICATION PASSWORD '{password}'; END IF; "
                   "END$$;")
        replica = LocalPostgres(root, port, self.database, self.owner, self.owner_password,
                                self.app_role, self.app_password)
        root.mkdir(parents=True, exist_ok=True)
        _chown_pg(root)
        replica.sockdir.mkdir(exist_ok=True)
        _chown_pg(replica.sockdir)
        subprocess.run(
            [*_as_pg_user(), "env", f"PGPASSWORD={password}", pg_bin("pg_basebackup"),
             "-h", "127.0.0.1", "-p", str(self.port), "-U", role, "-D", str(replica.datadir),
             "-R", "-X", "stream", "-c", "fast", "--no-sync"],
            check=True, capture_output=True,
        )
        opts = (f"-p {port} -k {replica.sockdir} -c listen_addresses=127.0.0.1 "
                "-c hot_standby=on -c fsync=off -c max_connections=200 "
                "-c log_statement=all -c log_line_prefix='%a|%u|'")
        subprocess.run(
            [*_as_pg_user(), pg_bin("pg_ctl"), "-D", str(replica.datadir), "-o", opts,
             "-l", str(root / "postgres.log"), "-w", "-t", "60", "start"],
            check=True, capture_output=True,
        )
        return replica

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            subprocess.run(
                [*_as_pg_user(), pg_bin("pg_ctl"), "-D", str(self.datadir), "-m", "immediate",
                 "-w", "stop"],
                check=False, capture_output=True,
            )


@dataclass
class LocalRedis:
    root: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> LocalRedis:
        self.root.mkdir(parents=True, exist_ok=True)
        if port_open(self.port):
            return self
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.root),
             # The append-only file keeps queued messages across a restart (fsync each second).
             "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
             "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not port_open(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            if self.process.poll() is None:
                self.process.kill()
