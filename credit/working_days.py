"""Deadlines in Chinese working days (Arts. 32-34): statutory holidays off, make-up working days on.

`chinese-calendar` knows the official schedule up to 2026 and refuses later
years. For a year it does not know, an operator may drop the State Council's
schedule in as a file (`<year>.json` in the schedules folder:
`{"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}`); without
one we count Monday to Friday and mark the deadline provisional. Files are read once
per process: restart the API after adding one.
"""

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import chinese_calendar


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    provisional: bool
    """True when a day on the way fell in a year without an official schedule (counted Monday to Friday)."""


@dataclass(frozen=True)
class Schedule:
    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]


@lru_cache(maxsize=64)
def operator_schedule(folder: Path, year: int) -> Schedule | None:
    path = folder / f"{year}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Schedule(
        holidays=frozenset(datetime.date.fromisoformat(day) for day in data.get("holidays", [])),
        workdays=frozenset(datetime.date.fromisoformat(day) for day in data.get("workdays", [])),
    )


def is_working_day(day: datetime.date, schedules: Path | None) -> tuple[bool, bool]:
    """(working?, known?): known is False when only the Monday-to-Friday rule could say."""
    schedule = operator_schedule(schedules, day.year) if schedules else None
    if schedule is not None:
        if day in schedule.workdays:
            return True, True
        return day.weekday() < 5 and day not in schedule.holidays, True
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(received: datetime.date, days: int, schedules: Path | None = None) -> Deadline:
    """The day `days` working days after `received`, counting from the day after it."""
    if days < 1:
        raise ValueError("a deadline is at least one working day")
    day, counted, provisional = received, 0, False
    while counted < days:
        day += datetime.timedelta(days=1)
        working, known = is_working_day(day, schedules)
        provisional = provisional or not known
        counted += working
    return Deadline(due=day, provisional=provisional)
