"""What a principal may read, compiled once per request into Cypher predicates.

This is the one place the policy meets the read path: every query that returns
records takes `ReadFilter.records`, and the subject queries take the flags.
Until the Oso policy lands (DESIGN.md, authorization model) every principal is
treated as anonymous: PUBLIC_NOTICE and SUBJECT_PUBLISHED records that are
disclosable, natural persons masked, no search of natural persons by name.
"""

import datetime
from dataclasses import dataclass

from graph_store.model import DisclosureMode, RecordStatus
from graph_store.predicate import Predicate

from .principal import Principal

PUBLIC_MODES = [DisclosureMode.PUBLIC_NOTICE.value, DisclosureMode.SUBJECT_PUBLISHED.value]

# A record is disclosable while active, confirmed and inside its disclosure window (Art. 35).
DISCLOSABLE = (
    "r.status = $rf_active AND r.confirmedAt <= $rf_today"
    " AND (r.disclosureUntil IS NULL OR r.disclosureUntil >= $rf_today)"
)


@dataclass(frozen=True)
class ReadFilter:
    records: Predicate
    reveal_persons: bool
    """Whether natural persons' names and resident IDs are shown in full."""
    search_persons_by_name: bool


def compile_read_filter(principal: Principal, today: datetime.date) -> ReadFilter:
    records = Predicate(
        f"r.disclosureMode IN $rf_modes AND {DISCLOSABLE}",
        {"rf_modes": PUBLIC_MODES, "rf_active": RecordStatus.ACTIVE.value, "rf_today": today},
    )
    return ReadFilter(records=records, reveal_persons=False, search_persons_by_name=False)
