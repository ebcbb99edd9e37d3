"""The command palette (ctrl+p): jump straight to any guide by typing its name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from walkthrough.content.guidefile import LoadedGuide

if TYPE_CHECKING:
    from walkthrough.tui.app import OptOutApp


class GuideCommands(Provider):
    @property
    def app(self) -> OptOutApp:  # type: ignore[override]
        return cast("OptOutApp", super().app)

    def _guides(self) -> list[LoadedGuide]:
        return self.app.catalog.sorted_guides()

    async def discover(self) -> Hits:
        for loaded in self._guides():
            yield DiscoveryHit(
                f"Open guide: {loaded.guide.name}",
                partial(self.app.open_guide, loaded.id),
                help=loaded.guide.title,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for loaded in self._guides():
            text = f"Open guide: {loaded.guide.name}"
            score = max(matcher.match(text), matcher.match(loaded.id))
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), partial(self.app.open_guide, loaded.id), help=loaded.guide.title
                )
