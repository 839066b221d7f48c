"""Receipts of mutations sent with a clientMutationId: a repeat returns the first result and does nothing more.

A receipt is claimed inside the change's own transaction (a uniqueness
constraint makes exactly one claim win; a concurrent repeat waits for the
first to commit or roll back) and completed there with the result, so it
exists exactly when the change does. It keeps a hash of the input it was
claimed with: the same id with another input is not a repeat.
"""

import datetime
from dataclasses import dataclass

from .connection import Transaction


@dataclass(frozen=True)
class Claim:
    first: bool
    """True when this is the first time: the change runs."""
    input_hash: str | None
    """The hash of the input the receipt was claimed with (None on receipts older than the hash)."""
    result: str | None
    """The first run's result (JSON) when this is a repeat."""


async def claim(tx: Transaction, key: str, token: str, input_hash: str, at: datetime.datetime) -> Claim:
    rows = await tx.run(
        """
        MERGE (m:MutationReceipt {key: $key})
          ON CREATE SET m.token = $token, m.inputHash = $inputHash, m.claimedAt = $at
        RETURN m.token = $token AS first, m.inputHash AS inputHash, m.result AS result
        """,
        key=key,
        token=token,
        inputHash=input_hash,
        at=at,
    )
    return Claim(first=rows[0]["first"], input_hash=rows[0]["inputHash"], result=rows[0]["result"])


async def complete(tx: Transaction, key: str, result: str) -> None:
    await tx.run("MATCH (m:MutationReceipt {key: $key}) SET m.result = $result", key=key, result=result)
