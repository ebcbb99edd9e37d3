"""One step, in full: what to do, the page to open, text to copy, and how to tell it worked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Markdown, Static

from walkthrough.content import regions
from walkthrough.content.model import WHO_WORDS, Step
from walkthrough.content.templates import Resolved
from walkthrough.progress.status import STEP_STATE_WORDS, StepState
from walkthrough.progress.store import StepRecord
from walkthrough.tui.widgets.template_box import TemplateBox

# Blanks that describe the person, not one account, so they are offered again in
# every guide. An account link or a workspace name is different on each platform.
SHARED_BLANKS = frozenset(
    {"full_name", "first_name", "last_name", "email", "address", "postal_address", "phone", "country", "city", "state"}
)


def long_date(day: datetime.date) -> str:
    # Written out, so nobody wonders whether 03/11 is March or November.
    return f"{day.day} {day:%B %Y}"


@dataclass
class StepInfo:
    """Everything the view needs, gathered by the guide screen."""

    step: Step
    position: tuple[int, int] | None  # ("step n of m") among the steps for the user; None: not for them
    state: StepState
    record: StepRecord | None
    resolved: Resolved | None
    answers: dict[str, str] = field(default_factory=dict)
    today: datetime.date | None = None


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


def prefill(info: StepInfo) -> dict[str, str]:
    """What the blanks start with: this step's saved text, else answers given in other guides."""
    saved = dict(info.record.fields) if info.record else {}
    values = {}
    for blank in info.resolved.blanks if info.resolved else []:
        if saved.get(blank.name):
            values[blank.name] = saved[blank.name]
        elif info.answers.get(blank.name):
            values[blank.name] = info.answers[blank.name]
        elif blank.name == "date" and info.today:
            values[blank.name] = long_date(info.today)
    return values


class StepView(VerticalScroll):
    """Rebuilt for each step (see `show`), so nothing from the last step lingers."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.info: StepInfo | None = None

    async def show(self, info: StepInfo) -> None:
        self.info = info
        await self.recompose()
        self.scroll_home(animate=False)

    def compose(self) -> ComposeResult:
        info = self.info
        if info is None:
            return
        step = info.step
        yield Static(Text(state_line(info)), id="step-state", classes=info.state)
        yield Static(Text(step.title), id="step-title", classes="title")
        if step.regions:
            yield Static(Text(f"Only for: {regions.describe(step.regions)}"), classes="meta")
        if step.who != "you":
            yield Static(Text(f"Who can do this: {WHO_WORDS[step.who]}"), classes="meta")
        yield Markdown(step.body, open_links=False, id="step-body")
        if step.link:
            yield Static(Text(f"{step.link.label}: {step.link.url}"), id="link-text", classes="link")
            with Horizontal(classes="buttons"):
                yield Button(
                    Text(f"{step.link.label} (o)"),
                    id="open-link",
                    variant="primary",
                    compact=True,
                    action="screen.open_link",
                )
                yield Button("Copy the address", id="copy-link", compact=True, action="screen.copy_link")
        opened = Static(id="opened", classes="opened")
        opened.display = False
        yield opened
        if info.resolved:
            yield TemplateBox(info.resolved, prefill(info), id="template")
        if step.expect:
            yield Static("When it worked:", classes="heading")
            yield Markdown(step.expect, open_links=False, classes="expect")
        if step.fallback:
            yield Static("If the page looks different:", classes="heading")
            yield Markdown(step.fallback, open_links=False, classes="fallback")
        if step.record:
            yield Static("Keep a note of (saved on this computer):", classes="heading")
            saved = info.record.fields if info.record else {}
            for rec in step.record:
                yield Label(rec.label, classes="field-label")
                yield Input(saved.get(rec.name, ""), id=f"record-{rec.name}", classes="record", select_on_focus=False)

    def show_opened(self, url: str, copy_hint: str) -> None:
        opened = self.query_one("#opened", Static)
        opened.update(Text(f"Opened in your browser: {url}\nIf nothing opened, copy the address {copy_hint}."))
        opened.display = True
