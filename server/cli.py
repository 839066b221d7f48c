"""The `credit-graph` command (docs/contract.md, command line). Each command parses, calls one service, reports."""

import asyncio
import copy
import datetime
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
import uvicorn.config
from neo4j.exceptions import Neo4jError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from authz import access_log, checkpoints
from authz.principal import ROLES, ROLES_WITH_UNIT, actor_id, development_secret, issue_token
from authz.secrets import ACTORS, derived_key
from credit.errors import StoreError
from credit.model import china_now
from graph_store import bulk_writes, embedded, reads
from graph_store.connection import Store, open_store
from graph_store.migrations import migrate as run_migrations
from intake import import_lines, importer

from . import settings as settings_module
from .observability import MULTIPROCESS
from .shared_limits import connect

app = typer.Typer(help="credit-graph: the Hunan social credit information platform's GraphQL API on Neo4j.")
neo4j_app = typer.Typer(help="The embedded Neo4j server (used when NEO4J_URI is not set).")
app.add_typer(neo4j_app, name="neo4j")
log_app = typer.Typer(help="The access log (Arts. 21, 31).")
app.add_typer(log_app, name="log")
console = Console(stderr=True)
T = TypeVar("T")


def with_store(action: Callable[[Store], Awaitable[T]]) -> T:
    async def main() -> T:
        async with open_store(settings_module.load().neo4j()) as store:
            return await action(store)

    try:
        return asyncio.run(main())
    except StoreError as exc:
        console.print(f"[red]{exc}[/red]\nIs Neo4j running? Start the embedded one with: credit-graph neo4j start")
        raise typer.Exit(1) from None


def embedded_settings() -> settings_module.Settings:
    settings = settings_module.load()
    if not settings.embedded:
        console.print(f"NEO4J_URI is set ({settings.neo4j_uri}): that server is used and nothing is started here.")
        raise typer.Exit(0)
    return settings


def print_status(status: embedded.EmbeddedStatus) -> None:
    if status.running:
        console.print(f"Neo4j is running (pid {status.pid}) at {status.uri}")
    else:
        console.print("Neo4j is not running")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the embedded Neo4j (does nothing if it already runs)."""
    settings = embedded_settings()
    try:
        print_status(
            embedded.start(
                settings.neo4j_home, settings.bolt_port, heap=settings.neo4j_heap, page_cache=settings.neo4j_page_cache
            )
        )
    except embedded.EmbeddedNeo4jError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the embedded Neo4j (does nothing if it is not running)."""
    home = embedded_settings().neo4j_home
    was_running = embedded.status(home).running
    embedded.stop(home)
    console.print("Neo4j stopped" if was_running else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Tell whether the embedded Neo4j runs; exit code 3 when it does not."""
    status = embedded.status(embedded_settings().neo4j_home)
    print_status(status)
    if not status.running:
        raise typer.Exit(3)


@app.command()
def migrate() -> None:
    """Create the constraints and indexes (idempotent)."""
    with_store(run_migrations)
    console.print("Constraints and indexes are in place.")


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


def report(result: importer.ImportResult, seconds: float) -> None:
    total = sum(result.counts.values())
    counts = ", ".join(f"{count} {kind}" for kind, count in result.counts.items())
    console.print(f"Imported {total} objects in {seconds:.1f} s ({total / max(seconds, 1e-9):,.0f}/s): {counts}")


TAKEN_KEY = (  # what a key the constraints refuse to an import means
    "An object with one of the file's keys was written meanwhile by another import, or was left unpublished by an "
    "import that did not finish: `credit-graph migrate` removes what such an import staged a day after it began."
)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A JSON Lines file, one object per line with a kind.")],
) -> None:
    """Validate and load a JSON Lines file: all of it, or nothing of it."""
    try:
        with file.open("rb") as stream:  # bytes: a line that is not UTF-8 is refused with its number, like others
            total = sum(1 for line in import_lines.read_lines(stream) if line.strip())
    except OSError as exc:
        console.print(f"[red]cannot read {file}: {exc}[/red]")
        raise typer.Exit(2) from None

    async def run(store: Store) -> importer.ImportResult:
        # read twice, never held: the lines are checked alone, then together as they are written
        with progress_bar() as bar, file.open("rb") as stream:
            task = bar.add_task(f"importing {file.name}", total=total)
            return await importer.import_stream(store, stream, progress=lambda n: bar.advance(task, n))

    started = datetime.datetime.now()
    try:
        result = with_store(run)
    except importer.ImportFailed as exc:
        console.print(f"[red]{file} was not imported; nothing was written:[/red]")
        print(exc, file=sys.stderr)
        raise typer.Exit(1) from None
    except (Neo4jError, bulk_writes.StagingIncomplete) as exc:  # what was sent is rolled back or removed
        console.print(f"[red]{file} was not imported; nothing was written. Neo4j refused its writes:[/red]")
        print(exc, file=sys.stderr)
        if isinstance(exc, Neo4jError) and exc.code and "ConstraintValidationFailed" in exc.code:
            console.print(TAKEN_KEY)
        raise typer.Exit(1) from None
    report(result, (datetime.datetime.now() - started).total_seconds())


@app.command()
def seed(
    subjects: Annotated[int, typer.Option(min=1, help="How many credit subjects to make.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed makes the same data.")] = 0,
    if_empty: Annotated[bool, typer.Option(help="Do nothing when the store already holds subjects.")] = False,
) -> None:
    """Load realistic synthetic Hunan credit data (valid codes, real regions, agencies and courts)."""
    from intake.seed import generate

    async def run(store: Store) -> importer.ImportResult | None:
        if if_empty and await reads.count_all_subjects(store) > 0:
            return None
        with progress_bar() as bar:
            task = bar.add_task(f"seeding {subjects} subjects", total=None)
            objects = generate(subjects, seed=seed, today=china_now().date())
            return await importer.import_in_chunks(
                store, objects, chunk_size=20_000, progress=lambda n: bar.advance(task, n)
            )

    started = datetime.datetime.now()
    try:
        result = with_store(run)
    except importer.ImportFailed as exc:
        console.print(f"[red]the generated data was refused (a bug in the generator):[/red]\n{exc}")
        raise typer.Exit(1) from None
    if result is None:
        console.print("The store already holds data; nothing seeded.")
        return
    report(result, (datetime.datetime.now() - started).total_seconds())


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: PORT or 8000).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="API processes side by side (default: WEB_WORKERS, or one per core this process may use); they "
            "share the rate limit's counts and the metrics.",
        ),
    ] = None,
) -> None:
    """Serve the GraphQL API at /graphql. The API keeps its data in Neo4j, so processes can run side by side: they
    share the rate limit's counts and the metrics through a folder made for them (docs/operations.md)."""
    settings = settings_module.load()
    processes = workers or settings.workers
    with shared_between(processes):
        uvicorn.run(
            "server.app:app_from_environment",
            factory=True,
            host="127.0.0.1",
            port=port or settings.port,
            workers=processes,
            log_level="info",
            log_config=log_config(),
            access_log=False,  # its lines name paths (/reports/<resident ID>): the request log names requests instead
        )


@contextmanager
def shared_between(processes: int) -> Iterator[None]:
    """For more than one process, a fresh folder of their own (readable by this user only: the counts name callers'
    addresses), named in the environment they inherit: the rate limit's counts (server/shared_limits.py) and
    prometheus_client's files, so that /metrics sums them. Made before the processes start, removed when they have
    stopped. One process keeps both in its memory."""
    if processes == 1:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="credit-graph-serve-") as folder:
        shared = Path(folder)
        (shared / settings_module.METRICS_DIR).mkdir()
        connect(shared / settings_module.RATE_LIMIT_FILE).close()  # its table made before the processes race to make it
        os.environ[settings_module.SHARED_DIR] = str(shared)
        os.environ[MULTIPROCESS] = str(shared / settings_module.METRICS_DIR)
        try:
            yield
        finally:
            del os.environ[settings_module.SHARED_DIR], os.environ[MULTIPROCESS]


def log_config() -> dict[str, Any]:
    """Uvicorn's own logging, and the request log's JSON lines (docs/operations.md) on standard output as they are."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["json_line"] = {"format": "%(message)s"}
    config["handlers"]["json_line"] = {
        "class": "logging.StreamHandler",
        "formatter": "json_line",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["credit_graph.requests"] = {"handlers": ["json_line"], "level": "INFO", "propagate": False}
    return config


@app.command()
def token(
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="The person's name, as the access log will show it.")],
    unit: Annotated[
        str | None, typer.Option(help="Provider code (AGENCY, PROVIDER, CREDIT_SERVICE), own code (SUBJECT).")
    ] = None,
    sub: Annotated[str | None, typer.Option(help="User id (default: a hash of role, unit and name).")] = None,
    ttl: Annotated[int, typer.Option(min=1, max=30 * 24 * 3600, help="Seconds until it expires.")] = 3600,
) -> None:
    """Print a development token (HS256) that the running server accepts."""
    if role not in ROLES:
        raise typer.BadParameter(f"{role!r} is not a role; roles are {', '.join(ROLES)}", param_hint="--role")
    if role in ROLES_WITH_UNIT and not unit:
        raise typer.BadParameter(f"a {role} token needs --unit", param_hint="--unit")
    settings = settings_module.load()
    if not settings.development:
        raise typer.BadParameter("tokens are issued here only in development (CREDIT_GRAPH_ENV=development)")
    issued = int(time.time())
    claims = {
        "sub": sub or hashlib.sha256(f"{role}|{unit}|{name}".encode()).hexdigest()[:16],  # the same person, same id
        "name": name,
        "role": role,
        "unit": unit,
        "iat": issued,
        "exp": issued + ttl,
    }
    print(issue_token(claims, development_secret(settings.data_dir)))


@app.command("actor-id")
def actor_id_of(
    sub: Annotated[str, typer.Option(help="The user's id at the identity provider (the token's `sub`).")],
    issuer: Annotated[
        str | None, typer.Option(help="The identity provider (the token's `iss`), if it names one.")
    ] = None,
) -> None:
    """Print the actor id the server keeps for a user: how an auditor finds a user's entries in the access log and
    the versions they made (actor ids are keyed hashes, so the log never holds the identity provider's user id)."""
    settings = settings_module.load()
    print(actor_id(sub, issuer, derived_key(settings.server_secret(), ACTORS)))


@log_app.command("verify")
def log_verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="A checkpoint taken earlier (log checkpoint): also find a log cut back since, head reset."),
    ] = None,
) -> None:
    """Recompute the access log's hash chain; exit 1 and name the first entry changed, removed or inserted."""
    settings = settings_module.load()
    try:
        anchored = (
            checkpoints.read(checkpoints.load(checkpoint), checkpoints.verifying_key(settings.checkpoint_public_key()))
            if checkpoint
            else None
        )
    except checkpoints.CheckpointError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None

    async def check(store: Store) -> tuple[access_log.Verification, str | None]:
        result = await access_log.verify(store)
        return result, await checkpoints.problem_against(store, anchored) if anchored else None

    result, cut = with_store(check)
    if result.problem or cut:
        console.print(f"[red]The access log is broken: {result.problem or cut}[/red] ({result.entries} entries read)")
        raise typer.Exit(1)
    since = f", and it still holds entry {anchored.seq} of the checkpoint of {anchored.at}" if anchored else ""
    console.print(f"The access log is whole: {result.entries} entries, each sealing the one before{since}.")


@log_app.command("checkpoint")
def log_checkpoint() -> None:
    """Print the log's head (seq, hash, time) signed with the checkpoint key: keep it away from the database, and
    pass it to `log verify --checkpoint` later."""
    settings = settings_module.load()
    try:
        key = checkpoints.signing_key(settings.checkpoint_key(), make=settings.development)
    except checkpoints.CheckpointError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    taken = with_store(lambda store: checkpoints.take(store, key, china_now()))
    print(json.dumps(taken, ensure_ascii=False, indent=2))


@app.command("schema")
def export_schema() -> None:
    """Print the GraphQL schema (SDL); `make schema` writes it to schema.graphql."""
    from schema import schema as graphql_schema

    print(graphql_schema.as_str())
