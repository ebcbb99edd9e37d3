"""Waiting for a reply: the rules in walkthrough.progress.status, on real guide objects and records."""

from __future__ import annotations

import datetime
from pathlib import Path

import msgspec
import pytest

from walkthrough.content import authorities, laws
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import Guide, SharedTemplate, step_fingerprint
from walkthrough.progress.status import (
    due_words,
    follow_up_words,
    guide_follow_up,
    guide_status,
    list_state,
    list_words,
    overdue_advice,
    reply_date_problem,
    sent_on,
    state_words,
    step_follow_up,
)
from walkthrough.progress.store import Reply, StepRecord

SHARED = {
    "objection": msgspec.convert(
        {
            "name": "Objection",
            "text": "I object. {full_name}",
            "blanks": [{"name": "full_name", "label": "Your name"}],
            "law": ["gdpr", "uk-gdpr", "ch-fadp"],
        },
        SharedTemplate,
    )
}


def make_guide() -> Guide:
    return msgspec.convert(
        {
            "name": "Example",
            "title": "Stop Example training AI",
            "summary": "A test guide.",
            "last_verified": "2026-11-01",
            "difficulty": "hard",
            "minutes": 5,
            "recheck_days": 90,
            "domains": ["example.com"],
            "sources": [{"url": "https://example.com/help"}],
            "steps": [
                {"id": "switch-off", "kind": "setting", "title": "Turn off the switch", "body": "Do it."},
                {
                    "id": "object",
                    "kind": "email",
                    "title": "Send the objection",
                    "body": "Send it.",
                    "template": {"use": "objection", "to": "privacy@example.com"},
                    "record": [{"name": "date_sent", "label": "The date you sent it", "type": "date"}],
                },
                {
                    "id": "ca-form",
                    "kind": "form",
                    "title": "Send the California form",
                    "body": "Fill it in.",
                    "law": ["us-ca-ccpa"],
                },
                {
                    "id": "ask-admin",
                    "kind": "email",
                    "title": "Ask your admin",
                    "body": "Ask.",
                    "template": {"text": "Please switch it off."},
                },
            ],
        },
        Guide,
    )


GUIDE = make_guide()
STEPS = {s.id: s for s in GUIDE.steps}


def done(step_id: str, day: str = "2026-11-23", **fields: str) -> StepRecord:
    when = datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00")  # midday UTC: the same day in every zone
    return StepRecord("done", when, step_fingerprint(STEPS[step_id]), dict(fields))


def reply(step_id: str, day: str, more_time: bool = False, case: str = "") -> Reply:
    at = datetime.datetime(2026, 12, 28, tzinfo=datetime.timezone.utc)
    return Reply(1, "example", step_id, datetime.date.fromisoformat(day), "", case, more_time, at)


def follow(step_id: str, record: StepRecord | None, country: str | None, today: str, replies=()):
    law_ids = laws.for_step(STEPS[step_id], SHARED)
    return step_follow_up(STEPS[step_id], record, list(replies), law_ids, country, datetime.date.fromisoformat(today))


def test_a_gdpr_letter_is_due_one_month_after_it_was_sent():
    fu = follow("object", done("object", date_sent="2026-11-23"), "DE", "2026-12-01")
    assert (fu.state, fu.sent_on, fu.due_on, fu.binding) == (
        "waiting",
        datetime.date(2026, 11, 23),
        datetime.date(2026, 12, 23),
        True,
    )
    assert fu.law is not None and fu.law.id == "gdpr"
    assert follow_up_words(fu) == "Waiting for a reply, due 23 December 2026"
    assert "Article 12(3)" in fu.law.rule and "one month after sending" in due_words(fu)


def test_the_due_day_is_still_in_time_and_the_day_after_is_overdue():
    record = done("object", date_sent="2026-11-23")
    assert follow("object", record, "DE", "2026-12-23").state == "waiting"
    late = follow("object", record, "DE", "2026-12-24")
    assert late.state == "overdue"
    assert follow_up_words(late) == "No reply yet: what you can do"


def test_the_same_letter_follows_the_law_of_where_the_user_lives():
    record = done("object", date_sent="2026-11-23")
    assert follow("object", record, "GB", "2026-12-01").law.id == "uk-gdpr"
    swiss = follow("object", record, "CH", "2026-12-01")
    # The Swiss law sets no deadline for an objection: a time to follow up, never "due".
    assert (swiss.law.id, swiss.binding, swiss.due_on) == ("ch-fadp", False, datetime.date(2026, 12, 23))
    assert follow_up_words(swiss) == "Waiting for a reply; follow up if none by 23 December 2026"
    elsewhere = follow("object", record, "JP", "2026-12-01")
    assert (elsewhere.law, elsewhere.binding) == (None, False)
    assert "may not protect you where you live" in due_words(elsewhere)


def test_a_california_request_is_due_45_days_after_it_was_sent():
    fu = follow("ca-form", done("ca-form", day="2026-11-23"), "US", "2026-12-01")
    assert (fu.due_on, fu.binding, fu.law.id) == (datetime.date(2027, 1, 7), True, "us-ca-ccpa")


def test_the_sending_date_is_the_date_the_user_gave_else_the_day_it_was_marked():
    assert sent_on(STEPS["object"], done("object", day="2026-11-25", date_sent="2026-11-20")) == datetime.date(
        2026, 11, 20
    )
    assert sent_on(STEPS["object"], done("object", day="2026-11-25")) == datetime.date(2026, 11, 25)
    # Typed before dates were dates: read when it reads one way, else the day it was marked.
    assert sent_on(STEPS["object"], done("object", day="2026-11-25", date_sent="20.11.2026")) == datetime.date(
        2026, 11, 20
    )
    assert sent_on(STEPS["object"], done("object", day="2026-11-25", date_sent="03/04/2026")) == datetime.date(
        2026, 11, 25
    )


def test_nothing_waits_for_a_letter_not_sent_skipped_or_without_a_law():
    assert follow("object", None, "DE", "2026-12-01") is None
    skipped = StepRecord("skipped", datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.timezone.utc), "x", {})
    assert follow("object", skipped, "DE", "2026-12-01") is None
    assert follow("ask-admin", done("ask-admin"), "DE", "2026-12-01") is None  # a letter to an admin relies on no law


def test_more_time_moves_the_due_date_by_what_the_law_allows():
    record = done("object", date_sent="2026-11-23")
    fu = follow("object", record, "DE", "2027-01-10", [reply("object", "2026-12-20", more_time=True)])
    assert (fu.state, fu.extended, fu.due_on) == ("waiting", True, datetime.date(2027, 2, 23))
    assert follow_up_words(fu) == "Waiting for a reply, due 23 February 2027 (they asked for more time)"
    assert (
        follow("object", record, "DE", "2027-02-24", [reply("object", "2026-12-20", more_time=True)]).state == "overdue"
    )


def test_an_answer_ends_the_wait_even_after_the_due_date():
    record = done("object", date_sent="2026-11-23")
    fu = follow("object", record, "DE", "2027-03-01", [reply("object", "2027-01-05")])
    assert fu.state == "answered"
    assert follow_up_words(fu) == "Replied on 5 January 2027"


def test_a_reply_from_before_the_letter_was_sent_does_not_count():
    record = done("object", date_sent="2026-11-23")
    assert follow("object", record, "DE", "2026-12-30", [reply("object", "2026-10-01")]).state == "overdue"


def test_the_guide_shows_the_most_pressing_letter():
    records = {
        "object": done("object", date_sent="2026-11-23"),
        "ca-form": done("ca-form", day="2026-11-01"),
    }
    today = datetime.date(2026, 12, 20)
    # In the US the California form (due 16 December) is overdue; the GDPR letter relies on no US law.
    us = guide_follow_up(GUIDE, records, [], SHARED, "US", today)
    assert (us.step_id, us.state) == ("ca-form", "overdue")
    # Both waiting: the one due first.
    records["ca-form"] = done("ca-form", day="2026-12-10")
    de = guide_follow_up(GUIDE, records, [], SHARED, "DE", today)
    assert (de.step_id, de.state, de.due_on) == ("object", "waiting", datetime.date(2026, 12, 23))
    # Answered ones come last, when nothing is pending.
    answered = guide_follow_up(
        GUIDE, {"object": records["object"]}, [reply("object", "2026-12-01")], SHARED, "DE", today
    )
    assert answered.state == "answered"


@pytest.mark.parametrize("country", ["DE", "GB", "CH", "FR", "NO"])
def test_overdue_advice_names_the_users_authority_and_its_page(country):
    record = done("object", date_sent="2026-11-23")
    fu = follow("object", record, country, "2027-01-15")
    authority = authorities.for_country(country)
    advice = overdue_advice(fu, "Example", authority)
    assert advice[0].startswith("Write to Example again.")
    assert authority.name in advice[1] and authority.page in advice[1]
    assert "Complaint to a data protection authority" in advice[2]


def test_overdue_advice_without_an_authority_still_says_what_to_do():
    fu = follow("object", done("object", date_sent="2026-11-23"), "JP", "2027-01-15")
    advice = overdue_advice(fu, "Example", None)
    assert len(advice) == 2 and "Write to Example again" in advice[0]


def test_a_reply_dated_before_the_letter_was_sent_is_refused_with_the_day_it_was_sent():
    fu = follow("object", done("object", date_sent="2026-11-23"), "DE", "2026-12-01")
    assert reply_date_problem(fu, datetime.date(2026, 11, 22)) == (
        "22 November 2026 is before you sent it, on 23 November 2026. Give the day their answer came."
    )
    assert reply_date_problem(fu, datetime.date(2026, 11, 23)) is None  # the same day counts (see the rules)


def test_the_complaint_letter_is_filled_from_the_record_and_the_remembered_name():
    from walkthrough.catalog.loading import load_catalog
    from walkthrough.progress.letters import complaint_letter

    catalog = load_catalog(None)
    step = catalog.guides["linkedin"].guide.steps[3]
    assert step.id == "objection-form"
    record = StepRecord("done", None, None, {"date_sent": "2026-11-23"})
    law_ids = laws.for_step(step, catalog.templates)
    fu = step_follow_up(step, record, [], law_ids, "GB", datetime.date(2027, 1, 5))
    assert fu is not None and fu.state == "overdue"
    replies = [Reply(1, "linkedin", step.id, datetime.date(2026, 11, 25), "", "LI-77", False, datetime.datetime.now())]
    answers = {"full_name": "Ada Example", "email": "ada@example.org", "account": "not asked in a complaint"}
    letter = complaint_letter(
        fu, "LinkedIn", step, catalog.templates, authorities.for_country("GB"), replies, answers, fu.due_on
    )
    assert letter is not None
    text = letter.as_text()
    assert text.startswith("Subject: Complaint: LinkedIn did not answer my request")
    for expected in (
        "On 23 November 2026 I sent LinkedIn",
        "had to answer by 23 December 2026",
        "Any reference number it gave me: LI-77.",
        "My name: Ada Example",
        "My email address: ada@example.org",
        "My postal address: [Your postal address]",  # left for the user to fill in after pasting
    ):
        assert expected in text
    assert "not asked in a complaint" not in text
    # Without the letter installed (guides from another folder), there is none to show.
    assert complaint_letter(fu, "LinkedIn", step, {}, None, [], answers, fu.due_on) is None


def test_the_list_says_waiting_only_once_the_rest_is_done_and_no_reply_yet_always():
    # The list of guides files a guide by what the user should do next: steps left to do say
    # "In progress" (the letter's due day is on the guide screen), a finished guide with a letter
    # out says when the answer is due, and a missed day says so whatever else is left.
    records = {"object": done("object", date_sent="2026-11-23")}
    half = guide_status(LoadedGuide("example", Path("example.yaml"), GUIDE), records, "DE", datetime.date(2026, 12, 1))
    fu = guide_follow_up(GUIDE, records, [], SHARED, "DE", datetime.date(2026, 12, 1))
    assert fu is not None and half.state == "in_progress"
    assert (list_state(half, fu), list_words(half, fu)) == ("in_progress", state_words(half))

    records = {sid: done(sid, date_sent="2026-11-23") for sid in STEPS}
    whole = guide_status(LoadedGuide("example", Path("example.yaml"), GUIDE), records, "DE", datetime.date(2026, 12, 1))
    fu = guide_follow_up(GUIDE, records, [], SHARED, "DE", datetime.date(2026, 12, 1))
    assert whole.state == "done" and fu is not None
    assert (list_state(whole, fu), list_words(whole, fu)) == ("waiting", "Waiting, due 23 Dec 2026")

    late = datetime.date(2026, 12, 24)
    fu = guide_follow_up(GUIDE, {"object": records["object"]}, [], SHARED, "DE", late)
    assert fu is not None and fu.state == "overdue"
    assert (list_state(half, fu), list_words(half, fu)) == ("overdue", "No reply yet")
