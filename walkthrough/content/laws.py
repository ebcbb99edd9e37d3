"""The laws a letter can rely on, and how long each gives a company to answer.

A shared letter (or a guide's own letter, or a form step) names the laws it
relies on with `law: [gdpr, uk-gdpr, ch-fadp]`. Which one protects the user
depends on where they live: `for_country` picks it. The progress rules
(`walkthrough.progress.status`) use the answer to say when a reply is due.

Each law states its deadline and where it is written, so a reviewer can check
it against the text of the law. When a law sets no deadline for the kind of
request our letters make, `reply_within` is None and `follow_up_after` is a
fair time to wait before writing again: the app then says "follow up", never
"due".

Adding a law: add its id to `LawId` (the guide format and its JSON Schema
take their list from there), an entry to `LAWS`, and regenerate the schemas as
CONTRIBUTING.md says. Never imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple, get_args

from walkthrough.content import regions

if TYPE_CHECKING:
    from walkthrough.content.model import SharedTemplate, Step

LawId = Literal["gdpr", "uk-gdpr", "ch-fadp", "br-lgpd", "us-ca-ccpa", "us-state"]
LAW_IDS: tuple[str, ...] = get_args(LawId)


class Period(NamedTuple):
    """A length of time the law counts in months or in days."""

    months: int = 0
    days: int = 0

    def words(self) -> str:
        if self.months:
            return "one month" if self.months == 1 else f"{_NUMBER_WORDS.get(self.months, self.months)} months"
        return f"{self.days} days"


_NUMBER_WORDS = {2: "two", 3: "three"}


class Law(NamedTuple):  # a NamedTuple, not a dataclass: it is built at start-up, and costs a third as much
    id: str
    name: str  # as a sentence says it: "the EU's General Data Protection Regulation (GDPR)"
    short: str  # "GDPR"
    regions: tuple[str, ...]  # region codes (countries or groups) whose residents it protects
    reply_within: Period | None  # the deadline the law sets for answering; None: it sets none for our letters
    extension: Period | None  # more time a company may take, if it tells the person in time
    follow_up_after: Period  # when to write again if no deadline applies
    rule: str  # the deadline in plain words, with the article, for the record
    source_title: str
    source_url: str  # the text of the law

    def covers(self, country: str | None) -> bool:
        return country is not None and regions.applies(list(self.regions), country)


LAWS: dict[str, Law] = {
    law.id: law
    for law in (
        Law(
            id="gdpr",
            name="the EU's General Data Protection Regulation (GDPR)",
            short="GDPR",
            regions=("EEA",),
            reply_within=Period(months=1),
            extension=Period(months=2),
            follow_up_after=Period(months=1),
            rule=(
                "Article 12(3) GDPR: the company must answer within one month of receiving your request. "
                "It may take two more months if the request is complex, but only if it tells you so, "
                "with its reasons, within the first month."
            ),
            source_title="Regulation (EU) 2016/679 (General Data Protection Regulation), Article 12(3)",
            source_url="https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        ),
        Law(
            id="uk-gdpr",
            name="the UK General Data Protection Regulation (UK GDPR)",
            short="UK GDPR",
            regions=("UK",),
            reply_within=Period(months=1),
            extension=Period(months=2),
            follow_up_after=Period(months=1),
            rule=(
                "Article 12(3) UK GDPR: the company must answer within one month of receiving your request. "
                "It may take two more months if the request is complex, but only if it tells you so, "
                "with its reasons, within the first month."
            ),
            source_title="UK GDPR, Article 12 (legislation.gov.uk)",
            source_url="https://www.legislation.gov.uk/eur/2016/679/article/12",
        ),
        Law(
            id="ch-fadp",
            name="Switzerland's Federal Act on Data Protection (FADP)",
            short="FADP",
            regions=("CH",),
            reply_within=None,
            extension=None,
            follow_up_after=Period(days=30),
            rule=(
                "The FADP gives a company 30 days to answer a request for a copy of your data (Article 25(7)). "
                "It sets no fixed time for other requests, such as an objection: 30 days is a fair time to wait."
            ),
            source_title="Federal Act on Data Protection (FADP), SR 235.1",
            source_url="https://www.fedlex.admin.ch/eli/cc/2022/491/en",
        ),
        Law(
            id="br-lgpd",
            name="Brazil's General Personal Data Protection Law (LGPD)",
            short="LGPD",
            regions=("BR",),
            reply_within=None,
            extension=None,
            follow_up_after=Period(days=15),
            rule=(
                "The LGPD gives a company 15 days to give you a full statement of your data (Article 19). "
                "For other requests it leaves the time to regulation: 15 days is a fair time to wait."
            ),
            source_title="Lei nº 13.709, de 14 de agosto de 2018 (LGPD)",
            source_url="https://www.planalto.gov.br/ccivil_03/_ato2015-2018/2018/lei/l13709.htm",
        ),
        Law(
            id="us-ca-ccpa",
            name="the California Consumer Privacy Act (CCPA), as amended by the CPRA",
            short="CCPA",
            regions=("US",),
            reply_within=Period(days=45),
            extension=Period(days=45),
            follow_up_after=Period(days=45),
            rule=(
                "California Civil Code section 1798.130: the company must answer within 45 days of receiving "
                "your request. It may take 45 more days when reasonably necessary, but only if it tells you "
                "within the first 45 days. It protects people who live in California."
            ),
            source_title="California Civil Code, section 1798.130",
            source_url="https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.130",
        ),
        Law(
            id="us-state",
            name="the privacy law of your US state, if it has one",
            short="your state's privacy law",
            regions=("US",),
            reply_within=None,
            extension=None,
            follow_up_after=Period(days=45),
            rule=(
                "Several US states give residents a right to know what a company holds about them, and most "
                "of those laws, like California's, give the company 45 days to answer. Where no law applies "
                "there is no deadline: 45 days is a fair time to wait."
            ),
            source_title="California Civil Code, section 1798.130 (one such law)",
            source_url="https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.130",
        ),
    )
}


def for_step(step: Step, shared: dict[str, SharedTemplate]) -> tuple[str, ...]:
    """The laws a step relies on: its own `law`, else its letter's, else the shared letter's."""
    if step.law is not None:
        return tuple(step.law)
    template = step.template
    if template is None:
        return ()
    if template.law is not None:
        return tuple(template.law)
    base = shared.get(template.use) if template.use else None
    return tuple(base.law) if base is not None else ()


def for_country(law_ids: Sequence[str], country: str | None) -> Law | None:
    """The first of `law_ids` that protects someone living in `country`; None when none does."""
    for law_id in law_ids:
        law = LAWS.get(law_id)
        if law is not None and law.covers(country):
            return law
    return None
