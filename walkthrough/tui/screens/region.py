""" "Where do you live?": asked once, because some steps only apply in some countries."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from walkthrough.content import regions
from walkthrough.tui.screens.base import AppModal

# Chosen to show every step. An empty id, because OptionList ids must be strings.
NO_COUNTRY = ""


def matches(query: str) -> list[str]:
    """Country codes for what was typed: an exact code first, then names that start with it, then the rest."""
    q = query.strip().lower()
    if not q:
        return sorted(regions.COUNTRIES, key=lambda c: regions.COUNTRIES[c])
    exact = [c for c in regions.COUNTRIES if c.lower() == q]
    if q == "uk":
        exact = ["GB"]
    starts = [c for c, name in regions.COUNTRIES.items() if name.lower().startswith(q) and c not in exact]
    inside = [c for c, name in regions.COUNTRIES.items() if q in name.lower() and c not in exact and c not in starts]
    return exact + sorted(starts, key=regions.COUNTRIES.__getitem__) + sorted(inside, key=regions.COUNTRIES.__getitem__)


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

    def compose(self) -> ComposeResult:
        with Vertical(id="region-box", classes="dialog"):
            yield Static("Where do you live?", classes="title")
            yield Static(
                "Some steps only work in some countries, because the law there gives you more rights. "
                "Type the name of your country, then press Enter. "
                "This stays on your computer.\n"
                + (
                    "Press Escape to skip: then every step is shown."
                    if self.first_time
                    else "Press Escape to keep what you chose before."
                ),
                id="region-help",
            )
            yield Input(placeholder="Country, for example Germany or DE", id="region-search")
            yield OptionList(id="countries")
        yield Footer()

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#region-search").focus()

    def fill(self, query: str) -> None:
        options = self.query_one("#countries", OptionList)
        codes = matches(query)
        # Text, not a markup string: an OptionList reads a plain str as markup.
        items = [Option(Text(f"{regions.COUNTRIES[c]} ({c})"), id=c) for c in codes]
        if not query.strip():
            items.insert(0, Option(Text("I would rather not say (show every step)"), id=NO_COUNTRY))
        options.set_options(items)
        if items:
            index = 0
            if not query.strip() and self.current in codes:
                index = codes.index(self.current) + 1
            options.highlighted = index

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self) -> None:
        option = self.query_one("#countries", OptionList).highlighted_option
        if option is None:
            self.notify("No country matches what you typed. Try fewer letters.", severity="warning")
            return
        self.dismiss(option.id)

    def action_move(self, by: int) -> None:
        options = self.query_one("#countries", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + by))

    def action_skip(self) -> None:
        self.dismiss(None)
