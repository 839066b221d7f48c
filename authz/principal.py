"""Who is asking: a principal from a verified bearer token, or anonymous.

Tokens are JWTs with the claims `sub`, `name`, `role`, `unit` and `exp` (and
`iss` and `aud` where the server is told to check them). A request without a
token is anonymous; a token that cannot be trusted is refused, never treated as
anonymous. Every role reads credit data, so every token names its person: the
access log records who asked (Art. 21).

A principal's `id` is not the token's subject but an actor id derived from it
with the server's key: what the graph keeps of who did something (versions,
decisions, the log) never embeds an identity provider's user id, which may be a
resident ID or a name.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import time
import urllib.request
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cachetools import TTLCache

from credit.errors import Unauthenticated
from credit.model import Role

from .secrets import generated

logger = logging.getLogger("credit_graph.authentication")

ROLES = tuple(role.value for role in Role)
ROLES_WITH_UNIT = ("AGENCY", "PROVIDER", "CREDIT_SERVICE", "SUBJECT")
"""An agency's unit is its provider code, a subject's its own code, an organization's its USCC."""


@dataclass(frozen=True)
class Principal:
    id: str | None
    """The actor id (`actor_id`): stable for one user of one identity provider, and nothing more."""
    name: str | None
    role: str | None
    unit: str | None
    purpose: str | None = None
    """A code of the query application catalog, checked against it before the request runs."""
    categories: tuple[str, ...] = ()
    """The record categories that purpose serves, as the catalog says when the request runs (Arts. 20-21)."""

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    def with_purpose(self, purpose: str | None, categories: tuple[str, ...] = ()) -> "Principal":
        return with_purpose(self, purpose, categories)


@lru_cache(maxsize=1024)
def with_purpose(principal: Principal, purpose: str | None, categories: tuple[str, ...]) -> Principal:
    """The principal asking for a purpose: made once for each caller and purpose, as a caller sends the same token
    and purpose with every request (`dataclasses.replace` was 1% of the request floor's CPU)."""
    return replace(principal, purpose=purpose, categories=categories)


ANONYMOUS = Principal(id=None, name=None, role=None, unit=None)


def actor_id(subject: str, issuer: str | None, key: bytes) -> str:
    """The actor id of a token's subject: a keyed hash, so it cannot be turned back into the subject."""
    digest = hmac.new(key, f"{issuer or ''}\x00{subject}".encode(), hashlib.sha256).hexdigest()
    return f"actor-{digest[:24]}"


class Refused(Unauthenticated):
    """A token refused, with the short reason the access log counts refusals by. `token_given`: a bearer token was
    sent and is bad (expired, forged, ...), rather than the Authorization header not holding one."""

    def __init__(self, message: str, reason: str, *, token_given: bool = True) -> None:
        super().__init__(message)
        self.reason = reason
        self.token_given = token_given


class Jwks:
    """The identity provider's signing keys, fetched from its JWKS URL in a worker thread (no request's event loop
    waits on the network) and again every `refresh` seconds: a key taken out of the set is refused from the next
    refresh on, tokens it signed earlier included."""

    RETRY_SECONDS = 10.0
    """After a failed fetch, and for key ids the set does not have, fetch again at most this often."""

    def __init__(self, url: str, refresh: float = 300.0) -> None:
        self.url = url
        self.refresh = refresh
        self.by_kid: dict[str, Any] = {}
        self.fetched_at = float("-inf")
        self.fetched_for_unknown_at = float("-inf")
        self.failed_at = float("-inf")
        self.turn = asyncio.Lock()

    async def current(self, kid: str | None = None) -> dict[str, Any]:
        """The keys by id; fetched again first when older than `refresh`, or when `kid` is not among them."""
        if self.due(kid):
            async with self.turn:
                if self.due(kid):  # unless another request fetched while this one waited
                    await self.fetch(unknown=kid is not None and kid not in self.by_kid)
        return self.by_kid

    def due(self, kid: str | None) -> bool:
        now = time.monotonic()
        if now - self.failed_at < self.RETRY_SECONDS:
            return False
        if now - self.fetched_at > self.refresh:
            return True
        return kid is not None and kid not in self.by_kid and now - self.fetched_for_unknown_at > self.RETRY_SECONDS

    async def fetch(self, *, unknown: bool) -> None:
        if unknown:
            self.fetched_for_unknown_at = time.monotonic()
        try:
            document = await asyncio.to_thread(self.download)
            published = document["keys"]
        except Exception:
            self.failed_at = time.monotonic()
            logger.exception("the JWKS at %s could not be fetched; the keys fetched before stay in use", self.url)
            return
        self.by_kid = {}
        for entry in published:  # an empty set is a set: every key was withdrawn
            try:
                key = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                logger.warning("the JWKS at %s publishes a key this server cannot use: skipped", self.url)
                continue
            if key.key_id:
                self.by_kid[key.key_id] = key.key
        self.fetched_at = time.monotonic()

    def download(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url, timeout=5) as response:
            document: dict[str, Any] = json.loads(response.read())
            return document


@dataclass(frozen=True)
class TokenKeys:
    """How tokens are verified (the development HS256 secret, an RS256 public key, or a JWKS) and which issuer and
    audience they must name; `actor_key` turns token subjects into actor ids."""

    algorithm: str
    actor_key: bytes
    key: str | None = None
    jwks: Jwks | None = field(default=None, hash=False, compare=False)
    issuer: str | None = None
    audience: str | None = None

    async def verification_key(self, token: str) -> tuple[Any, str | None]:
        """The key that must have signed `token`, and its key id."""
        if self.jwks is None:
            return self.key, None
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Refused(
                f"the token cannot be trusted ({exc}): send a token this platform issued", "bad token"
            ) from None
        key = (await self.jwks.current(kid)).get(kid) if kid else None
        if key is None:
            raise Refused("the token is signed with a key the identity provider does not publish", "unknown key")
        return key, kid

    async def still_trusted(self, kid: str | None) -> bool:
        """Whether the key that signed a token verified earlier is still published."""
        return self.jwks is None or kid in await self.jwks.current()


def development_secret(data_dir: Path) -> str:
    """The HS256 secret of this installation, made on first use and readable by its owner only."""
    return generated(data_dir / "jwt-development.key")


VERIFIED_SECONDS = 300

_verified: TTLCache[tuple[str, TokenKeys], tuple[Principal, float, str | None]] = TTLCache(
    maxsize=10_000, ttl=VERIFIED_SECONDS
)
"""Tokens whose signature was checked, with their expiry and key id. A client sends the same token with every
request, and checking it each time was a measurable share of a lookup's CPU (docs/performance.md, "Request
floor"). On every use the expiry is checked again, and the key
must still be in the identity provider's set."""


async def principal_from_token(token: str, keys: TokenKeys) -> Principal:
    known = _verified.get((token, keys))
    if known is None:
        known = _verified[token, keys] = await verified(token, keys)
    principal, expires, kid = known
    if time.time() >= expires:
        raise Refused("the token has expired: sign in again", "expired token")
    if not await keys.still_trusted(kid):
        _verified.pop((token, keys), None)
        raise Refused(
            "the key that signed the token was withdrawn by the identity provider: sign in again", "withdrawn key"
        )
    return principal


async def verified(token: str, keys: TokenKeys) -> tuple[Principal, float, str | None]:
    """The token's principal, expiry and key id, once its signature and claims are checked."""
    key, kid = await keys.verification_key(token)
    required = ["sub", "role", "exp", "name"] + ["iss"] * bool(keys.issuer) + ["aud"] * bool(keys.audience)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[keys.algorithm],
            issuer=keys.issuer,
            audience=keys.audience,
            options={"require": required},
        )
    except jwt.ExpiredSignatureError:
        raise Refused("the token has expired: sign in again", "expired token") from None
    except jwt.MissingRequiredClaimError as exc:
        why = " (the access log records who asked, Art. 21)" if exc.claim == "name" else ""
        raise Refused(f"the token must carry the claim {exc.claim!r}{why}", "missing claim") from None
    except (jwt.InvalidIssuerError, jwt.InvalidAudienceError) as exc:
        raise Refused(f"the token was not issued for this platform ({exc})", "wrong issuer or audience") from None
    except jwt.PyJWTError as exc:
        raise Refused(f"the token cannot be trusted ({exc}): send a token this platform issued", "bad token") from None
    role, name = claims["role"], claims["name"]
    if role not in ROLES:
        raise Refused(f"the token's role {role!r} does not exist; roles are {', '.join(ROLES)}", "unknown role")
    if not isinstance(name, str) or not name.strip():
        raise Refused("the token must name its person (claim 'name'): the access log records who asked", "no name")
    unit = claims.get("unit")
    if role in ROLES_WITH_UNIT and not unit:
        raise Refused(f"a {role} token must name its unit (claim 'unit')", "missing claim")
    principal = Principal(
        id=actor_id(str(claims["sub"]), claims.get("iss"), keys.actor_key), name=name.strip(), role=role, unit=unit
    )
    return principal, float(claims["exp"]), kid


async def principal_from_header(authorization: str | None, keys: TokenKeys) -> Principal:
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused(
            "the Authorization header must be 'Bearer <token>'", "bad Authorization header", token_given=False
        )
    return await principal_from_token(token.strip(), keys)


def issue_token(claims: dict[str, Any], secret: str) -> str:
    """A development token (HS256) the running server accepts."""
    return jwt.encode(claims, secret, algorithm="HS256")
