"""Everything one request carries: the store, who asks, what they may read, the loaders."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from authz.access_log import Collector, LogWriter
from authz.principal import ANONYMOUS, Principal
from authz.read_filter import ReadFilter, compile_read_filter
from graph_store.connection import Store
from graph_store.model import china_now

from .loaders import Loaders


@dataclass(frozen=True)
class LookupLimits:
    max_subjects: int = 10_000
    """A relationship lookup that would reach more subjects than this is refused, not run."""
    timeout: float = 5.0
    """Seconds one traversal may take in Neo4j."""


@dataclass
class RequestContext:
    store: Store
    request_id: str
    log_writer: LogWriter
    """Where the request's access-log entry goes: shared by the app's requests, for group commit."""
    principal: Principal = ANONYMOUS
    calendar: Path | None = None
    """Where operators put official holiday schedules for years chinese-calendar does not know."""
    now: datetime.datetime = field(default_factory=china_now)
    lookup_limits: LookupLimits = field(default_factory=LookupLimits)
    access: Collector = field(default_factory=Collector)
    read_filter: ReadFilter = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.read_filter = compile_read_filter(self.principal, self.now)
        self.loaders = Loaders(self.store, self.read_filter, self.access, self.now.date())
