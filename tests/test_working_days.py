"""Working-day deadlines (docs/contract.md, working days): holidays, make-up days, unknown years."""

import datetime
import json
from pathlib import Path

import pytest

from credit.working_days import Deadline, add_working_days

D = datetime.date


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # National Day: Oct 1-8 off, Saturday Oct 10 a make-up working day
        (D(2026, 2, 12), 3, D(2026, 2, 24)),  # Spring Festival
        (D(2026, 4, 30), 5, D(2026, 5, 11)),  # Labour Day
        (D(2026, 11, 23), 3, D(2026, 11, 26)),  # an ordinary week: counted from the day after receipt
    ],
)
def test_deadlines_across_holidays_and_make_up_days_hold(received: datetime.date, days: int, due: datetime.date):
    assert add_working_days(received, days) == Deadline(due=due, provisional=False)


def test_a_year_the_library_does_not_know_falls_back_to_weekdays_and_is_provisional():
    assert add_working_days(D(2026, 12, 30), 3) == Deadline(due=D(2027, 1, 4), provisional=True)


def test_an_operator_schedule_for_a_new_year_is_used_without_a_code_change(tmp_path: Path):
    (tmp_path / "2027.json").write_text(json.dumps({"holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}))
    # Dec 31 is a Thursday (2026, known); Jan 1 is off, Saturday Jan 2 is a make-up day, Monday Jan 4 follows.
    assert add_working_days(D(2026, 12, 30), 3, tmp_path) == Deadline(due=D(2027, 1, 4), provisional=False)
    assert add_working_days(D(2026, 12, 30), 2, tmp_path) == Deadline(due=D(2027, 1, 2), provisional=False)
