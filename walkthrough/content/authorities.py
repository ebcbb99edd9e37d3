"""Data protection authorities: who to complain to when a company does not answer.

The data is `authorities.yaml` beside this module, one entry per authority
with the countries it serves, its website, its complaint page where one was
checked, and an official page as its source. It ships with the code, not with
the guides: `walkthrough.catalog` lists only guides/*.yaml and
guides/templates/*.yaml, so this file can never be taken for a guide, and the
app never reads an authorities file from another version than this loader.

Every address obeys the guides' link rule (https, on the entry's own
`domains`), so an edit cannot slip a look-alike host in. A damaged file is a
plain `AuthoritiesError`, never a traceback; the app then shows the advice
without an authority. Read only when needed (a reply is overdue, an export),
then kept.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Annotated

from msgspec import Meta, Struct

FILE = Path(__file__).with_name("authorities.yaml")
MAX_BYTES = 128 * 1024


class Authority(Struct, forbid_unknown_fields=True, frozen=True):
    """One data protection authority."""

    countries: Annotated[list[Annotated[str, Meta(pattern=r"^[A-Z]{2}$")]], Meta(min_length=1)]
    name: Annotated[str, Meta(min_length=1, max_length=200)]  # in English, as a sentence says it: "the ICO"
    website: str
    domains: Annotated[list[str], Meta(min_length=1)]
    source: str  # an official page of the authority that confirms this entry
    local_name: str = ""  # its own name, in its own language
    complaint: str | None = None  # its page on making a complaint, when someone checked that it is one
    note: Annotated[str, Meta(max_length=600)] = ""  # what to know before complaining

    @property
    def page(self) -> str:
        """Where to send someone: the complaint page, else the website."""
        return self.complaint or self.website


class AuthoritiesFile(Struct, forbid_unknown_fields=True):
    checked: datetime.date
    authorities: list[Authority]


class AuthoritiesError(Exception):
    """The authorities file cannot be used; the message says where and why."""


@functools.cache
def load(path: Path = FILE) -> dict[str, Authority]:
    """Country code -> its authority. Raises AuthoritiesError for a damaged or unsafe file."""
    from walkthrough.content.links import link_problem
    from walkthrough.content.loader import parse_struct
    from walkthrough.content.problems import ProblemError

    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AuthoritiesError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if len(raw) > MAX_BYTES:
        raise AuthoritiesError(f"{path} is larger than {MAX_BYTES // 1024} KB.")
    try:
        data, _ = parse_struct(path, raw, AuthoritiesFile)
    except ProblemError as exc:
        raise AuthoritiesError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
    by_country: dict[str, Authority] = {}
    for entry in data.authorities:
        for url in (entry.website, entry.source, *([entry.complaint] if entry.complaint else [])):
            problem = link_problem(url, entry.domains)
            if problem:
                raise AuthoritiesError(f"{path}: {entry.name}: {problem}")
        for country in entry.countries:
            if country in by_country:
                raise AuthoritiesError(f"{path}: {country} has two authorities ({by_country[country].name}).")
            by_country[country] = entry
    return by_country


def for_country(country: str | None) -> Authority | None:
    """The authority for someone living in `country`, or None (no country, none listed, or a damaged file)."""
    if country is None:
        return None
    try:
        return load().get(country)
    except AuthoritiesError:
        return None
