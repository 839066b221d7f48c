"""Everything one request carries: the store as the request sees it, who asks, what they may read, the loaders."""

import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from authz.access_log import LogWriter, RefusalTally
from authz.principal import ANONYMOUS, Principal
from authz.read_filter import compile_read_filter
from credit.errors import LimitExceeded
from credit.model import china_now
from graph_store.connection import RequestStore
from graph_store.predicate import ReadFilter
from graph_store.rows import Seen

from .loaders import Loaders
from .pagination import Cursors


@dataclass(frozen=True)
class LookupLimits:
    max_subjects: int = 10_000
    """A relationship lookup that would reach more subjects than this is refused, not run."""
    timeout: float = 5.0
    """Seconds one traversal may take in Neo4j."""
    concurrent: int = 2
    """Lookups one principal may have running at once; one more is refused, not queued."""


class RunningLookups:
    """How many relationship lookups each principal has running, across the app's requests: a lookup can hold
    Neo4j for seconds, so one caller's many at once would starve everyone else's."""

    def __init__(self) -> None:
        self.running: Counter[str] = Counter()

    @contextmanager
    def one_more(self, who: str, most: int) -> Iterator[None]:
        if self.running[who] >= most:
            raise LimitExceeded(f"you have {most} relationship lookups running; wait for one to finish")
        self.running[who] += 1
        try:
            yield
        finally:
            self.running[who] -= 1
            if not self.running[who]:
                del self.running[who]


@dataclass
class RequestContext:
    store: RequestStore
    """The store as this request sees it: every row it reads is recorded in `store.seen` for the access log."""
    request_id: str
    log_writer: LogWriter
    """Where the request's access-log entry goes: shared by the app's requests, for group commit."""
    cursors: Cursors
    """Signs the cursors this request hands out and checks the ones it is given."""
    refusals: RefusalTally
    """Where a refusal of the document (too large, too costly) is logged, like the middleware's refusals."""
    source: str = "unknown"
    """The client's address: the tally counts anonymous refusals by it."""
    principal: Principal = ANONYMOUS
    correlation_id: str | None = None
    """The caller's own X-Request-Id, kept beside the log entry; the entry's request id is the server's."""
    operation: str = "-"
    """The GraphQL operation as the log names it ("mutation DecideObjection"), set once it is parsed."""
    root_fields: tuple[str, ...] = ()
    """The schema's fields the operation asks at its root, set once it is validated: the metrics and the request
    log name a request by them, never by the operation name a caller chose."""
    calendar: Path | None = None
    """Where operators put official holiday schedules for years chinese-calendar does not know."""
    now: datetime.datetime = field(default_factory=china_now)
    lookup_limits: LookupLimits = field(default_factory=LookupLimits)
    running_lookups: RunningLookups = field(default_factory=RunningLookups)
    """The app's count of lookups running, shared by its requests."""
    logged: Seen = field(default_factory=Seen)
    """What the request's changes already wrote to the log, each in its own transaction (resolvers/changes.py)."""
    changes: int = 0
    """How many changes this request committed."""
    repeats: int = 0
    """How many of its mutations repeated an earlier change (a clientMutationId sent again) and changed nothing."""
    read_filter: ReadFilter = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.read_filter = compile_read_filter(self.principal, self.now)
        self.fresh_loaders()

    def fresh_loaders(self) -> None:
        """Loaders with empty caches, after a change: what they cached may have changed with it, or (rolled back)
        never have happened."""
        self.loaders = Loaders(self.store, self.read_filter)
