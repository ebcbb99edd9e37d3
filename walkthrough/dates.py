"""Dates as people write them, and dates as people read them: the one place for both.

Reading (`read`): the common ways people write a day ("23.11.2026",
"2026-11-23", "23 November 2026", "Nov 23, 2026", "23. November 2026",
"23 de noviembre de 2026", "today", "yesterday"). A date that could be read two
ways ("03/04/2026": 3 April or 4 March) is never guessed: the answer carries
both readings so the screen can ask which one was meant. Day-first with dots
("03.04.2026") is how it is written where dots are used, so it is read as
3 April; slashes and dashes are ambiguous whenever both numbers could be a
month.

Writing (`words`, `moment_words`): "23 December 2026", with English month
names from this module rather than the C library's locale, so the words never
depend on how the computer is set up. Dates are stored as ISO text
("2026-12-23"), which `stored_words` turns back into words, and which never
need guessing again.

No Textual here; the app, the export and the command line all use these.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import NamedTuple

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

# Month names people may type, in the languages of most of our users. Matched
# without accents and by any unambiguous beginning of at least three letters
# ("sept", "janv", "okt"), so abbreviations need no list of their own.
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january januar janvier enero gennaio januari janeiro jaenner",
        "february februar fevrier febrero febbraio februari fevereiro",
        "march maerz marz mars marzo maart marco",
        "april avril abril aprile",
        "may mai mayo maggio mei maio",
        "june juni juin junio giugno junho",
        "july juli juillet julio luglio julho",
        "august aout agosto augustus",
        "september septembre septiembre setiembre settembre setembro",
        "october oktober octobre octubre ottobre outubro",
        "november novembre noviembre novembro",
        "december dezember decembre diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTH_NAMES[_name] = _number

# Words that may sit between the parts of a date without meaning anything.
_FILLER = frozenset({"de", "del", "of", "the", "den", "der", "le", "il", "on"})

_EARLIEST, _LATEST = 1900, 2200  # outside these, the user surely mistyped


class Reading(NamedTuple):  # not a dataclass: this module loads at start-up, and a NamedTuple costs far less
    """What `read` made of some text: one date, two dates to choose from, or why it could not."""

    date: datetime.date | None = None
    choices: tuple[datetime.date, ...] = ()  # two readings of an ambiguous date, day first
    problem: str | None = None  # plain words, when nothing could be read

    @property
    def ambiguous(self) -> bool:
        return len(self.choices) > 1

    def question(self) -> str:
        """ "Did you mean 3 April 2026 or 4 March 2026?" for an ambiguous reading."""
        return "Did you mean " + " or ".join(words(d) for d in self.choices) + "?"


def read(text: str, today: datetime.date, *, future: bool = True) -> Reading:
    """A date from what someone typed. With `future=False`, a day after `today` is refused."""
    reading = _read(text, today)
    if not future and reading.date is not None and reading.date > today:
        return Reading(problem=f"{words(reading.date)} is after today. Give the day it happened.")
    if not future and reading.ambiguous:
        past = tuple(d for d in reading.choices if d <= today)
        if len(past) == 1:
            return Reading(date=past[0])
        if past:
            return Reading(choices=past)
        # Both readings are still to come: neither can be the day something happened.
        both = " and ".join(words(d) for d in reading.choices)
        return Reading(problem=f"{both} are both after today. Give the day it happened.")
    return reading


def _read(text: str, today: datetime.date) -> Reading:
    cleaned = _simplify(text)
    if not cleaned:
        return Reading(problem="Type a date, for example 23 November 2026, or today.")
    if cleaned in ("today", "now"):
        return Reading(date=today)
    if cleaned == "yesterday":
        return Reading(date=today - datetime.timedelta(days=1))

    iso = re.fullmatch(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})", cleaned)
    if iso:
        return _one(int(iso[1]), int(iso[3]), int(iso[4]), text)

    numeric = re.fullmatch(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})", cleaned)
    if numeric:
        first, sep, second, year = int(numeric[1]), numeric[2], int(numeric[3]), _year(numeric[4])
        if sep == "." or first > 12:
            return _one(year, second, first, text)
        if second > 12:
            return _one(year, first, second, text)
        if first == second:
            return _one(year, first, first, text)
        day_first, month_first = _make(year, second, first), _make(year, first, second)
        if day_first and month_first:
            return Reading(choices=(day_first, month_first))
        return _one(year, second, first, text)

    return _in_words(cleaned, text, today)


def _in_words(cleaned: str, text: str, today: datetime.date) -> Reading:
    tokens = [t for t in re.split(r"[\s,/.-]+", cleaned) if t and t not in _FILLER]
    month = None
    numbers: list[str] = []
    for token in tokens:
        token = re.sub(r"^(\d{1,2})(st|nd|rd|th|er|e|o|a)$", r"\1", token)  # 1st, 23rd, 1er, 1o
        if token.isdigit():
            numbers.append(token)
            continue
        found = _month(token)
        if found is None or month is not None:
            return _unreadable(text)
        month = found
    if month is None or not numbers or len(numbers) > 2:
        return _unreadable(text)
    if len(numbers) == 1:
        if len(numbers[0]) == 4:
            return Reading(
                problem=f"Which day of {MONTHS[month - 1]} {numbers[0]}? For example: 3 {MONTHS[month - 1]}."
            )
        day, year = int(numbers[0]), today.year  # "23 November": this year, shown back in words
    else:
        # The year is the four-digit number, or else the last one ("Nov 23 26" is unusual but clear).
        at = next((i for i, n in enumerate(numbers) if len(n) == 4), len(numbers) - 1)
        day_text = numbers[1 - at]
        if len(day_text) > 2:
            return _unreadable(text)
        day, year = int(day_text), _year(numbers[at])
    return _one(year, month, day, text)


def _month(token: str) -> int | None:
    if token in _MONTH_NAMES:
        return _MONTH_NAMES[token]
    if len(token) < 3:
        return None
    found = {n for name, n in _MONTH_NAMES.items() if name.startswith(token)}
    return found.pop() if len(found) == 1 else None


def _simplify(text: str) -> str:
    # Accents off ("août", "März"), one case, and no stray spaces or a closing full stop.
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("ß", "ss")
    return " ".join(plain.split()).rstrip(".")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(year: int, month: int, day: int) -> datetime.date | None:
    if not _EARLIEST <= year <= _LATEST:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _one(year: int, month: int, day: int, text: str) -> Reading:
    made = _make(year, month, day)
    if made is None:
        return Reading(problem=f"There is no such day as '{text.strip()}'. Check the day, month and year.")
    return Reading(date=made)


def _unreadable(text: str) -> Reading:
    return Reading(
        problem=f"'{text.strip()}' is not a date optout-tui can read. Write it like 23 November 2026, or type today."
    )


# ---- writing ------------------------------------------------------------------------


def words(day: datetime.date) -> str:
    """ "23 December 2026": nobody wonders whether 03/11 is March or November."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_words(day: datetime.date) -> str:
    """ "23 Dec 2026", for a narrow column."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def moment_words(moment: datetime.datetime, *, offset: bool = True) -> str:
    """ "23 November 2026 at 14:05 (UTC+01:00)", on the user's clock; the offset makes a printed record unambiguous."""
    here = moment.astimezone()
    text = f"{words(here.date())} at {here:%H:%M}"
    if offset:
        z = here.strftime("%z")
        text += f" (UTC{z[:3]}:{z[3:]})" if z else ""
    return text


def from_iso(text: str) -> datetime.date | None:
    """A stored date ("2026-12-23"), or None if the text is not one."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def stored_words(text: str) -> str:
    """A saved date field for reading: a stored date in words; text saved before dates were dates, as typed."""
    day = from_iso(text)
    return words(day) if day else text


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day (31 January + 1 = 28 February).

    This is how the EU counts a period of months (Regulation 1182/71, Article 3(2)(c)).
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))
