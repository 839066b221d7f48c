"""The chain's tail is anchored: a checkpoint signed outside Neo4j finds a log cut back with its head reset."""

import asyncio
import json
from pathlib import Path

import httpx
from typer.testing import CliRunner

from graph_store.connection import Store
from server.cli import app as cli

from ..conftest import COMPANY, ask, headers

PAGE = "query($code: String!) { subject(code: $code) { name } }"


async def run(*arguments: str) -> tuple[int, str]:
    result = await asyncio.to_thread(CliRunner().invoke, cli, list(arguments))  # the CLI runs its own event loop
    return result.exit_code, result.output


async def test_a_log_cut_back_below_its_checkpoint_with_its_head_reset_is_found(
    fresh_sample_store: Store, client: httpx.AsyncClient, tmp_path: Path
):
    for _ in range(4):
        await ask(client, PAGE, headers(), code=COMPANY)
    code, printed = await run("log", "checkpoint")
    assert code == 0, printed
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(printed)
    assert json.loads(printed)["seq"] == 4
    await ask(client, PAGE, headers(), code=COMPANY)
    assert (await run("log", "verify", "--checkpoint", str(checkpoint)))[0] == 0

    # Cut the last three entries and set the head back on entry 2: the chain that is left is whole.
    await fresh_sample_store.write("MATCH (e:AccessLogEntry) WHERE e.seq > 2 DETACH DELETE e")
    await fresh_sample_store.write(
        "MATCH (e:AccessLogEntry {seq: 2}), (h:AccessLogHead {id: 'main'}) SET h.seq = 2, h.hash = e.hash"
    )
    assert (await run("log", "verify"))[0] == 0
    code, printed = await run("log", "verify", "--checkpoint", str(checkpoint))
    assert code == 1 and "cut back" in printed and "entry 4" in printed


async def test_a_checkpoint_that_was_changed_is_refused(
    fresh_sample_store: Store, client: httpx.AsyncClient, tmp_path: Path
):
    await ask(client, PAGE, headers(), code=COMPANY)
    taken = json.loads((await run("log", "checkpoint"))[1])
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**taken, "seq": taken["seq"] - 1}))
    code, printed = await run("log", "verify", "--checkpoint", str(forged))
    assert code == 2 and "not one this platform signed" in printed
