""" "Where do you live?": asked once, because some steps only apply in some countries.

People type what they call their country ("USA", "England", "Deutschland");
`regions.search` finds it. Enter takes a country only when it is certain: the
whole name was typed, or the user moved onto it with the arrow keys. A part of
a name ("United", "America") is never taken for a choice the user did not make.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from walkthrough.content import regions
from walkthrough.tui.screens.base import AppModal
from walkthrough.tui.widgets.ordered_input import OrderedInput

# Chosen to show every step. An empty id, because OptionList ids must be strings.
NO_COUNTRY = ""


def matches(query: str) -> list[str]:
    """Country codes for what was typed, best first (see `regions.search`)."""
    return [m.code for m in regions.search(query)]


class RegionScreen(AppModal[str | None]):
    """Dismisses with a country code, NO_COUNTRY for "show everything", or None for Escape."""

    BINDINGS = [
        Binding("escape", "skip", "Skip", id="skip"),
        Binding("enter", "choose", "Choose", id="choose"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, current: str | None, *, first_time: bool = False) -> None:
        super().__init__()
        self.current = current
        self.first_time = first_time
        self.query_text = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="region-box", classes="dialog"):
            yield Static("Where do you live?", classes="title")
            yield Static(
                "Some steps depend on the law where you live. Type your country's name, in English or in "
                "your own language, and press Enter. This stays on your computer. "
                + ("Escape skips: then every step is shown." if self.first_time else "Escape keeps your choice."),
                id="region-help",
            )
            yield OrderedInput(placeholder="Country, for example Germany, USA or DE", id="region-search")
            message = Static(id="region-message")
            message.display = False
            yield message
            yield OptionList(id="countries")
        yield Footer()

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#region-search").focus()

    def fill(self, query: str) -> None:
        self.query_text = query
        self.say("")
        options = self.query_one("#countries", OptionList)
        found = regions.search(query)
        items = [Option(Text(m.label), id=m.code) for m in found]
        if not query.strip():
            items.insert(0, Option(Text("I would rather not say (show every step)"), id=NO_COUNTRY))
        options.set_options(items)
        if not query.strip():
            codes = [m.code for m in found]
            options.highlighted = codes.index(self.current) + 1 if self.current in codes else 0
        elif found and found[0].exact:
            # The whole name (or code, or another name for it) was typed: that is a choice.
            options.highlighted = 0
        else:
            # Only parts of names so far: nothing is chosen until the user moves onto one.
            options.highlighted = None
            if not found:
                self.say(regions.no_match_words(query))

    def say(self, words: str) -> None:
        message = self.query_one("#region-message", Static)
        message.update(Text(words))
        message.display = bool(words)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self) -> None:
        options = self.query_one("#countries", OptionList)
        option = options.highlighted_option
        if option is not None:
            self.dismiss(option.id)
            return
        typed = self.query_text.strip()
        if options.option_count == 0:
            self.say(regions.no_match_words(typed))
        elif options.option_count == 1:
            only = options.get_option_at_index(0)
            self.say(f"Did you mean {only.prompt}? Press Down, then Enter.")
        else:
            self.say(f"{options.option_count} countries match '{typed}'. Press Down to choose one, then Enter.")

    def action_move(self, by: int) -> None:
        options = self.query_one("#countries", OptionList)
        if options.option_count:
            current = options.highlighted
            target = 0 if current is None else max(0, min(options.option_count - 1, current + by))
            options.highlighted = target
            self.say("")

    def action_skip(self) -> None:
        self.dismiss(None)
