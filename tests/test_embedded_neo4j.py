"""Tests of graph_store.embedded against real Neo4j processes.

One instance is started for the whole module (a start costs seconds); each test makes sure it
runs again with the idempotent ``start``, so the tests do not depend on their order.
"""

from __future__ import annotations

import shutil
import socket
import stat
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from graph_store import embedded
from graph_store.embedded import EmbeddedNeo4jError, EmbeddedStatus

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("mvn") is None, reason="needs Java 17+ and Maven"
)


def _start(home: Path, port: int) -> EmbeddedStatus:
    return embedded.start(home, port, heap="512m", page_cache="64m")  # enough for tests, light on a laptop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A private temporary folder: pytest prunes its own tmp folders when other pytest runs start."""
    with tempfile.TemporaryDirectory(prefix="embedded-neo4j-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def instance(scratch: Path) -> Iterator[tuple[Path, int]]:
    """Home folder and Bolt port of the module's instance; stopped after the last test."""
    home, port = scratch / "main", _free_port()
    _start(home, port)
    yield home, port
    embedded.stop(home)


@pytest.fixture
def server(instance: tuple[Path, int]) -> EmbeddedStatus:
    """The module's instance, started again if an earlier test stopped it."""
    home, port = instance
    return _start(home, port)


def _run(server: EmbeddedStatus, password: str, query: str, **params: str) -> list[dict[str, object]]:
    assert server.uri is not None
    with GraphDatabase.driver(server.uri, auth=(embedded.USER, password)) as driver:
        records, _, _ = driver.execute_query(query, params)
    return [record.data() for record in records]


def test_start_is_idempotent(instance: tuple[Path, int], server: EmbeddedStatus) -> None:
    home, port = instance
    began = time.monotonic()
    again = _start(home, port)
    assert again == server == embedded.status(home)
    assert again.running and again.uri == f"bolt://127.0.0.1:{port}"
    assert time.monotonic() - began < 5


def test_password_is_generated_once_and_private(instance: tuple[Path, int], server: EmbeddedStatus) -> None:
    home, _ = instance
    assert embedded.password(home) == embedded.password(home)
    assert stat.S_IMODE((home / "password").stat().st_mode) == 0o600


def test_auth_is_on(instance: tuple[Path, int], server: EmbeddedStatus) -> None:
    home, _ = instance
    assert _run(server, embedded.password(home), "RETURN 1 AS one") == [{"one": 1}]
    with pytest.raises(AuthError):
        _run(server, "not-the-password", "RETURN 1 AS one")


def test_data_survives_restart(instance: tuple[Path, int], server: EmbeddedStatus) -> None:
    home, port = instance
    marker = uuid.uuid4().hex
    _run(server, embedded.password(home), "CREATE (:Probe {marker: $marker})", marker=marker)

    assert not embedded.stop(home).running
    restarted = _start(home, port)

    assert restarted.pid != server.pid
    count = "MATCH (p:Probe {marker: $marker}) RETURN count(p) AS n"
    assert _run(restarted, embedded.password(home), count, marker=marker) == [{"n": 1}]


def test_second_instance_runs_side_by_side(instance: tuple[Path, int], server: EmbeddedStatus, scratch: Path) -> None:
    home, other_home = instance[0], scratch / "second"
    shutil.copytree(home / "build", other_home / "build")  # reuse the resolved jars and launcher: saves a Maven run
    (other_home / "password").write_text(f"-{uuid.uuid4().hex}")  # token_urlsafe may start with "-" too
    other = _start(other_home, _free_port())
    try:
        assert other.pid != server.pid
        assert embedded.status(home).running
        assert embedded.password(other_home) != embedded.password(home)
        assert _run(other, embedded.password(other_home), "RETURN 2 AS two") == [{"two": 2}]
    finally:
        embedded.stop(other_home)


def test_taken_port_is_named_in_the_error(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(EmbeddedNeo4jError, match=rf"Port {port}\b.*NEO4J_BOLT_PORT"):
            embedded.start(tmp_path, port)
    assert not embedded.status(tmp_path).running


def test_old_java_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_java = tmp_path / "jdk" / "bin" / "java"
    fake_java.parent.mkdir(parents=True)
    fake_java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    fake_java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    with pytest.raises(EmbeddedNeo4jError, match=r"11\.0\.2.*needs Java 17"):
        embedded.start(tmp_path / "home", _free_port())


def test_stop_is_idempotent(instance: tuple[Path, int], server: EmbeddedStatus) -> None:
    home, _ = instance
    stopped = EmbeddedStatus(running=False, pid=None, bolt_port=None, uri=None)
    assert embedded.stop(home) == stopped
    assert embedded.stop(home) == stopped
    assert embedded.status(home) == stopped
    assert not (home / "neo4j.pid").exists()


def test_never_started_home_is_stopped(tmp_path: Path) -> None:
    assert not embedded.status(tmp_path).running
    assert not embedded.stop(tmp_path).running


def test_missing_maven_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = shutil.which("java")
    assert java is not None
    monkeypatch.setenv("JAVA_HOME", str(Path(java).resolve().parent.parent))
    monkeypatch.setenv("PATH", str(tmp_path))  # no mvn anywhere
    with pytest.raises(EmbeddedNeo4jError, match=r"Maven \(mvn\) was not found"):
        embedded.start(tmp_path / "home", _free_port())


def test_missing_java_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EmbeddedNeo4jError, match="Java was not found"):
        embedded.start(tmp_path / "home", _free_port())
