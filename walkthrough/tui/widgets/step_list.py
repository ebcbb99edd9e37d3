"""The list of steps down the left of the guide screen: one widget, drawn as text.

An OptionList cost more than the step itself on every key (it redraws all its
lines after each layout); this list is one piece of text, wrapped here with a
hanging indent, so moving the highlight redraws one cached widget and the
line each step starts on is known without asking the layout. It never moves
the step by itself: the guide screen says which step is current (`show`), and
a click asks it to show another (`StepList.Clicked`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget


def _wrap(words: str, width: int) -> list[str]:
    """`words` in lines of at most `width` cells, broken between words where possible."""
    lines: list[str] = []
    line = ""
    for word in words.split(" "):
        while cell_len(word) > width:  # a word longer than the line
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


class StepList(Widget, can_focus=True):
    """Each step as "✓ 3. Title", the current one highlighted."""

    COMPONENT_CLASSES = {"step-list--current", "step-list--other-region"}

    @dataclass
    class Clicked(Message):
        """The user clicked step `index`."""

        index: int

    DEFAULT_CSS = """
    StepList {
        height: auto;
        & > .step-list--current {
            background: $block-cursor-blurred-background;
        }
        &:focus > .step-list--current {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .step-list--other-region {
            color: $text-muted;
        }
    }
    """

    def __init__(self, prompts: list[tuple[str, str, bool]], **kwargs) -> None:
        """`prompts`: per step, its mark ("✓"), its title, and whether it is for another region."""
        super().__init__(**kwargs)
        self.prompts = prompts
        self.current = 0
        self._lines_cache: tuple[int, list[tuple[int, str]], list[int]] | None = None

    # ---- what is shown -------------------------------------------------------

    def show(self, current: int) -> None:
        if current != self.current:
            # Only the lines of the step that loses the highlight and of the one that gets it.
            regions = [self._step_region(self.current), self._step_region(current)]
            self.current = current
            self.refresh(*(region for region in regions if region))
        self.scroll_to_current()

    def _step_region(self, index: int) -> Region | None:
        width = self.content_size.width
        if not width:
            return None  # not laid out yet: the first layout draws every line
        lines, starts = self._lines(width)
        if index >= len(starts):
            return None
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        return Region(0, starts[index], width, end - starts[index])

    def set_prompt(self, index: int, mark: str, title: str, other_region: bool) -> None:
        if self.prompts[index] != (mark, title, other_region):
            self.prompts[index] = (mark, title, other_region)
            self._lines_cache = None
            self.refresh()

    def _lines(self, width: int) -> tuple[list[tuple[int, str]], list[int]]:
        """The lines for `width` as (step, text), and the line each step starts on."""
        if self._lines_cache is None or self._lines_cache[0] != width:
            lines: list[tuple[int, str]] = []
            starts: list[int] = []
            for i, (mark, title, _) in enumerate(self.prompts):
                head = f"{mark} {i + 1}. "
                starts.append(len(lines))
                body = _wrap(title, max(1, width - cell_len(head)))
                indent = " " * cell_len(head)
                lines += [(i, (head if n == 0 else indent) + text) for n, text in enumerate(body)]
            self._lines_cache = (width, lines, starts)
        return self._lines_cache[1], self._lines_cache[2]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width)[0])

    def render_line(self, y: int) -> Strip:
        # One line at a time (Textual's Line API): moving the highlight redraws two short strips,
        # where rendering the whole list as text cost 4 ms on every key.
        width = max(1, self.content_size.width or self.size.width)
        lines, _ = self._lines(width)
        base = self.rich_style
        if y >= len(lines):
            return Strip.blank(width, base)
        step, text = lines[y]
        style = base
        if step == self.current:
            style = base + self.get_component_rich_style("step-list--current")
        elif self.prompts[step][2]:
            style = base + self.get_component_rich_style("step-list--other-region")
        padded = text + " " * max(0, width - cell_len(text))  # in cells: a title may hold wide characters
        return Strip([Segment(padded, style)]).crop(0, width)

    def on_click(self, event: events.Click) -> None:
        lines, _ = self._lines(self.content_size.width or self.size.width)
        if 0 <= event.y < len(lines):
            self.post_message(self.Clicked(lines[event.y][0]))

    # ---- keeping the current step in view -----------------------------------------

    def scroll_to_current(self) -> None:
        box = self.parent
        if not isinstance(box, VerticalScroll) or not self.size.width:
            return
        lines, starts = self._lines(self.content_size.width or self.size.width)
        start = starts[self.current] if self.current < len(starts) else 0
        end = starts[self.current + 1] if self.current + 1 < len(starts) else len(lines)
        box.scroll_to_region(Region(0, start, 1, end - start), animate=False, immediate=True)

    def on_resize(self) -> None:
        self.scroll_to_current()
