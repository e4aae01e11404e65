"""A throwaway PostgreSQL cluster on a free loopback port (Debian's postgresql package).

initdb refuses to run as root, so as root the cluster is created and run as the ``postgres``
user (runuser) in a private temp dir; as anyone else it runs as that user. Trust authentication on
127.0.0.1 only; the cluster and its files are removed at the end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from tests.harness.parts import free_port, missing_part

__all__ = ["PostgresCluster", "find_pg_bin", "start_postgres"]


def find_pg_bin() -> str | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


@dataclass
class PostgresCluster:
    bin_dir: str
    data_dir: str
    port: int
    run_as: str | None

    def _cmd(self, *args: str) -> list[str]:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        return [*prefix, *args]

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        subprocess.run(
            self._cmd(
                os.path.join(self.bin_dir, "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                name,
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )
        return self.url(name)

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            self._cmd(
                os.path.join(self.bin_dir, "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-At",
                "-c",
                sql,
            ),
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout

    def stop(self) -> None:
        subprocess.run(
            self._cmd(
                os.path.join(self.bin_dir, "pg_ctl"), "-D", self.data_dir, "-m", "immediate", "stop"
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(os.path.dirname(self.data_dir), ignore_errors=True)


def start_postgres() -> PostgresCluster:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        missing_part("PostgreSQL server binaries (Debian package postgresql)")
    run_as: str | None = None
    root = tempfile.mkdtemp(prefix="co-pg-")
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            missing_part("the postgres system user (initdb refuses to run as root)")
        run_as = "postgres"
        os.chown(root, user.pw_uid, user.pw_gid)
    data = os.path.join(root, "data")
    port = free_port()
    cluster = PostgresCluster(bin_dir, data, port, run_as)
    init = subprocess.run(
        cluster._cmd(
            os.path.join(bin_dir, "initdb"),
            "-D",
            data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        missing_part(f"a PostgreSQL cluster (initdb failed: {init.stderr.strip()[-300:]})")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off"
    start = subprocess.run(
        cluster._cmd(
            os.path.join(bin_dir, "pg_ctl"),
            "-D",
            data,
            "-o",
            options,
            "-l",
            os.path.join(root, "log"),
            "-w",
            "-t",
            "60",
            "start",
        ),
        capture_output=True,
        text=True,
        timeout=90,
    )
    if start.returncode != 0:
        log = ""
        if os.path.exists(os.path.join(root, "log")):
            with open(os.path.join(root, "log")) as handle:
                log = handle.read()[-500:]
        shutil.rmtree(root, ignore_errors=True)
        missing_part(f"a running PostgreSQL ({start.stderr.strip()[-200:]} {log})")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = subprocess.run(
            [os.path.join(bin_dir, "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
            capture_output=True,
        )
        if ready.returncode == 0:
            return cluster
        time.sleep(0.2)
    cluster.stop()
    missing_part("PostgreSQL did not accept connections within 30 s")
