"""`optout-tui progress reply` and the HTML export, as a user runs them: the installed command, a real store."""

from __future__ import annotations

import datetime
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from progress_helpers import child_env

from walkthrough import dates
from walkthrough.catalog.loading import load_catalog
from walkthrough.content.model import step_fingerprint
from walkthrough.progress.store import ProgressStore

GUIDE = """\
name: Example Social
title: Stop Example Social training AI on your posts
summary: A guide written for these tests.
last_verified: 2026-11-01
difficulty: hard
minutes: 5
recheck_days: 90
domains: [example.com]
sources:
  - url: https://example.com/help
    title: Example help
steps:
  - id: switch-off
    kind: setting
    title: Turn off the AI switch
    body: Click the switch so it shows Off.
    expect: The switch shows Off.
  - id: send-objection
    kind: email
    title: Email your objection
    body: Copy the letter and send it.
    template:
      use: gdpr-objection
      to: privacy@example.com
      values:
        platform: Example Social
    record:
      - name: date_sent
        label: The date you sent the email
        type: date
  - id: send-access
    kind: email
    title: Ask for a copy of your data
    body: Copy the letter and send it.
    template:
      use: data-access-request
      to: privacy@example.com
      values:
        platform: Example Social
"""


def command() -> list[str]:
    installed = Path(sys.executable).parent / "optout-tui"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "walkthrough"]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "example.yaml").write_text(GUIDE)
    return child_env(tmp_path / "data", OPTOUT_TUI_GUIDES=str(guides), TZ="UTC")


def optout(env, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [*command(), *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def store_for(env) -> ProgressStore:
    return ProgressStore(Path(env["OPTOUT_TUI_DATA_DIR"]) / "progress.sqlite3")


def send(env, step_id: str = "send-objection", sent: str | None = "2026-11-23") -> None:
    steps = {s.id: s for s in load_catalog([env["OPTOUT_TUI_GUIDES"]]).guides["example"].guide.steps}
    with store_for(env) as store:
        store.set_setting("region", "FR")
        store.record_letter("example", step_id, text="Dear team,\nI object.", law="gdpr", country="FR")
        if sent:
            store.save_fields("example", step_id, {"date_sent": sent})
        store.mark("example", step_id, "done", step_fingerprint(steps[step_id]))


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("optout-tui: "), proc.stderr
    return lines[0]


def test_a_reply_is_recorded_with_its_case_number_and_ends_the_wait(env):
    send(env)
    proc = optout(
        env, "progress", "reply", "example", "--date", "30.11.2026", "--said", "We stopped.", "--case", "EX-9"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "Recorded Example Social's reply of 30 November 2026 to step 2, Email your objection. "
        "Now: Replied on 30 November 2026."
    )
    with store_for(env) as store:
        (reply,) = store.replies("example")
    assert (reply.step_id, reply.received_on, reply.said, reply.case_number, reply.more_time) == (
        "send-objection",
        datetime.date(2026, 11, 30),
        "We stopped.",
        "EX-9",
        False,
    )


def test_more_time_moves_the_due_date_the_user_sees(env):
    send(env)
    before = optout(env, "progress", "example").stdout
    assert "Waiting for a reply, due 23 December 2026" in before
    proc = optout(env, "progress", "reply", "example", "--date", "1 December 2026", "--more-time")
    assert proc.returncode == 0, proc.stderr
    assert "Now: Waiting for a reply, due 23 February 2027 (they asked for more time)." in proc.stdout
    listed = json.loads(optout(env, "progress", "example", "--json").stdout)
    assert listed[0]["follow_up"]["due_on"] == "2027-02-23"


def test_an_ambiguous_date_is_asked_about_and_nothing_is_saved(env):
    send(env)
    message = one_line_error(optout(env, "progress", "reply", "example", "--date", "01/12/2026"))
    assert "Did you mean 1 December 2026 or 12 January 2026?" in message
    with store_for(env) as store:
        assert store.replies() == []


@pytest.mark.parametrize(
    ("typed", "words"),
    [("1 January 2099", "after today"), ("next tuesday", "not a date"), ("1 November 2026", "before you sent it")],
)
def test_a_date_that_cannot_be_the_reply_date_is_refused_in_words(env, typed, words):
    send(env)
    assert words in one_line_error(optout(env, "progress", "reply", "example", "--date", typed))


def test_with_two_letters_sent_the_user_is_asked_which_one(env):
    send(env)
    send(env, "send-access", sent=None)
    message = one_line_error(optout(env, "progress", "reply", "example"))
    assert "steps 2 (Email your objection), 3 (Ask for a copy of your data)" in message and "--step N" in message
    proc = optout(env, "progress", "reply", "example", "--step", "3", "--case", "A-1")
    assert proc.returncode == 0 and "to step 3, Ask for a copy of your data" in proc.stdout


def test_a_reply_before_anything_was_sent_says_what_to_do_first(env):
    with store_for(env) as store:
        store.set_setting("region", "FR")
    message = one_line_error(optout(env, "progress", "reply", "example"))
    assert "not marked a letter or form of Example Social as sent" in message
    assert "reply" in one_line_error(optout(env, "progress", "reply"))


def test_reply_options_outside_reply_are_refused(env):
    send(env)
    assert "progress reply GUIDE" in one_line_error(optout(env, "progress", "export", "--case", "X"))


def test_the_listing_says_when_a_reply_is_due_and_when_it_is_late(env):
    send(env, sent="2026-10-01")
    # Sent on 1 October, due 1 November: late on any day these tests run.
    assert "No reply yet: what you can do (Reply due by 1 November 2026" in optout(env, "progress").stdout


def test_the_html_export_is_written_for_the_owner_only_with_the_letter_in_it(env, tmp_path):
    send(env)
    target = tmp_path / "record.html"
    proc = optout(env, "progress", "export", "--format", "html", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert str(target) in proc.stderr and "Only you can read it." in proc.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Dear team,\nI object." in page
    assert f"Date sent</dt><dd>{dates.words(datetime.date(2026, 11, 23))}" in page
