"""Every address the guides show, each once, with every place that uses it. No network here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from walkthrough.catalog.loading import Catalog
from walkthrough.content.links import shown_urls


@dataclass(frozen=True)
class Use:
    """One place a link appears: a guide step, a guide's sources, or the command line."""

    guide: str | None = None  # guide id; None for an address given on the command line
    guide_name: str | None = None
    file: str | None = None
    step: str | None = None  # step id; None for a source
    step_number: int | None = None
    step_title: str | None = None
    field: str | None = None  # where in the guide or step: link, body, fallback, source, summary, ...

    @property
    def kind(self) -> str:
        """url (given on the command line), source, step (a step's link or text) or guide (the guide's own text)."""
        if self.guide is None:
            return "url"
        if self.step is not None:
            return "step"
        return "source" if self.field in (None, "source") else "guide"


@dataclass
class Target:
    """One distinct address and every place that uses it."""

    url: str
    uses: list[Use] = field(default_factory=list)


def collect(catalog: Catalog) -> list[Target]:
    """Every address every guide in `catalog` shows (links, text, letters, sources), one Target per address.

    The same rule as `validate` finds them (walkthrough.content.links.shown_urls),
    so an address in a step's text is checked as surely as its link.
    """
    targets: dict[str, Target] = {}
    for loaded in catalog.sorted_guides():
        guide = loaded.guide
        # Steps in order, then the guide's own text, then its sources: the order of the report.
        found = sorted(
            shown_urls(guide, catalog.templates),
            key=lambda s: (s.kind == "source", s.step_index is None, s.step_index or 0),
        )
        for shown in found:
            url = "https://" + shown.url if shown.url.startswith("www.") else shown.url
            field_name = (
                "source"
                if shown.kind == "source"
                else next((p for p in reversed(shown.path) if isinstance(p, str) and p not in ("url",)), None)
            )
            index = shown.step_index
            step = guide.steps[index] if index is not None else None
            use = Use(
                guide=loaded.id,
                guide_name=guide.name,
                file=str(loaded.path),
                step=step.id if step else None,
                step_number=index + 1 if index is not None else None,
                step_title=step.title if step else None,
                field=field_name,
            )
            targets.setdefault(url, Target(url)).uses.append(use)
    return list(targets.values())


def direct(urls: Iterable[str]) -> list[Target]:
    """Addresses given on the command line, checked exactly as written."""
    targets: dict[str, Target] = {}
    for url in urls:
        targets.setdefault(url, Target(url)).uses.append(Use())
    return list(targets.values())


def merge(*groups: list[Target]) -> list[Target]:
    targets: dict[str, Target] = {}
    for group in groups:
        for target in group:
            targets.setdefault(target.url, Target(target.url)).uses.extend(target.uses)
    return list(targets.values())


def host_key(url: str) -> str:
    """What the per-host limit counts by: the host name alone.

    Not host:port and not the scheme, because http://x and https://x (ports 80
    and 443) are one platform, and the limit exists to spare the platform.
    """
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
