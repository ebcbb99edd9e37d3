"""The end of a guide: what the user did and when, what it does not cover, and what to do next.

"What next" is the three things people asked for at this point: how to keep
the record (it is their proof), which guide to do next (n starts it), and the
day to check again.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from walkthrough import dates
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import DIFFICULTY_WORDS
from walkthrough.progress.status import STEP_STATE_WORDS, guide_status, next_guide, step_state
from walkthrough.progress.store import StepRecord
from walkthrough.safe_text import visible
from walkthrough.tui.screens.base import AppScreen

KEEP_THE_RECORD = (
    "Keep your record: what you did, and when, is saved on this computer. It is your proof "
    "that you objected. To keep a copy, run this in a terminal:\n"
    "    optout-tui progress export -o my-optouts.md"
)


class FinishedScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "steps", "See the steps", id="see-steps"),
        Binding("enter", "home", "All guides", id="all-guides"),
        Binding("n", "next_guide", "Next guide", id="next-guide"),
        # The page is taller than a small terminal, and the focus is on the buttons below it.
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
    ]

    def __init__(self, loaded: LoadedGuide) -> None:
        super().__init__()
        self.loaded = loaded
        self.next: LoadedGuide | None = None

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
                when = f" on {dates.words(record.at.date())}" if record and record.at else ""
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
            yield Static("What next", classes="heading")
            if status.recheck_on:
                again = (
                    f"Check again on {dates.words(status.recheck_on)}. Websites change their settings, "
                    "so the list of guides will say “Re-check due” then."
                )
            else:
                again = f"Check again in about {g.recheck_days} days: websites change their settings."
            yield Static(Text(again), id="finished-recheck")
            yield Static(Text(KEEP_THE_RECORD), id="finished-record")
            yield Static(Text(self.next_words()), id="finished-next")
        # Outside the scrolling part: focusing a button must not scroll the title out of sight.
        with Horizontal(id="finished-buttons", classes="buttons"):
            yield Button("All guides (Enter)", id="go-home", variant="primary", compact=True, action="screen.home")
            if self.next is not None:
                yield Button("Next guide (n)", id="start-next", compact=True, action="screen.next_guide")
            yield Button("Steps (Escape)", id="see-steps", compact=True, action="screen.steps")
        yield Footer(compact=True)

    def next_words(self) -> str:
        app = self.app
        records: dict[str, dict[str, StepRecord]] = app.guarded(app.store.all, {})
        self.next = next_guide(app.catalog.sorted_guides(), records, app.country, app.today, after=self.loaded.id)
        if self.next is None:
            return "There is no other guide left for you to do. Well done."
        n = self.next.guide
        return f"Next: {n.name} ({DIFFICULTY_WORDS[n.difficulty].split(' (')[0]}, about {n.minutes} minutes). Press n to start it."

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "next_guide":
            return self.next is not None
        return True

    def on_mount(self) -> None:
        self.query_one("#go-home").focus()

    def action_next_guide(self) -> None:
        if self.next is not None:
            self.app.open_guide(self.next.id)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#finished", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_home(self) -> None:
        self.app.go_home()

    def action_steps(self) -> None:
        self.app.pop_screen()
