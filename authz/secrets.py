"""Secrets the server keeps outside Neo4j, and the keys derived from them, one per purpose.

One server secret (CREDIT_GRAPH_SECRET_FILE in production, generated under the
data folder in development) gives every key that must be the same in every API
process: the cursor signing key, the key that turns token subjects into actor
ids. Deriving them (HMAC-SHA256 of the purpose's name) means one file to keep
and rotate, and a key for one purpose says nothing about another.
"""

import hashlib
import hmac
import secrets
from pathlib import Path

CURSORS = "cursors"
ACTORS = "actors"


def generated(path: Path) -> str:
    """The text of a secret file, made on first use (48 random bytes, url-safe) and readable by its owner only."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def derived_key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()
