"""No reply yet: what someone can do when a company lets the deadline pass.

The core says what (`overdue_advice`), who to complain to (`authorities.for_country`)
and fills the complaint letter from the record (`letters.complaint_letter`);
this screen only shows them, as plain text: an authority's name, its page and
the letter are data from files and from what the user typed, never markup.
The letter can be copied (c), shown alone to select with the mouse (v) or
saved to a file (w), the same keys as a letter on a step.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from walkthrough.content import authorities
from walkthrough.content.guidefile import LoadedGuide
from walkthrough.content.model import Step
from walkthrough.content.templates import Filled
from walkthrough.progress import letters
from walkthrough.progress.status import FollowUp, due_words, overdue_advice
from walkthrough.progress.store import Reply
from walkthrough.safe_text import visible
from walkthrough.tui.footer_fit import fit
from walkthrough.tui.keys import SAVE_KEY, VIEW_KEY
from walkthrough.tui.screens.base import AppScreen

TITLE = "No reply yet: what you can do"


class AdviceScreen(AppScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Back", id="close-advice"),
        Binding("c", "copy", "Copy the letter", id="copy-complaint"),
        Binding(VIEW_KEY, "view_plain", "Show alone", id="view-complaint"),
        Binding(SAVE_KEY, "save_letter", "Save", id="save-complaint"),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
    ]

    def __init__(self, loaded: LoadedGuide, step: Step, follow_up: FollowUp) -> None:
        super().__init__()
        self.loaded = loaded
        self.step = step
        self.follow_up = follow_up
        self.letter: Filled | None = None

    def compose(self) -> ComposeResult:
        app = self.app
        name = self.loaded.guide.name
        authority = authorities.for_country(app.country)
        replies: list[Reply] = app.guarded(lambda: app.store.replies(self.loaded.id), [])
        answers: dict[str, str] = app.guarded(app.store.answers, {})
        self.letter = letters.complaint_letter(
            self.follow_up, name, self.step, app.catalog.templates, authority, replies, answers, app.today
        )
        yield Static(Text(TITLE), id="advice-title", classes="title")
        yield Static(Text(visible(f"{name}: {self.step.title}. {due_words(self.follow_up)}")), classes="meta")
        with VerticalScroll(id="advice"):
            yield Static("What you can do", classes="heading")
            advice = overdue_advice(self.follow_up, name, authority)
            lines = "\n".join(f"{n}. {line}" for n, line in enumerate(advice, 1))
            yield Static(Text(visible(lines, keep_lines=True)), id="advice-steps")
            if authority is not None:
                yield Static("Where to complain", classes="heading")
                where = [authority.name[0].upper() + authority.name[1:]]
                if authority.local_name:
                    where[0] += f" ({authority.local_name})"
                label = "Complaint page" if authority.complaint else "Website"
                where.append(f"{label}: {authority.page}")
                if authority.note:
                    where.append(authority.note)
                yield Static(Text(visible("\n".join(where), keep_lines=True)), id="advice-authority")
            elif app.country is None:
                yield Static(
                    Text("Choose where you live on the list of guides (r) to see the authority that can help you."),
                    classes="hint",
                )
            yield Static("A complaint letter, ready to fill in", classes="heading")
            if self.letter is None:
                yield Static(Text("The complaint letter is not installed with your guides."), classes="hint")
            else:
                yield Static(
                    Text(
                        "What optout-tui knows is filled in. Fill in what is in [brackets] after you paste it. "
                        "c copies it, v shows it alone, w saves it to a file."
                    ),
                    classes="hint",
                )
                yield Static(Text(visible(self.letter.as_text(), keep_lines=True)), id="complaint", classes="filled")
        # The palette key is on the help screen; here the room is needed for the letter's keys.
        yield Footer(compact=True, show_command_palette=False)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # In a narrow window: Quit, then Show alone and Save make room (the hint above the letter names them).
        return fit(self.app, super().active_bindings, ("q", VIEW_KEY, SAVE_KEY))

    def on_resize(self) -> None:
        self.refresh_bindings()  # the footer fits the new width

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy", "view_plain", "save_letter"):
            return self.letter is not None
        return True

    def _file_name(self) -> str:
        return f"{self.loaded.id}-complaint"

    def action_copy(self) -> None:
        if self.letter is not None:
            self.app.copy_text(
                self.letter.as_text(),
                "the complaint letter",
                note="Fill in what is in [brackets], then send it to the authority.",
                name_words=(self.loaded.id, "complaint"),
            )

    def action_view_plain(self) -> None:
        if self.letter is not None:
            title = f"A complaint about {self.loaded.guide.name}"
            self.app.show_plain(title, self.letter.as_text(), what="the complaint letter", save_as=self._file_name())

    def action_save_letter(self) -> None:
        if self.letter is not None:
            self.app.save_text(self.letter.as_text(), self._file_name())

    def action_scroll(self, lines: int) -> None:
        self.query_one("#advice", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss()
