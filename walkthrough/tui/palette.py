"""The command palette (ctrl+p): jump straight to any guide by typing its name.

Guide names and titles come from strangers' files, and the palette reads a
plain string as Textual markup: `[@click=...]` in a name would be a working
action. So every name and title goes in as `Content` (plain text, made
visible with `safe_text.visible`), which the palette shows as it is. The
guides come from the catalogue's rows (walkthrough.catalog.outline.Rows), so
opening the palette decodes no guide.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from walkthrough.safe_text import visible

if TYPE_CHECKING:
    from walkthrough.tui.app import OptOutApp


def plain(text: str) -> Content:
    """Guide text as the palette should show it: as written, never as markup."""
    return Content(visible(text))


class GuideCommands(Provider):
    @property
    def app(self) -> OptOutApp:  # type: ignore[override]
        return cast("OptOutApp", super().app)

    def _guides(self) -> list[tuple[str, str, str]]:
        """(id, name, title) of every guide, by name."""
        rows = self.app.catalog.rows()
        return list(zip(rows.ids, rows.names, rows.titles, strict=True))

    async def discover(self) -> Hits:
        for gid, name, title in self._guides():
            yield DiscoveryHit(
                plain(f"Open guide: {name}"),
                partial(self.app.open_guide, gid),
                text=f"Open guide: {name}",
                help=cast(str, plain(title)),  # Content is shown as it is; a str would be read as markup
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for gid, name, title in self._guides():
            text = f"Open guide: {visible(name)}"
            score = max(matcher.match(text), matcher.match(gid))
            if score > 0:
                yield Hit(
                    score,
                    self._highlight(matcher, text),
                    partial(self.app.open_guide, gid),
                    text=text,
                    help=cast(str, plain(title)),
                )

    @staticmethod
    def _highlight(matcher, text: str) -> Content:
        # Matcher.highlight would read `text` as markup first; this marks the same letters on plain text.
        content = Content(text)
        _, offsets = matcher.fuzzy_search.match(matcher.query, text)
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
        return content
