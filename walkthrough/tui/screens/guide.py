"""One guide: the steps down the left, the current step on the right.

Every mark is written to the progress store the moment the key is pressed;
typed answers are written a moment after the typing stops.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from walkthrough.content import regions
from walkthrough.content.guidefile import LoadedGuide, origin_note
from walkthrough.content.model import DIFFICULTY_WORDS, Step, step_fingerprint
from walkthrough.content.templates import resolve
from walkthrough.progress.status import (
    StepState,
    first_open_step,
    guide_status,
    is_finished,
    next_step,
    progress_words,
    step_position,
    step_state,
)
from walkthrough.progress.store import StepStatus
from walkthrough.safe_text import visible
from walkthrough.tui.screens.base import AppScreen
from walkthrough.tui.widgets.step_view import SHARED_BLANKS, StepInfo, StepView, long_date
from walkthrough.tui.widgets.template_box import TemplateBox

MARKS = {"done": "✓", "skipped": "-", "changed": "!", "not_here": "·", "todo": " "}
SAVE_DELAY = 0.3  # seconds after the last key press before typed text is saved


class GuideScreen(AppScreen[None]):
    BINDINGS = [
        Binding("space", "done", "Done", key_display="space", id="done"),
        Binding("o", "open_link", "Open", id="open-link"),
        Binding("c", "copy", "Copy", id="copy"),
        Binding("s", "skip", "Skip", id="skip"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("n", "move(1)", "Next", id="next-step"),
        Binding("p", "move(-1)", "Prev", id="previous-step"),
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "fill_in", "Fill in", show=False, priority=True),
    ]

    def __init__(self, loaded: LoadedGuide) -> None:
        super().__init__()
        self.loaded = loaded
        self.steps: list[Step] = list(loaded.guide.steps)
        self.index = 0
        self.records: dict = {}
        self.opened_url: str | None = None
        self._copy_armed = False
        self._pending: dict[str, str] = {}
        self._pending_step: str | None = None
        self._save_timer: Timer | None = None

    # ---- layout ----------------------------------------------------------

    def compose(self) -> ComposeResult:
        g = self.loaded.guide
        yield Static(Text(f"{g.name}: {g.title}"), id="guide-title", classes="title")
        yield Static(
            Text(
                f"{DIFFICULTY_WORDS[g.difficulty]}  ·  about {g.minutes} minutes  ·  "
                f"for {regions.describe(g.regions)}  ·  last checked {long_date(g.last_verified)}"
            ),
            id="guide-meta",
            classes="meta",
        )
        if origin := origin_note(self.loaded, self.app.catalog.letter_origins):
            # A guide or letter from another folder says so (security review, item 7).
            yield Static(Text(visible(origin)), id="guide-origin", classes="notice")
        banner = Static(id="guide-banner", classes="notice")
        banner.display = False
        yield banner
        with Horizontal(id="guide-progress"):
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(id="progress-words")
        with Horizontal(id="guide-main"):
            yield OptionList(id="steps")
            with Vertical(id="step-pane"):
                yield StepView(id="step")
                with Horizontal(id="actions", classes="buttons"):
                    yield Button("Done (space)", id="mark-done", variant="success", compact=True, action="screen.done")
                    yield Button("Skip (s)", id="mark-skip", compact=True, action="screen.skip")
                    yield Button("Not done (u)", id="mark-undo", compact=True, action="screen.undo")
        # The palette key is on the help screen; here the room is needed for the step keys.
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        self.load_records()
        status = self.status()
        self.query_one("#steps", OptionList).set_options(
            Option(self.step_prompt(i), id=step.id) for i, step in enumerate(self.steps)
        )
        self.show_banner(status)
        self.update_progress()
        # Resume where the user left off; a re-check starts again from the top.
        start = 0 if status.state == "recheck_due" else self.first_open_step()
        await self.go(0 if start is None else start)
        self.query_one("#steps").focus()
        if start is None and status.state == "done":
            self.show_finished()

    def on_screen_resume(self) -> None:
        # The country may have changed while another screen was on top.
        if self.is_mounted and self.steps:
            self.refresh_marks()

    # ---- state -----------------------------------------------------------

    def load_records(self) -> None:
        self.records = self.app.guarded(lambda: self.app.store.steps(self.loaded.id), {})

    def state(self, i: int) -> StepState:
        step = self.steps[i]
        return step_state(step, self.records.get(step.id), self.app.country, self.loaded.guide)

    def first_open_step(self) -> int | None:
        return first_open_step(self.loaded.guide, self.records, self.app.country)

    def status(self):
        return guide_status(self.loaded, self.records, self.app.country, self.app.today)

    def step_prompt(self, i: int) -> Text:
        state = self.state(i)
        text = Text(f"{MARKS.get(state, ' ')} {i + 1}. {self.steps[i].title}")
        if state == "not_here":
            text.stylize("dim")
        return text

    def refresh_marks(self) -> None:
        steps = self.query_one("#steps", OptionList)
        for i, step in enumerate(self.steps):
            steps.replace_option_prompt(step.id, self.step_prompt(i))
        self.update_progress()

    def update_progress(self) -> None:
        status = self.status()
        self.query_one("#progress", ProgressBar).update(total=max(1, status.total), progress=status.done)
        self.query_one("#progress-words", Static).update(f" {progress_words(status)}")

    def show_banner(self, status) -> None:
        lines = []
        if status.state == "recheck_due" and status.finished_at:
            lines.append(
                f"Time to check again: you finished this on {long_date(status.finished_at)}. "
                "Websites change their settings. Go through the steps and mark each one done again."
            )
        if status.state == "changed":
            lines.append(
                "This guide was updated after you did it. Steps marked ! have changed: "
                "read them again and mark them done."
            )
        if not status.applies and self.app.country:
            lines.append(
                f"This guide is for {regions.describe(self.loaded.guide.regions)}, "
                f"not {regions.country_name(self.app.country)}. You can still read it."
            )
        banner = self.query_one("#guide-banner", Static)
        banner.update(Text("\n".join(lines)))
        banner.display = bool(lines)

    # ---- showing a step --------------------------------------------------

    async def go(self, index: int) -> None:
        index = max(0, min(len(self.steps) - 1, index))
        self.flush()
        self.index = index
        self.opened_url = None
        self._copy_armed = False
        steps = self.query_one("#steps", OptionList)
        if steps.highlighted != index:
            steps.highlighted = index
        step = self.steps[index]
        resolved = resolve(step.template, self.app.catalog.templates) if step.template else None
        answers: dict[str, str] = self.app.guarded(self.app.store.answers, {}) if resolved else {}
        await self.query_one(StepView).show(
            StepInfo(
                step=step,
                position=step_position(self.loaded.guide, self.app.country, index),
                state=self.state(index),
                record=self.records.get(step.id),
                resolved=resolved,
                answers=answers,
                today=self.app.today,
            )
        )

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    async def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "steps" and event.option_index != self.index:
            await self.go(event.option_index)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "fill_in":
            # Only from the list of steps; elsewhere Enter presses the button or ends the box.
            return self.focused is not None and self.focused.id == "steps"
        return True

    def action_fill_in(self) -> None:
        # Enter on a step: start on what it asks, the first box to fill if there is one. A
        # priority binding and set_focus, not Widget.focus(), which waits a message: letters
        # typed straight after Enter belong in the box ("s" must not skip the step of a "Sam").
        boxes = self.query_one(StepView).query(Input)
        self.app.set_focus(boxes.first() if boxes else self.query_one(StepView))

    # ---- marking ---------------------------------------------------------

    async def mark(self, as_: StepStatus) -> None:
        self.flush()
        step = self.step
        store = self.app.store
        self.app.guarded(lambda: store.mark(self.loaded.id, step.id, as_, step_fingerprint(step)))
        self.load_records()
        self.refresh_marks()
        status = self.status()
        if is_finished(status) and self.first_open_step() is None:
            await self.go(self.index)
            self.show_banner(status)
            self.show_finished()
            return
        await self.go(next_step(self.loaded.guide, self.records, self.app.country, self.index))

    async def action_done(self) -> None:
        await self.mark("done")

    async def action_skip(self) -> None:
        await self.mark("skipped")

    async def action_undo(self) -> None:
        self.flush()
        step = self.step
        self.app.guarded(lambda: self.app.store.unmark(self.loaded.id, step.id))
        self.load_records()
        self.refresh_marks()
        self.show_banner(self.status())
        await self.go(self.index)
        self.notify(f"Step {self.index + 1} is marked as not done.", title="Changed")

    async def action_move(self, by: int) -> None:
        await self.go(self.index + by)

    def show_finished(self) -> None:
        from walkthrough.tui.screens.finished import FinishedScreen

        self.app.push_screen(FinishedScreen(self.loaded))

    # ---- links and copying -----------------------------------------------

    def copy_hint(self) -> str:
        return "with the Copy the address button" if self.step.template else "with c"

    def open(self, url: str) -> None:
        if self.app.open_link(url, self.loaded):
            self.opened_url = url
            self.query_one(StepView).show_opened(url, self.copy_hint())

    def action_open_link(self) -> None:
        if self.step.link is None:
            self.notify("This step has no web page to open.", severity="warning")
            return
        self.open(self.step.link.url)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.startswith("#"):
            return
        self.open(event.href)

    def action_copy(self) -> None:
        boxes = self.query(TemplateBox)
        if boxes:
            self.copy_template(boxes.first())
            return
        url = self.opened_url or (self.step.link.url if self.step.link else None)
        if url:
            self.copy_address(url)
        else:
            self.notify("There is nothing to copy on this step.", severity="warning")

    def copy_address(self, url: str) -> None:
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied the address: {url}\nPaste it into your browser's address bar.", title="Copied")

    def copy_template(self, box: TemplateBox) -> None:
        filled = box.filled()
        if filled.missing and not self._copy_armed:
            self._copy_armed = True
            empty = ", ".join(f"“{b.label}”" for b in filled.missing)
            self.notify(
                f"These blanks are still empty: {empty}. Fill them in above, or press c again to copy anyway.",
                title="Not copied yet",
                severity="warning",
                timeout=10,
            )
            return
        self._copy_armed = False
        self.app.copy_to_clipboard(filled.as_text())
        what = "the subject line and the text" if filled.subject else "the text"
        to = f" Send it to {filled.to}." if filled.to else ""
        self.notify(
            f"Copied {what}. Paste it into the form or email.{to}\n"
            "If pasting does not work, select the text on screen instead.",
            title="Copied",
        )

    def action_copy_link(self) -> None:
        if self.step.link is not None:
            self.copy_address(self.step.link.url)

    # ---- typed answers -----------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if not name.startswith(("blank-", "record-")):
            return
        if self._pending_step not in (None, self.step.id):
            self.flush()
        self._pending_step = self.step.id
        self._pending[name.split("-", 1)[1]] = event.value
        self._copy_armed = False
        if self._save_timer:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.flush)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in a box: done typing there; the step keys work again.
        self.flush()
        self.query_one("#steps").focus()

    def on_descendant_blur(self, event) -> None:
        if isinstance(event.widget, Input):
            self.flush()

    def flush(self) -> None:
        """Write what was typed to the store now."""
        if self._save_timer:
            self._save_timer.stop()
            self._save_timer = None
        if not self._pending or self._pending_step is None:
            return
        fields, step_id = dict(self._pending), self._pending_step
        self._pending.clear()
        store, gid = self.app.store, self.loaded.id
        shared = {k: v.strip() for k, v in fields.items() if k in SHARED_BLANKS and v.strip()}

        def save() -> None:
            store.save_fields(gid, step_id, fields)
            if shared:
                store.remember_answers(shared)

        self.app.guarded(save)
        self.load_records()

    def on_unmount(self) -> None:
        self.flush()

    # ---- leaving -----------------------------------------------------------

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.flush()
            self.query_one("#steps").focus()
            return
        self.flush()
        self.app.go_home()
