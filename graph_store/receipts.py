"""Receipts of mutations sent with a clientMutationId: a repeat returns the first result and does nothing more.

A receipt is claimed before the mutation runs (a uniqueness constraint makes
exactly one claim win), completed with the result after, and released if the
mutation failed, so a corrected retry can run.
"""

import datetime
from dataclasses import dataclass

from .connection import Store


@dataclass(frozen=True)
class Claim:
    won: bool
    result: str | None
    """The first run's result (JSON) when this is a repeat; None while it is still running."""


async def claim(store: Store, key: str, token: str, at: datetime.datetime) -> Claim:
    rows = await store.write(
        """
        MERGE (m:MutationReceipt {key: $key})
          ON CREATE SET m.token = $token, m.claimedAt = $at
        RETURN m.token = $token AS won, m.result AS result
        """,
        key=key,
        token=token,
        at=at,
    )
    return Claim(won=rows[0]["won"], result=rows[0]["result"])


async def complete(store: Store, key: str, result: str) -> None:
    await store.write("MATCH (m:MutationReceipt {key: $key}) SET m.result = $result", key=key, result=result)


async def release(store: Store, key: str, token: str) -> None:
    """Forget a claim whose mutation failed (nothing was done), so the same id can be tried again."""
    await store.write("MATCH (m:MutationReceipt {key: $key, token: $token}) DELETE m", key=key, token=token)
