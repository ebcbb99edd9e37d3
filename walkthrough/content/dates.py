"""Dates in words, the same on every screen and in every printout: "22 November 2026".

Written out so nobody wonders whether 03/11 is March or November. English month
names from a table, not strftime, whose names follow the system's locale.
"""

from __future__ import annotations

import datetime

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: datetime.date) -> str:
    """ "22 November 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: datetime.date) -> str:
    """ "22 Nov 2026", for narrow columns."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
