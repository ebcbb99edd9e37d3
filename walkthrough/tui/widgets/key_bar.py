"""The keys of the screen in one line at the bottom, drawn as one widget.

Textual's Footer makes a widget for every key and builds them again whenever
the screen's keys may have changed. On the list of guides that was a quarter
of the work before the first screen. This bar shows the same thing, each
shown key with its words and the command palette's key on the right, as one
line of text, redrawn (not rebuilt) when the keys change. A click on a key
presses it.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    ALLOW_SELECT = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        app = self.app
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        words_style = self.get_component_rich_style("key-bar--description", partial=True)
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        left, right = Text(no_wrap=True, end=""), Text(no_wrap=True, end="")
        seen_actions: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key and active.enabled:
                self._add(right, app.get_key_display(binding), binding.description, key, key_style, words_style)
                continue
            if not binding.show or binding.action in seen_actions:
                continue  # one key per action, as Textual's footer shows them
            seen_actions.add(binding.action)
            dim = Style(dim=True) if not active.enabled else Style()
            self._add(left, app.get_key_display(binding), binding.description, key, key_style + dim, words_style + dim)
        width = self.size.width
        if right:
            right = Text("▏", no_wrap=True, end="") + right
        room = width - cell_len(right.plain)
        if cell_len(left.plain) > room:
            left.truncate(max(room, 0))
        left.append(" " * max(room - cell_len(left.plain), 0))
        return left + right

    @staticmethod
    def _add(line: Text, key: str, words: str, press: str, key_style: Style, words_style: Style) -> None:
        click = Style.from_meta({"@click": f"app.simulate_key({press!r})"})
        line.append(f" {set_cell_size(key, cell_len(key))} ", key_style + click)
        line.append(f"{words} ", words_style + click)
