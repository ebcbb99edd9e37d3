"""One step, in full: what to do, the page to open, text to copy, and how to tell it worked.

Made once per guide, never rebuilt: every step has its own page (`StepPage`)
with its text, link and boxes, and the pages are stacked in the view, one
view high each. Showing a step scrolls the view to its page, which Textual
does without laying the screen out again: a key that moves to another step
costs a repaint, done before the key's handler returns, so a burst of keys
leaves no queue of work behind it and what is on screen is always the step
the next key acts on. What was typed in a box stays on the page of the step
it was typed on.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Offset, Region, Size
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


def state_line(info: StepInfo) -> tuple[str, ...]:
    """ "Step 2 of 4 · Done on 22 November 2026": where the step is, and what the user did.

    The same words from the longest to the shortest, for the line above the step to
    show the longest that fits on one line (so the step below it never moves).
    """
    record = info.record
    state = STEP_STATE_WORDS[info.state]
    dated = info.state in ("done", "skipped", "changed") and record is not None and record.at is not None
    day = record.at.date() if dated and record and record.at else None
    advice = (
        ": please read it again"
        if info.state == "changed"
        else ": you can skip this step"
        if info.state == "not_here" and info.record is None
        else ""
    )
    where = f"Step {info.position[0]} of {info.position[1]}" if info.position else "An extra step"
    days = [f" on {dates.words(day)}", f" on {dates.short_words(day)}", f" {dates.short_words(day)}"] if day else []
    words = [f"{state}{on}{advice}" for on in [*days, ""]] + [f"{state}{on}" for on in [*days, ""]]
    return tuple(dict.fromkeys(f"{where} · {w}" for w in words))


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
    """A step's text, made drawable once, when its page is filled (Markdown parsed then)."""

    top: RenderableType  # title, who and where, what to do
    link: RenderableType | None  # the link's label and address
    bottom: RenderableType | None  # how to tell it worked, what if not, where this comes from
    links: list[str]  # addresses of the links written in the text, in order (`screen.open_text_link(n)`)


class StepPage(_SizedOnce, VerticalScroll, can_focus=False):
    """One step's page: its text, link, follow-up and boxes, made once and kept.

    Every step has its own page, as tall as the view, and the pages are stacked
    in the view: showing a step scrolls the view to its page. Nothing is rebuilt,
    re-wrapped or laid out again on a key (a layout of the screen cost more than
    the rest of a key together), and what was typed in a box stays on the page
    of the step it was typed on. Only the page on screen lets the focus in.
    No scroll bar (it was redrawn a frame after every key): the view's `on_more`
    is told when there is more of the page below ("below"), only above
    ("above"), or none ("").
    """

    def __init__(
        self,
        view: StepView,
        index: int,
        step: Step,
        fill_words: str | None,
        letter: TemplateBox | None,
        notes: RecordBox | None,
    ) -> None:
        super().__init__(classes="step-page")
        self.view = view
        self.index = index
        self.step = step
        self.fill_words = fill_words
        self.letter = letter
        self.notes = notes
        self.filled = False
        self.links: list[str] = []
        self.follow_up = FollowUpView(classes="step-follow-up")
        self.opened = Static(classes="opened")  # hidden until a link is opened (app.tcss)

    def compose(self) -> ComposeResult:
        if self.fill_words:
            yield Static(Text(self.fill_words), classes="fill-hint")
        yield _Text(classes="step-text step-top")
        yield self.follow_up
        if self.step.link is not None:
            with _Column(classes="step-link"):
                yield _Text(classes="link")
                with Horizontal(classes="buttons"):
                    yield Button(
                        "Open (o)", classes="open-link", variant="primary", compact=True, action="screen.open_link"
                    )
                    # With a letter on the step, c copies the letter; the address has its own button.
                    label = "Copy address" if self.step.template else "Copy (c)"
                    yield Button(label, classes="copy-link", compact=True, action="screen.copy_link")
        yield self.opened
        if self.letter is not None:
            yield self.letter
        yield _Text(classes="step-text step-after")
        if self.notes is not None:
            yield self.notes

    @property
    def on_screen(self) -> bool:
        return self.view.page is self

    def allow_focus_children(self) -> bool:
        # The other pages are out of sight, so Tab never goes to their buttons or boxes.
        return self.on_screen

    def fill(self, text: _StepText) -> None:
        """Put the step's text in, once."""
        self.filled = True
        self.links = text.links
        self.query_one(".step-top", _Text).update(text.top)
        if text.link is not None:
            self.query_one(".link", _Text).update(text.link)
        after = self.query_one(".step-after", _Text)
        after.display = text.bottom is not None
        if text.bottom is not None:
            after.update(text.bottom)

    def boxes(self) -> list[FieldBox]:
        """The page's boxes, in the order they are shown: the letter's, then the notes'."""
        return [*(self.letter.boxes() if self.letter else []), *(self.notes.boxes() if self.notes else [])]

    def bring_into_view(self, box: FieldBox) -> None:
        """Scroll so `box` is seen, with its question above it if both fit."""
        label = box.label_widget
        if label is not None:
            self.scroll_to_widget(label, animate=False, top=True, immediate=True)
        self.scroll_to_widget(box, animate=False, immediate=True)

    def _keep_in_view(self, box: FieldBox) -> None:
        if box.has_focus and not self.region.contains_region(box.region):
            self.scroll_to_widget(box, animate=False, immediate=True)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if changed and isinstance(focused := self.screen.focused, FieldBox) and self in focused.ancestors:
            # The page changed size around the box being typed in (a note under a box came or
            # went): keep the box in view, now that the layout says where it is.
            self.call_later(self._keep_in_view, focused)
        self.tell_more()
        return changed

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.tell_more()

    def tell_more(self) -> None:
        """Say whether more of this page is out of sight, if it is the page on screen."""
        if self.on_screen and self.view.on_more is not None:
            self.view.on_more("below" if self.scroll_y < self.max_scroll_y else "above" if self.scroll_y > 0 else "")


class StepView(_SizedOnce, VerticalScroll, can_focus=False):
    """The step on the right of the guide screen: a page per step, scrolled to the page of the step on screen."""

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
        self.pages: list[StepPage] = []
        self._page_height = 0
        self.on_more: Callable[[str], None] | None = None

    # ---- made once -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        guide = self.loaded.guide
        for i, step in enumerate(guide.steps):
            letter = notes = None
            fill_words = None
            if step.template:
                saved = self._saved(step)
                resolved = resolve(step.template, self.templates)
                values = {
                    b.name: saved.get(b.name) or (self.answers.get(b.name, "") if b.name in SHARED_BLANKS else "")
                    for b in resolved.blanks
                }
                letter = TemplateBox(self.loaded.id, step.id, resolved, values, guide.domains, classes="template")
                fill_words = "This step has a letter to fill in: press Enter to type in its first box."
            if step.record:
                notes = RecordBox(self.loaded.id, step.id, step.record, self._saved(step), classes="notes")
                fill_words = fill_words or "This step has a box for your notes: press Enter to type in it."
            page = StepPage(self, i, step, fill_words, letter, notes)
            self.pages.append(page)
            yield page

    def on_mount(self) -> None:
        # The step first shown is filled at once; the others once it is on screen, so that
        # moving to them later lays nothing out.
        self.call_after_refresh(self._fill_all)

    def _fill_all(self) -> None:
        for page in self.pages:
            if not page.filled:
                page.fill(self._text(page.step))

    def _saved(self, step: Step) -> dict[str, str]:
        record = self.first_records.get(step.id)
        return dict(record.fields) if record else {}

    def scroll_to_region(self, region: Region, **kwargs: Any) -> Offset:
        # Bringing a box or a line into view scrolls its page, never the view: the view only
        # ever shows a whole page, the page of the step on screen.
        return Offset()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        # Pages are as tall as the view: a new height moves every page. Kept here, as the view's
        # `size` is nothing while it is hidden (the list of steps shown instead, in one column).
        self._page_height = size.height
        if self.info is not None and self.scroll_y != self.info.index * size.height:
            self._scroll_to_page()
        return changed

    @property
    def page(self) -> StepPage | None:
        """The page of the step on screen."""
        return self.pages[self.info.index] if self.info else None

    @property
    def text_links(self) -> list[str]:
        page = self.page
        return page.links if page else []

    # ---- shown for each step ---------------------------------------------------

    def show(self, info: StepInfo) -> None:
        """Show another step (or the same one again), in place and at once."""
        previous = self.page
        self.info = info
        page = self.pages[info.index]
        if page is not previous:
            if not page.filled:
                page.fill(self._text(info.step))
            if previous is not None:
                previous.opened.display = False
            self._scroll_to_page()
            page.scroll_home(animate=False, immediate=True)
            page.tell_more()
        page.opened.display = False
        page.follow_up.show(info.follow_up, info.replies)
        if page.letter is not None:
            page.letter.show(info.today)

    def _scroll_to_page(self) -> None:
        if self.info is not None:
            self.scroll_to(y=self.info.index * self._page_height, animate=False, immediate=True, force=True)
            # Repaint the view whatever else happens in this frame: when the same key also lays the
            # screen out (a follow-up line appears), Textual compares the new layout with the one
            # before the last scroll, and a page back where it was then is not redrawn (Textual 8.2).
            self.refresh()

    def scroll_page(self, direction: int) -> None:
        """PageDown and PageUp: scroll the step on screen."""
        page = self.page
        if page is not None:
            if direction > 0:
                page.scroll_page_down(animate=False)
            else:
                page.scroll_page_up(animate=False)

    def _text(self, step: Step) -> _StepText:
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
        return _StepText(Group(*top), link, Group(*bottom[1:]) if bottom else None, links)

    # ---- what the screen asks ---------------------------------------------------

    def letter(self) -> TemplateBox | None:
        """The letter of the step on screen, if it has one."""
        return self.page.letter if self.page else None

    def boxes(self) -> list[FieldBox]:
        """The boxes of the step on screen, in the order they are shown."""
        return self.page.boxes() if self.page else []

    def all_boxes(self) -> list[FieldBox]:
        """Every box of every step."""
        return [box for page in self.pages for box in page.boxes()]

    def show_opened(self, url: str, copy_hint: str) -> None:
        page = self.page
        if page is not None:
            # "Sent", not "Opened": a desktop browser that fails to start says so only a moment later.
            page.opened.update(Text(f"Sent to your browser: {url}\nIf nothing opened, copy the address {copy_hint}."))
            page.opened.display = True

    def contains(self, widget: Widget | None) -> bool:
        return widget is not None and self in widget.ancestors
