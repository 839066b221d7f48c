"""Start, stop and inspect a private Neo4j Community 5.26 server for this project.

Used when no external Neo4j is configured, so a fresh checkout works with only Java 17 and
Maven installed. The jars come from Maven Central via ``graph_store/pom.xml``; a small Java
main (``graph_store/launcher/Neo4jLauncher.java``) runs the embedded DBMS with Bolt on
127.0.0.1. Everything an instance owns lives in its ``home`` folder, so several instances
(demo server, tests) can run side by side on different ports:

    home/data, home/logs          Neo4j's store and its own logs (logs/debug.log)
    home/password                 the generated password of the ``neo4j`` user (mode 0600)
    home/neo4j.pid                JSON with the pid and Bolt port of the running launcher
    home/launcher.log             the launcher's stdout/stderr
    home/build/<hash>/            resolved classpath and compiled launcher, per pom+launcher
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

USER = "neo4j"

_POM = Path(__file__).resolve().parent / "pom.xml"
_LAUNCHER = Path(__file__).resolve().parent / "launcher" / "Neo4jLauncher.java"
_PASSWORD_ENV = "NEO4J_EMBEDDED_PASSWORD"
_READY_LINE = "Neo4jLauncher: ready"  # printed by Neo4jLauncher.READY once Bolt is open
_LOG_TAIL_LINES = 30

# What Neo4j's own neo4j.conf passes to Java 17. Without the --add-opens the page cache and the
# transaction logs fall back to slower code paths (warnings in logs/debug.log).
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)

# Launchers started by this Python process: polling them reaps them, so a stopped server
# does not linger as a zombie that still looks alive to os.kill(pid, 0).
_children: dict[int, subprocess.Popen[bytes]] = {}


class EmbeddedNeo4jError(Exception):
    """Why the built-in Neo4j cannot run, worded for a person: what to install, change or read in the log."""


@dataclass(frozen=True)
class EmbeddedStatus:
    """What a caller needs to connect: whether the server runs, its pid and where Bolt listens."""

    running: bool
    pid: int | None
    bolt_port: int | None
    uri: str | None  # "bolt://127.0.0.1:PORT"


_STOPPED = EmbeddedStatus(running=False, pid=None, bolt_port=None, uri=None)


def start(
    home: Path, bolt_port: int, *, heap: str = "2g", page_cache: str = "1g", timeout: float = 180.0
) -> EmbeddedStatus:
    """Start the instance in ``home`` (or return it if already up) and wait until Bolt accepts our login.

    ``heap`` becomes the JVM's -Xms/-Xmx (embedded Neo4j cannot set its own heap), ``page_cache``
    Neo4j's page cache. ``timeout`` bounds the wait for Bolt, not the one-time Maven download.
    """
    home = home.resolve()
    current = status(home)
    if current.running:
        if current.bolt_port != bolt_port:
            raise EmbeddedNeo4jError(
                f"Neo4j in {home} already runs on port {current.bolt_port}, not {bolt_port}. "
                f"Stop it first or use port {current.bolt_port} (env var NEO4J_BOLT_PORT)."
            )
        _wait_until_ready(home, current, time.monotonic() + timeout)
        return current

    _check_port_free(bolt_port)
    java = _java()
    build = _build(home, java)
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "CLASSPATH": os.pathsep.join([str(build), (build / "classpath.txt").read_text().strip()]),
        _PASSWORD_ENV: password(home),
    }
    command = [java, f"-Xms{heap}", f"-Xmx{heap}", *_JVM_FLAGS, "Neo4jLauncher"]
    with (home / "launcher.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, str(home), str(bolt_port), page_cache],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=home,
            env=env,
            start_new_session=True,
        )
    _children[process.pid] = process
    _pid_file(home).write_text(json.dumps({"pid": process.pid, "bolt_port": bolt_port}))
    started = EmbeddedStatus(running=True, pid=process.pid, bolt_port=bolt_port, uri=_uri(bolt_port))
    try:
        _wait_until_ready(home, started, time.monotonic() + timeout)
    except EmbeddedNeo4jError:
        stop(home)
        raise
    return started


def stop(home: Path, *, timeout: float = 60.0) -> EmbeddedStatus:
    """Stop the instance in ``home``: SIGTERM (the launcher shuts Neo4j down cleanly), SIGKILL after ``timeout``."""
    home = home.resolve()
    current = status(home)
    if current.pid is not None:
        with contextlib.suppress(ProcessLookupError):  # it may exit on its own meanwhile
            os.kill(current.pid, signal.SIGTERM)
            if not _wait_for_exit(current.pid, home, timeout):
                os.kill(current.pid, signal.SIGKILL)
                _wait_for_exit(current.pid, home, 10.0)
    _pid_file(home).unlink(missing_ok=True)
    return status(home)


def status(home: Path) -> EmbeddedStatus:
    """Report whether the launcher recorded in ``home`` is alive; never raises for a stopped server."""
    home = home.resolve()
    try:
        recorded = json.loads(_pid_file(home).read_text())
        pid, port = int(recorded["pid"]), int(recorded["bolt_port"])
    except (OSError, ValueError, KeyError, TypeError):
        return _STOPPED
    if not _is_alive(pid, home):
        return _STOPPED
    return EmbeddedStatus(running=True, pid=pid, bolt_port=port, uri=_uri(port))


def password(home: Path) -> str:
    """Return the ``neo4j`` user's password for ``home``, generating it (mode 0600) on first use."""
    path = home / "password"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first; use theirs
            pass
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(24) + "\n")
    return path.read_text().strip()


def _uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def _pid_file(home: Path) -> Path:
    return home / "neo4j.pid"


def _is_alive(pid: int, home: Path) -> bool:
    """True if ``pid`` is a live launcher for ``home`` (not a reused pid of some other program)."""
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's process: not ours
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.parent.is_dir():  # no /proc (macOS): trust the pid file
        return True
    try:
        args = cmdline.read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return "Neo4jLauncher" in args and str(home) in args


def _wait_for_exit(pid: int, home: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _is_alive(pid, home):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _check_port_free(port: int) -> None:
    """Fail early and clearly instead of letting Neo4j die with a bind error deep in its log."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise EmbeddedNeo4jError(
                f"Port {port} on 127.0.0.1 is already in use by another program ({error.strerror}). "
                "Stop that program or pick another port with the env var NEO4J_BOLT_PORT."
            ) from error


def _java() -> str:
    """Find a Java 17+ runtime: $JAVA_HOME/bin/java, else java on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if java is None or not Path(java).is_file():
        raise EmbeddedNeo4jError(
            "Java was not found. The built-in Neo4j needs a JDK 17 or newer: install one "
            "(e.g. `apt install openjdk-17-jdk-headless`) and put it on PATH or set JAVA_HOME."
        )
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(?:1\.)?(\d+)', version)
    if match is None or int(match.group(1)) < 17:
        first_line = version.splitlines()[0] if version else "unknown version"
        raise EmbeddedNeo4jError(
            f"{java} is {first_line!r}, but the built-in Neo4j needs Java 17 or newer: install a JDK 17 "
            "(e.g. `apt install openjdk-17-jdk-headless`) and put it first on PATH or set JAVA_HOME."
        )
    return java


def _build(home: Path, java: str) -> Path:
    """Return a folder with the Neo4j classpath and the compiled launcher, making it on first use.

    Keyed by a hash of pom.xml and the launcher source, so editing either rebuilds.
    """
    key = hashlib.sha256(_POM.read_bytes() + _LAUNCHER.read_bytes()).hexdigest()[:16]
    build = home / "build" / key
    if build.is_dir():
        return build
    mvn = shutil.which("mvn")
    if mvn is None:
        raise EmbeddedNeo4jError(
            "Maven (mvn) was not found. It is needed once to download the Neo4j jars: "
            "install it (e.g. `apt install maven`) and put it on PATH."
        )
    javac = Path(java).resolve().with_name("javac")
    if not javac.is_file():
        raise EmbeddedNeo4jError(
            f"javac was not found next to {java}. The built-in Neo4j needs a full JDK 17+, not just a JRE "
            "(e.g. `apt install openjdk-17-jdk-headless`)."
        )
    build.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=build.parent))
    try:
        print(f"resolving the Neo4j jars of {_POM} with Maven (first start only, may take minutes)...", file=sys.stderr)
        classpath = staging / "classpath.txt"
        _run([mvn, "-q", "-B", "-f", str(_POM), "dependency:build-classpath", f"-Dmdep.outputFile={classpath}"])
        print("compiling the Neo4j launcher...", file=sys.stderr)
        _run([str(javac), "-nowarn", "-d", str(staging), "-cp", classpath.read_text().strip(), str(_LAUNCHER)])
        staging.rename(build)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if not build.is_dir():  # a concurrent start may have won the rename; that is fine
            raise
    return build


def _run(command: list[str]) -> None:
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-_LOG_TAIL_LINES:])
        raise EmbeddedNeo4jError(f"`{' '.join(command[:4])} ...` failed (exit {result.returncode}):\n{output}")


def _wait_until_ready(home: Path, server: EmbeddedStatus, deadline: float) -> None:
    """Wait for the launcher's ready line, then check that Bolt accepts the generated password."""
    assert server.pid is not None and server.uri is not None
    log = home / "launcher.log"
    while True:
        if not _is_alive(server.pid, home):
            raise EmbeddedNeo4jError(f"Neo4j exited while starting. {_log_tail(home)}")
        if log.exists() and _READY_LINE in log.read_text(errors="replace"):
            try:
                with GraphDatabase.driver(server.uri, auth=(USER, password(home))) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as error:  # the password is only applied when the store is created
                raise EmbeddedNeo4jError(
                    f"Neo4j at {server.uri} refused the password in {home / 'password'}, so the store in "
                    f"{home / 'data'} was created with another one. Restore that password file, or delete "
                    f"{home / 'data'} to start over with an empty database."
                ) from error
            except ServiceUnavailable:
                pass
        if time.monotonic() > deadline:
            raise EmbeddedNeo4jError(f"Neo4j did not open Bolt on {server.uri} in time. {_log_tail(home)}")
        time.sleep(0.2)


def _log_tail(home: Path) -> str:
    log = home / "launcher.log"
    lines = log.read_text(errors="replace").splitlines()[-_LOG_TAIL_LINES:] if log.exists() else []
    return f"Last lines of {log} (Neo4j's own log: {home / 'logs' / 'debug.log'}):\n" + "\n".join(lines)
