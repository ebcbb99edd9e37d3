"""What a new set of guides changes for this user, in plain words.

Compares the set in use with the new one file by file (SHA-256), then, for
each changed guide, step by step (the step fingerprints the progress record
keeps): "You finished LinkedIn; its step 'Turn off ...' changed, so it is
marked to check again." Nothing is marked by this module: the status rules
(`walkthrough.progress.status`) already show a step as changed when its
fingerprint differs from the one saved with it. This only says so up front.

The progress record is opened read-only (SQLite's mode=ro) and only if it
exists: an update never creates, migrates or moves the user's record.
"""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from walkthrough.catalog.folders import guide_files, template_files
from walkthrough.content.guidefile import LoadedGuide, guide_id
from walkthrough.content.model import Guide, Step, step_fingerprint
from walkthrough.progress import status
from walkthrough.progress.store import SCHEMA_VERSION, STATUSES, StepRecord

Records = dict[str, dict[str, StepRecord]]


@dataclass
class Changes:
    changed: list[str] = field(default_factory=list)  # guide names
    new: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)  # shared letters changed, new or removed (their names)
    gained_hosts: list[tuple[str, list[str]]] = field(default_factory=list)  # (guide name, hosts it newly links to)
    progress: list[str] = field(default_factory=list)  # what this means for what the user did

    def lines(self) -> list[str]:
        """The plain-words report: counts first, then names, then what it means for the user."""
        if not (self.changed or self.new or self.removed or self.letters):
            return ["No guide changed."]
        # "3 guides changed, 2 new." / "2 new guides, 1 removed." / "1 guide removed."
        counts = []
        if self.changed:
            counts.append(f"{_n(len(self.changed), 'guide')} changed")
        if self.new:
            n = len(self.new)
            counts.append(f"{n} new" if counts else f"{n} new guide{'' if n == 1 else 's'}")
        if self.removed:
            counts.append(f"{len(self.removed)} removed" if counts else f"{_n(len(self.removed), 'guide')} removed")
        lines = [(", ".join(counts) + ".") if counts else ""]
        if self.changed:
            lines.append(f"Changed: {_names(self.changed)}.")
        if self.new:
            lines.append(f"New: {_names(self.new)}.")
        if self.removed:
            lines.append(f"Removed: {_names(self.removed)}.")
        if self.letters:
            word = "letter" if len(self.letters) == 1 else "letters"
            lines.append(f"Shared {word} changed: {_names(self.letters)}.")
        for name, hosts in self.gained_hosts:
            lines.append(f"{name}'s guide now also links to {_names(hosts)}.")
        lines += self.progress
        return [line for line in lines if line]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _names(items: list[str]) -> str:
    return ", ".join(items)


def _quoted(steps: list[Step]) -> str:
    titles = [f"'{s.title}'" for s in steps]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


# ---- the user's record, read-only -----------------------------------------------


def read_progress(path: Path) -> tuple[Records, str | None]:
    """Every marked step and the user's country, without writing anything; empty when there is no record.

    A record that cannot be read (damaged, locked, from a newer app) only means
    the report says less: the update itself does not depend on it.
    """
    if not path.is_file():
        return {}, None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
    except sqlite3.Error:
        return {}, None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return {}, None
        records: Records = {}
        for gid, sid, state, fingerprint in conn.execute("SELECT guide_id, step_id, status, fingerprint FROM mark"):
            if state in STATUSES:
                kind = cast("Literal['done', 'skipped']", state)
                records.setdefault(gid, {})[sid] = StepRecord(kind, None, fingerprint)
        row = conn.execute("SELECT value FROM setting WHERE key = 'region'").fetchone()
        return records, (row[0] if row else None)
    except sqlite3.Error:
        return {}, None
    finally:
        conn.close()


# ---- comparing sets ---------------------------------------------------------------


def _file_hashes(folder: Path) -> dict[str, tuple[Path, str]]:
    """Archive name -> (path, SHA-256) for every guide and letter in a set folder."""
    out = {}
    for path in [*guide_files(folder), *template_files(folder)]:
        name = path.name if path.parent == folder else f"templates/{path.name}"
        try:
            out[name] = (path, hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            continue
    return out


def _load_old(paths: list[Path], folder: Path, today: datetime.date) -> dict[str, Guide]:
    """The old versions of the changed guides, as the app read them (errors only: it is only compared)."""
    from walkthrough.content.loader import load_guide, load_template

    templates = {}
    for path in template_files(folder):
        result = load_template(path)
        if result.value is not None:
            templates[guide_id(path)] = result.value
    old = {}
    for path in paths:
        loaded = load_guide(path, templates, today=today, style=False)
        if loaded.value is not None:
            old[guide_id(path)] = loaded.value
    return old


def describe(
    old_folder: Path,
    new_hashes: dict[str, str],
    new_guides: dict[str, Guide],
    new_letter_names: dict[str, str],
    *,
    progress_file: Path,
    today: datetime.date,
) -> Changes:
    """What changes for the user when `old_folder`'s set is replaced by the new one.

    `new_hashes`: archive name -> SHA-256 of every new file; `new_guides`: guide id -> Guide;
    `new_letter_names`: letter id -> its name, for the report.
    """
    old = _file_hashes(old_folder)
    changes = Changes()
    old_guides = {guide_id(Path(n)): (n, p) for n, (p, _) in old.items() if "/" not in n}
    new_ids = {guide_id(Path(n)): n for n in new_hashes if "/" not in n}

    changed_ids = [
        gid for gid, n in new_ids.items() if gid in old_guides and old[old_guides[gid][0]][1] != new_hashes[n]
    ]
    # A guide whose file was renamed from .yml to .yaml with the same text has not changed for anyone.
    changed_ids = sorted(changed_ids, key=lambda g: new_guides[g].name.lower())
    new_only = sorted((g for g in new_ids if g not in old_guides), key=lambda g: new_guides[g].name.lower())
    removed_ids = sorted(g for g in old_guides if g not in new_ids)

    old_versions = _load_old([old_guides[g][1] for g in [*changed_ids, *removed_ids]], old_folder, today)
    changes.changed = [new_guides[g].name for g in changed_ids]
    changes.new = [new_guides[g].name for g in new_only]
    changes.removed = [old_versions[g].name if g in old_versions else g for g in removed_ids]

    old_letters = {guide_id(Path(n)): h for n, (_, h) in old.items() if "/" in n}
    new_letters = {guide_id(Path(n)): h for n, h in new_hashes.items() if "/" in n}
    changes.letters = [
        new_letter_names.get(lid, lid)
        for lid in sorted(set(old_letters) | set(new_letters))
        if old_letters.get(lid) != new_letters.get(lid) and lid in new_letters
    ]

    for gid in changed_ids:
        before = old_versions.get(gid)
        if before is None:
            continue
        gained = sorted(set(new_guides[gid].domains) - set(before.domains))
        if gained:
            changes.gained_hosts.append((new_guides[gid].name, gained))

    records, country = read_progress(progress_file)
    for gid in changed_ids:
        before = old_versions.get(gid)
        if before is not None and records.get(gid):
            note = _progress_note(gid, before, new_guides[gid], records[gid], country, today)
            if note:
                changes.progress.append(note)
    for gid in removed_ids:
        if any(r.status for r in records.get(gid, {}).values()):
            name = old_versions[gid].name if gid in old_versions else gid
            changes.progress.append(f"The guide for {name} is no longer in the guides; your record of it is kept.")
    return changes


def _progress_note(
    gid: str, before: Guide, after: Guide, records: dict[str, StepRecord], country: str | None, today: datetime.date
) -> str | None:
    old_steps = {s.id: s for s in before.steps}
    # Only steps this update changes: one already shown as changed before it is old news.
    changed = [
        s
        for s in after.steps
        if (r := records.get(s.id)) is not None
        and r.status is not None
        and s.id in old_steps
        and r.fingerprint == step_fingerprint(old_steps[s.id])
        and r.fingerprint != step_fingerprint(s)
    ]
    was = status.guide_status(LoadedGuide(gid, Path(gid), before), records, country, today)
    finished = status.is_finished(was)
    name = after.name
    if changed:
        many = len(changed) > 1
        steps_word = "steps" if many else "step"
        mark = "they are" if many else "it is"
        if finished:
            return f"You finished {name}; its {steps_word} {_quoted(changed)} changed, so {mark} marked to check again."
        return f"You started {name}; its {steps_word} {_quoted(changed)}, which you marked, changed, so {mark} marked to check again."
    now = status.guide_status(LoadedGuide(gid, Path(gid), after), records, country, today)
    if finished and not status.is_finished(now):
        added = [
            s
            for s in status.counted_steps(after, country)
            if s.id not in old_steps and (records.get(s.id) is None or records[s.id].status is None)
        ]
        if added:
            word = "steps" if len(added) > 1 else "step"
            return f"You finished {name}; it has {len(added)} new {word} ({_quoted(added)}), so it is open again."
    return None
