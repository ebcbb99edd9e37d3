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
from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from walkthrough.content import regions
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import WHO_WORDS, SharedTemplate, Step
from walkthrough.content.templates import resolve
from walkthrough.progress.status import STEP_STATE_WORDS, StepState, long_date
from walkthrough.progress.store import StepRecord
from walkthrough.tui.widgets.guide_text import Address, markdown_text
from walkthrough.tui.widgets.template_box import SHARED_BLANKS, FieldBox, RecordBox, TemplateBox

__all__ = ["SHARED_BLANKS", "StepInfo", "StepView", "long_date", "state_line"]


@dataclass(frozen=True)
class StepInfo:
    """What the view needs to show one step, gathered by the guide screen from the status rules."""

    index: int
    step: Step
    position: tuple[int, int] | None  # ("step n of m") among the steps for the user; None: not for them
    state: StepState
    record: StepRecord | None
    today: datetime.date


def state_line(info: StepInfo) -> str:
    """ "Step 2 of 4 · Done on 22 November 2026": where the step is, and what the user did."""
    record = info.record
    words = STEP_STATE_WORDS[info.state]
    if info.state in ("done", "skipped", "changed") and record and record.at:
        words += f" on {long_date(record.at.date())}"
    if info.state == "changed":
        words += ": please read it again"
    elif info.state == "not_here" and info.record is None:
        words += ": you can skip this step"
    where = f"Step {info.position[0]} of {info.position[1]}" if info.position else "An extra step"
    return f"{where}  ·  {words}"


@dataclass(frozen=True)
class _StepText:
    """A step's text, made drawable once and kept: Markdown is parsed the first time the step is shown."""

    body: RenderableType
    expect: RenderableType | None
    fallback: RenderableType | None
    sources: Text | None
    links: list[str]  # addresses of the links written in the text, in order (`screen.open_text_link(n)`)


class StepView(VerticalScroll, can_focus=False):
    """The step on the right of the guide screen."""

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

    # ---- made once -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        guide = self.loaded.guide
        yield Static(id="step-title", classes="title")
        yield Static(id="step-only", classes="meta")
        yield Static(id="step-who", classes="meta")
        yield Static(id="step-fill", classes="fill-hint")
        yield Static(id="step-body", classes="body")
        with Vertical(id="step-link"):
            yield Static(id="link-label", classes="link-label")
            yield Static(id="link-text", classes="link")
            with Horizontal(classes="buttons"):
                yield Button("Open (o)", id="open-link", variant="primary", compact=True, action="screen.open_link")
                yield Button("Copy (c)", id="copy-link", compact=True, action="screen.copy_link")
        yield Static(id="opened", classes="opened")
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
        yield Static(id="expect-heading", classes="heading")
        yield Static(id="step-expect", classes="expect")
        yield Static(id="fallback-heading", classes="heading")
        yield Static(id="step-fallback", classes="fallback")
        for i, step in enumerate(guide.steps):
            if step.record:
                notes = RecordBox(self.loaded.id, step.id, step.record, self._saved(step), classes="notes")
                notes.display = False
                self._notes[i] = notes
                yield notes
        yield Static(id="sources-heading", classes="heading")
        yield Static(id="step-sources", classes="sources")

    def _saved(self, step: Step) -> dict[str, str]:
        record = self.first_records.get(step.id)
        return dict(record.fields) if record else {}

    # ---- shown for each step ---------------------------------------------------

    def show(self, info: StepInfo) -> None:
        """Show another step (or the same one again), in place and at once."""
        previous = self.info
        self.info = info
        step = info.step
        text = self._text(info.index, step)
        self.text_links = text.links

        self._set("#step-title", Text(step.title))
        self._set("#step-only", Text(f"Only for: {regions.describe(step.regions)}") if step.regions else None)
        self._set("#step-who", Text(f"Who can do this: {WHO_WORDS[step.who]}") if step.who != "you" else None)
        self._set("#step-fill", self._fill_words(info.index))
        self._set("#step-body", text.body)

        link = self.query_one("#step-link")
        link.display = step.link is not None
        if step.link is not None:
            self._set("#link-label", Text(f"{step.link.label}:"))
            self._set("#link-text", Address(step.link.url))
            # With a letter on the step, c copies the letter; the address has its own button.
            self.query_one("#copy-link", Button).label = "Copy address" if step.template else "Copy (c)"
        self.query_one("#opened").display = False

        if previous is None or previous.index != info.index:
            for boxes in (self._letters, self._notes):
                if previous is not None and previous.index in boxes:
                    boxes[previous.index].display = False
                if info.index in boxes:
                    boxes[info.index].display = True
        letter = self._letters.get(info.index)
        if letter is not None:
            letter.show(info.today)

        self._set("#expect-heading", Text("When it worked:") if text.expect is not None else None)
        self._set("#step-expect", text.expect)
        self._set("#fallback-heading", Text("If the page looks different:") if text.fallback is not None else None)
        self._set("#step-fallback", text.fallback)
        # The step's own sources, with the day the step was checked against them.
        checked = long_date(step.checked or self.loaded.guide.last_verified)
        self._set("#sources-heading", Text(f"Where this comes from (checked {checked}):") if text.sources else None)
        self._set("#step-sources", text.sources)
        if previous is None or previous.index != info.index:
            self.scroll_home(animate=False, immediate=True)

    def _set(self, selector: str, content: RenderableType | None) -> None:
        """Show `content` in the widget, or hide the widget when there is nothing to show."""
        widget = self.query_one(selector, Static)
        if content is None:
            widget.display = False
        else:
            widget.update(content)
            widget.display = True

    def _text(self, index: int, step: Step) -> _StepText:
        cached = self._texts.get(index)
        if cached is None:
            body, links = markdown_text(step.body)
            expect = fallback = None
            if step.expect:
                expect, more = markdown_text(step.expect, len(links))
                links += more
            if step.fallback:
                fallback, more = markdown_text(step.fallback, len(links))
                links += more
            sources = None
            if step.sources:
                sources = Text()
                for source in step.sources:
                    title = source.title or "A page"
                    dated = f" ({long_date(source.date)})" if source.date else ""
                    sources.append(f"• {title}{dated}\n  ")
                    sources.append(source.url, style="dim")
                    sources.append("\n")
                sources.rstrip()
            cached = _StepText(body, expect, fallback, sources, links)
            self._texts[index] = cached
        return cached

    def _fill_words(self, index: int) -> Text | None:
        if index in self._letters:
            return Text("This step has a letter to fill in: press Enter to start typing in its first box.")
        if index in self._notes:
            return Text("This step has a box for your notes: press Enter to type in it.")
        return None

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
        opened = self.query_one("#opened", Static)
        opened.update(Text(f"Opened in your browser: {url}\nIf nothing opened, copy the address {copy_hint}."))
        opened.display = True

    def contains(self, widget: Widget | None) -> bool:
        return widget is not None and self in widget.ancestors
