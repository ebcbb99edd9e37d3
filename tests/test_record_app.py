"""The record in the app: letters kept as copied, dates that are dates, replies, what to do when none comes, export.

Real guides (the bundled LinkedIn guide, and tests/fixtures/guide_screen for
the bursts), a real SQLite store, and the command line run as a separate
process on the same data folder to read the record back, as a user would.
Keys are sent with Pilot's pauses where a person would wait, and as bursts
(every key queued before the app handles the first) where speed matters.
"""

from __future__ import annotations

import datetime
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pilot_wait import screen_words, until
from textual import events

from walkthrough.catalog.loading import load_catalog
from walkthrough.content import authorities
from walkthrough.content.model import step_fingerprint
from walkthrough.progress.store import ProgressStore
from walkthrough.tui.app import OptOutApp, make_app
from walkthrough.tui.screens.guide import FOOTER_DELAY
from walkthrough.tui.widgets.template_box import DateBox, FieldBox

FIXTURES = Path(__file__).parent / "fixtures" / "guide_screen"
TODAY = datetime.date(2026, 11, 25)
FIRST_REASON = "I am a writer and my posts are my work."
SECOND_REASON = "I am a freelance writer; my posts are my income."
CASE = "LI-2026-4471"


def clock():
    moment = [datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.timezone.utc)]

    def tick() -> datetime.datetime:
        moment[0] += datetime.timedelta(minutes=2)
        return moment[0]

    return tick


def linkedin(today: datetime.date = TODAY, **kwargs) -> OptOutApp:
    return make_app(None, guide="linkedin", region="DE", today=today, clock=clock(), **kwargs)


def forms(guides: Path, **kwargs) -> OptOutApp:
    kwargs.setdefault("today", TODAY)
    return make_app([str(guides)], bundled=False, guide="forms", region="DE", **kwargs)


@pytest.fixture
def guides(tmp_path) -> Path:
    folder = tmp_path / "guides"
    shutil.copytree(FIXTURES, folder)
    return folder


def store() -> ProgressStore:
    return ProgressStore.open_default()[0]


def screen_text(app: OptOutApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def pane_text(app: OptOutApp) -> str:
    """What the right-hand pane (the step) shows, without the list of steps beside it."""
    region = app.screen.query_one("#step-pane").region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


def dialog_text(app: OptOutApp) -> str:
    """What the window on top (the reply form) shows."""
    region = app.screen.query_one(".dialog").region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


def flat(text: str) -> str:
    """The words on screen as one line: without line breaks, or the bars drawn beside a note."""
    return " ".join(text.replace("█", " ").split())


def footer(app: OptOutApp) -> str:
    return screen_text(app).splitlines()[-1]


async def footer_after_a_moment(pilot) -> str:
    """The footer once the keys have stopped: it shows another step's keys a moment after the move."""
    await pilot.pause(FOOTER_DELAY + 0.2)
    return footer(pilot.app)


def notes(app: OptOutApp) -> list[str]:
    return [n.message for n in app._notifications]


KEY_CHARS = {"space": " ", "enter": "\r", "tab": "\t", "escape": "\x1b", "backspace": "\x7f"}


def burst(app: OptOutApp, keys: list[str]) -> None:
    """Every key in the app's queue before it handles the first, as from a fast typist or a paste."""
    for key in keys:
        app.post_message(events.Key(key, KEY_CHARS.get(key, key if len(key) == 1 else None)))


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


async def type_in(pilot, box_id: str, text: str, *, clear: bool = False) -> None:
    """Into a box the way a keyboard user gets there: Enter on the step, then Tab until it has the focus."""
    app = pilot.app
    if not isinstance(app.focused, FieldBox):
        await pilot.press("enter")
    for _ in range(12):
        if app.focused is not None and app.focused.id == box_id:
            break
        await pilot.press("tab")
    assert app.focused.id == box_id
    if clear:
        await pilot.press(*["backspace"] * len(app.focused.value))
    await pilot.press(*text)


def run_cli(*args: str) -> str:
    beside = Path(sys.executable).parent / "optout-tui"
    command = [str(beside)] if beside.exists() else [sys.executable, "-m", "walkthrough"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    return done.stdout


# ---- the walk through LinkedIn's objection, then the record on the command line ----------------------


async def test_linkedin_objection_in_the_app_is_in_the_record_with_both_letters_the_dates_and_the_law(data_dir):
    app = linkedin()
    clipboards = []
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")  # sign in, the switch, the check
        await settle(pilot)
        assert "Step 4 of 5" in screen_text(app)
        for box, text in (
            ("blank-particular_situation", FIRST_REASON),
            ("blank-full_name", "Ada Example"),
            ("blank-email", "ada@example.org"),
            ("blank-account", "https://www.linkedin.com/in/ada-example"),
        ):
            await type_in(pilot, box, text)
        await pilot.press("escape", "c")
        await settle(pilot)
        clipboards.append(app.clipboard)
        assert notes(app)[-1].startswith("Copied the subject line and the text.")
        assert "A copy is kept in your record." in notes(app)[-1]
        await pilot.press("c")  # the same again: nothing new to keep, and the message does not say so
        assert "kept in your record" not in notes(app)[-1]
        # Edit the reason, copy again: a second version.
        await type_in(pilot, "blank-particular_situation", SECOND_REASON, clear=True)
        await pilot.press("escape", "c")
        await settle(pilot)
        clipboards.append(app.clipboard)
        assert "A copy is kept in your record." in notes(app)[-1]
        # The day it was sent, the way many Germans write it; shown back in words, saved as a date.
        await type_in(pilot, "record-date_sent", "23.11.2026")
        await pilot.press("escape")
        await settle(pilot)
        assert "Saved as 23 November 2026" in screen_text(app)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("p")  # back to the form: it waits for a reply now
        await settle(pilot)
        text = flat(pane_text(app))
        assert "Waiting for a reply, due 23 December 2026" in text
        assert "one month after sending, under the EU's General Data Protection Regulation (GDPR)" in text
        assert "r Record a reply" in await footer_after_a_moment(pilot)
        # Their answer, with a case number.
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReplyScreen"
        await pilot.press(*"24.11.2026", "tab", *"They will look into it", "tab", *CASE, "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "GuideScreen"
        text = flat(pane_text(app))
        assert "Replied on 24 November 2026" in text
        assert (
            f"Their reply of 24 November 2026: case or ticket number {CASE}. They said: They will look into it" in text
        )

    with store() as s:
        kept = s.letters("linkedin")
        form = s.steps("linkedin")["objection-form"]
        (reply,) = s.replies("linkedin")
    # The record holds exactly what went to the clipboard, both times.
    assert [f"Subject: {x.subject}\n\n{x.text}" for x in kept] == clipboards
    assert FIRST_REASON in clipboards[0] and SECOND_REASON in clipboards[1]
    assert [(x.law, x.country) for x in kept] == [("gdpr", "DE"), ("gdpr", "DE")]
    assert form.status == "done" and form.fields["date_sent"] == "2026-11-23"
    assert (reply.received_on, reply.case_number, reply.said) == (
        datetime.date(2026, 11, 24),
        CASE,
        "They will look into it",
    )

    record = run_cli("progress", "export", "--format", "markdown")
    for letter in kept:
        assert letter.text.rstrip("\n") in record  # each version in full, line for line
    for words in (
        "23 November 2026",  # sent
        "23 December 2026",  # due
        "24 November 2026",  # the reply
        CASE,
        "Germany",
        "the EU's General Data Protection Regulation (GDPR)",
    ):
        assert words in record, words
    assert "2026-11-23" not in record  # dates in words, not as the computer keeps them


# ---- dates that are dates ------------------------------------------------------------------


async def test_an_ambiguous_date_is_asked_about_and_nothing_is_saved_until_one_is_chosen(guides, data_dir):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await type_in(pilot, "record-date_sent", "03/04/2026")
        # Typing stopped: this is when text is saved, or here, said why not.
        await until(pilot, lambda: "Not saved yet" in screen_words(app), what="the note under the date box")
        text = flat(pane_text(app))
        assert "Not saved yet: “03/04/2026” could be either day." in text
        assert "Did you mean 3 April 2026 or 4 March 2026?" in text
        assert "3 April 2026 (1)" in text and "4 March 2026 (2)" in text
        with store() as s:
            assert s.steps("forms") == {}
        await pilot.press("escape")
        await settle(pilot)
        assert "1/2 Which date?" in footer(app)
        await pilot.press("space")  # marking the step saves everything else, and still not this
        await settle(pilot)
        with store() as s:
            assert s.steps("forms")["letter"].fields == {}
        await pilot.press("p", "2")
        await settle(pilot)
        assert "Saved as 4 March 2026" in flat(screen_text(app))
        assert "Which date?" not in footer(app)
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date_sent": "2026-03-04"}


async def test_a_click_on_one_of_the_two_days_saves_that_day(guides, data_dir):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await type_in(pilot, "record-date_sent", "03/04/2026")
        await pilot.press("escape")
        await settle(pilot)
        button = next(b for b in app.screen.query(".date-choice") if "3 April 2026" in str(b.label))
        await pilot.click(button)
        await settle(pilot)
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date_sent": "2026-04-03"}


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("next tuesday", "'next tuesday' is not a date optout-tui can read. Write it like 23 November 2026"),
        ("31.11.2026", "There is no such day as '31.11.2026'."),
        ("30.11.2026", "30 November 2026 is after today. Give the day it happened."),
    ],
)
async def test_text_that_is_no_date_says_why_and_is_not_saved(guides, data_dir, typed, said):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await type_in(pilot, "record-date_sent", typed)
        await pilot.press("escape")
        await settle(pilot)
        assert f"Not saved: {said}" in flat(pane_text(app))
        assert app.screen.query_one("#record-date_sent", DateBox).value == typed  # what was typed stays
    with store() as s:
        assert s.steps("forms") == {}


async def test_today_is_a_date_and_a_saved_date_comes_back_in_words(guides, data_dir):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await type_in(pilot, "record-date_sent", "today")
        await pilot.press("escape")
        await settle(pilot)
        assert "Saved as 25 November 2026" in flat(screen_text(app))
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date_sent": "2026-11-25"}
    app = forms(guides, today=TODAY + datetime.timedelta(days=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)
        # The day it was saved as, in words (not "today", which is another day now); shown, not saved again.
        assert app.screen.query_one("#record-date_sent", DateBox).value == "25 November 2026"
        await pilot.press("space")
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date_sent": "2026-11-25"}
        assert [e.fields for e in s.history("forms")] == [{"date_sent": "2026-11-25"}]


async def test_a_letters_date_blank_reads_any_way_of_writing_and_the_letter_says_it_in_words(guides, data_dir):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await type_in(pilot, "blank-date", "1.12.2026")  # a letter may carry the day it will be sent
        await pilot.press("escape", "c", "c")
        await settle(pilot)
        assert app.clipboard.endswith("\n1 December 2026\n")
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date": "2026-12-01"}
        (kept,) = s.letters("forms")
    assert kept.text.endswith("\n1 December 2026\n")


async def test_copying_a_letter_with_an_unclear_date_asks_first(guides, data_dir):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        await type_in(pilot, "blank-full_name", "Ada")
        await type_in(pilot, "blank-email", "ada@example.org")
        await type_in(pilot, "blank-date", "03/04/2026")
        await pilot.press("escape", "c")
        await settle(pilot)
        assert app.clipboard == ""
        assert (
            "The date “03/04/2026” could be two days: Did you mean 3 April 2026 or 4 March 2026? "
            "Choose one under its box (Escape, then 1 or 2), or press c again to copy anyway."
        ) in notes(app)[-1]
        await pilot.press("1", "c")
        await settle(pilot)
        assert app.clipboard.endswith("\nAda\n3 April 2026\n")


# ---- bursts: a date box and the copy key at the speed of a held key ---------------------------------


async def test_a_burst_over_date_boxes_and_the_copy_key_files_everything_under_its_own_step(guides, data_dir):
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(
            app,
            [
                *["n", "n", "enter"],
                *"Ada",
                "tab",
                *"ada@example.org",
                "tab",
                *"24.11.2026",
                "tab",
                *"03/04/2026",
                "escape",
                "2",  # the sent date: 4 March
                "c",
                "c",
                "space",  # done, and on to the next step: "Check the switch again"
                "n",
                "enter",
                *"CASE-9",
                "escape",
                "space",
                "end",
                "enter",
                *"Ada",
                "tab",
                *"https://www.forms.example/u/ada",
                "escape",
                "c",
            ],
        )
        await settle(pilot)
        assert "Step 6 of 6" in screen_text(app)
    with store() as s:
        records = s.steps("forms")
        kept = s.letters("forms")
    assert {sid: r.status for sid, r in records.items() if r.status} == {"letter": "done", "keep-reply": "done"}
    assert records["letter"].fields == {
        "full_name": "Ada",
        "email": "ada@example.org",
        "date": "2026-11-24",
        "date_sent": "2026-03-04",
    }
    assert records["keep-reply"].fields == {"case_number": "CASE-9"}
    assert records["ask-again"].fields == {"full_name": "Ada", "account": "https://www.forms.example/u/ada"}
    assert [x.step_id for x in kept] == ["letter", "ask-again"]  # each letter under the step it was copied on
    assert kept[0].text.endswith("My name: Ada\nMy email address: ada@example.org\n\nAda\n24 November 2026\n")
    assert (kept[0].to, kept[0].subject) == ("privacy@forms.example", "Objection: Forms Place")
    assert kept[1].text == "My name is Ada. Which of my posts (https://www.forms.example/u/ada) did you use?\n"


async def test_escape_and_1_or_2_straight_after_it_in_a_date_box_choose_the_day(guides, data_dir):
    # A terminal sends Escape then "2" 10 ms later as one sequence, which Textual reads as "™"
    # (and Escape then "1" as "¡"): in a date box that is Escape, then the key.
    app = forms(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["n", "n", "enter", "tab", "tab", "tab", *"03/04/2026"])
        app.post_message(events.Key("trade_mark_sign", "™"))
        burst(app, ["end", "enter"])
        app.post_message(events.Key("inverted_exclamation_mark", "¡"))  # in a box that is no date box: typed
        await settle(pilot)
        assert app.screen.query_one("#record-date_sent", DateBox).value == "03/04/2026"
        (name,) = [b for b in app.screen.query(FieldBox).results(FieldBox) if b.step_id == "ask-again" and b.has_focus]
        assert name.value == "¡"
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date_sent": "2026-03-04"}


async def test_a_burst_straight_after_r_lands_in_the_reply_form(data_dir):
    with store() as s:
        s.set_setting("region", "DE")
    app = linkedin()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Marked sent today (25 November), so the reply came today too.
        burst(app, ["space", "space", "space", "space", "p", "r", *"25.11.2026", "tab", "tab", *"C-1", "enter"])
        await settle(pilot)
        assert type(app.screen).__name__ == "GuideScreen"
    with store() as s:
        (reply,) = s.replies("linkedin")
    assert (reply.step_id, reply.received_on, reply.case_number) == ("objection-form", TODAY, "C-1")


# ---- replies -------------------------------------------------------------------------------


async def test_the_reply_form_refuses_a_day_before_sending_and_asks_about_an_ambiguous_one(data_dir):
    app = linkedin(today=datetime.date(2027, 1, 5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await type_in(pilot, "record-date_sent", "01.12.2026")
        await pilot.press("escape", "space", "p", "r")
        await settle(pilot)
        await pilot.press(*"30.11.2026", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReplyScreen"
        assert "Not saved: 30 November 2026 is before you sent it, on 1 December 2026." in flat(dialog_text(app))
        await pilot.press(*["backspace"] * 10, *"12/01/2026", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReplyScreen"
        assert "Did you mean 12 January 2026 or 1 December 2026? Choose one below." in flat(dialog_text(app))
        with store() as s:
            assert s.replies() == []  # nothing until the day is clear
        await pilot.click(next(b for b in app.screen.query(".date-choice") if "1 December" in str(b.label)))
        await settle(pilot)
        assert "The day: 1 December 2026" in flat(dialog_text(app))
        assert app.focused.id == "save-reply"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "GuideScreen"
        assert "Replied on 1 December 2026" in flat(pane_text(app))
    with store() as s:
        (reply,) = s.replies()
    assert reply.received_on == datetime.date(2026, 12, 1)


async def test_escape_closes_the_reply_form_and_saves_nothing(data_dir):
    app = linkedin()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "space", "p", "r")
        await settle(pilot)
        await pilot.press(*"C-5", "escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "GuideScreen"
        assert "The reply was not saved." in notes(app)
    with store() as s:
        assert s.replies() == []


async def test_what_a_company_said_is_shown_as_typed_never_as_markup(data_dir):
    app = linkedin()
    said = "[@click=app.quit]Close[/] and [b]bold[/b]"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "space", "p", "r")
        await settle(pilot)
        await pilot.press("tab", *said, "tab", *"[red]X[/red]", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "GuideScreen"  # nothing in what was typed ran as an action
        assert f"case or ticket number [red]X[/red]. They said: {said}" in flat(pane_text(app))


# ---- no reply yet --------------------------------------------------------------------------


async def sent_on_23_november(app: OptOutApp, pilot) -> None:
    await settle(pilot)
    await pilot.press("space", "space", "space")
    await type_in(pilot, "record-date_sent", "23.11.2026")
    await pilot.press("escape", "space", "p")
    await settle(pilot)


async def test_the_due_date_turns_into_no_reply_yet_when_the_apps_day_passes_it(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # a saved letter goes to the home folder's optout-tui folder
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    app = linkedin()
    async with app.run_test(size=(100, 40)) as pilot:
        await sent_on_23_november(app, pilot)
        assert "Waiting for a reply, due 23 December 2026" in flat(screen_text(app))
        assert "a What you can do" not in await footer_after_a_moment(pilot)
    app = linkedin(today=datetime.date(2026, 12, 23))  # the due day itself is still in time
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "p")
        await settle(pilot)
        assert "Waiting for a reply, due 23 December 2026" in flat(screen_text(app))
    app = linkedin(today=datetime.date(2026, 12, 24))
    with store() as s:
        s.remember_answers({"full_name": "Ada Example", "email": "ada@example.org"})
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "p")
        await settle(pilot)
        text = flat(screen_text(app))
        assert "No reply yet: what you can do" in text
        assert "What you can do (a)" in text and "a What you can do" in await footer_after_a_moment(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "AdviceScreen"
        text = flat(screen_text(app))
        authority = authorities.for_country("DE")
        assert authority is not None
        assert "Write to LinkedIn again. Say that you sent your request on 23 November 2026" in text
        assert f"Complain to {authority.name}." in text
        assert authority.local_name in text
        # Its complaint page as plain text, the whole address (here the words may wrap: compare without spaces).
        assert authority.page in "".join(screen_text(app).split())
        await pilot.press("c")
        letter = app.clipboard
        assert letter.startswith("Subject: Complaint: LinkedIn did not answer my request about my personal data")
        for words in ("On 23 November 2026 I sent LinkedIn", "had to answer by 23 December 2026", "Ada Example"):
            assert words in letter
        await pilot.press("v")
        await settle(pilot)
        assert type(app.screen).__name__ == "PlainTextScreen"
        assert "On 23 November 2026 I sent LinkedIn" in flat(screen_text(app))
        await pilot.press("escape", "w")
        await settle(pilot)
        (saved,) = (tmp_path / "optout-tui").glob("*.txt")
        assert saved.name == "linkedin-complaint-2026-12-24.txt"
        assert saved.read_text() == letter
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_without_a_country_the_advice_says_how_to_choose_one(data_dir):
    app = linkedin(today=datetime.date(2027, 2, 1))
    async with app.run_test(size=(100, 40)) as pilot:
        await sent_on_23_november(app, pilot)
        app.set_country(None)
        await pilot.press("n", "p")
        await settle(pilot)
        text = flat(screen_text(app))
        # No country: none of the letter's laws is known to protect the user, so it is a time to follow up.
        assert "No reply yet: what you can do" in text
        await pilot.press("a")
        await settle(pilot)
        assert "Choose where you live on the list of guides (r)" in flat(screen_text(app))


# ---- the finished screen and the export -----------------------------------------------------------


async def test_the_finished_screen_shows_the_wait_and_e_saves_an_owner_only_record_and_shows_where(data_dir):
    app = linkedin()
    async with app.run_test(size=(100, 40)) as pilot:
        await sent_on_23_november(app, pilot)
        await pilot.press("end", "space")
        await settle(pilot)
        assert type(app.screen).__name__ == "FinishedScreen"
        text = flat(screen_text(app))
        assert "Waiting for a reply, due 23 December 2026" in text
        assert "Press e to save a copy as a web page that prints well" in text
        assert "e Save record" in footer(app) and "r Record a reply" in footer(app)
        await pilot.press("e")
        await settle(pilot)
        written = sorted((data_dir / "records").glob("*.html"))
        assert [p.name for p in written] == ["my-ai-opt-outs-2026-11-25.html"]
        path = written[0]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        shown = "".join(flat(screen_text(app)).split())
        assert f"Savedyourrecordto{path}" in shown  # the full path, on screen (wrapped where it is long)
        assert str(path) in notes(app)[-1] and "optout-tui progress export --format markdown" in notes(app)[-1]
        page = path.read_text()
        assert "<script" not in page.lower()
        assert "23 December 2026" in page and "Send the Data Processing Objection Form" in page
        # Recording the reply from here: the screen says it came.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"24.11.2026", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "FinishedScreen"
        assert "Replied on 24 November 2026" in flat(screen_text(app))
        await pilot.press("e")  # a second record the same day: a new name, the first is kept
        await settle(pilot)
        assert len(list((data_dir / "records").glob("*.html"))) == 2


async def test_any_screen_can_export_through_the_app(data_dir):
    app = linkedin()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await app.run_action("app.export_record")  # as the home screen's key will
        await settle(pilot)
        (path,) = (data_dir / "records").glob("*.html")
        assert str(path) in notes(app)[-1]
        assert "LinkedIn" in path.read_text()


async def test_an_export_that_cannot_be_written_says_why(data_dir, tmp_path):
    records = data_dir / "records"
    data_dir.mkdir(parents=True, exist_ok=True)
    records.write_text("a file where the folder should be")
    app = linkedin()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("app.export_record")
        await settle(pilot)
        assert notes(app)[-1].startswith("Your record could not be saved: cannot create the folder")
        assert records.read_text() == "a file where the folder should be"  # left alone


def test_every_key_of_the_new_windows_is_in_the_help():
    from walkthrough.tui.screens.advice import AdviceScreen
    from walkthrough.tui.screens.finished import FinishedScreen
    from walkthrough.tui.screens.help import HELP
    from walkthrough.tui.screens.reply import ReplyScreen

    for line in (
        "1 / 2        a date that could be two days",
        "r            after you sent a letter or form: record the company's reply",
        "a            when their reply is late: what you can do, and a complaint letter",
        "e            save your record as a web page to keep or print",
        "Enter        save the reply",
        "c            copy the complaint letter",
    ):
        assert line in HELP
    for screen in (ReplyScreen, AdviceScreen, FinishedScreen):
        for binding in screen.BINDINGS:
            if binding.show:
                key = {"escape": "Escape", "enter": "Enter", "tab": "Tab", "shift+tab": "Shift+Tab"}.get(binding.key)
                assert (key or binding.key) in HELP, (screen.__name__, binding.key)


async def test_the_list_shows_a_letter_waiting_for_a_reply_then_overdue_and_saves_the_record(
    tmp_path, data_dir, monkeypatch
):
    # After the objection is sent the list says when the answer is due, files the guide under
    # "waiting or re-check due", and ctrl+e saves the record from there too.
    guides = tmp_path / "guides"
    shutil.copytree(Path(__file__).parent / "fixtures" / "snap", guides)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    store = ProgressStore.open_default()[0]
    loaded = load_catalog([str(guides)], bundled=False).guides["linkedin"]
    for step in loaded.guide.steps:
        store.mark("linkedin", step.id, "done", step_fingerprint(step))
    store.save_fields("linkedin", "objection-form", {"date_sent": "2026-11-23"})
    store.close()

    sent = datetime.date(2026, 11, 23)
    app = make_app([str(guides)], bundled=False, region="DE", today=sent + datetime.timedelta(days=3))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Waiting, due 23 Dec 2026" in text
        await pilot.press("ctrl+f", "ctrl+f", "ctrl+f")  # all -> to do -> in progress -> waiting or re-check due
        await pilot.pause()
        assert "LinkedIn" in screen_text(app)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: list((data_dir / "records").glob("*.html")), what="the record to be saved")
        saved = list((data_dir / "records").glob("*.html"))
        assert len(saved) == 1 and (saved[0].stat().st_mode & 0o777) == 0o600

    late = make_app([str(guides)], bundled=False, region="DE", today=datetime.date(2027, 1, 5))
    async with late.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "No reply yet" in screen_text(late)
