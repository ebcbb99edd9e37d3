"""One guide: the steps down the left, the current step on the right.

What the screen shows is the step the keys act on, at any typing speed:

- Every key of this screen is a priority binding, so the app runs it the moment
  it reads the key, in the order the keys came. (A plain binding runs only after
  the key has travelled through the focused widget's queue, and by then later
  keys, or a change of focus, may have overtaken it.)
- A key's action changes the step and updates the view in place before it
  returns (`StepView.show`); nothing is rebuilt and nothing is left queued.
- The step list's own highlight messages are ignored; a click on the list
  (`OptionSelected`) is the only message that moves the step.
- What the user types is filed by the box it was typed in (`FieldBox.Edited`
  carries its guide, step and field), saved a moment after the typing stops,
  and before any mark or way out. A value the app puts in a box is never saved.
  A date box's text is saved as a date only once it reads as one day; a date
  that could be two days is asked about under its box (1 or 2, or a click).

A letter copied with c is kept in the record exactly as copied. Once a letter
or form is marked done, the step says when a reply is due (the core's
follow-up rules), r records the reply, and a says what to do when it is late.

Below 80 columns the list of steps gives way to the step, with a key (l) to
show the list; the footer then shows only the keys that fit.
"""

from __future__ import annotations

import asyncio
import string

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Button, ProgressBar, Static

from walkthrough import dates
from walkthrough.content import laws, regions
from walkthrough.content.guidefile import LoadedGuide, origin_note
from walkthrough.content.model import DIFFICULTY_WORDS, Step, step_fingerprint
from walkthrough.progress import letters
from walkthrough.progress.status import (
    FollowUp,
    GuideStatus,
    StepState,
    first_open_step,
    guide_status,
    is_finished,
    next_step,
    progress_words,
    step_follow_up,
    step_position,
    step_state,
)
from walkthrough.progress.store import Reply, StepRecord, StepStatus
from walkthrough.safe_text import visible
from walkthrough.tui.footer_fit import fit
from walkthrough.tui.keys import SAVE_KEY, VIEW_KEY
from walkthrough.tui.screens.base import AppScreen
from walkthrough.tui.widgets.in_place import update_text
from walkthrough.tui.widgets.key_bar import KeyBar
from walkthrough.tui.widgets.more_hint import MoreHint
from walkthrough.tui.widgets.state_line import StateLine
from walkthrough.tui.widgets.step_list import StepList
from walkthrough.tui.widgets.step_view import StepInfo, StepView, state_line
from walkthrough.tui.widgets.template_box import DateBox, FieldBox, TemplateBox

MARKS = {"done": "✓", "skipped": "-", "changed": "!", "not_here": "·", "todo": " "}
SAVE_DELAY = 0.3  # seconds after the last key press before typed text is saved
FOOTER_DELAY = 0.25  # seconds after the last move before the footer shows the keys another step offers
CATCH_UP_LIMIT = 2.0  # seconds to wait at most for the boxes to take in keys already sent to them

NARROW = 80  # below this many columns: one column, the list of steps behind a key
TINY = 60  # below this: the footer keeps only the keys without which the screen cannot be used
SHORT = 20  # below this many rows: the guide's details line makes room for the step

# Footer entries left out when the window is too narrow to show them all (the keys still work).
# Up to 100 columns the footer has no room for "v Show alone" and "w Save" beside the step keys,
# Help and Quit: those two are in the help, and every copy message says to press v.
NOT_IN_FOOTER_BELOW_100 = frozenset({VIEW_KEY, SAVE_KEY})
ROOMY = 100
NOT_IN_NARROW_FOOTER = frozenset({"n", "p", "escape", "q", "shift+tab"}) | NOT_IN_FOOTER_BELOW_100
NOT_IN_TINY_FOOTER = NOT_IN_NARROW_FOOTER | {"u", "o", "c"}
NOT_IN_LIST_FOOTER = NOT_IN_NARROW_FOOTER | {"space", "s", "u", "o", "c"}  # the list shown instead of the step
# When the keys a step offers besides these (r, a, 1/2) do not fit, these make room, first to last.
# Each is in the help, and the step's own keys are on its buttons.
FOOTER_MAKES_ROOM = (VIEW_KEY, SAVE_KEY, "q", "p", "n", "escape", "o", "u")


class GuideScreen(AppScreen[None]):
    # The descriptions are the words on the buttons too: "Done (space)", "Skip (s)", "Not done (u)".
    BINDINGS = [
        Binding("space", "done", "Done", key_display="space", id="done", priority=True),
        Binding("s", "skip", "Skip", id="skip", priority=True),
        Binding("u", "undo", "Not done", id="undo", priority=True),
        Binding("o", "open_link", "Open", id="open-link", priority=True),
        Binding("c", "copy", "Copy", id="copy", priority=True),
        Binding(VIEW_KEY, "view_plain", "Show alone", id="view-plain", priority=True),
        Binding(SAVE_KEY, "save_letter", "Save", id="save-letter", priority=True),
        Binding("r", "record_reply", "Record a reply", id="record-reply", priority=True),
        Binding("a", "advice", "What you can do", id="no-reply-advice", priority=True),
        # A date that could be two days ("03/04/2026"): 1 or 2 says which, once out of the box.
        Binding("1", "choose_date_key(0)", "Which date?", key_display="1/2", id="choose-date", priority=True),
        Binding("2", "choose_date_key(1)", "Which date?", show=False, priority=True),
        Binding("n", "move(1)", "Next", id="next-step", priority=True),
        Binding("p", "move(-1)", "Prev", id="previous-step", priority=True),
        Binding("l", "toggle_list", "Steps", id="list-steps", priority=True),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Prev", show=False, priority=True),
        Binding("home", "go_to(0)", "First step", show=False, priority=True),
        Binding("end", "go_to(-1)", "Last step", show=False, priority=True),
        Binding("pagedown", "scroll_text(1)", "Scroll down", show=False, priority=True),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True),
        # Enter, Tab and Escape say in the footer what they do where the focus is.
        Binding("enter", "close_list", "Show the step", priority=True),
        Binding("enter", "press_button", "Press", show=False, priority=True),
        Binding("enter", "fill_in", "Fill in", show=False, priority=True),
        Binding("enter", "next_box('enter')", "Next box", id="next-box", priority=True),
        Binding("enter", "leave_box('enter')", "Done typing", id="done-typing", priority=True),
        Binding("tab", "next_box", "Next box", priority=True),
        Binding("shift+tab", "previous_box", "Previous box", priority=True),
        Binding("tab", "focus_step(1)", "Next", show=False, priority=True),
        Binding("shift+tab", "focus_step(-1)", "Previous", show=False, priority=True),
        Binding("escape", "leave_box", "Back to the step", id="leave-box", priority=True),
        Binding("escape", "close_list", "Show the step", priority=True),
        Binding("escape", "back", "Back", id="back", priority=True),
        # Escape and a key pressed right after it reach the app as one key, "alt+key" (the
        # terminal cannot tell them apart). In a box that is Escape, then the key.
        *(
            Binding(f"alt+{key}", f"leave_box_then('{key}')", show=False, priority=True)
            for key in [*string.ascii_lowercase, *string.digits, "space"]
        ),
        # Escape then 1 or 2 straight after it reach Textual as "¡" and "™" (what a Mac's Option key
        # types with them). In a date box, where neither is ever meant, they are Escape then the key.
        Binding("inverted_exclamation_mark", "date_box_escape_then('1')", show=False, priority=True),
        Binding("trade_mark_sign", "date_box_escape_then('2')", show=False, priority=True),
    ]

    def __init__(self, loaded: LoadedGuide) -> None:
        super().__init__()
        self.loaded = loaded
        self.steps: list[Step] = list(loaded.guide.steps)
        self.index = 0
        self.records: dict[str, StepRecord] = {}
        self.replies: list[Reply] = []
        self._laws: dict[str, tuple[str, ...]] = {}  # step id -> the laws its letter or form relies on
        self._offered = (False, False)  # the step on screen offers r (a reply), and a (it is late)
        self._footer_timer: Timer | None = None
        self.opened_url: str | None = None
        self._copy_armed = False
        self._list_open = False  # below NARROW columns: the list of steps is shown instead of the step
        self._save_timer: Timer | None = None
        self._boxes_may_lag = False  # a box had the focus since the boxes last caught up
        self._view: StepView | None = None
        self._list = StepList([], id="steps")
        self._state = StateLine(id="step-state")
        self._more = MoreHint(id="step-more")

    # ---- layout ----------------------------------------------------------

    def compose(self) -> ComposeResult:
        g = self.loaded.guide
        self.load_records()
        self.load_replies()
        self._list.prompts = [self.step_prompt(i) for i in range(len(self.steps))]
        answers: dict[str, str] = self.app.guarded(self.app.store.answers, {})
        yield Static(Text(f"{g.name}: {g.title}"), id="guide-title", classes="title")
        yield Static(
            Text(
                f"{DIFFICULTY_WORDS[g.difficulty]} · about {g.minutes} min · "
                f"for {regions.describe(g.regions)} · checked {dates.words(g.last_verified)}"
            ),
            id="guide-meta",
            classes="meta",
        )
        if origin := origin_note(self.loaded, self.app.catalog.letter_origins):
            # A guide or letter from another folder says so (security review, item 7).
            yield Static(Text(visible(origin)), id="guide-origin", classes="notice")
        banner = Static(id="guide-banner", classes="notice")
        banner.display = False
        yield banner
        with Horizontal(id="guide-progress"):
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(id="progress-words")
        with Horizontal(id="guide-main"):
            with VerticalScroll(id="steps-box", can_focus=False):
                yield self._list
            with Vertical(id="step-pane"):
                with Horizontal(id="step-head"):
                    yield self._state
                    yield self._more
                    yield Static(Text("l: all steps"), id="list-key")
                self._view = StepView(self.loaded, self.app.catalog.templates, self.records, answers, id="step")
                self._view.on_more = self.show_more
                yield self._view
                with Horizontal(id="actions", classes="buttons"):
                    yield Button("Done (space)", id="mark-done", variant="success", compact=True, action="screen.done")
                    yield Button("Skip (s)", id="mark-skip", compact=True, action="screen.skip")
                    yield Button("Not done (u)", id="mark-undo", compact=True, action="screen.undo")
        # The palette key is on the help screen; here the room is needed for the step keys.
        yield KeyBar(compact=True, palette=False)

    def on_mount(self) -> None:
        status = self.status()
        self.show_banner(status)
        self.update_progress(status)
        self.fit_to(self.app.size.width, self.app.size.height)
        # Resume where the user left off; a re-check starts again from the top.
        start = 0 if status.state == "recheck_due" else self.first_open_step()
        self.go(0 if start is None else start)
        if not self.has_class("-narrow"):
            self.set_focus(self._list)
        if start is None and status.state == "done":
            self.show_finished()

    def on_screen_resume(self) -> None:
        # The country may have changed while another screen was on top.
        if self.is_mounted and self.steps:
            self.load_replies()  # a reply may have been recorded on the finished screen
            self.refresh_marks()
            self.go(self.index)

    def on_resize(self, event: Resize) -> None:
        self.fit_to(event.size.width, event.size.height)

    def fit_to(self, width: int, height: int) -> None:
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        self.set_class(width < TINY, "-tiny")
        self.set_class(width < ROOMY, "-cramped")
        self.set_class(height < SHORT, "-short")
        self._more.show(self._more.where, short=narrow)
        if not narrow:
            self.set_list_open(False)
        elif self.focused is self._list and not self._list_open:
            self.set_focus(None)
        self.refresh_bindings()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # What the footer shows. In a narrow window some keys are left out, so the ones shown are never cut.
        shown = super().active_bindings
        hidden: frozenset[str] = frozenset()
        if isinstance(self.focused, FieldBox):
            # Typing: Enter, Tab and Escape say what they do, in as many of them as fit.
            if self.has_class("-tiny"):
                hidden = frozenset({"tab", "shift+tab"})
            elif self.has_class("-narrow"):
                hidden = frozenset({"shift+tab"})
        elif self._list_open:
            hidden = NOT_IN_LIST_FOOTER
        elif self.has_class("-tiny"):
            hidden = NOT_IN_TINY_FOOTER
        elif self.has_class("-narrow"):
            hidden = NOT_IN_NARROW_FOOTER
        elif self.has_class("-cramped"):
            hidden = NOT_IN_FOOTER_BELOW_100
        kept = {key: active for key, active in shown.items() if key not in hidden}
        return fit(self.app, kept, FOOTER_MAKES_ROOM)

    # ---- state -----------------------------------------------------------

    def load_records(self) -> None:
        self.records = self.app.guarded(lambda: self.app.store.steps(self.loaded.id), {})

    def load_replies(self) -> None:
        self.replies = self.app.guarded(lambda: self.app.store.replies(self.loaded.id), [])

    def follow_up(self, i: int) -> FollowUp | None:
        """Where the letter or form of step `i` stands after it was sent (the core's rule), or None."""
        step = self.steps[i]
        law_ids = self._laws.get(step.id)
        if law_ids is None:
            law_ids = self._laws[step.id] = laws.for_step(step, self.app.catalog.templates)
        if not law_ids:
            return None
        return step_follow_up(step, self.records.get(step.id), self.replies, law_ids, self.app.country, self.app.today)

    def state(self, i: int) -> StepState:
        step = self.steps[i]
        return step_state(step, self.records.get(step.id), self.app.country, self.loaded.guide)

    def first_open_step(self) -> int | None:
        return first_open_step(self.loaded.guide, self.records, self.app.country)

    def status(self) -> GuideStatus:
        return guide_status(self.loaded, self.records, self.app.country, self.app.today)

    def step_prompt(self, i: int) -> tuple[str, str, bool]:
        """The step's line in the list: its mark, its title, and whether it is for another region."""
        state = self.state(i)
        return MARKS.get(state, " "), self.steps[i].title, state == "not_here"

    def refresh_marks(self, only: int | None = None) -> None:
        for i in range(len(self.steps)):
            if only is None or i == only:
                self._list.set_prompt(i, *self.step_prompt(i))
        self.update_progress(self.status())

    def update_progress(self, status: GuideStatus) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(1, status.total), progress=status.done)
        update_text(self.query_one("#progress-words", Static), Text(f" {progress_words(status)}"))

    def show_banner(self, status: GuideStatus) -> None:
        lines = []
        if status.state == "recheck_due" and status.finished_at:
            lines.append(
                f"Time to check again: you finished this on {dates.words(status.finished_at)}. "
                "Websites change their settings. Go through the steps and mark each one done again."
            )
        if status.state == "changed":
            lines.append(
                "This guide was updated after you did it. Steps marked ! have changed: "
                "read them again and mark them done."
            )
        if not status.applies and self.app.country:
            lines.append(
                f"This guide is for {regions.describe(self.loaded.guide.regions)}, "
                f"not {regions.country_phrase(self.app.country)}. You can still read it."
            )
        banner = self.query_one("#guide-banner", Static)
        banner.update(Text("\n".join(lines)))
        banner.display = bool(lines)

    # ---- showing a step --------------------------------------------------

    @property
    def view(self) -> StepView:
        assert self._view is not None, "the step view is made in compose"
        return self._view

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    def go(self, index: int) -> None:
        """Show step `index` now; every key after this one acts on it."""
        index = max(0, min(len(self.steps) - 1, index))
        moved = index != self.index
        self.index = index
        self.opened_url = None
        self._copy_armed = False
        view = self.view
        if moved and view.contains(self.focused):
            # The focus was on the step that is going away (a button, a box): back to the steps.
            self.set_focus(self._list if not self.has_class("-narrow") or self._list_open else None)
        self._list.show(index)
        info = StepInfo(
            index=index,
            step=self.step,
            position=step_position(self.loaded.guide, self.app.country, index),
            state=self.state(index),
            record=self.records.get(self.step.id),
            today=self.app.today,
            follow_up=self.follow_up(index),
            replies=tuple(r for r in self.replies if r.step_id == self.step.id),
        )
        self._state.show(state_line(info), info.state)
        view.show(info)
        offered = (info.follow_up is not None, info.follow_up is not None and info.follow_up.state == "overdue")
        if offered != self._offered:
            # This step offers r (and a), and the last did not, or the other way round: the footer says
            # so once the keys stop for a moment. Redrawing the footer costs as much as the key itself,
            # so n, p or a held arrow do not pay for it on every step they pass; the keys themselves
            # act at once, and the step's own buttons say "Record a reply (r)" straight away.
            self._offered = offered
            if self._footer_timer is not None:
                self._footer_timer.stop()
            self._footer_timer = self.set_timer(FOOTER_DELAY, self.refresh_bindings)

    def show_more(self, where: str) -> None:
        """Say whether there is more of the step below (or above) than the window shows."""
        self._more.show(where, short=self.has_class("-narrow"))

    @on(StepList.Clicked)
    def _clicked(self, event: StepList.Clicked) -> None:
        self.go(event.index)
        self.set_list_open(False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        in_box = isinstance(focused, FieldBox)
        on_steps = focused is None or focused is self._list
        if action == "date_box_escape_then":
            return isinstance(focused, DateBox)
        if action in ("next_box", "previous_box", "leave_box", "leave_box_then"):
            if not in_box:
                return False
            if parameters == ("enter",):
                # Enter is "Next box", and "Done typing" in the last box.
                boxes = self.view.boxes()
                last = not boxes or focused is boxes[-1]
                return last == (action == "leave_box")
            return True
        if action == "focus_step":
            return not in_box
        if action == "close_list":
            return self._list_open
        if action == "press_button":
            return isinstance(focused, Button)
        if action == "fill_in":
            # Enter on the step: start typing in its first box (on a step without boxes, nothing: the
            # list's own Enter would select the step again, later, maybe after the keys that moved on).
            # Elsewhere Enter presses the button.
            return on_steps and not self._list_open
        if action == "toggle_list":
            return self.has_class("-narrow")
        if action in ("move", "go_to"):
            return not in_box and (on_steps or not self._list_open)
        if action == "scroll_text":
            return not self._list_open
        if action == "choose_date":
            return True  # a click on one of the two days under a date box
        if action == "choose_date_key":
            return not in_box and self.pending_date() is not None
        if action == "record_reply":
            return not in_box and self.follow_up(self.index) is not None
        if action == "advice":
            found = self.follow_up(self.index)
            return not in_box and found is not None and found.state == "overdue"
        if action == "save_letter":
            # Only a step with a letter has something to save; elsewhere the key is not offered.
            return not in_box and self.view.letter() is not None
        return not in_box

    # ---- moving ------------------------------------------------------------

    def action_move(self, by: int) -> None:
        self.go(self.index + by)

    def action_go_to(self, index: int) -> None:
        self.go(index if index >= 0 else len(self.steps) + index)

    def action_scroll_text(self, direction: int) -> None:
        self.view.scroll_page(direction)

    def action_toggle_list(self) -> None:
        self.set_list_open(not self._list_open)

    def action_close_list(self) -> None:
        self.set_list_open(False)

    def set_list_open(self, open_: bool) -> None:
        if open_ == self._list_open:
            return
        self._list_open = open_
        self.set_class(open_, "-list-open")
        if open_:
            self.set_focus(self._list)
        elif self.has_class("-narrow"):
            self.set_focus(None)
        self.refresh_bindings()

    async def action_press_button(self) -> None:
        # Enter on a button does what the button says now, before the next key: Button.press would
        # do it a message later, maybe after a key that moved to another step.
        button = self.focused
        if isinstance(button, Button):
            if button.action:
                await self.app.run_action(button.action, default_namespace=button.parent)
            else:
                button.press()

    # ---- boxes -------------------------------------------------------------

    def action_fill_in(self) -> None:
        boxes = self.view.boxes()
        if boxes:
            self.focus_box(boxes[0])

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, FieldBox):
            self._boxes_may_lag = True  # a click in a box: keys may follow

    async def catch_up(self) -> None:
        """Wait until every box has taken in the keys already sent to it.

        A key typed in a box waits in that box's queue; the step keys run at once. So before
        a mark, a copy or a save reads the boxes, the keys typed before it must be in them.
        """
        if not self._boxes_may_lag:
            return
        self._boxes_may_lag = isinstance(self.focused, FieldBox)
        loop = asyncio.get_running_loop()
        waits: list[asyncio.Future[None]] = []
        for box in self.view.all_boxes():
            waiting: asyncio.Future[None] = loop.create_future()
            # Runs after every message the box has now: the keys, then their Changed messages.
            if box.call_later(lambda w=waiting: w.done() or w.set_result(None)):
                waits.append(waiting)
        if waits:
            await asyncio.wait(waits, timeout=CATCH_UP_LIMIT)

    def focus_box(self, box: FieldBox) -> None:
        # Focus at once (the next key typed goes in this box); scroll once the layout has the box,
        # which it may not have yet if its step was shown by the key just before.
        self._boxes_may_lag = True
        self.set_focus(box, scroll_visible=False)

        def into_view(tries: int = 5) -> None:
            if self.focused is not box:
                return  # the focus moved on in the meantime
            if not box.region and tries:
                self.call_after_refresh(into_view, tries - 1)
                return
            page = self.view.page
            if page is not None:
                page.bring_into_view(box)

        self.call_after_refresh(into_view)

    def action_next_box(self, key: str = "tab") -> None:
        self._move_box(1)

    def action_previous_box(self) -> None:
        self._move_box(-1)

    def action_focus_step(self, by: int) -> None:
        # Tab outside a box: the next button or box, at once, so keys typed after it land there.
        if by > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def _move_box(self, by: int) -> None:
        boxes = self.view.boxes()
        focused = self.focused
        if not boxes or not isinstance(focused, FieldBox) or focused not in boxes:
            return
        self.focus_box(boxes[(boxes.index(focused) + by) % len(boxes)])

    async def action_leave_box_then(self, key: str) -> None:
        await self.action_leave_box()
        for binding in self._bindings.key_to_bindings.get(key, ()):
            if await self.app.run_action(binding.action, self):
                return

    async def action_date_box_escape_then(self, key: str) -> None:
        await self.action_leave_box_then(key)

    async def action_leave_box(self, key: str = "escape") -> None:
        await self.catch_up()
        self.flush()
        self.set_focus(self._list if not self.has_class("-narrow") else None)

    # ---- marking ---------------------------------------------------------

    async def mark(self, as_: StepStatus) -> None:
        await self.catch_up()  # what was typed before the key is in the record of the mark
        self.flush()
        index, step = self.index, self.step
        store = self.app.store
        self.app.guarded(lambda: store.mark(self.loaded.id, step.id, as_, step_fingerprint(step)))
        self.load_records()
        self.refresh_marks(only=index)
        status = self.status()
        if is_finished(status) and self.first_open_step() is None:
            self.go(index)
            self.show_banner(status)
            self.show_finished()
            return
        self.go(next_step(self.loaded.guide, self.records, self.app.country, index))

    async def action_done(self) -> None:
        await self.mark("done")

    async def action_skip(self) -> None:
        await self.mark("skipped")

    async def action_undo(self) -> None:
        await self.catch_up()
        self.flush()
        index, step = self.index, self.step
        self.app.guarded(lambda: self.app.store.unmark(self.loaded.id, step.id))
        self.load_records()
        self.refresh_marks(only=index)
        self.show_banner(self.status())
        self.go(index)
        self.notify(f"Step {index + 1} is marked as not done.", title="Changed")

    # ---- replies ------------------------------------------------------------

    async def action_record_reply(self) -> None:
        await self.catch_up()
        self.flush()
        found = self.follow_up(self.index)
        if found is None:
            return
        from walkthrough.tui.screens.reply import ReplyScreen

        self.app.push_screen(ReplyScreen(self.loaded, self.step, found), self._reply_recorded)

    def _reply_recorded(self, reply: Reply | None) -> None:
        if reply is None or not self.is_mounted:
            return
        self.load_replies()
        self.go(self.index)

    async def action_advice(self) -> None:
        await self.catch_up()
        self.flush()
        found = self.follow_up(self.index)
        if found is None or found.state != "overdue":
            return
        from walkthrough.tui.screens.advice import AdviceScreen

        self.app.push_screen(AdviceScreen(self.loaded, self.step, found))

    def show_finished(self) -> None:
        from walkthrough.tui.screens.finished import FinishedScreen

        self.app.push_screen(FinishedScreen(self.loaded))

    # ---- links and copying -----------------------------------------------

    def copy_hint(self) -> str:
        return "with the Copy address button" if self.step.template else "with c"

    def open(self, url: str) -> None:
        if self.app.open_link(url, self.loaded):
            self.opened_url = url
            self.view.show_opened(url, self.copy_hint())

    def action_open_link(self) -> None:
        if self.step.link is None:
            self.notify("This step has no web page to open.", severity="warning")
            return
        self.open(self.step.link.url)

    def action_open_text_link(self, number: int) -> None:
        # A click on a link written in the step's text (see guide_text.markdown_text).
        links = self.view.text_links
        if 0 <= number < len(links) and not links[number].startswith("#"):
            self.open(links[number])

    async def action_copy(self) -> None:
        await self.catch_up()
        letter = self.view.letter()
        if letter is not None:
            self.copy_letter()
            return
        url = self.opened_url or (self.step.link.url if self.step.link else None)
        if url:
            self.copy_address(url)
        else:
            self.notify("There is nothing to copy on this step.", severity="warning")

    def copy_address(self, url: str) -> None:
        self.app.copy_text(
            url,
            "the address",
            note=f"Paste it into your browser's address bar: {url}",
            name_words=(self.loaded.id, "address"),
        )

    def copy_letter(self) -> None:
        letter = self.view.letter()
        if letter is None:
            return
        today = self.app.today
        filled = letter.filled(today)  # today's date worked out now, not when the step was first seen
        unclear = [box for box in letter.date_boxes() if box.value.strip() and box.reading(today).date is None]
        if (filled.missing or unclear) and not self._copy_armed:
            self._copy_armed = True
            problems = []
            if filled.missing:
                empty = ", ".join(f"“{b.label}”" for b in filled.missing)
                problems.append(f"These blanks are still empty: {empty}. Fill them in above")
            for box in unclear:
                reading = box.reading(today)
                if reading.ambiguous:
                    problems.append(
                        f"The date “{box.value.strip()}” could be two days: {reading.question()} "
                        "Choose one under its box (Escape, then 1 or 2)"
                    )
                else:
                    problems.append(f"“{box.value.strip()}” is not a date. Write it again above")
            self.notify(
                ". ".join(problems) + ", or press c again to copy anyway.",
                title="Not copied yet",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        self._copy_armed = False
        step, country = self.step, self.app.country
        store, shared = self.app.store, self.app.catalog.templates
        # The record keeps the letter exactly as it goes to the clipboard: the same `filled`.
        kept = self.app.guarded(
            lambda: letters.keep_copied_letter(store, self.loaded.id, step, filled, shared, country), None
        )
        what = "the subject line and the text" if filled.subject else "the text"
        notes = [f"Send it to {filled.to}."] if filled.to else []
        if kept is not None:
            notes.append("A copy is kept in your record.")
        note = " ".join(notes)
        self.app.copy_text(filled.as_text(), what, note=note, name_words=(self.loaded.id, step.id, "letter"))

    def _letter_name(self) -> str:
        return f"{self.loaded.id}-{self.step.id}"

    async def action_view_plain(self) -> None:
        """The letter (or else the address) alone on a plain screen, to select with the mouse."""
        await self.catch_up()
        letter = self.view.letter()
        if letter is not None:
            text = letter.filled(self.app.today).as_text()
            title = f"The text to copy for {self.loaded.guide.name}"
            self.app.show_plain(title, text, what="the text", save_as=self._letter_name())
            return
        url = self.opened_url or (self.step.link.url if self.step.link else None)
        if url:
            self.app.show_plain("The address", url, what="the address")
        else:
            self.notify("This step has no letter or address to show.", severity="warning")

    async def action_save_letter(self) -> None:
        await self.catch_up()
        letter = self.view.letter()
        if letter is not None:
            self.app.save_text(letter.filled(self.app.today).as_text(), self._letter_name())

    def action_copy_link(self) -> None:
        if self.step.link is not None:
            self.copy_address(self.step.link.url)

    # ---- typed answers -----------------------------------------------------

    @on(FieldBox.Edited)
    def _typed(self, event: FieldBox.Edited) -> None:
        # The box holds what was typed, under its own guide, step and field; save it shortly.
        if event.step_id == self.step.id:
            self._copy_armed = False
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.flush)

    async def save_now(self) -> None:
        """Everything typed, saved now (the app calls this before quitting)."""
        await self.catch_up()
        self.flush()

    def flush(self) -> None:
        """Write what was typed in any box, and not saved yet, to the store now.

        A date box's text is saved as a date once it reads as one day; until then (two days it
        could be, or no date at all) the note under it says so and nothing is written for it.
        """
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._view is None:
            return
        changed = [box for box in self._view.all_boxes() if box.unsaved]
        if not changed:
            return
        today = self.app.today
        by_step: dict[tuple[str, str], dict[str, str]] = {}
        shared: dict[str, str] = {}
        saving: list[FieldBox] = []
        waiting: list[DateBox] = []
        # In the order they were typed in: of two boxes for a name, the one typed in last is remembered.
        for box in sorted(changed, key=lambda box: box.edited_at):
            value = box.value
            if isinstance(box, DateBox):
                day = box.to_save(today)
                if day is None:
                    waiting.append(box)
                    continue
                value = day
            by_step.setdefault((box.guide_id, box.step_id), {})[box.field_name] = value
            if box.shared and value.strip():
                shared[box.field_name] = value.strip()
            saving.append(box)
        store = self.app.store

        def save() -> bool:
            for (guide_id, step_id), fields in by_step.items():
                store.save_fields(guide_id, step_id, fields)
            if shared:
                store.remember_answers(shared)
            return True

        saved = bool(saving) and self.app.guarded(save, False)
        if saved:
            for box in saving:
                box.was_saved()
        for box in [*saving, *waiting]:
            if isinstance(box, DateBox):
                before = box.note.said
                box.tell(today, saved=saved)
                if box.note.display and box.note.said != before and box in self.view.boxes():
                    box.note.into_view()  # what became of the date (a question most of all), under its box
        if saving:
            self.load_records()
        if waiting or any(isinstance(box, DateBox) for box in saving):
            self.refresh_bindings()  # 1/2 for a date that could be two days, or no longer

    # ---- dates that could be two days --------------------------------------

    def pending_date(self) -> DateBox | None:
        """The first box of the step on screen whose date could be two days (asked about under it)."""
        today = self.app.today
        for box in self.view.boxes():
            if isinstance(box, DateBox) and box.unsaved and box.value.strip() and box.reading(today).ambiguous:
                return box
        return None

    async def action_choose_date_key(self, index: int) -> None:
        await self.catch_up()
        box = self.pending_date()
        if box is not None:
            self.choose_date(box, index)

    async def action_choose_date(self, step_id: str, name: str, index: int) -> None:
        # A click on one of the two days shown under a box: that box, whichever step is on screen.
        await self.catch_up()
        for box in self.view.all_boxes():
            if isinstance(box, DateBox) and (box.guide_id, box.step_id, box.field_name) == (
                self.loaded.id,
                step_id,
                name,
            ):
                self.choose_date(box, index)
                return

    def choose_date(self, box: DateBox, index: int) -> None:
        reading = box.reading(self.app.today)
        if not reading.ambiguous or not 0 <= index < len(reading.choices):
            return
        box.choose(reading.choices[index])
        self.flush()
        holder = box.parent
        if isinstance(holder, TemplateBox):
            holder.update_preview()  # the letter says the day now, in words

    def on_unmount(self) -> None:
        self.flush()

    # ---- leaving -----------------------------------------------------------

    async def action_back(self) -> None:
        await self.catch_up()
        self.flush()
        self.app.go_home()
