"""A company's answer to a letter or form: the day it came, what they said, a case number, more time.

A small window over the step. What is typed is read only when the user saves
(Enter, or the Save button), after every key typed before it has reached its
box; nothing is written on Escape. The day is a date box like the step's
(`DateBox`): "03/04/2026" is asked about, text that is no date is explained,
and a day before the letter was sent is refused (the core's
`reply_date_problem`: such a reply would not count). Saved with
`store.record_reply`, and the step then shows where the letter stands.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Input, Static

from walkthrough import dates
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import Step
from walkthrough.progress.status import FollowUp, reply_date_problem
from walkthrough.progress.store import Reply
from walkthrough.tui.screens.base import AppModal
from walkthrough.tui.widgets.ordered_input import OrderedInput
from walkthrough.tui.widgets.template_box import DATE_HINT, DateBox

CATCH_UP_LIMIT = 2.0  # seconds to wait at most for the boxes to take in keys already sent to them


class ReplyScreen(AppModal[Reply | None]):
    # Priority bindings act the moment the key is read, in the order keys came, like the guide screen's:
    # a Tab in a burst moves the focus before the letters after it are handed to a box.
    BINDINGS = [
        Binding("enter", "enter_saves", "Save", id="save-reply", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel-reply", priority=True),
        Binding("tab", "move(1)", "Next box", priority=True),
        Binding("shift+tab", "move(-1)", "Previous box", priority=True),
    ]
    AUTO_FOCUS = "#reply-date"

    def __init__(self, loaded: LoadedGuide, step: Step, follow_up: FollowUp) -> None:
        super().__init__()
        self.loaded = loaded
        self.step = step
        self.follow_up = follow_up
        self.date_box = DateBox(loaded.id, step.id, "received_on", keys=False, id="reply-date")
        self.date_box.note.saved_words = "The day:"
        self.said = OrderedInput(id="reply-said")
        self.case = OrderedInput(id="reply-case")
        self.more_time = Checkbox("They said they need more time to answer", id="reply-more-time", compact=True)

    def compose(self) -> ComposeResult:
        name = self.loaded.guide.name
        with Vertical(id="reply-box", classes="dialog"):
            yield Static(Text(f"A reply from {name}"), classes="title")
            sent = dates.words(self.follow_up.sent_on)
            yield Static(Text(f"About: {self.step.title} (sent on {sent})"), classes="meta")
            with VerticalScroll(id="reply-form"):
                yield Static("The day their answer came", classes="field-label")
                yield Static(Text(f"{DATE_HINT} Left empty: today."), classes="hint")
                self.date_box.placeholder = dates.words(self.app.today)
                yield self.date_box
                yield self.date_box.note
                yield Static("What they said, in a few words (if you like)", classes="field-label")
                yield self.said
                yield Static("Their case or ticket number, if they gave one", classes="field-label")
                yield self.case
                yield self.more_time
            with Horizontal(classes="buttons"):
                yield Button("Save (Enter)", id="save-reply", variant="primary", compact=True, action="screen.save")
                yield Button("Cancel (Escape)", id="cancel-reply", compact=True, action="screen.cancel")
        yield Footer(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter_saves":
            # Enter saves from a box and from the tick box (Space ticks it); on a button it presses the button.
            return not isinstance(self.focused, Button)
        return True

    async def action_enter_saves(self) -> None:
        await self.action_save()

    async def catch_up(self) -> None:
        """Wait until every box has taken in the keys already sent to it (see GuideScreen.catch_up)."""
        loop = asyncio.get_running_loop()
        waits: list[asyncio.Future[None]] = []
        for box in (self.date_box, self.said, self.case):
            waiting: asyncio.Future[None] = loop.create_future()
            if box.call_later(lambda w=waiting: w.done() or w.set_result(None)):
                waits.append(waiting)
        if waits:
            await asyncio.wait(waits, timeout=CATCH_UP_LIMIT)

    def action_move(self, by: int) -> None:
        if by > 0:
            self.focus_next()
        else:
            self.focus_previous()

    async def action_choose_date(self, step_id: str, name: str, index: int) -> None:
        await self.catch_up()
        box = self.date_box
        reading = box.reading(self.app.today)
        if reading.ambiguous and 0 <= index < len(reading.choices):
            box.choose(reading.choices[index])
            box.note.saved(reading.choices[index])
            self.set_focus(self.query_one("#save-reply"))

    async def action_save(self) -> None:
        await self.catch_up()
        today = self.app.today
        box = self.date_box
        if box.value.strip():
            reading = box.reading(today)
            if reading.date is None:
                box.tell(today, saved=False)  # which of two days, or why it is no date
                self.set_focus(box)
                return
            day = reading.date
        else:
            day = today
        problem = reply_date_problem(self.follow_up, day)
        if problem:
            box.note.problem(problem)
            self.set_focus(box)
            return
        store = self.app.store
        gid, sid = self.loaded.id, self.step.id
        said, case, more = self.said.value.strip(), self.case.value.strip(), self.more_time.value
        reply = self.app.guarded(
            lambda: store.record_reply(gid, sid, received_on=day, said=said, case_number=case, more_time=more), None
        )
        if reply is None:
            return  # the message says why; what was typed stays in the boxes
        self.app.notify(
            f"Saved: {self.loaded.guide.name}'s reply of {dates.words(day)}. It is in your record.", title="Saved"
        )
        self.dismiss(reply)

    def action_cancel(self) -> None:
        typed = any(w.value.strip() for w in (self.date_box, self.said, self.case)) or self.more_time.value
        if typed:
            self.app.notify("The reply was not saved.", title="Cancelled")
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the screen's Save; a box's own submit does nothing more
