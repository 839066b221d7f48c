"""Checkpoints of the access log: its head, signed with a key kept outside Neo4j.

The hash chain shows any entry changed, removed or inserted, but not a chain cut
back at its end with the head reset to the new last entry: what is left is a
whole chain. A checkpoint taken earlier (`credit-graph log checkpoint`, kept
away from the database, by an auditor say) says which entry the log had
reached and its hash; verifying against it finds such a cut. The signature
(Ed25519) shows the checkpoint was made with the platform's key: a verifier
needs only the public key.
"""

import base64
import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from graph_store import access_log
from graph_store.connection import Store

from .access_log import canonical


class CheckpointError(Exception):
    """A checkpoint or its key cannot be used; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    """When the checkpoint was taken (ISO 8601 with offset)."""

    def signed_text(self) -> bytes:
        return canonical({"seq": self.seq, "hash": self.hash, "at": self.at}).encode()


def signing_key(path: Path, *, make: bool) -> Ed25519PrivateKey:
    """The private key in `path` (PEM); made there on first use when `make` (development), readable by its owner."""
    if not path.exists():
        if not make:
            raise CheckpointError(
                f"no checkpoint key at {path}: set LOG_CHECKPOINT_KEY_FILE to the platform's Ed25519 key"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        made = Ed25519PrivateKey.generate()
        path.write_bytes(
            made.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return loaded


def verifying_key(path: Path) -> Ed25519PublicKey:
    """The public key in `path` (PEM): a public key, or the private key it belongs to."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckpointError(f"cannot read the checkpoint key {path}: {exc}") from None
    key: Any = (
        serialization.load_pem_public_key(data)
        if b"PUBLIC KEY" in data
        else serialization.load_pem_private_key(data, password=None).public_key()
    )
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 key")
    return key


async def take(store: Store, key: Ed25519PrivateKey, at: datetime.datetime) -> dict[str, Any]:
    """The log's head now, signed: what `credit-graph log checkpoint` prints."""
    head = await access_log.head(store)
    checkpoint = Checkpoint(seq=head.seq if head else 0, hash=head.hash if head else "", at=at.isoformat())
    signature = key.sign(checkpoint.signed_text())
    return {"seq": checkpoint.seq, "hash": checkpoint.hash, "at": checkpoint.at,
            "signature": base64.b64encode(signature).decode()}  # fmt: skip


def read(document: dict[str, Any], key: Ed25519PublicKey) -> Checkpoint:
    """A checkpoint whose signature is the platform's; CheckpointError if it is not."""
    try:
        checkpoint = Checkpoint(seq=int(document["seq"]), hash=str(document["hash"]), at=str(document["at"]))
        key.verify(base64.b64decode(document["signature"]), checkpoint.signed_text())
    except (KeyError, ValueError, TypeError, InvalidSignature):
        raise CheckpointError("the checkpoint is not one this platform signed (or it was changed)") from None
    return checkpoint


async def problem_against(store: Store, checkpoint: Checkpoint) -> str | None:
    """What the log lost since the checkpoint, in words; None when it still holds the entry checkpointed."""
    if checkpoint.seq == 0:
        return None
    rows = await store.read("MATCH (e:AccessLogEntry {seq: $seq}) RETURN e.hash AS hash", seq=checkpoint.seq)
    head = await access_log.head(store)
    at = head.seq if head else 0
    if not rows:
        return (
            f"the log was cut back: entry {checkpoint.seq}, in the checkpoint of {checkpoint.at}, is gone "
            f"(the log's head is at {at})"
        )
    if rows[0]["hash"] != checkpoint.hash:
        return (
            f"entry {checkpoint.seq} is not the one checkpointed at {checkpoint.at}: the log was rewritten from there"
        )
    if at < checkpoint.seq:
        return f"the log's head ({at}) was set back below the checkpoint of {checkpoint.at} (entry {checkpoint.seq})"
    return None


def load(path: Path) -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"cannot read the checkpoint {path}: {exc}") from None
    return document
