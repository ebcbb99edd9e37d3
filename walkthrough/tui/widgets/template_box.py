"""A letter or form text with blanks: one box per blank, and the filled text shown live."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from walkthrough.content.templates import Filled, Resolved, fill


class TemplateBox(Vertical):
    def __init__(self, resolved: Resolved, values: dict[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.resolved = resolved
        self.values = values

    def compose(self) -> ComposeResult:
        if self.resolved.blanks:
            yield Static("Fill in the blanks", classes="heading")
        for blank in self.resolved.blanks:
            yield Label(blank.label, classes="field-label")
            if blank.hint:
                yield Static(Text(blank.hint), classes="hint")
            yield Input(
                self.values.get(blank.name, ""),
                placeholder=f"For example: {blank.example}" if blank.example else "",
                id=f"blank-{blank.name}",
                classes="blank",
                select_on_focus=False,  # see GuideScreen.on_key: early letters are put in before focus lands
            )
        yield Static("The text to copy", classes="heading")
        yield Static(id="filled", classes="filled")
        yield Button("Copy the text (c)", id="copy-text", compact=True, action="screen.copy")

    def on_mount(self) -> None:
        self.update_preview()

    def answers(self) -> dict[str, str]:
        return {(inp.id or "").removeprefix("blank-"): inp.value for inp in self.query("Input.blank").results(Input)}

    def filled(self) -> Filled:
        return fill(self.resolved, self.answers())

    def update_preview(self) -> None:
        filled = self.filled()
        lines = []
        if filled.to:
            lines.append(f"To: {filled.to}")
        if filled.subject:
            lines.append(f"Subject: {filled.subject}")
        if lines:
            lines.append("")
        self.query_one("#filled", Static).update(Text("\n".join(lines) + filled.text.rstrip()))

    def on_input_changed(self, event: Input.Changed) -> None:
        # Let the event bubble on: the guide screen saves what was typed.
        self.update_preview()
