"""The end of a guide: what the user did and when, what it does not cover, and when to check again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ...guidefile import LoadedGuide
from ...status import step_state
from ..widgets.step_view import long_date


class FinishedScreen(Screen):
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
        records = app.guarded(lambda: app.store.steps(self.loaded.id), {})
        status = app.status_of(self.loaded, records)
        with VerticalScroll(id="finished"):
            yield Static(Text(f"You have finished: {g.name}"), classes="title")
            yield Static("What you did", classes="heading")
            lines = []
            for i, step in enumerate(g.steps, 1):
                record = records.get(step.id)
                state = step_state(step, record, app.country)
                when = f" on {long_date(record.at.date())}" if record and record.at else ""
                word = {"done": "Done", "skipped": "Skipped", "not_here": "Not for your region"}.get(state, "Not done")
                lines.append(f"{i}. {step.title}: {word}{when if state in ('done', 'skipped') else ''}")
                labels = {r.name: r.label for r in step.record}
                for name, label in labels.items():
                    value = record.fields.get(name) if record else None
                    if value:
                        lines.append(f"     {label}: {value}")
            yield Static(Text("\n".join(lines)), id="finished-steps")
            if g.limits:
                yield Static("What this guide does not do", classes="heading")
                yield Static(Text("\n".join(f"- {limit}" for limit in g.limits)), id="finished-limits")
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
                yield Button("Back to all guides (Enter)", id="go-home", variant="primary", compact=True)
                yield Button("See the steps again (Escape)", id="see-steps", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#go-home").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "go-home":
            self.action_home()
        else:
            self.action_steps()

    def action_home(self) -> None:
        self.app.go_home()

    def action_steps(self) -> None:
        self.app.pop_screen()
