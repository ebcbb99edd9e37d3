"""The guide screen at any typing speed: what it shows is what the keys act on, and the record says so.

The keys are sent the way a held-down key, a fast typist or a slow SSH link
sends them: all at once, before the app has handled the first (`burst`). The
store is then read from the real SQLite file and compared with what a person
watching the screen would expect, worked out key by key by `Expected` (a
small model of the screen's rules: which step is shown, which box has the
focus, what each key does there).

Guides come from tests/fixtures/guide_screen: one with several steps that have
boxes to fill in (so a value filed under the wrong step shows), and one whose
every label looks like markup.
"""

from __future__ import annotations

import datetime
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.widgets import Button, Static

from walkthrough.content.model import step_fingerprint
from walkthrough.content.templates import resolve
from walkthrough.dates import read as read_date
from walkthrough.dates import short_words as short_date
from walkthrough.dates import words as long_date
from walkthrough.progress.status import guide_status, is_finished, next_step
from walkthrough.progress.store import ProgressStore, StepRecord
from walkthrough.tui.app import OptOutApp, make_app
from walkthrough.tui.widgets.guide_text import Address, address_lines, markdown_text, reflow_letter
from walkthrough.tui.widgets.step_list import StepList
from walkthrough.tui.widgets.step_view import StepView
from walkthrough.tui.widgets.template_box import SHARED_BLANKS, FieldBox

FIXTURES = Path(__file__).parent / "fixtures" / "guide_screen"
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def guides(tmp_path) -> Path:
    folder = tmp_path / "guides"
    shutil.copytree(FIXTURES, folder)
    return folder


def app_for(guides: Path, guide: str = "forms", **kwargs) -> OptOutApp:
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("region", "DE")
    return make_app([str(guides)], bundled=False, guide=guide, **kwargs)


def store() -> ProgressStore:
    return ProgressStore.open_default()[0]


def screen_text(app: OptOutApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def pane_text(app: OptOutApp) -> str:
    """What the right-hand pane (the step) shows, without the list of steps beside it."""
    region = app.screen.query_one("#step-pane").region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


def flat(text: str) -> str:
    return " ".join(text.split())


def notes(app: OptOutApp) -> list[str]:
    return [n.message for n in app._notifications]


KEY_CHARS = {"space": " ", "enter": "\r", "tab": "\t", "escape": "\x1b", "backspace": "\x7f"}


def burst(app: OptOutApp, keys: list[str]) -> None:
    """Every key in the app's queue before it handles the first, as from auto-repeat or a paste."""
    for key in keys:
        app.post_message(events.Key(key, KEY_CHARS.get(key, key if len(key) == 1 else None)))


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


# ---- what a person watching the screen expects ---------------------------------------------


@dataclass
class Expected:
    """The screen's rules, key by key: the step shown, the box with the focus, and what is saved."""

    app: OptOutApp
    index: int = 0
    box: int | None = None  # which of the shown step's boxes has the focus
    marks: dict[str, str] = field(default_factory=dict)
    values: dict[tuple[str, str], str] = field(default_factory=dict)  # every box's text
    edited: set[tuple[str, str]] = field(default_factory=set)  # boxes the user typed in
    history: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    last_edit: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.loaded = self.app.catalog.guides["forms"]
        self.guide = self.loaded.guide
        self.boxes: list[list[tuple[str, str]]] = []
        # Date boxes, and whether a day after today is a date there (a letter's date: yes; a record's: no).
        self.dates: dict[tuple[str, str], bool] = {}
        for step in self.guide.steps:
            blanks = resolve(step.template, self.app.catalog.templates).blanks if step.template else []
            names = [b.name for b in blanks] + [r.name for r in step.record]
            self.boxes.append([(step.id, n) for n in names])
            self.dates |= {(step.id, b.name): True for b in blanks if b.type == "date"}
            self.dates |= {(step.id, r.name): False for r in step.record if r.type == "date"}

    def records(self, marks: dict[str, str] | None = None) -> dict[str, StepRecord]:
        now = datetime.datetime.now(datetime.timezone.utc)
        steps = {s.id: s for s in self.guide.steps}
        marks = self.marks if marks is None else marks
        return {sid: StepRecord(st, now, step_fingerprint(steps[sid]), {}) for sid, st in marks.items()}  # type: ignore[arg-type]

    def saved(self, step_id: str) -> dict[str, str]:
        out = {}
        for (s, n), v in self.values.items():
            if s != step_id or (s, n) not in self.edited or not v:
                continue
            if (s, n) in self.dates:
                # A date box keeps a date (ISO), and nothing while its text is no date.
                day = read_date(v, TODAY, future=self.dates[(s, n)]).date
                if day is None:
                    continue
                v = day.isoformat()
            out[n] = v
        return out

    def would_finish(self, status: str) -> bool:
        marks = {**self.marks, self.guide.steps[self.index].id: status}
        return is_finished(guide_status(self.loaded, self.records(marks), "DE", TODAY))

    def press(self, key: str) -> None:
        step = self.guide.steps[self.index]
        boxes = self.boxes[self.index]
        if self.box is not None:
            here = boxes[self.box]
            if key == "tab":
                self.box = (self.box + 1) % len(boxes)
            elif key == "shift+tab":
                self.box = (self.box - 1) % len(boxes)
            elif key == "enter":
                self.box = self.box + 1 if self.box + 1 < len(boxes) else None
            elif key == "escape":
                self.box = None
            else:
                before = self.values.get(here, "")
                after = before[:-1] if key == "backspace" else before + KEY_CHARS.get(key, key)
                if after != before:
                    self.values[here] = after
                    self.edited.add(here)
                    self.last_edit[here] = max(self.last_edit.values(), default=0) + 1
            return
        last = len(self.guide.steps) - 1
        if key in ("down", "n"):
            self.index = min(last, self.index + 1)
        elif key in ("up", "p"):
            self.index = max(0, self.index - 1)
        elif key == "home":
            self.index = 0
        elif key == "end":
            self.index = last
        elif key == "enter" and boxes:
            self.box = 0
        elif key in ("space", "s"):
            status = "done" if key == "space" else "skipped"
            self.marks[step.id] = status
            self.history.append((status, step.id, self.saved(step.id)))
            self.index = next_step(self.guide, self.records(), "DE", self.index)
        elif key == "u" and step.id in self.marks:
            del self.marks[step.id]
            self.history.append(("unmarked", step.id, self.saved(step.id)))
        # c copies (nothing saved); pagedown and pageup scroll the text.

    def answers(self) -> dict[str, str]:
        """Remembered for other guides: each name as last typed, in whichever box."""
        out = {}
        for sid, name in sorted(self.edited, key=lambda box: self.last_edit[box]):
            value = self.values[(sid, name)].strip()
            if name in SHARED_BLANKS and value:
                out[name] = value
        return out


def random_keys(expected: Expected, count: int, seed: int) -> list[str]:
    """`count` keys a hurried person might press, worked through `expected` as they are chosen."""
    rng = random.Random(seed)
    keys: list[str] = []
    while len(keys) < count:
        if expected.box is not None:
            here = expected.boxes[expected.index][expected.box]
            choices = ["letter"] * 8 + ["tab", "shift+tab", "enter", "escape", "backspace"]
            pick = rng.choice(choices)
            if pick == "backspace" and (here[1] in SHARED_BLANKS and len(expected.values.get(here, "")) <= 1):
                pick = "letter"  # a remembered answer is never emptied here: see Expected.answers
            if pick == "letter":
                # No digit in a date box: its text is then never a date, at any moment a save may catch it
                # (dates typed at speed have tests of their own, below).
                pick = rng.choice("abcnpsuo cdeflqx?" if here in expected.dates else "abcnpsuo cdeflqx?1")
                pick = "space" if pick == " " else pick
        else:
            pick = rng.choice(
                [
                    "down",
                    "down",
                    "up",
                    "n",
                    "p",
                    "space",
                    "s",
                    "u",
                    "u",
                    "enter",
                    "enter",
                    "c",
                    "home",
                    "end",
                    "pagedown",
                    "pageup",
                ]
            )
            if pick in ("space", "s") and expected.would_finish("done"):
                pick = "u"  # finishing the guide opens another screen; that is tested elsewhere
        expected.press(pick)
        keys.append(pick)
    return keys


def assert_store_matches(expected: Expected) -> None:
    with store() as s:
        records = s.steps("forms")
        marks = {sid: r.status for sid, r in records.items() if r.status}
        fields = {sid: r.fields for sid, r in records.items() if r.fields}
        history = [(e.action, e.step_id, e.fields) for e in s.history("forms")]
        answers = s.answers()
        others = set(s.all()) - {"forms"}
    assert marks == expected.marks, "a mark is on a step other than the one on screen when its key was pressed"
    want_fields = {sid: f for sid in {s for s, _ in expected.edited} if (f := expected.saved(sid))}
    assert fields == want_fields, "a typed value is not on the step of the box it was typed in"
    assert history == expected.history
    assert answers == expected.answers()
    assert not others


def assert_screen_shows(app: OptOutApp, expected: Expected) -> None:
    step = expected.guide.steps[expected.index]
    # The line above the step stays in view; the step's title may be scrolled away from a box.
    assert f"Step {expected.index + 1} of {len(expected.guide.steps)}" in screen_text(app)
    view = app.screen.query_one(StepView)
    page = view.page
    assert page is not None and page.index == expected.index
    # The view shows that step's page, whole: it is scrolled to it, and no other is in sight.
    assert view.scroll_y == expected.index * view.size.height
    assert page.region == view.region
    shown = page.query_one(".step-top", Static).content
    assert shown.renderables[0].plain == step.title  # the first line of the step's text
    assert app.screen.query_one(StepList).current == expected.index
    focused = app.focused
    if expected.box is None:
        assert not isinstance(focused, FieldBox)
    else:
        assert isinstance(focused, FieldBox)
        assert (focused.step_id, focused.field_name) == expected.boxes[expected.index][expected.box]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_200_keys_at_once_file_every_mark_and_every_letter_where_they_were_typed(guides, data_dir, seed):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        expected = Expected(app)
        keys = random_keys(expected, 200, seed)
        burst(app, keys)
        await settle(pilot)
        assert_screen_shows(app, expected)
        # What is on screen in each box is what was typed in it.
        for box in app.screen.query(FieldBox).results(FieldBox):
            assert box.value == expected.values.get((box.step_id, box.field_name), "")
    assert_store_matches(expected)


async def test_the_same_keys_with_pauses_give_the_same_record(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        expected = Expected(app)
        keys = random_keys(expected, 120, seed=7)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        assert_screen_shows(app, expected)
    assert_store_matches(expected)


async def test_the_bug_as_reported_typing_then_arrows_then_space(guides, data_dir):
    # Type the letter's blanks, leave the box, hold Down, press Space: the mark is on the step
    # shown, and the blanks are only on the letter's step (they were on steps without boxes).
    with store() as s:
        s.remember_answers({"full_name": "Ada Lovelace"})
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["n", "n", "enter", "tab", *"ada@example.org", "escape", *["down"] * 6, "up", "space"])
        await settle(pilot)
        text = flat(screen_text(app))
        assert "Step 6 of 6" in text and "Ask what was used" in text  # space went on from step 5
    with store() as s:
        records = s.steps("forms")
    assert {sid: r.status for sid, r in records.items() if r.status} == {"keep-reply": "done"}
    # Only what was typed; the remembered name was shown in its box, and is not written on the step.
    assert {sid: r.fields for sid, r in records.items() if r.fields} == {"letter": {"email": "ada@example.org"}}


async def test_a_held_key_leaves_no_work_behind(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(StepView)
        children = list(view.children)
        boxes = list(view.query(FieldBox))
        burst(app, ["down", "up"] * 50)
        # One refresh after the last key, the screen is settled: nothing left in any queue.
        await pilot.pause()
        assert app.screen.index == 0
        assert app.screen._message_queue.qsize() == 0
        assert view._message_queue.qsize() == 0
        # Updated in place: the same widgets, the same boxes, nothing made again.
        assert list(view.children) == children
        assert list(view.query(FieldBox)) == boxes


# ---- defaults and remembered answers --------------------------------------------------------


async def go_to_letter(pilot) -> None:
    await pilot.press("n", "n")
    await settle(pilot)


async def test_viewing_a_step_with_a_date_blank_saves_nothing_and_copying_later_gives_that_day(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_letter(pilot)
        assert "22 November 2026" in str(app.screen.query_one("#filled").content)
        await pilot.press("n", "p")  # leave and come back: still nothing to save
        await settle(pilot)
    with store() as s:
        assert s.steps("forms") == {} and s.answers() == {}

    # Weeks later: the same step, copied that day, has that day's date.
    later = TODAY + datetime.timedelta(days=23)
    app = app_for(guides, today=later)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_letter(pilot)
        await pilot.press("c", "c")  # the first c says which blanks are empty
        assert app.clipboard.endswith(f"\n{long_date(later)}\n")
        assert long_date(TODAY) not in app.clipboard
        # And within one session, the app's day moving on (past midnight) moves the date too.
        app._today = later + datetime.timedelta(days=1)
        await pilot.press("c", "c")
        assert app.clipboard.endswith(f"\n{long_date(later + datetime.timedelta(days=1))}\n")
    with store() as s:
        assert s.steps("forms") == {}


async def test_a_date_typed_by_the_user_is_saved_and_used(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_letter(pilot)
        burst(app, ["enter", "tab", "tab", *"3 December 2026", "escape", "c", "c"])
        await settle(pilot)
        assert app.clipboard.endswith("\n3 December 2026\n")
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"date": "2026-12-03"}  # a date, however it was written


async def test_remembered_answers_fill_the_boxes_and_are_saved_only_when_changed(guides, data_dir):
    with store() as s:
        s.remember_answers({"full_name": "Ada Lovelace", "email": "ada@example.org"})
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_letter(pilot)
        assert app.screen.query_one("#blank-full_name", FieldBox).value == "Ada Lovelace"
        await pilot.press("end")  # the last step has a full name box too
        await settle(pilot)
        await pilot.press("c", "c")
        assert app.clipboard.startswith("My name is Ada Lovelace.")
        # Typed back to what it was: nothing changed, nothing to save.
        burst(app, ["home", "n", "n", "enter", "backspace", "backspace", *"ce", "escape"])
        await settle(pilot)
        with store() as s:
            assert s.steps("forms") == {}
        burst(app, ["enter", *["backspace"] * 8, *"Byron", "escape"])
        await settle(pilot)
    with store() as s:
        assert {sid: r.fields for sid, r in s.steps("forms").items()} == {"letter": {"full_name": "Ada Byron"}}
        assert s.answers() == {"full_name": "Ada Byron", "email": "ada@example.org"}


# ---- forms at 80x24 -----------------------------------------------------------------------


def footer_text(app: OptOutApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_enter_tab_and_escape_in_a_form_and_the_footer_says_what_they_do(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_letter(pilot)
        assert "This step has a letter to fill in: press Enter" in flat(pane_text(app))  # at the top of the step
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#blank-full_name")
        footer = footer_text(app)
        for words in ("Next box", "tab Next box", "Previous box", "esc Back to the step"):
            assert words in footer
        await pilot.press("shift+tab")
        assert app.focused.id == "record-date_sent"  # around the boxes of this step only
        await pilot.press("tab", "tab")
        assert app.focused.id == "blank-email"
        await pilot.press("tab", "tab")
        assert app.focused.id == "record-date_sent"
        await settle(pilot)
        assert "Done typing" in footer_text(app)  # Enter in the last box goes back to the step
        await pilot.press("enter")
        assert app.focused.id == "steps"
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "GuideScreen"  # Escape in a box never leaves the guide
        assert app.focused.id == "steps"
        assert "space Done" in footer_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"  # the second Escape does


async def test_the_box_with_the_focus_is_on_screen(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["n", "n", "enter", "tab", "tab", "tab"])
        await settle(pilot)
        box = app.focused
        assert isinstance(box, FieldBox) and box.id == "record-date_sent"
        view = app.screen.query_one(StepView)
        assert view.region.contains_region(box.region)
        assert "The date you sent the letter" in screen_text(app)  # and its label above it


async def test_keys_typed_while_the_focus_moves_go_in_the_box_they_were_typed_for(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["n", "n", "enter", *"Sam", "tab", *"sam@x.org", "shift+tab", *" Q", "escape", "s"])
        await settle(pilot)
        assert app.screen.query_one("#blank-full_name", FieldBox).value == "Sam Q"
        assert app.screen.query_one("#blank-email", FieldBox).value == "sam@x.org"
    with store() as s:
        records = s.steps("forms")
    assert records["letter"].status == "skipped"  # the s after Escape is the step's key again
    assert records["letter"].fields == {"full_name": "Sam Q", "email": "sam@x.org"}


async def test_escape_and_a_key_straight_after_it_are_both_obeyed(guides, data_dir):
    # A terminal sends Escape then "s" 10 ms later as one key, alt+s; in a box it was an "s" typed.
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["n", "n", "enter", *"Ada"])
        app.post_message(events.Key("alt+s", "s"))
        await settle(pilot)
        assert app.screen.query_one("#blank-full_name", FieldBox).value == "Ada"
        assert "Step 4 of 6" in screen_text(app)  # skipped, and on to the next step
    with store() as s:
        letter = s.steps("forms")["letter"]
    assert letter.status == "skipped" and letter.fields == {"full_name": "Ada"}


async def test_pagedown_scrolls_the_step_text_and_keeps_the_step(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        head = lambda: screen_text(app).splitlines()[3]  # noqa: E731 - the line above the step
        assert "more" not in head() and "PageUp" not in head()  # step 1 fits
        await go_to_letter(pilot)
        view = app.screen.query_one(StepView)
        assert "↓ more: PageDown" in head()
        await pilot.press("pagedown")
        await settle(pilot)
        assert view.page.scroll_y > 0  # the step's own page scrolls
        assert app.screen.index == 2
        for _ in range(8):
            await pilot.press("pagedown")
        await settle(pilot)
        assert "↑ PageUp" in head()  # at the bottom
        for _ in range(9):
            await pilot.press("pageup")
        await settle(pilot)
        assert view.page.scroll_y == 0 and "↓ more: PageDown" in head()


async def test_footer_and_buttons_use_the_same_words(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = footer_text(app)
        labels = [str(b.label) for b in app.screen.query(Button) if b.display and "(" in str(b.label)]
        assert {"Done (space)", "Skip (s)", "Not done (u)", "Open (o)", "Copy (c)"} <= set(labels)
        for label in labels:
            words, key = label[:-1].split(" (")
            assert f"{key} {words}" in footer, f"the button says {label!r}, the footer: {footer!r}"


async def test_a_click_on_a_step_in_the_list_shows_it(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await click_words(pilot, app, "5. Keep the reply")
        await settle(pilot)
        assert app.screen.index == 4 and "Step 5 of 6" in screen_text(app)
        await pilot.press("space")  # the key acts on the step the click showed
    with store() as s:
        assert {sid: r.status for sid, r in s.steps("forms").items()} == {"keep-reply": "done"}


async def test_the_list_of_steps_keeps_the_current_step_in_view(tmp_path, data_dir):
    folder = tmp_path / "many"
    folder.mkdir()
    source = (FIXTURES / "forms.yaml").read_text()
    head, _, _ = source.partition("steps:\n")
    steps = "".join(
        f"  - id: step-{n:02d}\n    kind: info\n    title: Read part {n:02d} of the notice\n    body: Part {n:02d}.\n"
        for n in range(1, 41)
    )
    (folder / "many.yaml").write_text(head + "steps:\n" + steps)
    app = make_app([str(folder)], bundled=False, guide="many", region="DE", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert "40. Read part 40" in screen_text(app)
        for _ in range(25):
            await pilot.press("up")
        await settle(pilot)
        assert "15. Read part 15" in screen_text(app) and "Step 15 of 40" in screen_text(app)
        await pilot.press("home")
        await settle(pilot)
        assert " 1. Read part 01" in screen_text(app)


async def test_header_counts_use_the_same_rule(guides, data_dir):
    folder = Path(__file__).parent / "fixtures" / "app"
    app = make_app([str(folder)], bundled=False, guide="alpha", region="US", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        text = flat(screen_text(app))
        # The EU-only step is not one of the 3 for the US: both counts say 3.
        assert "Step 2 of 3" in text and "1 of 3 steps done" in text


# ---- narrow and small windows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "day_words"),
    [
        ((120, 40), lambda day: f"on {long_date(day)}"),
        ((60, 20), lambda day: f"on {short_date(day)}"),
        ((40, 15), short_date),
    ],
)
async def test_the_line_above_the_step_is_one_line_at_any_width(guides, data_dir, size, day_words):
    # It says when a step was done; wrapped to two lines it pushed the step down on every move.
    app = app_for(guides)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("space", "p")
        await settle(pilot)
        with store() as s:
            marked = s.steps("forms")["sign-in"].at.astimezone().date()
        head, below = pane_text(app).splitlines()[:2]
        assert head.split("  ")[0].strip() == f"Step 1 of 6 · Done {day_words(marked)}"
        assert below.strip() == "Sign in to Forms Place"  # the step's title, straight under it
        await pilot.press("n")
        await settle(pilot)
        head, below = pane_text(app).splitlines()[:2]
        assert head.split("  ")[0].strip() == "Step 2 of 6 · To do"
        assert below.strip() == app.screen.query_one(StepView).pages[1].step.title


async def test_below_80_columns_one_column_with_a_key_for_the_list(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        steps = app.screen.query_one("#steps-box")
        assert not steps.display
        text = screen_text(app)
        assert "Step 1 of 6" in text and "l: all steps" in text
        footer = footer_text(app)
        assert "l Steps" in footer and footer.rstrip().endswith("? Help")  # nothing cut at the end
        await pilot.press("l")
        await settle(pilot)
        assert steps.display and "Ask what was used" in screen_text(app)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert not steps.display
        assert "Step 3 of 6" in screen_text(app) and "Send the objection letter" in screen_text(app)
        # The form works the same in one column.
        burst(app, ["enter", *"Ada", "escape", "n"])
        await settle(pilot)
        assert "Step 4 of 6" in screen_text(app)
    with store() as s:
        assert s.steps("forms")["letter"].fields == {"full_name": "Ada"}


def assert_footer_not_cut(app: OptOutApp) -> None:
    footer = screen_text(app).splitlines()[-1]
    for active in app.screen.active_bindings.values():
        if active.binding.show and active.enabled:
            assert active.binding.description in footer, f"{active.binding.description!r} is cut: {footer!r}"


@pytest.mark.parametrize("size", [(60, 20), (40, 15)])
async def test_small_windows_keep_the_step_and_its_buttons_readable(guides, data_dir, size):
    app = app_for(guides)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        text = flat("\n".join(lines))
        assert "Step 2 of 6" in text and "Turn off AI training" in text
        for button in ("Done (space)", "Skip (s)", "Not done (u)"):
            assert button in lines[-2], f"{button!r} is cut: {lines[-2]!r}"
        assert_footer_not_cut(app)
        # Typing in a box: the footer says at least how to go on and how to get out.
        await pilot.press("n", "enter")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Next box" in footer and "esc Back to the step" in footer
        assert_footer_not_cut(app)


async def test_notifications_never_cover_the_done_skip_and_not_done_buttons(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("c", "u")  # two notices at once
        await pilot.pause(0.3)
        toasts = list(app.screen.query("Toast"))
        assert len(toasts) == 2
        actions = app.screen.query_one("#actions").region
        for toast in toasts:
            assert not toast.region.overlaps(actions)


# ---- text that reads well -------------------------------------------------------------------


async def test_letters_are_reflowed_to_the_window_and_copied_as_paragraphs(guides, data_dir):
    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to_letter(pilot)
        shown = app.screen.query_one("#filled").content
        assert "training, fine-tuning or improving artificial intelligence models." in str(shown)
        await pilot.press("c", "c")
        assert "for training, fine-tuning or improving artificial" in app.clipboard
        assert "My name: [Your full name]\nMy email address: [Your email address]" in app.clipboard


def test_reflow_keeps_short_lines_lists_and_paragraphs():
    letter = (
        "Dear team,\n\nI object to the use of my posts for training, fine-tuning or\nimproving AI models.\n"
        "1. Stop it.\n2. Tell me what you\n   used.\n\nMy name: {full_name}\nMy email: {email}\n"
    )
    assert reflow_letter(letter) == (
        "Dear team,\n\nI object to the use of my posts for training, fine-tuning or improving AI models.\n"
        "1. Stop it.\n2. Tell me what you used.\n\nMy name: {full_name}\nMy email: {email}\n"
    )


def test_a_long_address_is_broken_after_a_slash_not_in_a_word():
    url = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
    assert address_lines(url, 50) == ["https://www.linkedin.com/mypreferences/d/settings/", "data-for-ai-improvement"]
    assert address_lines(url, 30) == [
        "https://www.linkedin.com/",
        "mypreferences/d/settings/",
        "data-for-ai-improvement",
    ]
    console = Console(width=40, record=True)
    console.print(Address(url))
    assert console.export_text().splitlines() == [
        "https://www.linkedin.com/mypreferences/",
        "d/settings/data-for-ai-improvement",
    ]


async def test_a_long_address_is_shown_whole_at_60_columns(guides, data_dir, tmp_path):
    app = make_app(
        [str(Path(__file__).parent / "fixtures" / "snap")], bundled=False, guide="linkedin", region="DE", today=TODAY
    )
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("n", "pagedown")
        await settle(pilot)
        lines = [line.strip() for line in pane_text(app).splitlines()]
        assert "https://www.linkedin.com/mypreferences/d/settings/" in lines
        assert "data-for-ai-improvement" in lines


# ---- a guide is hostile data ------------------------------------------------------------------


async def test_guide_text_is_shown_as_written_never_as_markup(guides, data_dir, tmp_path, monkeypatch, browser):
    monkeypatch.chdir(tmp_path)
    app = app_for(guides, guide="markup")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Markup [b]Place[/b]: Stop [@click=app.quit]Markup Place[/] training AI" in screen_text(app)
        text = flat(pane_text(app))
        for written in (
            "Open [/foo] settings",
            "Click [red]Settings[/red] and then [link=https://evil.example/]Privacy[/link].",
            "[link=https://evil.example/]Open settings[/link]:",
            "The page says [bold]Saved[/bold].",
        ):
            assert written in text
        await click_words(pilot, app, "Open settings[/link]")  # only words: nothing opens
        await pilot.press("o")  # the step's own link, checked and opened
        await settle(pilot)
        assert browser.read_text().split() == ["https://www.markup.example/settings"]
        await pilot.press("n", "enter", "tab", "tab")
        await settle(pilot)
        text = flat(pane_text(app))
        assert "[@click=app.screenshot('x.svg','/tmp')]Your reason[/]" in text
        assert "Say it in [italic]plain[/italic] words. For example: I [b]write[/b] for a living" in text
        await click_words(pilot, app, "Your reason[/]")  # clicking the label runs nothing
        await pilot.press("tab")
        await settle(pilot)
        assert "[@click=app.screenshot('y.svg','/tmp')]Case number[/]" in pane_text(app)
        await click_words(pilot, app, "Case number[/]")
        assert type(app.screen).__name__ == "GuideScreen"
    assert not list(tmp_path.glob("*.svg")) and not list(Path("/tmp").glob("[xy].svg"))


async def click_words(pilot, app: OptOutApp, words: str) -> None:
    """Click the middle of `words` where they are drawn on the screen."""
    for y, line in enumerate(screen_text(app).splitlines()):
        x = line.find(words)
        if x >= 0:
            await pilot.click(offset=(x + len(words) // 2, y))
            await pilot.pause()
            return
    raise AssertionError(f"{words!r} is not on the screen:\n{screen_text(app)}")


async def test_an_address_in_a_notification_is_shown_as_written(guides, data_dir, browser):
    app = app_for(guides, guide="markup")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("n", "o", "c")  # open the form's page, then copy the letter (blanks empty)
        await pilot.pause(0.3)
        toasts = flat(" ".join(str(t.render()) for t in app.screen.query("Toast")))
        assert "https://www.markup.example/object?topic=%5Bb%5Dai%5B/b%5D" in toasts
        assert "“[@click=app.screenshot('x.svg','/tmp')]Your reason[/]”" in toasts
    assert browser.read_text().split() == ["https://www.markup.example/object?topic=%5Bb%5Dai%5B/b%5D"]


async def test_step_sources_are_shown_at_the_step_with_the_day_it_was_checked(guides, data_dir):
    app = app_for(guides, guide="markup")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = flat(pane_text(app))
        assert "Where this comes from (checked 15 November 2026):" in text
        assert "• Markup Place [i]starts[/i] training AI on posts (10 November 2026)" in text
        assert "https://news.example.org/2026/11/markup-place-ai" in text
        assert "• A page https://www.markup.example/blog/ai" in text
        await pilot.press("n")  # no sources of its own: nothing said
        await settle(pilot)
        assert "Where this comes from" not in screen_text(app)


async def test_an_example_address_from_another_platform_is_not_shown(guides, data_dir):
    app = app_for(guides, guide="markup")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "enter")
        await settle(pilot)
        text = flat(pane_text(app))
        assert "Copy it from the address bar on your profile page." in text
        assert "linkedin.com" not in text
    app = app_for(guides)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "enter", "tab")
        await settle(pilot)
        assert "For example: https://www.forms.example/u/your-name" in flat(pane_text(app))


def test_markdown_links_are_words_and_an_address_and_never_markup():
    text, links = markdown_text("See [the help](https://help.x.example/a) and **[b]x[/b]**.\n\n- one\n- two")
    console = Console(width=80, record=True)
    console.print(text)
    out = console.export_text()
    assert "See the help (https://help.x.example/a) and [b]x[/b]." in out
    assert "• one" in out and "• two" in out
    assert links == ["https://help.x.example/a"]


async def test_the_key_bar_draws_keys_in_their_colour_not_as_links_and_a_click_presses_the_key(guides, data_dir):
    from textual.geometry import Region

    from walkthrough.tui.widgets.key_bar import KeyBar

    app = app_for(guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Step 1 of" in screen_text(app)
        bar = app.screen.query_one(KeyBar)
        strip = bar.render_lines(Region(0, 0, bar.size.width, 1))[0]
        assert not any(seg.style is not None and seg.style.underline for seg in strip)
        colours = {seg.style.color for seg in strip if seg.style is not None and seg.text.strip() == "n"}
        words = {seg.style.color for seg in strip if seg.style is not None and "Next" in seg.text}
        assert colours and words and colours != words  # the key stands out from its words
        await pilot.click(KeyBar, offset=(strip.text.index(" Next") - 1, 0))
        await settle(pilot)
        assert "Step 2 of" in screen_text(app)
