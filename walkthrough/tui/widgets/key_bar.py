"""The keys of the screen in one line at the bottom, drawn as one widget.

Textual's Footer makes a widget for every key and builds them again whenever
the screen's keys may have changed. On the list of guides that was a quarter
of the work before the first screen. This bar shows the same thing, each
shown key with its words and the command palette's key on the right, as one
line of text, redrawn (not rebuilt) when the keys change. A click on a key
presses it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widget import Widget

# Always in the bar, however narrow the window: how to leave, and where every key is listed.
KEPT_ACTIONS = {"help", "app.help", "quit", "app.quit"}


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    ALLOW_SELECT = False

    def __init__(self, *, compact: bool = False, palette: bool = True, **kwargs) -> None:
        """`compact`: keys always close together; `palette`: show the command palette's key when there is room."""
        super().__init__(**kwargs)
        # Each key is a click target (@click); without this Textual draws them as links
        # (underlined, in the link colour, over the key colour the footer uses).
        self.auto_links = False
        self.compact = compact
        self.palette = palette

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        # As Textual's footer spaces them when there is room; closer together, then without the
        # command palette's key (the help has it), when there is not. In a very narrow window
        # the last keys before Quit and Help give way, one at a time: those two always stay,
        # and Help lists every key.
        width = self.size.width
        tries = ((False, True), (True, True), (True, False))
        line = Text()
        for compact, palette in tries:
            if (self.compact and not compact) or (palette and not self.palette):
                continue
            line = self._keys(compact, palette)
            if cell_len(line.plain) <= width:
                return line
        for drop in range(1, len(self.screen.active_bindings) + 1):
            line = self._keys(True, False, drop)
            if cell_len(line.plain) <= width:
                return line
        line.truncate(width)
        return line

    def _keys(self, compact: bool, with_palette: bool, drop: int = 0) -> Text:
        app = self.app
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        words_style = self.get_component_rich_style("key-bar--description", partial=True)
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        left, right = Text(no_wrap=True, end=""), Text(no_wrap=True, end="")
        shown: list[tuple[str, ActiveBinding]] = []
        seen_actions: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key:
                if with_palette and active.enabled:
                    self._add(right, app.get_key_display(binding), binding.description, key, key_style, words_style)
                continue
            if not binding.show or binding.action in seen_actions:
                continue  # one key per action, as Textual's footer shows them
            seen_actions.add(binding.action)
            shown.append((key, active))
        if drop:
            droppable = [i for i, (_, active) in enumerate(shown) if active.binding.action not in KEPT_ACTIONS]
            gone = set(droppable[-drop:])
            shown = [item for i, item in enumerate(shown) if i not in gone]
        for key, active in shown:
            binding = active.binding
            dim = Style(dim=True) if not active.enabled else Style()
            display = app.get_key_display(binding)
            if compact:
                self._add_compact(left, display, binding.description, key, key_style + dim, words_style + dim)
            else:
                self._add(left, display, binding.description, key, key_style + dim, words_style + dim)
        if not right:
            return left
        right = Text("▏", no_wrap=True, end="") + right
        room = self.size.width - cell_len(right.plain)
        left.append(" " * max(room - cell_len(left.plain), 1))
        return left + right

    @staticmethod
    def _add(line: Text, key: str, words: str, press: str, key_style: Style, words_style: Style) -> None:
        click = Style.from_meta({"@click": f"app.simulate_key({press!r})"})
        line.append(f" {key} ", key_style + click)
        line.append(f"{words} ", words_style + click)

    @staticmethod
    def _add_compact(line: Text, key: str, words: str, press: str, key_style: Style, words_style: Style) -> None:
        click = Style.from_meta({"@click": f"app.simulate_key({press!r})"})
        line.append(" ")
        line.append(key, key_style + click)
        line.append(f" {words}", words_style + click)
