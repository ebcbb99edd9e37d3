"""The boxes a step asks the user to fill in: a letter's blanks, and notes to keep.

Every box knows, from the moment it is made, which guide, step and field it
belongs to (`FieldBox`). It tells the screen only about what the user typed
(`FieldBox.Edited`, carrying that identity), so a value can never be filed
under whichever step happens to be on screen when the message arrives, and a
box filled in by the app (a remembered name) writes nothing.

Defaults are not typed for the user: an empty date box shows today's date as a
placeholder, and the letter gets the date of the day it is shown or copied (the
core's `fill(..., today=)`), never a date saved the first time the step was seen.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from walkthrough import dates
from walkthrough.content.links import link_problem, urls_in_text
from walkthrough.content.model import Blank, Record
from walkthrough.content.templates import Filled, Resolved, fill
from walkthrough.tui.widgets.guide_text import reflow_letter

# Blanks that describe the person, not one account, so they are offered again in
# every guide. An account link or a workspace name is different on each platform.
SHARED_BLANKS = frozenset(
    {"full_name", "first_name", "last_name", "email", "address", "postal_address", "phone", "country", "city", "state"}
)
_edits = itertools.count(1)  # orders edits across boxes: the latest name typed is the one remembered


def example_for(blank: Blank, domains: list[str]) -> str:
    """The blank's example, unless it shows an address this guide may not show (a shared letter's
    example is written for one platform: LinkedIn's profile address must not appear on Meta's step)."""
    if any(link_problem(url, domains) for url in urls_in_text(blank.example)):
        return ""
    return blank.example


class FieldBox(Input):
    """One box for one field of one step. Where it belongs is fixed when it is made."""

    @dataclasses.dataclass
    class Edited(Message):
        """The user changed what is in the box (never sent for a value the app put there)."""

        box: FieldBox
        guide_id: str
        step_id: str
        name: str
        value: str
        shared: bool  # remembered for other guides too (a name, an email)

        @property
        def control(self) -> FieldBox:
            return self.box

    def __init__(self, guide_id: str, step_id: str, name: str, value: str = "", *, shared: bool = False, **kwargs):
        # select_on_focus off: letters typed in the same instant as Enter are put in before focus lands.
        super().__init__(value, select_on_focus=False, **kwargs)
        self.guide_id = guide_id
        self.step_id = step_id
        self.field_name = name
        self.shared = shared
        self.saved = value  # what the store has (or, for a remembered answer, what needs no saving)
        self._reported = value  # the value an Edited message last told about
        self.edited_at = 0  # when the user last changed it, in the order of all edits (0: never)

    async def _on_key(self, event: events.Key) -> None:
        # This box's own keys (Backspace, Delete, arrows, Home, End) act here and now, on this box.
        # Left to bubble up, Textual would look them up once they reach the app, against whichever
        # box has the focus by then: in a burst, a Backspace typed here would delete in the next box.
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)

    @property
    def label_widget(self) -> Widget | None:
        """The question shown above the box (its label), if it has one."""
        siblings = list(self.parent.children) if self.parent else []
        before = siblings[: siblings.index(self)] if self in siblings else []
        return next((w for w in reversed(before) if w.has_class("field-label")), None)

    @property
    def unsaved(self) -> bool:
        return self.value != self.saved

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        # Input also reports the value it was created with, when it mounts: that is not an edit.
        if event.input is not self:
            return
        event.stop()
        if event.value == self._reported:
            return
        self._reported = event.value
        self.edited_at = next(_edits)
        self.post_message(self.Edited(self, self.guide_id, self.step_id, self.field_name, event.value, self.shared))


class TemplateBox(Vertical):
    """A letter or form text: one box per blank, and the filled text shown as it will be copied."""

    def __init__(
        self,
        guide_id: str,
        step_id: str,
        resolved: Resolved,
        values: dict[str, str],
        domains: list[str],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.guide_id = guide_id
        self.step_id = step_id
        # The writer's line breaks undone once, so the letter wraps to the window and to the form.
        self.resolved = dataclasses.replace(resolved, text=reflow_letter(resolved.text))
        self.values = values
        self.domains = domains
        self.today = datetime.date.today()
        self._boxes: list[FieldBox] = []

    def compose(self) -> ComposeResult:
        if self.resolved.blanks:
            yield Static("Fill in the blanks", classes="heading")
        for blank in self.resolved.blanks:
            yield Static(Text(blank.label), classes="field-label")
            help_line = blank.hint.strip()
            if blank.type == "date":
                help_line = f"{help_line} Left empty, the letter has the date of the day you copy it.".strip()
            else:
                example = example_for(blank, self.domains)
                if example:
                    help_line = f"{help_line} For example: {example}".strip()
            if help_line:
                yield Static(Text(help_line), classes="hint")
            box = FieldBox(
                self.guide_id,
                self.step_id,
                blank.name,
                self.values.get(blank.name, ""),
                shared=blank.name in SHARED_BLANKS,
                id=f"blank-{blank.name}",
                classes="blank",
            )
            self._boxes.append(box)
            yield box
        yield Static("The text to copy", classes="heading")
        yield Static(id="filled", classes="filled")
        yield Button("Copy (c)", id="copy-text", compact=True, action="screen.copy")

    def boxes(self) -> list[FieldBox]:
        """Its boxes, in the order shown (kept, so the screen can save them while it closes)."""
        return list(self._boxes)

    def answers(self) -> dict[str, str]:
        return {box.field_name: box.value for box in self.boxes()}

    def filled(self, today: datetime.date) -> Filled:
        """The letter as it would be copied now: what is typed, else the defaults of `today`."""
        typed = {k: v for k, v in self.answers().items() if v.strip()}
        return fill(self.resolved, typed, today=today)

    def show(self, today: datetime.date) -> None:
        """Draw the letter for `today` (the step is shown again, maybe on another day)."""
        self.today = today
        if self.is_mounted:
            dated = {b.name for b in self.resolved.blanks if b.type == "date"}
            for box in self.boxes():
                if box.field_name in dated:
                    box.placeholder = dates.words(today)
            self.update_preview()

    def on_mount(self) -> None:
        self.show(self.today)

    def update_preview(self) -> None:
        filled = self.filled(self.today)
        lines = []
        if filled.to:
            lines.append(f"To: {filled.to}")
        if filled.subject:
            lines.append(f"Subject: {filled.subject}")
        if lines:
            lines.append("")  # a blank line between the subject and the letter
        self.query_one("#filled", Static).update(Text("\n".join([*lines, filled.text.rstrip()])))

    @on(FieldBox.Edited)
    def _edited(self, event: FieldBox.Edited) -> None:
        # The event goes on to the guide screen, which saves it.
        self.update_preview()


class RecordBox(Vertical):
    """Notes worth keeping after a step (a date sent, a case number), saved on this computer."""

    def __init__(self, guide_id: str, step_id: str, records: list[Record], values: dict[str, str], **kwargs):
        super().__init__(**kwargs)
        self.guide_id = guide_id
        self.step_id = step_id
        self.records = records
        self.values = values
        self._boxes: list[FieldBox] = []

    def compose(self) -> ComposeResult:
        yield Static("Keep a note of (saved on this computer):", classes="heading")
        for rec in self.records:
            yield Static(Text(rec.label), classes="field-label")
            box = FieldBox(
                self.guide_id,
                self.step_id,
                rec.name,
                self.values.get(rec.name, ""),
                id=f"record-{rec.name}",
                classes="record",
            )
            self._boxes.append(box)
            yield box

    def boxes(self) -> list[FieldBox]:
        """Its boxes, in the order shown (kept, so the screen can save them while it closes)."""
        return list(self._boxes)
