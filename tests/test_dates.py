"""Dates that are dates: read as people write them, never guessed, written in words."""

from __future__ import annotations

import datetime

import pytest

from walkthrough import dates

TODAY = datetime.date(2026, 12, 1)
NOV23 = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    "typed",
    [
        "23.11.2026",
        "23.11.26",
        "2026-11-23",
        "2026/11/23",
        "23/11/2026",
        "11/23/2026",
        "23-11-2026",
        "23 November 2026",
        "23 november 2026",
        "23 Nov 2026",
        "Nov 23, 2026",
        "November 23 2026",
        "23rd of November 2026",
        "23. November 2026",
        "23 novembre 2026",
        "23 de noviembre de 2026",
        "23 novembro 2026",
        "  23  Nov.  2026  ",
    ],
)
def test_the_usual_ways_of_writing_a_day_all_read_the_same(typed):
    assert dates.read(typed, TODAY).date == NOV23


def test_today_and_yesterday_are_shortcuts():
    assert dates.read("today", TODAY).date == TODAY
    assert dates.read("Today", TODAY).date == TODAY
    assert dates.read("yesterday", TODAY).date == datetime.date(2026, 11, 30)


def test_a_day_that_reads_two_ways_is_asked_about_not_guessed():
    reading = dates.read("03/04/2026", TODAY)
    assert reading.date is None and reading.ambiguous
    assert set(reading.choices) == {datetime.date(2026, 4, 3), datetime.date(2026, 3, 4)}
    assert reading.question() == "Did you mean 3 April 2026 or 4 March 2026?"
    assert dates.read("03-04-2026", TODAY).ambiguous


def test_a_day_that_reads_one_way_is_not_asked_about():
    assert dates.read("04/04/2026", TODAY).date == datetime.date(2026, 4, 4)
    assert dates.read("13/04/2026", TODAY).date == datetime.date(2026, 4, 13)
    assert dates.read("04/13/2026", TODAY).date == datetime.date(2026, 4, 13)
    # Dots are written day first wherever they are used.
    assert dates.read("03.04.2026", TODAY).date == datetime.date(2026, 4, 3)


def test_a_past_date_question_offers_only_past_days():
    # On 1 December 2026, 12/11/2026 is 12 November or 11 December: only one has happened.
    reading = dates.read("12/11/2026", TODAY, future=False)
    assert reading.date == datetime.date(2026, 11, 12)


def test_a_past_date_question_with_both_days_still_to_come_is_refused_not_asked():
    # On 1 December 2026, 12/01/2027 is 12 January or 1 December 2027: neither has happened yet.
    reading = dates.read("12/01/2027", TODAY, future=False)
    assert reading.date is None and not reading.ambiguous
    assert reading.problem == "12 January 2027 and 1 December 2027 are both after today. Give the day it happened."


@pytest.mark.parametrize("typed", ["", "hello", "31/02/2026", "32.1.2026", "Nov 2026", "3 Ma 2026", "1/2/3/4"])
def test_what_cannot_be_read_gets_plain_words_not_an_exception(typed):
    reading = dates.read(typed, TODAY)
    assert reading.date is None and not reading.ambiguous
    assert reading.problem and "Traceback" not in reading.problem


def test_a_day_after_today_is_refused_where_only_the_past_makes_sense():
    reading = dates.read("2 December 2026", TODAY, future=False)
    assert reading.date is None
    assert reading.problem == "2 December 2026 is after today. Give the day it happened."


def test_a_day_without_a_year_is_this_year_and_is_shown_back_in_words():
    assert dates.read("23 Nov", TODAY).date == NOV23


def test_words_do_not_depend_on_the_locale():
    assert dates.words(datetime.date(2026, 3, 4)) == "4 March 2026"
    moment = datetime.datetime(2026, 11, 23, 13, 5, tzinfo=datetime.timezone.utc)
    assert dates.moment_words(moment).startswith(dates.words(moment.astimezone().date()) + " at ")


def test_stored_dates_read_back_in_words_and_older_free_text_as_typed():
    assert dates.stored_words("2026-11-23") == "23 November 2026"
    assert dates.stored_words("around Easter") == "around Easter"


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2026-11-23", 1, "2026-12-23"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-11-30", 3, "2027-02-28"),
    ],
)
def test_a_month_later_is_the_same_day_or_the_last_day_of_a_shorter_month(start, months, end):
    assert dates.add_months(datetime.date.fromisoformat(start), months) == datetime.date.fromisoformat(end)
