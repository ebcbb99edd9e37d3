"""The end of a guide: what the user did and when, what it does not cover, and what to do next.

"What next" is the three things people asked for at this point: how to keep
the record (it is their proof: e saves it as a page to print, and the screen
shows where), which guide to do next (n starts it), and the day to check again.
A letter or form sent on the way shows where it stands (waiting for a reply,
answered, or late), with keys to record a reply (r) and, when it is late, to
see what to do (a).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from walkthrough import dates
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import DIFFICULTY_WORDS, Step
from walkthrough.progress.status import (
    STEP_STATE_WORDS,
    FollowUp,
    guide_follow_up,
    guide_status,
    next_guide,
    step_state,
)
from walkthrough.progress.store import Reply, StepRecord
from walkthrough.safe_text import visible
from walkthrough.tui.footer_fit import fit
from walkthrough.tui.screens.base import AppScreen
from walkthrough.tui.widgets.follow_up import ADVICE_KEY, REPLY_KEY, FollowUpView, reply_words

KEEP_THE_RECORD = (
    "Keep your record: what you did, and when, is saved on this computer. It is your proof "
    "that you objected. Press e to save a copy as a web page that prints well (the letters "
    "you copied, the dates, the law). Or, in a terminal:\n"
    "    optout-tui progress export -o my-optouts.md"
)


class FinishedScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "steps", "See the steps", id="see-steps"),
        Binding("enter", "home", "All guides", id="all-guides"),
        Binding("n", "next_guide", "Next guide", id="next-guide"),
        Binding("e", "export", "Save record", id="export-record"),
        Binding(REPLY_KEY, "record_reply", "Record a reply", id="finished-record-reply"),
        Binding(ADVICE_KEY, "advice", "What you can do", id="finished-advice"),
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
        self.follow_up: FollowUp | None = None  # the guide's most pressing letter or form, if one was sent
        self.exported: str | None = None  # where the record was last saved from this screen

    def compose(self) -> ComposeResult:
        g = self.loaded.guide
        app = self.app
        records: dict[str, StepRecord] = app.guarded(lambda: app.store.steps(self.loaded.id), {})
        replies: list[Reply] = app.guarded(lambda: app.store.replies(self.loaded.id), [])
        status = guide_status(self.loaded, records, app.country, app.today)
        shared = app.catalog.templates
        self.follow_up = guide_follow_up(g, records, replies, shared, app.country, app.today)
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
                for field in step.record:
                    value = record.fields.get(field.name) if record else None
                    if value:
                        shown = dates.stored_words(value) if field.type == "date" else value
                        lines.append(f"     {field.label}: {shown}")
                # Replies are what happened; where the letter stands now is under "What next".
                lines += [f"     {reply_words(r)}" for r in replies if r.step_id == step.id]
            yield Static(Text(visible("\n".join(lines), keep_lines=True)), id="finished-steps")
            if g.limits:
                yield Static("What this guide does not do", classes="heading")
                limits = "\n".join(f"- {limit}" for limit in g.limits)
                yield Static(Text(visible(limits, keep_lines=True)), id="finished-limits")
            yield Static("What next", classes="heading")
            waiting = FollowUpView(id="finished-follow-up")
            yield waiting
            if self.follow_up is not None:
                waiting.show(self.follow_up, [r for r in replies if r.step_id == self.follow_up.step_id])
            if status.recheck_on:
                again = (
                    f"Check again on {dates.words(status.recheck_on)}. Websites change their settings, "
                    "so the list of guides will say “Re-check due” then."
                )
            else:
                again = f"Check again in about {g.recheck_days} days: websites change their settings."
            yield Static(Text(again), id="finished-recheck")
            yield Static(Text(KEEP_THE_RECORD), id="finished-record")
            exported = Static(id="finished-exported", classes="opened")
            if self.exported:
                exported.update(Text(visible(self.exported, keep_lines=True)))
                exported.display = True
            yield exported
            yield Static(Text(self.next_words()), id="finished-next")
        # Outside the scrolling part: focusing a button must not scroll the title out of sight.
        with Horizontal(id="finished-buttons", classes="buttons"):
            yield Button("All guides (Enter)", id="go-home", variant="primary", compact=True, action="screen.home")
            if self.next is not None:
                yield Button("Next guide (n)", id="start-next", compact=True, action="screen.next_guide")
            yield Button("Save record (e)", id="export", compact=True, action="screen.export")
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

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # Every key in the footer, or, when they do not fit, all but those the help and the buttons show
        # (Quit, See the steps, Next guide; r and a are on the buttons of the letter waiting for a reply).
        return fit(self.app, super().active_bindings, ("q", "escape", "n", REPLY_KEY, ADVICE_KEY), palette=True)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "next_guide":
            return self.next is not None
        if action == "record_reply":
            return self.follow_up is not None
        if action == "advice":
            return self.follow_up is not None and self.follow_up.state == "overdue"
        return True

    def action_export(self) -> None:
        path = self.app.export_record()
        if path is not None:
            self.exported = f"Saved your record to {path}\nOpen it in your web browser to read or print it."
            shown = self.query_one("#finished-exported", Static)
            shown.update(Text(visible(self.exported, keep_lines=True)))
            shown.display = True
            self.query_one("#finished", VerticalScroll).scroll_to_widget(shown, animate=False)

    def _follow_up_step(self) -> Step | None:
        found = self.follow_up
        return next((s for s in self.loaded.guide.steps if found and s.id == found.step_id), None)

    def action_record_reply(self) -> None:
        step = self._follow_up_step()
        if step is None or self.follow_up is None:
            return
        from walkthrough.tui.screens.reply import ReplyScreen

        def recorded(reply: Reply | None) -> None:
            if reply is not None and self.is_mounted:
                self.refresh(recompose=True)  # where the letter stands now, from the store

        self.app.push_screen(ReplyScreen(self.loaded, step, self.follow_up), recorded)

    def action_advice(self) -> None:
        step = self._follow_up_step()
        if step is None or self.follow_up is None or self.follow_up.state != "overdue":
            return
        from walkthrough.tui.screens.advice import AdviceScreen

        self.app.push_screen(AdviceScreen(self.loaded, step, self.follow_up))

    def on_mount(self) -> None:
        self.query_one("#go-home").focus()
        self.set_class(self.app.size.width < 80, "-narrow")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 80, "-narrow")
        self.refresh_bindings()  # the footer fits the new width

    def action_next_guide(self) -> None:
        if self.next is not None:
            self.app.open_guide(self.next.id)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#finished", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_home(self) -> None:
        self.app.go_home()

    def action_steps(self) -> None:
        self.app.pop_screen()
