"""What the user has done, joined with the guides as they are now.

`optout-tui progress`, the export and the app's record all read this, so a
step's state, its label and its saved fields read the same everywhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from walkthrough.catalog.loading import Catalog
from walkthrough.content.model import SharedTemplate, Step
from walkthrough.content.templates import resolve
from walkthrough.progress.status import (
    FollowUp,
    GuideStatus,
    StepState,
    guide_follow_up,
    guide_status,
    step_follow_ups,
    step_state,
)
from walkthrough.progress.store import HistoryEvent, Letter, ProgressStore, Reply, StepRecord


@dataclass(frozen=True)
class StepRow:
    """One step of a guide, with what the user saved on it."""

    id: str
    title: str
    link: str | None
    state: StepState
    record: StepRecord | None
    labels: dict[str, str] = field(default_factory=dict)  # field name -> what the box asked
    gone: bool = False  # recorded, but no longer a step of the guide


class Report:
    """The store's records and history, read once, beside the catalogue."""

    def __init__(self, store: ProgressStore, catalog: Catalog, *, today: datetime.date | None = None) -> None:
        self.catalog = catalog
        self.country = store.get_setting("region")
        self.records = store.all()
        self.history: list[HistoryEvent] = store.history()
        self.letters: list[Letter] = store.letters()
        self.replies: list[Reply] = store.replies()
        self.today = today or datetime.date.today()

    def ids(self, with_history: bool = False) -> list[str]:
        """Guides with saved progress (and, with `with_history`, guides with only history, letters or replies left)."""
        ids = set(self.records)
        if with_history:
            ids |= {e.guide_id for e in self.history} | {x.guide_id for x in self.letters}
            ids |= {r.guide_id for r in self.replies}
        return sorted(ids, key=lambda gid: (self.name(gid).lower(), gid))

    def letters_for(self, gid: str, sid: str) -> list[Letter]:
        """Every version of a step's letter as copied, oldest first."""
        return [x for x in self.letters if x.guide_id == gid and x.step_id == sid]

    def replies_for(self, gid: str, sid: str | None = None) -> list[Reply]:
        return [r for r in self.replies if r.guide_id == gid and (sid is None or r.step_id == sid)]

    def follow_ups(self, gid: str) -> dict[str, FollowUp]:
        """Step id -> where its letter or form stands (waiting, overdue, answered)."""
        loaded = self.catalog.guides.get(gid)
        if loaded is None:
            return {}
        return step_follow_ups(
            loaded.guide,
            self.records.get(gid, {}),
            self.replies_for(gid),
            self.catalog.templates,
            self.country,
            self.today,
        )

    def follow_up(self, gid: str) -> FollowUp | None:
        """The one follow-up to show for the whole guide."""
        loaded = self.catalog.guides.get(gid)
        if loaded is None:
            return None
        return guide_follow_up(
            loaded.guide,
            self.records.get(gid, {}),
            self.replies_for(gid),
            self.catalog.templates,
            self.country,
            self.today,
        )

    def name(self, gid: str) -> str:
        loaded = self.catalog.guides.get(gid)
        return loaded.guide.name if loaded else gid

    def status(self, gid: str) -> GuideStatus | None:
        loaded = self.catalog.guides.get(gid)
        return guide_status(loaded, self.records.get(gid, {}), self.country, self.today) if loaded else None

    def find(self, wanted: str) -> str | None:
        """A guide id from what the user typed: its id or its name, in any case."""
        if wanted in self.catalog.guides or wanted in self.records:
            return wanted
        lowered = wanted.lower()
        for gid, loaded in self.catalog.guides.items():
            if lowered in (gid.lower(), loaded.guide.name.lower()):
                return gid
        return next((gid for gid in self.records if gid.lower() == lowered), None)

    def steps_by_id(self, gid: str) -> dict[str, Step]:
        loaded = self.catalog.guides.get(gid)
        return {s.id: s for s in loaded.guide.steps} if loaded else {}

    def rows(self, gid: str) -> list[StepRow]:
        """One row per step: the guide's steps in order, then records of steps it no longer has."""
        loaded = self.catalog.guides.get(gid)
        records = self.records.get(gid, {})
        rows = []
        for step in loaded.guide.steps if loaded else []:
            record = records.get(step.id)
            rows.append(
                StepRow(
                    id=step.id,
                    title=step.title,
                    link=step.link.url if step.link else None,
                    state=step_state(step, record, self.country, loaded.guide if loaded else None),
                    record=record,
                    labels=field_labels(step, self.catalog.templates),
                )
            )
        known = {row.id for row in rows}
        for sid, record in records.items():
            if sid not in known:
                rows.append(StepRow(sid, sid, None, record.status or "todo", record, gone=True))
        return rows


def field_labels(step: Step, shared: dict[str, SharedTemplate]) -> dict[str, str]:
    """What each saved field of a step is called on screen: record fields, then the letter's blanks."""
    labels = {r.name: r.label for r in step.record}
    if step.template:
        for blank in resolve(step.template, shared).blanks:
            labels.setdefault(blank.name, blank.label)
    return labels


def label_for(name: str, labels: dict[str, str]) -> str:
    return labels.get(name) or name.replace("_", " ").capitalize()


def local_time(moment: datetime.datetime, offset: bool = False) -> str:
    """The user's clock: what they remember. With `offset`, unambiguous for a printed record."""
    here = moment.astimezone()
    text = here.strftime("%Y-%m-%d %H:%M")
    if offset:
        z = here.strftime("%z")
        text += f" (UTC{z[:3]}:{z[3:]})" if z else ""
    return text
