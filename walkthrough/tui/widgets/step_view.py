"""One step, in full: what to do, the page to open, text to copy, and how to tell it worked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Markdown, Static

from ... import regions
from ...model import WHO_WORDS, Step
from ...progress import StepRecord
from ...templates import Resolved
from .template_box import TemplateBox

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
    number: int
    total: int
    state: str
    record: StepRecord | None
    resolved: Resolved | None
    answers: dict[str, str] = field(default_factory=dict)
    today: datetime.date | None = None


def state_line(info: StepInfo) -> str:
    record = info.record
    when = f" on {long_date(record.at.date())}" if record and record.at else ""
    return {
        "done": f"Done{when}",
        "skipped": f"Skipped{when}",
        "changed": f"Changed since you did it{when}: please read it again",
        "not_here": "Not for your region: you can skip this step",
        "todo": "Not done yet",
    }.get(info.state, "")


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
        yield Static(
            Text(f"Step {info.number} of {info.total}  ·  {state_line(info)}"), id="step-state", classes=info.state
        )
        yield Static(Text(step.title), id="step-title", classes="title")
        if step.regions:
            yield Static(Text(f"Only for: {regions.describe(step.regions)}"), classes="meta")
        if step.who != "you":
            yield Static(Text(f"Who can do this: {WHO_WORDS[step.who]}"), classes="meta")
        yield Markdown(step.body, open_links=False, id="step-body")
        if step.link:
            yield Static(Text(f"{step.link.label}: {step.link.url}"), id="link-text", classes="link")
            with Horizontal(classes="buttons"):
                yield Button(f"{step.link.label} (o)", id="open-link", variant="primary", compact=True)
                yield Button("Copy the address", id="copy-link", compact=True)
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
