"""The end of a guide: what the user did and when, what it does not cover, and when to check again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from walkthrough.content.guidefile import LoadedGuide
from walkthrough.progress.status import STEP_STATE_WORDS, guide_status, step_state
from walkthrough.progress.store import StepRecord
from walkthrough.safe_text import visible
from walkthrough.tui.screens.base import AppScreen
from walkthrough.tui.widgets.step_view import long_date


class FinishedScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "steps", "See the steps", id="see-steps"),
        Binding("enter", "home", "All guides", id="all-guides"),
    ]

    def __init__(self, loaded: LoadedGuide) -> None:
        super().__init__()
        self.loaded = loaded

    def compose(self) -> ComposeResult:
        g = self.loaded.guide
        app = self.app
        records: dict[str, StepRecord] = app.guarded(lambda: app.store.steps(self.loaded.id), {})
        status = guide_status(self.loaded, records, app.country, app.today)
        with VerticalScroll(id="finished"):
            # Guide text and typed values: Text (never markup) through visible (never an escape sequence).
            yield Static(Text(visible(f"You have finished: {g.name}")), classes="title")
            yield Static("What you did", classes="heading")
            lines = []
            for i, step in enumerate(g.steps, 1):
                record = records.get(step.id)
                state = step_state(step, record, app.country, g)
                when = f" on {long_date(record.at.date())}" if record and record.at else ""
                word = STEP_STATE_WORDS[state]
                lines.append(f"{i}. {step.title}: {word}{when if state in ('done', 'skipped', 'changed') else ''}")
                labels = {r.name: r.label for r in step.record}
                for name, label in labels.items():
                    value = record.fields.get(name) if record else None
                    if value:
                        lines.append(f"     {label}: {value}")
            yield Static(Text(visible("\n".join(lines), keep_lines=True)), id="finished-steps")
            if g.limits:
                yield Static("What this guide does not do", classes="heading")
                limits = "\n".join(f"- {limit}" for limit in g.limits)
                yield Static(Text(visible(limits, keep_lines=True)), id="finished-limits")
            yield Static("When to check again", classes="heading")
            if status.recheck_on:
                again = (
                    f"Check again on {long_date(status.recheck_on)}. Websites change their settings, "
                    "so the list of guides will say “Re-check due” then."
                )
            else:
                again = f"Check again in about {g.recheck_days} days: websites change their settings."
            yield Static(Text(again), id="finished-recheck")
            with Horizontal(classes="buttons"):
                yield Button(
                    "Back to all guides (Enter)", id="go-home", variant="primary", compact=True, action="screen.home"
                )
                yield Button("See the steps again (Escape)", id="see-steps", compact=True, action="screen.steps")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#go-home").focus()

    def action_home(self) -> None:
        self.app.go_home()

    def action_steps(self) -> None:
        self.app.pop_screen()
