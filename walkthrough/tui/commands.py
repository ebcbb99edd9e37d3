"""The command palette (ctrl+p): jump straight to any guide by typing its name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class GuideCommands(Provider):
    def _guides(self):
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
