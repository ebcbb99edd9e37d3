"""Letters and replies in the real SQLite store: every version kept, nothing lost on upgrade or reset."""

from __future__ import annotations

import datetime
import sqlite3

from walkthrough.progress.store import MIGRATIONS, SCHEMA_VERSION, ProgressStore


def ticking_clock():
    moment = [datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc)]

    def clock():
        moment[0] += datetime.timedelta(minutes=1)
        return moment[0]

    return clock


def test_each_edited_copy_is_kept_and_an_unchanged_copy_adds_nothing(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3", clock=ticking_clock()) as store:
        first = store.record_letter("g", "s", text="Dear team,\nI object.", to="dpo@example.com", subject="Objection")
        again = store.record_letter("g", "s", text="Dear team,\nI object.", to="dpo@example.com", subject="Objection")
        edited = store.record_letter(
            "g", "s", text="Dear team,\nI object, as a writer.", to="dpo@example.com", subject="Objection"
        )
        back = store.record_letter("g", "s", text="Dear team,\nI object.", to="dpo@example.com", subject="Objection")
        assert first is not None and again is None and edited is not None and back is not None
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        kept = store.letters("g")
    assert [x.text for x in kept] == [
        "Dear team,\nI object.",
        "Dear team,\nI object, as a writer.",
        "Dear team,\nI object.",
    ]
    assert kept[0].at < kept[1].at < kept[2].at
    assert (kept[0].to, kept[0].subject) == ("dpo@example.com", "Objection")


def test_a_letter_keeps_its_law_and_country_and_any_text_exactly(tmp_path):
    text = "Ünïcödé, 'quotes', \"double\", `ticks`, <html> & ; DROP TABLE letter; --\n\n\ttabs"
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_letter("g", "s", text=text, law="gdpr", country="DE")
        (letter,) = store.letters()
    assert (letter.text, letter.law, letter.country, letter.to, letter.subject) == (text, "gdpr", "DE", None, None)


def test_replies_are_kept_in_order_with_their_dates(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3", clock=ticking_clock()) as store:
        store.record_reply("g", "s", received_on=datetime.date(2026, 12, 2), said="We need more time", more_time=True)
        store.record_reply("g", "s", received_on=datetime.date(2027, 1, 10), said="Done", case_number="C-1")
        store.record_reply("other", "s", received_on=datetime.date(2026, 12, 3))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        replies = store.replies("g")
        assert len(store.replies()) == 3
    assert [(r.received_on, r.said, r.case_number, r.more_time) for r in replies] == [
        (datetime.date(2026, 12, 2), "We need more time", "", True),
        (datetime.date(2027, 1, 10), "Done", "C-1", False),
    ]


def test_a_reset_forgets_the_steps_but_keeps_the_letters_and_replies(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.mark("g", "s", "done", "fp")
        store.record_letter("g", "s", text="I object.")
        store.record_reply("g", "s", received_on=datetime.date(2026, 12, 2))
        store.reset("g")
        assert store.steps("g") == {}
        assert [x.text for x in store.letters("g")] == ["I object."]
        assert len(store.replies("g")) == 1


def test_a_store_from_the_first_version_is_upgraded_and_keeps_everything(tmp_path):
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("INSERT INTO mark VALUES ('linkedin', 'objection-form', 'done', '2026-11-20T10:00:00+00:00', 'abc')")
    conn.execute(
        "INSERT INTO field (guide_id, step_id, name, value) VALUES ('linkedin', 'objection-form', 'date_sent', '20.11.2026')"
    )
    conn.execute("INSERT INTO setting VALUES ('region', 'DE')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with ProgressStore(path) as store:
        record = store.steps("linkedin")["objection-form"]
        assert (record.status, record.fields) == ("done", {"date_sent": "20.11.2026"})
        assert store.get_setting("region") == "DE"
        assert store.letters() == [] and store.replies() == []
        store.record_letter("linkedin", "objection-form", text="I object.")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    conn.close()
