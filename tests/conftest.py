"""Test-session fixtures: the database engines the store, search, links, Q&A and web tests
run on.  ``db_target`` gives a fresh, empty database on each engine: a SQLite file, and a
database on a throw-away PostgreSQL cluster that this session starts (initdb in a temporary
folder, listening on a unix socket there only) and stops at the end.  Without PostgreSQL's
server binaries the PostgreSQL cases are skipped, saying so.
"""

from __future__ import annotations

import itertools

import pytest

from pg_cluster import Cluster, find_binaries

ENGINES = ("sqlite", "postgresql")
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    binaries = find_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin): "
                    "the PostgreSQL cases are skipped; `apt-get install postgresql` runs them")
    cluster = Cluster(binaries)
    cluster.start()
    yield cluster
    cluster.stop()


def new_database(request, engine: str, tmp_path_factory) -> str:
    """A fresh, empty database on ``engine``: a file path or a postgresql:// URL."""
    if engine == "sqlite":
        return str(tmp_path_factory.mktemp("db") / "gongbao.db")
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t{next(_counter)}")


@pytest.fixture(params=ENGINES)
def db_target(request, tmp_path_factory) -> str:
    """A fresh empty database on each engine (function scope)."""
    return new_database(request, request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=ENGINES)
def module_db_target(request, tmp_path_factory) -> str:
    """A fresh empty database on each engine, shared by a module's tests."""
    return new_database(request, request.param, tmp_path_factory)
