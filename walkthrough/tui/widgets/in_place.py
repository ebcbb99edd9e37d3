"""Change a Static's words without laying the whole screen out again, when its size stays the same.

Textual lays out every widget on the screen when any one of them may have
changed size: a few milliseconds at 80x24, paid on each key that updates a
line such as "Step 3 of 5 · Done". Most such updates keep the line's size, so
the size the new words need is worked out first and a layout asked for only
when it differs.
"""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual.css.styles import RulesMap
from textual.visual import visualize
from textual.widgets import Static


def update_text(static: Static, content: Text) -> None:
    """`static.update(content)`, with a layout only if the new words need another size.

    Text only, never a string: a string could be read as markup, by the widget and here alike.
    """
    width, height = static.content_size
    if not width:
        static.update(content)
        return
    visual = visualize(static, content, markup=False)
    styles = static.styles
    rules = cast(RulesMap, styles)  # what Textual itself passes here
    resized = visual.get_height(rules, width) != height
    if styles.width is not None and styles.width.is_auto:
        resized = resized or visual.get_optimal_width(rules, static.container_size.width) != width
    static.update(content, layout=resized)
