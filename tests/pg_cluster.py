"""A throw-away PostgreSQL cluster for the tests (and the benches): Debian's server binaries,
a data folder and a unix socket in a temporary folder, no TCP port, no password.

initdb refuses to run as root: as root, the cluster runs as the ``postgres`` user Debian's
package makes (its folder handed to that user).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

USER = "gongbao"


def find_binaries() -> Path | None:
    """The newest /usr/lib/postgresql/N/bin holding initdb and pg_ctl (or those on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class Cluster:
    def __init__(self, binaries: Path) -> None:
        self.bin = binaries
        # its own short folder: a unix socket path is at most 107 bytes, and the server's user
        # must reach it (pytest's folders are private to the user running the tests)
        self.folder = Path(tempfile.mkdtemp(prefix="gongbao-pg-"))
        self.data = self.folder / "data"
        self.runas: list[str] = []
        if os.geteuid() == 0:
            self.runas = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.runas, *args], check=True, capture_output=True, cwd=self.folder)

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", USER, "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # fsync off: nothing here outlives the machine.  full_page_writes stays on: the tests
        # restart the server at once (a crash), and a RUM index replayed without full pages
        # after a crash loops forever on the next insert (measured; docs/scale.md)
        options = f"-k {self.folder} -c listen_addresses='' -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def restart(self) -> None:
        """Stop the server at once and start it again (a server restart under load)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-l", str(self.folder / "log"),
                  "-w", "restart")

    def password_role(self, role: str, password: str) -> None:
        """A login role that must give its password (scram-sha-256 on the socket), as a
        production server asks; the other roles keep trust."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {role} scram-sha-256\n" + hba.read_text())
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "reload")

    def url(self, name: str) -> str:
        return f"postgresql://{USER}@/{name}?host={self.folder}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
