"""Letters in the record: keeping one when it is copied, and filling the complaint letter.

The app calls `keep_copied_letter` right after it puts a letter on the
clipboard, with the same `Filled` it copied, so the record holds exactly the
text that was sent, with the law it relies on for the user's country. When a
reply is late, `complaint_values` fills the shared complaint letter
(guides/templates/dpa-complaint.yaml) from the record. Never imports Textual.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from walkthrough.content import laws
from walkthrough.content.authorities import Authority
from walkthrough.content.model import SharedTemplate, Step, Template
from walkthrough.content.templates import Filled, fill, resolve
from walkthrough.progress.status import FollowUp
from walkthrough.progress.store import Letter, ProgressStore, Reply

COMPLAINT_TEMPLATE = "dpa-complaint"


def keep_copied_letter(
    store: ProgressStore,
    guide_id: str,
    step: Step,
    filled: Filled,
    shared: Mapping[str, SharedTemplate],
    country: str | None,
) -> Letter | None:
    """Save the letter as copied; None when it is the same as the last copy of this step's letter."""
    law = laws.for_country(laws.for_step(step, dict(shared)), country)
    return store.record_letter(
        guide_id,
        step.id,
        text=filled.text,
        to=filled.to,
        subject=filled.subject,
        law=law.id if law else None,
        country=country,
    )


def complaint_values(
    follow_up: FollowUp,
    platform: str,
    step: Step,
    shared: Mapping[str, SharedTemplate],
    authority: Authority | None,
    replies: list[Reply] | None = None,
) -> dict[str, str]:
    """Blanks of the complaint letter that the record already knows; the user adds their own details."""
    base = shared.get(step.template.use) if step.template and step.template.use else None
    values = {
        "platform": platform,
        "date_sent": follow_up.sent_on.isoformat(),
        "date_due": follow_up.due_on.isoformat(),
        "request": (base.name if base else step.title).rstrip("."),
    }
    if follow_up.law is not None:
        values["law"] = follow_up.law.name
    if authority is not None and authority.name.startswith("the "):
        # "To the {authority}": only a named authority; "your federal state's" one the user names themselves.
        values["authority"] = authority.name.removeprefix("the ")
    numbers = [r.case_number for r in replies or [] if r.case_number and r.step_id == step.id]
    if numbers:
        values["reference"] = numbers[-1]
    return values


def complaint_letter(
    follow_up: FollowUp,
    platform: str,
    step: Step,
    shared: Mapping[str, SharedTemplate],
    authority: Authority | None,
    replies: list[Reply],
    answers: Mapping[str, str],
    today: datetime.date,
) -> Filled | None:
    """The complaint letter as far as the record and the user's remembered answers (name, email) fill it.

    None when the letter is not installed. Blanks nobody knows yet stay as "[their label]" for the user
    to fill in after pasting.
    """
    if COMPLAINT_TEMPLATE not in shared:
        return None
    resolved = resolve(Template(use=COMPLAINT_TEMPLATE), dict(shared))
    asked = {b.name for b in resolved.blanks}
    values = {name: value for name, value in answers.items() if name in asked and value.strip()}
    values.update(complaint_values(follow_up, platform, step, shared, authority, replies))
    return fill(resolved, values, today=today)
