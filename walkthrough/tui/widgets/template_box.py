"""The boxes a step asks the user to fill in: a letter's blanks, and notes to keep.

Every box knows, from the moment it is made, which guide, step and field it
belongs to (`FieldBox`). It tells the screen only about what the user typed
(`FieldBox.Edited`, carrying that identity), so a value can never be filed
under whichever step happens to be on screen when the message arrives, and a
box filled in by the app (a remembered name) writes nothing.

Defaults are not typed for the user: an empty date box shows today's date as a
placeholder, and the letter gets the date of the day it is shown or copied (the
core's `fill(..., today=)`), never a date saved the first time the step was seen.

A box for a date (`DateBox`) takes a date however people write it. The record
keeps it as a date (ISO) only once it reads as one day (`walkthrough.dates`):
"03/04/2026" is asked about (`DateNote` shows both days to choose from) and
text that is no date is explained, and neither is saved until it reads one way.
The box keeps what the user typed; the note under it says what was kept.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from walkthrough import dates
from walkthrough.content.links import link_problem, urls_in_text
from walkthrough.content.model import Blank, Record
from walkthrough.content.templates import Filled, Resolved, fill
from walkthrough.tui.widgets.guide_text import reflow_letter
from walkthrough.tui.widgets.in_place import update_text

# Blanks that describe the person, not one account, so they are offered again in
# every guide. An account link or a workspace name is different on each platform.
SHARED_BLANKS = frozenset(
    {"full_name", "first_name", "last_name", "email", "address", "postal_address", "phone", "country", "city", "state"}
)
_edits = itertools.count(1)  # orders edits across boxes: the latest name typed is the one remembered
DATE_HINT = "Write it any way: 23.11.2026, 23 November 2026, today."
# Escape then 1 or 2, as Textual reads them when the terminal sends them together.
ESCAPED_DIGITS = frozenset({"¡", "™"})


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

    def was_saved(self) -> None:
        """What the box holds is in the store now."""
        self.saved = self.value

    def edited(self) -> None:
        """The user changed the text (subclasses clear what they said about the old one)."""

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
        self.edited()
        self.post_message(self.Edited(self, self.guide_id, self.step_id, self.field_name, event.value, self.shared))


class DateNote(Vertical):
    """The line under a date box: the day it was saved as, which of two days was meant, or why it is no date.

    The two days are buttons, so a click answers; on the guide screen keys 1 and 2 do too
    (`keys`), once the user has left the box.
    """

    def __init__(self, box: DateBox, *, keys: bool = True, saved_words: str = "Saved as") -> None:
        super().__init__(classes="date-note")
        self.box = box
        self.keys = keys
        self.saved_words = saved_words
        self._words = Static(classes="date-words")
        # A date reads two ways at most.
        self._buttons = [Button("", compact=True, classes="date-choice") for _ in range(2)]
        self._choices = Horizontal(*self._buttons, classes="date-choices buttons")
        self.display = False
        self.asking: tuple[datetime.date, ...] = ()
        self.said = ""  # the words under the box now ("" when nothing is said)
        self._into_view = False

    def compose(self) -> ComposeResult:
        yield self._words
        yield self._choices

    def _say(self, words: str, kind: str) -> None:
        self.said = words
        self._words.update(Text(words))
        self.set_classes(f"date-note -{kind}")
        self.display = True

    def saved(self, day: datetime.date) -> None:
        self.asking = ()
        self._choices.display = False
        self._say(f"{self.saved_words} {dates.words(day)}", "saved")

    def ask(self, text: str, reading: dates.Reading) -> None:
        """Both days as buttons; nothing is saved until one is chosen."""
        if self.asking == reading.choices and self.display:
            return
        self.asking = reading.choices
        how = " Press Escape, then 1 or 2, or click one." if self.keys else " Choose one below."
        self._say(f"Not saved yet: “{text.strip()}” could be either day. {reading.question()}{how}", "ask")
        box = self.box
        for n, button in enumerate(self._buttons):
            button.display = n < len(reading.choices)
            if button.display:
                day = reading.choices[n]
                button.label = Text(f"{dates.words(day)} ({n + 1})" if self.keys else dates.words(day))
                # Step ids and field names are lowercase letters, digits, hyphens and underscores: safe in quotes.
                button.action = f"screen.choose_date('{box.step_id}', '{box.field_name}', {n})"
        self._choices.display = True

    def into_view(self) -> None:
        """Scroll the step so these words are seen, once the layout has given them their size."""
        if self.region:
            self.scroll_visible(animate=False, immediate=True)
        self._into_view = True  # and again when the new words change the size

    def on_resize(self, event: events.Resize) -> None:
        if self._into_view and self.display:
            self._into_view = False
            self.scroll_visible(animate=False, immediate=True)

    def problem(self, words: str) -> None:
        self.asking = ()
        self._choices.display = False
        self._say(f"Not saved: {words}", "problem")

    def clear(self) -> None:
        if self.display:
            self.asking = ()
            self.said = ""
            self.display = False


class DateBox(FieldBox):
    """A box for a date: what people write goes in; the record gets a date, once the text reads as one day."""

    def __init__(
        self,
        guide_id: str,
        step_id: str,
        name: str,
        stored: str = "",
        *,
        future: bool = False,
        keys: bool = True,
        **kwargs,
    ):
        """`future`: a day after today is a date too (the date on a letter may be the day it will be sent);
        otherwise it is refused (a day something happened cannot be tomorrow)."""
        day = dates.from_iso(stored)
        # A saved date is shown in words; what the user typed before dates were dates, as they typed it.
        super().__init__(guide_id, step_id, name, dates.words(day) if day else stored, **kwargs)
        self.note = DateNote(self, keys=keys)
        self.future = future
        self._chosen: tuple[str, datetime.date] | None = None  # the day the user picked for this text
        self._must_save = False

    @property
    def unsaved(self) -> bool:
        return self._must_save or super().unsaved

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Escape then 1 or 2 straight after it reach Textual as "¡" and "™": never part of a date, so
        # not this box's to type; the guide screen's keys for them leave the box and answer its question.
        return character not in ESCAPED_DIGITS and super().check_consume_key(key, character)

    def reading(self, today: datetime.date) -> dates.Reading:
        """What the text in the box says, as of `today` ("today", "yesterday"); a day chosen for it stands."""
        if self._chosen is not None and self._chosen[0] == self.value:
            return dates.Reading(date=self._chosen[1])
        return dates.read(self.value, today, future=self.future)

    def answer(self, today: datetime.date) -> str:
        """For the letter: the date (ISO, which the letter writes in words) when the text reads as one, else as typed."""
        if not self.value.strip():
            return ""
        day = self.reading(today).date
        return day.isoformat() if day else self.value

    def to_save(self, today: datetime.date) -> str | None:
        """What the record should hold now: an ISO date, "" for an empty box, or None: nothing until it reads as one day."""
        if not self.value.strip():
            return ""
        day = self.reading(today).date
        return day.isoformat() if day else None

    def tell(self, today: datetime.date, *, saved: bool) -> None:
        """Say under the box what became of its text: the day it was saved as, which day was meant, or why not."""
        reading = self.reading(today) if self.value.strip() else dates.Reading()
        if reading.date is not None:
            if saved:
                self.note.saved(reading.date)
        elif reading.ambiguous:
            self.note.ask(self.value, reading)
        elif reading.problem:
            self.note.problem(reading.problem)
        else:
            self.note.clear()

    def choose(self, day: datetime.date) -> None:
        """The user said which day the text means: save that, even if the text itself was saved before."""
        self._chosen = (self.value, day)
        self._must_save = True

    def was_saved(self) -> None:
        super().was_saved()
        self._must_save = False

    def edited(self) -> None:
        # A question about the text as it was is no question about the text now.
        self.note.clear()


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
        self._shown = False  # drawn for `today` once mounted
        self._boxes: list[FieldBox] = []

    def compose(self) -> ComposeResult:
        if self.resolved.blanks:
            # Said here too: the line at the top of the step that says so is out of sight once the
            # step is scrolled down to its blanks.
            yield Static(
                Text.assemble("Fill in the blanks", (" (press Enter to start)", "not bold dim")), classes="heading"
            )
        for blank in self.resolved.blanks:
            yield Static(Text(blank.label), classes="field-label")
            help_line = blank.hint.strip()
            if blank.type == "date":
                help_line = f"{help_line} {DATE_HINT} Left empty: the day you copy it.".strip()
            else:
                example = example_for(blank, self.domains)
                if example:
                    help_line = f"{help_line} For example: {example}".strip()
            if help_line:
                yield Static(Text(help_line), classes="hint")
            box: FieldBox
            if blank.type == "date":
                # The date on a letter may be the day it will be sent: a day after today is a date too.
                box = DateBox(
                    self.guide_id,
                    self.step_id,
                    blank.name,
                    self.values.get(blank.name, ""),
                    future=True,
                    id=f"blank-{blank.name}",
                )
            else:
                box = FieldBox(
                    self.guide_id,
                    self.step_id,
                    blank.name,
                    self.values.get(blank.name, ""),
                    shared=blank.name in SHARED_BLANKS,
                    id=f"blank-{blank.name}",
                )
            box.add_class("blank")
            self._boxes.append(box)
            yield box
            if isinstance(box, DateBox):
                yield box.note
        yield Static("The text to copy", classes="heading")
        yield Static(id="filled", classes="filled")
        yield Button("Copy (c)", id="copy-text", compact=True, action="screen.copy")

    def boxes(self) -> list[FieldBox]:
        """Its boxes, in the order shown (kept, so the screen can save them while it closes)."""
        return list(self._boxes)

    def answers(self, today: datetime.date) -> dict[str, str]:
        """What the boxes say for the letter: a date box's date when its text reads as one day."""
        return {box.field_name: box.answer(today) if isinstance(box, DateBox) else box.value for box in self.boxes()}

    def date_boxes(self) -> list[DateBox]:
        return [box for box in self.boxes() if isinstance(box, DateBox)]

    def filled(self, today: datetime.date) -> Filled:
        """The letter as it would be copied now: what is typed, else the defaults of `today`."""
        typed = {k: v for k, v in self.answers(today).items() if v.strip()}
        return fill(self.resolved, typed, today=today)

    def show(self, today: datetime.date) -> None:
        """Draw the letter for `today` (the step is shown again, maybe on another day)."""
        if today == self.today and self._shown:
            return  # nothing to draw again: moving through the steps lays nothing out
        self.today = today
        if self.is_mounted:
            self._shown = True
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
        update_text(self.query_one("#filled", Static), Text("\n".join([*lines, filled.text.rstrip()])))

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
            box: FieldBox
            if rec.type == "date":
                yield Static(Text(DATE_HINT), classes="hint")
                box = DateBox(
                    self.guide_id, self.step_id, rec.name, self.values.get(rec.name, ""), id=f"record-{rec.name}"
                )
            else:
                box = FieldBox(
                    self.guide_id, self.step_id, rec.name, self.values.get(rec.name, ""), id=f"record-{rec.name}"
                )
            box.add_class("record")
            self._boxes.append(box)
            yield box
            if isinstance(box, DateBox):
                yield box.note

    def boxes(self) -> list[FieldBox]:
        """Its boxes, in the order shown (kept, so the screen can save them while it closes)."""
        return list(self._boxes)
