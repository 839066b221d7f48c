"""How long a record may be disclosed (Art. 35 and the national tiers).

A DISHONEST record is disclosed from `confirmedAt` for 3 years, except
administrative penalties of severity MINOR (3 months) and GENERAL (1 year).
A punitive measure based on the record that ends later extends the window to
its end; that part is applied in the store, where the measures are. Other
records have no end. `disclosureUntil` is the last day of disclosure.
"""

import calendar
import datetime

from .model import Category, Nature, Severity

WINDOW_MONTHS_DEFAULT = 36
WINDOW_MONTHS_BY_PENALTY_SEVERITY = {Severity.MINOR: 3, Severity.GENERAL: 12}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the end of a shorter month (Jan 31 + 1 -> Feb 28)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_months(nature: Nature, category: Category, severity: Severity | None) -> int | None:
    """Months of disclosure, or None when the record is disclosed without end."""
    if nature is not Nature.DISHONEST:
        return None
    if category is Category.ADMINISTRATIVE_PENALTY and severity in WINDOW_MONTHS_BY_PENALTY_SEVERITY:
        return WINDOW_MONTHS_BY_PENALTY_SEVERITY[severity]
    return WINDOW_MONTHS_DEFAULT


def base_disclosure_until(
    nature: Nature, category: Category, severity: Severity | None, confirmed_at: datetime.date
) -> datetime.date | None:
    months = window_months(nature, category, severity)
    return None if months is None else add_months(confirmed_at, months)


REPAIR_MINIMUM_MONTHS_BY_PENALTY_SEVERITY = {Severity.GENERAL: 3, Severity.SERIOUS: 12}
"""An administrative penalty can be repaired only after the minimum of its tier (NDRC Order 36)."""


def repair_possible_from(category: Category, severity: Severity | None, confirmed_at: datetime.date) -> datetime.date:
    if category is Category.ADMINISTRATIVE_PENALTY and severity in REPAIR_MINIMUM_MONTHS_BY_PENALTY_SEVERITY:
        return add_months(confirmed_at, REPAIR_MINIMUM_MONTHS_BY_PENALTY_SEVERITY[severity])
    return confirmed_at


LISTING_WINDOW_MONTHS = 36
"""A serious-dishonesty listing is public for 3 years from the day it was decided (Art. 35), extended to the end of a
punitive measure taken under it; that part is applied in the store, where the measures are."""


def listing_disclosure_until(listed_on: datetime.date) -> datetime.date:
    """The last day a listing is on the public list by its own period."""
    return add_months(listed_on, LISTING_WINDOW_MONTHS)
