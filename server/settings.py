"""Configuration from the environment, read once at start-up.

With NEO4J_URI unset the project uses its own embedded Neo4j under the data
folder; with it set, that server (or cluster) is used and nothing is started.
Unless CREDIT_GRAPH_ENV=development, the server is in production: it refuses to
start without RS256 token keys and the server secret, and introspection and GraphiQL
are off (GRAPHQL_INTROSPECTION opens both).
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from authz.principal import Jwks, TokenKeys, development_secret
from authz.secrets import ACTORS, derived_key, generated
from graph_store import embedded
from graph_store.connection import Neo4jConfig
from resolvers.context import LookupLimits
from schema.cost import MAX_COST
from schema.limits import MAX_TOKENS, RATE_LIMIT

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_LENGTH = 32
ORIGIN = re.compile(r"^https?://(\[[0-9a-f:.]+\]|[^/\s:\[\]]+)(:\d{1,5})?$")
"""An origin as a browser sends it: scheme, host and port, nothing after."""
SHARED_DIR = "CREDIT_GRAPH_SHARED_DIR"
RATE_LIMIT_FILE = "rate-limits.sqlite"
METRICS_DIR = "metrics"
"""Inside the shared folder: the rate limit's counts, and the folder of the metrics' files."""


def cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count): the default of WEB_WORKERS.
    Where the system does not say (macOS), the machine's."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    neo4j_home: Path
    bolt_port: int
    neo4j_heap: str
    neo4j_page_cache: str
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    query_timeout: float
    port: int
    workers: int
    """API processes `credit-graph serve` runs side by side (WEB_WORKERS): by default one per core this process may
    use. They share the rate limit's counts and the metrics through `shared_dir`."""
    shared_dir: Path | None
    """The folder `credit-graph serve` makes for its processes when it runs more than one (CREDIT_GRAPH_SHARED_DIR,
    set by `serve`, never by hand): the rate limit's counts (`rate_limit_store`) and, beside them, the metrics'
    files (PROMETHEUS_MULTIPROC_DIR). None for one process: both stay in its memory."""
    development: bool
    secret_file: Path | None
    """The server's secret (CREDIT_GRAPH_SECRET_FILE): cursor signatures and actor ids are derived from it."""
    jwt_public_key_file: Path | None
    jwt_jwks_url: str | None
    jwt_jwks_refresh: float
    """Seconds between fetches of the JWKS (JWT_JWKS_REFRESH): a key taken out of it is refused after at most this."""
    jwt_issuer: str | None
    """The `iss` every token must carry (JWT_ISSUER); not checked when unset."""
    jwt_audience: str | None
    """The `aud` every token must carry (JWT_AUDIENCE); not checked when unset."""
    calendar_dir: Path
    """Official holiday schedules for years chinese-calendar does not know: <year>.json."""
    lookup_limits: LookupLimits
    """How far a relationship lookup may go before it is refused (LOOKUP_MAX_SUBJECTS, LOOKUP_TIMEOUT), and how many
    one principal may run at once (LOOKUP_CONCURRENCY)."""
    refusal_log_period: float
    """Seconds over which refusals before authentication are counted into one entry per reason and source."""
    log_checkpoint_key_file: Path | None
    """The Ed25519 key that signs log checkpoints (LOG_CHECKPOINT_KEY_FILE), kept outside Neo4j."""
    log_checkpoint_public_key_file: Path | None
    """Its public key, enough to verify checkpoints (LOG_CHECKPOINT_PUBLIC_KEY_FILE)."""
    introspection: bool
    """Whether the schema answers introspection (GRAPHQL_INTROSPECTION): on in development, off in production."""
    rate_limit: str
    """Requests one caller may make (RATE_LIMIT, e.g. "30/second;1200/minute"): per principal, per address if
    anonymous."""
    max_tokens: int
    """The most tokens a document may have (GRAPHQL_MAX_TOKENS; schema/limits.py)."""
    max_cost: int
    """The most one operation may cost, in points (GRAPHQL_MAX_COST; schema/cost.py)."""
    trusted_documents: Path | None
    """A manifest of the only documents the server runs (TRUSTED_DOCUMENTS): JSON, sha256 hash -> document."""
    cors_origins: tuple[str, ...]
    """The origins whose pages a browser lets call the API (CORS_ORIGINS, comma-separated); none by default."""

    def token_keys(self) -> TokenKeys:
        """RS256 by a public key or a JWKS URL in production; the generated HS256 secret in development."""
        actor_key = derived_key(self.server_secret(), ACTORS)
        if self.jwt_jwks_url:
            jwks = Jwks(self.jwt_jwks_url, self.jwt_jwks_refresh)
            return TokenKeys("RS256", actor_key, jwks=jwks, issuer=self.jwt_issuer, audience=self.jwt_audience)
        if self.jwt_public_key_file:
            key = self.jwt_public_key_file.read_text()
            return TokenKeys("RS256", actor_key, key=key, issuer=self.jwt_issuer, audience=self.jwt_audience)
        if not self.development:
            raise SystemExit(
                "production needs JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL to verify tokens (RS256); "
                "set CREDIT_GRAPH_ENV=development to use the generated development key instead"
            )
        key = development_secret(self.data_dir)
        return TokenKeys("HS256", actor_key, key=key, issuer=self.jwt_issuer, audience=self.jwt_audience)

    def server_secret(self) -> str:
        """The same in every API process: configured in production, generated under the data folder in development."""
        if self.secret_file is not None:
            secret = self.secret_file.read_text().strip()
            if len(secret) < MIN_SECRET_LENGTH:
                raise SystemExit(
                    f"CREDIT_GRAPH_SECRET_FILE holds {len(secret)} characters; the server secret needs at least "
                    f"{MIN_SECRET_LENGTH} random ones (cursor signatures and actor ids rest on it)"
                )
            return secret
        if not self.development:
            raise SystemExit(
                "production needs CREDIT_GRAPH_SECRET_FILE: a file with a long random secret, the same for every API "
                "process (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))' > server.key`)"
            )
        return generated(self.data_dir / "server-secret.key")

    def checkpoint_key(self) -> Path:
        """Where the checkpoint signing key is: configured in production, made under the data folder in development."""
        if self.log_checkpoint_key_file is not None:
            return self.log_checkpoint_key_file
        if not self.development:
            raise SystemExit("production signs log checkpoints with LOG_CHECKPOINT_KEY_FILE (an Ed25519 key, PEM)")
        return self.data_dir / "log-checkpoint.key"

    @property
    def rate_limit_store(self) -> Path | None:
        """The file the processes of one `serve` count every caller's requests in; None: in memory."""
        return None if self.shared_dir is None else self.shared_dir / RATE_LIMIT_FILE

    def checkpoint_public_key(self) -> Path:
        return self.log_checkpoint_public_key_file or self.checkpoint_key()

    @property
    def embedded(self) -> bool:
        return self.neo4j_uri is None

    def neo4j(self) -> Neo4jConfig:
        if self.neo4j_uri is None:
            # neo4j:// even for the single embedded server: the same routing code path as a cluster.
            return Neo4jConfig(
                uri=f"neo4j://127.0.0.1:{self.bolt_port}",
                user=embedded.USER,
                password=embedded.password(self.neo4j_home),
                database=self.neo4j_database,
                query_timeout=self.query_timeout,
            )
        if not self.neo4j_password:
            raise SystemExit("NEO4J_URI is set but NEO4J_PASSWORD is not: set both to use your own Neo4j.")
        return Neo4jConfig(
            uri=self.neo4j_uri,
            user=self.neo4j_user,
            password=self.neo4j_password,
            database=self.neo4j_database,
            query_timeout=self.query_timeout,
        )


def cors_origins(value: str) -> tuple[str, ...]:
    """CORS_ORIGINS: each an exact origin. A browser sends `https://app.example`, never a path, a slash at the end
    or a wildcard, so anything else would allow nothing while looking as if it did: refused at start."""
    origins = tuple(origin.strip().lower() for origin in value.split(",") if origin.strip())
    for origin in origins:
        if not ORIGIN.match(origin):
            raise SystemExit(
                f"CORS_ORIGINS: {origin!r} is not an origin; write each as scheme://host[:port] "
                "(e.g. https://credit.hunan.gov.cn), with no path, no slash at the end and no wildcard"
            )
    return origins


def load(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("CREDIT_GRAPH_DATA", PROJECT_ROOT / ".data"))
    development = env.get("CREDIT_GRAPH_ENV", "production") == "development"
    return Settings(
        data_dir=data_dir,
        neo4j_home=Path(env.get("CREDIT_GRAPH_NEO4J_HOME", data_dir / "neo4j")),
        bolt_port=int(env.get("NEO4J_BOLT_PORT", "7687")),
        # A provider's file is imported in one transaction: the heap bounds how large a file can be.
        neo4j_heap=env.get("NEO4J_HEAP", "4g"),
        neo4j_page_cache=env.get("NEO4J_PAGE_CACHE", "1g"),
        neo4j_uri=env.get("NEO4J_URI") or None,
        neo4j_user=env.get("NEO4J_USER", "neo4j"),
        neo4j_password=env.get("NEO4J_PASSWORD"),
        neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
        query_timeout=float(env.get("NEO4J_QUERY_TIMEOUT", str(Neo4jConfig.query_timeout))),
        port=int(env.get("PORT", "8000")),
        workers=int(env.get("WEB_WORKERS", str(cores()))),
        shared_dir=Path(env[SHARED_DIR]) if env.get(SHARED_DIR) else None,
        development=development,
        secret_file=Path(env["CREDIT_GRAPH_SECRET_FILE"]) if env.get("CREDIT_GRAPH_SECRET_FILE") else None,
        jwt_public_key_file=Path(env["JWT_PUBLIC_KEY_FILE"]) if env.get("JWT_PUBLIC_KEY_FILE") else None,
        jwt_jwks_url=env.get("JWT_JWKS_URL") or None,
        jwt_jwks_refresh=float(env.get("JWT_JWKS_REFRESH", "300")),
        jwt_issuer=env.get("JWT_ISSUER") or None,
        jwt_audience=env.get("JWT_AUDIENCE") or None,
        calendar_dir=Path(env.get("CREDIT_GRAPH_CALENDAR", data_dir / "calendar")),
        refusal_log_period=float(env.get("REFUSAL_LOG_PERIOD", "60")),
        log_checkpoint_key_file=Path(env["LOG_CHECKPOINT_KEY_FILE"]) if env.get("LOG_CHECKPOINT_KEY_FILE") else None,
        log_checkpoint_public_key_file=(
            Path(env["LOG_CHECKPOINT_PUBLIC_KEY_FILE"]) if env.get("LOG_CHECKPOINT_PUBLIC_KEY_FILE") else None
        ),
        introspection=env.get("GRAPHQL_INTROSPECTION", str(development)).lower() == "true",
        rate_limit=env.get("RATE_LIMIT", RATE_LIMIT),
        max_tokens=int(env.get("GRAPHQL_MAX_TOKENS", str(MAX_TOKENS))),
        max_cost=int(env.get("GRAPHQL_MAX_COST", str(MAX_COST))),
        trusted_documents=Path(env["TRUSTED_DOCUMENTS"]) if env.get("TRUSTED_DOCUMENTS") else None,
        cors_origins=cors_origins(env.get("CORS_ORIGINS", "")),
        lookup_limits=LookupLimits(
            max_subjects=int(env.get("LOOKUP_MAX_SUBJECTS", str(LookupLimits.max_subjects))),
            timeout=float(env.get("LOOKUP_TIMEOUT", str(LookupLimits.timeout))),
            concurrent=int(env.get("LOOKUP_CONCURRENCY", str(LookupLimits.concurrent))),
        ),
    )
