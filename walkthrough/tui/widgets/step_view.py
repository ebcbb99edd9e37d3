"""One step, in full: what to do, the page to open, text to copy, and how to tell it worked.

Made once per guide and updated in place (`show`), never rebuilt: moving to
another step changes the text of a few widgets and which step's boxes are
displayed, all before the key's handler returns, so a burst of keys leaves no
queue of work behind it and what is on screen is always the step the next key
acts on. Each step with boxes to fill in has its own `TemplateBox` and
`RecordBox`, made when the guide opens and hidden while another step is shown,
so what was typed stays in the box of the step it was typed on.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button, Static

from walkthrough import dates
from walkthrough.content import regions
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import WHO_WORDS, SharedTemplate, Step
from walkthrough.content.templates import resolve
from walkthrough.progress.status import STEP_STATE_WORDS, FollowUp, StepState
from walkthrough.progress.store import Reply, StepRecord
from walkthrough.tui.widgets.follow_up import FollowUpView
from walkthrough.tui.widgets.guide_text import Address, markdown_text
from walkthrough.tui.widgets.template_box import SHARED_BLANKS, FieldBox, RecordBox, TemplateBox

__all__ = ["SHARED_BLANKS", "StepInfo", "StepView", "state_line"]


@dataclass(frozen=True)
class StepInfo:
    """What the view needs to show one step, gathered by the guide screen from the status rules."""

    index: int
    step: Step
    position: tuple[int, int] | None  # ("step n of m") among the steps for the user; None: not for them
    state: StepState
    record: StepRecord | None
    today: datetime.date
    follow_up: FollowUp | None = None  # a sent letter or form: waiting for a reply, answered, or late
    replies: tuple[Reply, ...] = ()  # replies recorded for this step


def state_line(info: StepInfo) -> str:
    """ "Step 2 of 4 · Done on 22 November 2026": where the step is, and what the user did."""
    record = info.record
    words = STEP_STATE_WORDS[info.state]
    if info.state in ("done", "skipped", "changed") and record and record.at:
        words += f" on {dates.words(record.at.date())}"
    if info.state == "changed":
        words += ": please read it again"
    elif info.state == "not_here" and info.record is None:
        words += ": you can skip this step"
    where = f"Step {info.position[0]} of {info.position[1]}" if info.position else "An extra step"
    return f"{where}  ·  {words}"


class _SizedOnce:
    """Takes the size one layout gives it, without asking for a second layout.

    Textual lays the screen out again whenever a widget's size changed in the
    layout just done (to record its new "virtual size"). For these widgets the
    first layout already used their new content, so the second one repeats the
    same work; skipping it halves the time a key takes to show the next step.
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]


class _Text(_SizedOnce, Static):
    pass


class _Column(_SizedOnce, Vertical):
    pass


@dataclass(frozen=True)
class _StepText:
    """A step's text, made drawable once and kept: Markdown is parsed the first time the step is shown."""

    top: RenderableType  # title, who and where, what to do
    link: RenderableType | None  # the link's label and address
    bottom: RenderableType | None  # how to tell it worked, what if not, where this comes from
    links: list[str]  # addresses of the links written in the text, in order (`screen.open_text_link(n)`)


class StepView(_SizedOnce, VerticalScroll, can_focus=False):
    """The step on the right of the guide screen.

    Few widgets on purpose: each costs layout and drawing time on every key, so
    the step's text is three Statics (above the link, the link, below it), not
    one widget per heading and paragraph. No scroll bar either (it was redrawn
    a frame after every key): `on_more` is told when there is more of the step
    below ("below"), only above ("above"), or none ("").
    """

    def __init__(
        self,
        loaded: LoadedGuide,
        templates: dict[str, SharedTemplate],
        records: dict[str, StepRecord],
        answers: dict[str, str],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.loaded = loaded
        self.templates = templates
        self.first_records = records
        self.answers = answers
        self.info: StepInfo | None = None
        self.text_links: list[str] = []
        self._texts: dict[int, _StepText] = {}
        self._letters: dict[int, TemplateBox] = {}
        self._notes: dict[int, RecordBox] = {}
        self._top = _Text(id="step-text", classes="step-text")
        self._follow_up = FollowUpView(id="step-follow-up")
        self._link = _Column(id="step-link")
        self._link_text = _Text(id="link-text", classes="link")
        self._copy_link = Button("Copy (c)", id="copy-link", compact=True, action="screen.copy_link")
        self._opened = Static(id="opened", classes="opened")
        self._bottom = _Text(id="step-after", classes="step-text")
        self.on_more: Callable[[str], None] | None = None
        self._more = ""

    # ---- made once -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        guide = self.loaded.guide
        yield self._top
        yield self._follow_up
        with self._link:
            yield self._link_text
            with Horizontal(classes="buttons"):
                yield Button("Open (o)", id="open-link", variant="primary", compact=True, action="screen.open_link")
                yield self._copy_link
        yield self._opened
        for i, step in enumerate(guide.steps):
            if step.template:
                saved = self._saved(step)
                resolved = resolve(step.template, self.templates)
                values = {
                    b.name: saved.get(b.name) or (self.answers.get(b.name, "") if b.name in SHARED_BLANKS else "")
                    for b in resolved.blanks
                }
                letter = TemplateBox(self.loaded.id, step.id, resolved, values, guide.domains, classes="template")
                letter.display = False
                self._letters[i] = letter
                yield letter
        yield self._bottom
        for i, step in enumerate(guide.steps):
            if step.record:
                notes = RecordBox(self.loaded.id, step.id, step.record, self._saved(step), classes="notes")
                notes.display = False
                self._notes[i] = notes
                yield notes

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._check_more()
        return changed

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_more()

    def _check_more(self) -> None:
        more = "below" if self.scroll_y < self.max_scroll_y else "above" if self.scroll_y > 0 else ""
        if more != self._more:
            self._more = more
            if self.on_more is not None:
                self.on_more(more)

    def _saved(self, step: Step) -> dict[str, str]:
        record = self.first_records.get(step.id)
        return dict(record.fields) if record else {}

    # ---- shown for each step ---------------------------------------------------

    def show(self, info: StepInfo) -> None:
        """Show another step (or the same one again), in place and at once."""
        previous = self.info
        self.info = info
        step = info.step
        moved = previous is None or previous.index != info.index
        self._opened.display = False
        if moved:
            text = self._text(info.index, step)
            self.text_links = text.links
            self._top.update(text.top)
            self._link.display = text.link is not None
            if text.link is not None:
                self._link_text.update(text.link)
                # With a letter on the step, c copies the letter; the address has its own button.
                self._copy_link.label = "Copy address" if step.template else "Copy (c)"
            for boxes in (self._letters, self._notes):
                if previous is not None and previous.index in boxes:
                    boxes[previous.index].display = False
                if info.index in boxes:
                    boxes[info.index].display = True
            self._bottom.display = text.bottom is not None
            if text.bottom is not None:
                self._bottom.update(text.bottom)
            self.scroll_home(animate=False, immediate=True)
        self._follow_up.show(info.follow_up, info.replies)
        letter = self._letters.get(info.index)
        if letter is not None:
            letter.show(info.today)

    def _text(self, index: int, step: Step) -> _StepText:
        cached = self._texts.get(index)
        if cached is None:
            top: list[RenderableType] = [Text(step.title, style="bold")]
            if step.regions:
                top.append(Text(f"Only for: {regions.describe(step.regions)}", style="dim"))
            if step.who != "you":
                top.append(Text(f"Who can do this: {WHO_WORDS[step.who]}", style="dim"))
            body, links = markdown_text(step.body)
            top += [Text(), body]

            link = None
            if step.link is not None:
                link = Group(Text(f"{step.link.label}:"), Address(step.link.url))

            bottom: list[RenderableType] = []
            for heading, words in (("When it worked:", step.expect), ("If the page looks different:", step.fallback)):
                if words:
                    shown, more = markdown_text(words, len(links))
                    links += more
                    bottom += [Text(), Text(heading, style="bold"), shown]
            if step.sources:
                # The step's own sources, with the day the step was checked against them.
                checked = dates.words(step.checked or self.loaded.guide.last_verified)
                bottom += [Text(), Text(f"Where this comes from (checked {checked}):", style="bold")]
                for source in step.sources:
                    dated = f" ({dates.words(source.date)})" if source.date else ""
                    bottom += [
                        Text(f"• {source.title or 'A page'}{dated}"),
                        Padding(Address(source.url, "dim"), (0, 0, 0, 2)),
                    ]
            cached = _StepText(Group(*top), link, Group(*bottom[1:]) if bottom else None, links)
            self._texts[index] = cached
        return cached

    # ---- what the screen asks ---------------------------------------------------

    def letter(self) -> TemplateBox | None:
        """The letter of the step on screen, if it has one."""
        return self._letters.get(self.info.index) if self.info else None

    def boxes(self) -> list[FieldBox]:
        """The boxes of the step on screen, in the order they are shown."""
        if self.info is None:
            return []
        letter, notes = self._letters.get(self.info.index), self._notes.get(self.info.index)
        return [*(letter.boxes() if letter else []), *(notes.boxes() if notes else [])]

    def all_boxes(self) -> list[FieldBox]:
        """Every box of every step."""
        holders: list[TemplateBox | RecordBox] = [*self._letters.values(), *self._notes.values()]
        return [box for holder in holders for box in holder.boxes()]

    def show_opened(self, url: str, copy_hint: str) -> None:
        # "Sent", not "Opened": a desktop browser that fails to start says so only a moment later.
        self._opened.update(Text(f"Sent to your browser: {url}\nIf nothing opened, copy the address {copy_hint}."))
        self._opened.display = True

    def fill_words(self) -> Text | None:
        """What to say at the top of a step with boxes, or None."""
        if self.info is None:
            return None
        if self.info.index in self._letters:
            return Text("This step has a letter to fill in: press Enter to type in its first box.")
        if self.info.index in self._notes:
            return Text("This step has a box for your notes: press Enter to type in it.")
        return None

    def contains(self, widget: Widget | None) -> bool:
        return widget is not None and self in widget.ancestors
