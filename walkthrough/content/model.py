"""What a guide file holds: the msgspec types every other part reads.

A guide is written by hand by contributors, so every type forbids unknown
fields (a typo is an error, not a silently ignored line) and every field has a
description, which becomes the JSON Schema editors use and the field reference
in CONTRIBUTING.md.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, field

from walkthrough.content.laws import LawId

Difficulty = Literal["easy", "medium", "hard", "limited", "impossible", "nothing-to-do"]
StepKind = Literal["setting", "form", "email", "action", "info", "check"]
Who = Literal["you", "admin", "owner"]
FieldType = Literal["text", "date"]

DIFFICULTY_WORDS: dict[str, str] = {
    "easy": "Easy",
    "medium": "Medium",
    "hard": "Hard",
    "limited": "Limited (only some rights)",
    "impossible": "No opt-out exists",
    "nothing-to-do": "Nothing to do",
}

WHO_WORDS: dict[str, str] = {
    "you": "You",
    "admin": "An admin or owner of your workspace or team",
    "owner": "The owner of the workspace, site or publication",
}

ShortText = Annotated[str, Meta(min_length=1, max_length=200)]
LongText = Annotated[str, Meta(min_length=1, max_length=20_000)]
Ident = Annotated[
    str,
    Meta(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=60,
        description="Lowercase letters, digits and hyphens, for example `turn-off-training`.",
    ),
]
BlankName = Annotated[
    str,
    Meta(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=40,
        description="Lowercase letters, digits and underscores, for example `full_name`.",
    ),
]
FIELD_TYPE = Annotated[
    FieldType,
    Meta(
        description=(
            "`text` (the default), or `date`: the app then takes a date written in the usual ways "
            "(or `today`), asks when one could be read two ways, keeps it as a date and writes it "
            "in words, like 23 November 2026."
        )
    ),
]
_LAW_IDS = (
    "`gdpr` (EU and EEA), `uk-gdpr`, `ch-fadp` (Switzerland), `br-lgpd` (Brazil), "
    "`us-ca-ccpa` (California), `us-state` (other US state laws)"
)
Region = Annotated[
    str,
    Meta(
        pattern=r"^[A-Z]{2,3}$",
        description="An ISO 3166 country code such as `DE` or `US`, or a group: `EU`, `EEA`, `UK`.",
    ),
]


class Link(Struct, forbid_unknown_fields=True):
    """A page the app opens in the user's browser."""

    url: Annotated[str, Meta(description="The full https:// address. Its host must be in the guide's `domains`.")]
    label: Annotated[ShortText, Meta(description="What the button says, for example `Open the setting`.")]


class Source(Struct, forbid_unknown_fields=True):
    """Where a fact in the guide comes from."""

    url: Annotated[str, Meta(description="The https:// address of the page. The platform's own help pages first.")]
    title: Annotated[str, Meta(max_length=300, description="The page's title, as shown on it.")] = ""
    date: Annotated[
        datetime.date | None,
        Meta(description="The date the page shows (published or updated), if it shows one. YYYY-MM-DD."),
    ] = None


class Blank(Struct, forbid_unknown_fields=True):
    """A gap in a template that the user fills in, written `{name}` in the text."""

    name: BlankName
    label: Annotated[ShortText, Meta(description="The question the app asks, for example `Your full name`.")]
    hint: Annotated[str, Meta(max_length=500, description="Where to find the answer, in one sentence.")] = ""
    example: Annotated[str, Meta(max_length=200, description="An example answer.")] = ""
    type: FIELD_TYPE = "text"


class Template(Struct, forbid_unknown_fields=True):
    """Text to copy into a form or an email, with blanks the user fills in.

    Either `use` names a shared template from `guides/templates/`, or `text`
    is written out here. `values` fills blanks the guide already knows.
    """

    use: Annotated[Ident | None, Meta(description="The id of a shared template in `guides/templates/`.")] = None
    to: Annotated[
        Annotated[str, Meta(max_length=200)] | None, Meta(description="Where to send it: an email address.")
    ] = None
    subject: Annotated[Annotated[str, Meta(max_length=300)] | None, Meta(description="The email subject line.")] = None
    text: Annotated[
        Annotated[str, Meta(max_length=20_000)] | None,
        Meta(description="The text to copy. Blanks are written `{name}`."),
    ] = None
    blanks: Annotated[list[Blank], Meta(description="The blanks in `text` (or extra ones for a shared template).")] = (
        field(default_factory=list)
    )
    values: Annotated[
        dict[BlankName, str],
        Meta(description="Blanks the guide fills in already, for example `platform: LinkedIn`."),
    ] = field(default_factory=dict)
    law: Annotated[
        list[LawId] | None,
        Meta(
            description="The laws this letter relies on, when not those of the shared letter it uses: " + _LAW_IDS + "."
        ),
    ] = None


class Record(Struct, forbid_unknown_fields=True):
    """Something worth keeping after a step: a date sent, a case number."""

    name: BlankName
    label: Annotated[ShortText, Meta(description="What to type in, for example `Confirmation number`.")]
    type: FIELD_TYPE = "text"


class Step(Struct, forbid_unknown_fields=True):
    """One thing the user does. One action per step."""

    id: Annotated[Ident, Meta(description="Stable id. Progress is saved under it, so keep it when you edit the step.")]
    kind: Annotated[
        StepKind,
        Meta(
            description=(
                "setting: flip a switch. form: fill in a web form. email: send a message. "
                "action: do something else (delete, download). info: read only. check: look that it worked."
            )
        ),
    ]
    title: Annotated[ShortText, Meta(description="Starts with a verb: `Turn off ...`, `Open ...`.")]
    body: Annotated[LongText, Meta(description="What to do, in short sentences. Markdown.")]
    link: Annotated[Link | None, Meta(description="The page to open for this step.")] = None
    expect: Annotated[
        Annotated[str, Meta(max_length=1000)] | None,
        Meta(description="What the user sees when it worked, in the words on screen."),
    ] = None
    fallback: Annotated[
        Annotated[str, Meta(max_length=2000)] | None,
        Meta(description="What to look for if the page looks different or the link fails."),
    ] = None
    regions: Annotated[
        list[Region] | None,
        Meta(description="Where this step applies. Leave it out if it applies wherever the guide does."),
    ] = None
    who: Annotated[
        Who,
        Meta(
            description="Who can do this: you, an admin (or owner) of a workspace or team, or the owner of a workspace, site or publication."
        ),
    ] = "you"
    template: Annotated[Template | None, Meta(description="Text to copy, for forms and emails.")] = None
    record: Annotated[
        list[Record], Meta(description="What the user may want to keep, such as a date or a case number.")
    ] = field(default_factory=list)
    sources: Annotated[
        list[Source],
        Meta(description="Where this step's facts come from, when they need their own source. Shown at the step."),
    ] = field(default_factory=list)
    checked: Annotated[
        datetime.date | None,
        Meta(description="The day someone last checked this step, if not the guide's `last_verified`. YYYY-MM-DD."),
    ] = None
    law: Annotated[
        list[LawId] | None,
        Meta(
            description="For a form with no letter to copy: the laws the request relies on, so the app can say "
            "when a reply is due: " + _LAW_IDS + "."
        ),
    ] = None


class Guide(Struct, forbid_unknown_fields=True):
    """One platform's way out of AI training. The file name is its id."""

    name: Annotated[ShortText, Meta(description="The platform as people know it, for example `LinkedIn`.")]
    title: Annotated[ShortText, Meta(description="What the guide achieves.")]
    summary: Annotated[
        Annotated[str, Meta(min_length=1, max_length=1000)],
        Meta(description="One to three plain sentences."),
    ]
    last_verified: Annotated[
        datetime.date, Meta(description="The day someone last checked the steps against the real site. YYYY-MM-DD.")
    ]
    difficulty: Annotated[
        Difficulty,
        Meta(
            description=(
                "easy, medium, hard; limited (only where the law gives you rights); "
                "impossible (no way out exists: say what the user can still do); "
                "nothing-to-do (the platform says it does not train on your data: cite where, "
                "and give steps to check)."
            )
        ),
    ]
    minutes: Annotated[int, Meta(ge=1, le=600, description="About how long it takes, in minutes.")]
    recheck_days: Annotated[int, Meta(ge=7, le=730, description="After how many days the user should check again.")]
    domains: Annotated[
        list[Annotated[str, Meta(min_length=3, max_length=100)]],
        Meta(min_length=1, description="The hosts this guide's links may point to, for example `linkedin.com`."),
    ]
    sources: Annotated[list[Source], Meta(min_length=1, description="Where the facts come from.")]
    steps: Annotated[list[Step], Meta(min_length=1, description="What to do, in order.")]
    regions: Annotated[
        list[Region] | None, Meta(description="Where the guide applies. Leave it out if it applies everywhere.")
    ] = None
    limits: Annotated[
        list[Annotated[str, Meta(min_length=1, max_length=500)]],
        Meta(description="What following the guide does not achieve, one line each."),
    ] = field(default_factory=list)
    aliases: Annotated[
        list[Annotated[str, Meta(min_length=2, max_length=60)]],
        Meta(
            max_length=20,
            description="Other names people know the platform or its apps by, for search: `Facebook`, `Twitter`.",
        ),
    ] = field(default_factory=list)


class SharedTemplate(Struct, forbid_unknown_fields=True):
    """A letter written once in `guides/templates/` and used by several guides."""

    name: Annotated[ShortText, Meta(description="What the letter is, for example `Objection under GDPR Article 21`.")]
    text: Annotated[LongText, Meta(description="The letter. Blanks are written `{name}`.")]
    blanks: Annotated[list[Blank], Meta(description="Every blank in `text` and `subject`.")]
    subject: Annotated[Annotated[str, Meta(max_length=300)] | None, Meta(description="The email subject line.")] = None
    description: Annotated[str, Meta(max_length=1000, description="When to use it.")] = ""
    law: Annotated[
        list[LawId],
        Meta(
            description="The laws the letter relies on, so the app can say when a reply is due: "
            + _LAW_IDS
            + ". The one that protects the user's country is used; leave it out for a letter that is not a request "
            "under a law."
        ),
    ] = field(default_factory=list)


def step_fingerprint(step: Step) -> str:
    """A short hash of what a step asks, so progress can notice when it changes.

    `law` and the `type` of a field say how to treat a step, not what it asks of
    the user, so they are left out: marking a date field as a date, or naming a
    letter's law, does not flag every user's step as "changed since you did it".
    """
    data = msgspec.to_builtins(step)
    assert isinstance(data, dict)
    data.pop("law", None)
    for item in data.get("record", []):
        item.pop("type", None)
    template = data.get("template")
    if isinstance(template, dict):
        template.pop("law", None)
        for blank in template.get("blanks", []):
            blank.pop("type", None)
    return hashlib.sha256(msgspec.json.encode(data)).hexdigest()[:16]
