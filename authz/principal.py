"""Who is asking: a principal from a verified bearer token, or anonymous.

Tokens are JWTs with the claims `sub`, `name`, `role`, `unit` and `exp`. A
request without a token is anonymous; a token that cannot be trusted is refused,
never treated as anonymous.
"""

import secrets
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jwt
from cachetools import TTLCache

from graph_store.errors import Unauthenticated

ROLES = ("AGENCY", "PROVIDER", "CREDIT_SERVICE", "SUBJECT", "ADMIN", "AUDITOR")
ROLES_WITH_UNIT = ("AGENCY", "PROVIDER", "CREDIT_SERVICE", "SUBJECT")
"""An agency's unit is its provider code, a subject's its own code, an organization's its USCC."""


@dataclass(frozen=True)
class Principal:
    id: str | None
    name: str | None
    role: str | None
    unit: str | None
    purpose: str | None = None
    """A code of the query application catalog, checked against it before the request runs."""

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    def with_purpose(self, purpose: str | None) -> "Principal":
        return replace(self, purpose=purpose)


ANONYMOUS = Principal(id=None, name=None, role=None, unit=None)


@dataclass(frozen=True)
class TokenKeys:
    """How tokens are verified: the development HS256 secret, an RS256 public key, or a JWKS URL."""

    algorithm: str
    key: str | None = None
    jwks_url: str | None = None

    def verification_key(self, token: str) -> Any:
        if self.jwks_url:
            return jwks_client(self.jwks_url).get_signing_key_from_jwt(token).key
        return self.key


_jwks_clients: dict[str, jwt.PyJWKClient] = {}


def jwks_client(url: str) -> jwt.PyJWKClient:
    """One client per URL, so its key cache lasts across requests."""
    if url not in _jwks_clients:
        _jwks_clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=300)
    return _jwks_clients[url]


def development_secret(data_dir: Path) -> str:
    """The HS256 secret of this installation, made on first use and readable by its owner only."""
    path = data_dir / "jwt-development.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


VERIFIED_SECONDS = 300

_verified: TTLCache[tuple[str, TokenKeys], tuple[Principal, float]] = TTLCache(maxsize=10_000, ttl=VERIFIED_SECONDS)
"""Tokens whose signature was checked, with their expiry. A client sends the same token with every request, and
checking it each time was 5% of a lookup's CPU. Kept as long as a JWKS key is: a key taken out of the identity
provider's set stops being trusted within the same five minutes either way."""


def principal_from_token(token: str, keys: TokenKeys) -> Principal:
    known = _verified.get((token, keys))
    if known is None:
        known = _verified[token, keys] = verified(token, keys)
    principal, expires = known
    if time.time() >= expires:
        raise Unauthenticated("the token has expired: sign in again")
    return principal


def verified(token: str, keys: TokenKeys) -> tuple[Principal, float]:
    """The token's principal and expiry, once its signature and claims are checked."""
    try:
        claims = jwt.decode(
            token,
            keys.verification_key(token),
            algorithms=[keys.algorithm],
            options={"require": ["sub", "role", "exp"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the token has expired: sign in again") from None
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"the token cannot be trusted ({exc}): send a token this platform issued") from None
    role = claims["role"]
    if role not in ROLES:
        raise Unauthenticated(f"the token's role {role!r} does not exist; roles are {', '.join(ROLES)}")
    unit = claims.get("unit")
    if role in ROLES_WITH_UNIT and not unit:
        raise Unauthenticated(f"a {role} token must name its unit (claim 'unit')")
    principal = Principal(id=str(claims["sub"]), name=claims.get("name"), role=role, unit=unit)
    return principal, float(claims["exp"])


def principal_from_header(authorization: str | None, keys: TokenKeys) -> Principal:
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return principal_from_token(token.strip(), keys)


def issue_token(claims: dict[str, Any], secret: str) -> str:
    """A development token (HS256) the running server accepts."""
    return jwt.encode(claims, secret, algorithm="HS256")
