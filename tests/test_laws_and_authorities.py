"""The laws letters rely on, the authorities people complain to, and the format fields that name them."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from walkthrough.catalog.folders import guide_files, template_files
from walkthrough.catalog.loading import load_catalog
from walkthrough.content import authorities, laws, regions
from walkthrough.content.loader import load_guide
from walkthrough.content.model import Step, step_fingerprint

REPO = Path(__file__).resolve().parent.parent


def test_every_law_id_the_format_accepts_has_its_rules():
    assert set(laws.LAW_IDS) == set(laws.LAWS)
    for law in laws.LAWS.values():
        assert law.source_url.startswith("https://") and law.rule and law.name
        assert all(regions.is_known(code) for code in law.regions)
        assert law.reply_within is not None or law.extension is None


def test_the_guide_schema_offers_exactly_these_laws():
    schema = json.loads((REPO / "guides" / "template-schema.json").read_text())
    text = json.dumps(schema)
    for law_id in laws.LAW_IDS:
        assert f'"{law_id}"' in text


def test_every_shared_letter_that_is_a_request_names_its_laws():
    catalog = load_catalog(None)
    assert catalog.templates["gdpr-objection"].law == ["gdpr", "uk-gdpr", "ch-fadp", "br-lgpd"]
    assert catalog.templates["data-access-request"].law == ["gdpr", "uk-gdpr", "ch-fadp", "br-lgpd"]
    assert catalog.templates["california-request"].law == ["us-ca-ccpa"]
    assert catalog.templates["us-data-request"].law == ["us-state"]
    assert catalog.templates["admin-request"].law == []  # a note to an admin is not a legal request


def test_a_step_takes_its_law_from_itself_then_its_letter_then_the_shared_letter():
    catalog = load_catalog(None)
    form = next(s for s in catalog.guides["linkedin"].guide.steps if s.id == "objection-form")
    assert laws.for_step(form, catalog.templates) == ("gdpr", "uk-gdpr", "ch-fadp", "br-lgpd")
    own = msgspec.structs.replace(form, template=msgspec.structs.replace(form.template, law=["uk-gdpr"]))
    assert laws.for_step(own, catalog.templates) == ("uk-gdpr",)
    step_law = msgspec.structs.replace(own, law=["us-ca-ccpa"])
    assert laws.for_step(step_law, catalog.templates) == ("us-ca-ccpa",)


def test_an_unknown_law_is_a_clear_error_at_its_line(tmp_path):
    guide = (REPO / "guides" / "linkedin.yaml").read_text()
    broken = guide.replace("      use: gdpr-objection\n", "      use: gdpr-objection\n      law: [gpdr]\n")
    path = tmp_path / "linkedin.yaml"
    path.write_text(broken)
    result = load_guide(path, load_catalog(None).templates)
    assert not result.ok
    problem = result.problems[0]
    assert problem.code == "E103" and problem.line == broken.splitlines().index("      law: [gpdr]") + 1
    assert "gdpr" in problem.message  # it lists what is allowed


def test_a_field_marked_as_a_date_or_a_law_does_not_change_the_steps_fingerprint():
    base = {"id": "send", "kind": "form", "title": "Send the form", "body": "Send it."}
    plain = msgspec.convert({**base, "record": [{"name": "date_sent", "label": "Date"}]}, Step)
    typed = msgspec.convert(
        {**base, "record": [{"name": "date_sent", "label": "Date", "type": "date"}], "law": ["gdpr"]}, Step
    )
    assert step_fingerprint(plain) == step_fingerprint(typed)
    reworded = msgspec.convert({**base, "record": [{"name": "date_sent", "label": "When you sent it"}]}, Step)
    assert step_fingerprint(reworded) != step_fingerprint(plain)  # what it asks still counts


def test_the_bundled_date_fields_are_dates():
    catalog = load_catalog(None)
    linkedin = {s.id: s for s in catalog.guides["linkedin"].guide.steps}
    assert [(r.name, r.type) for r in linkedin["objection-form"].record] == [("date_sent", "date")]
    assert [(r.name, r.type) for r in linkedin["keep-the-email"].record] == [("case_number", "text")]
    date_blank = next(b for b in catalog.templates["gdpr-objection"].blanks if b.name == "date")
    assert date_blank.type == "date"


# ---- authorities ---------------------------------------------------------------------


def test_every_eu_and_eea_country_the_uk_and_switzerland_have_an_authority():
    found = authorities.load()
    needed = set(regions.EEA) | {"GB", "CH"}
    assert needed <= set(found), sorted(needed - set(found))


def test_every_authority_has_an_official_source_and_addresses_on_its_own_domains():
    from walkthrough.content.links import link_problem

    for authority in authorities.load().values():
        assert authority.name.startswith(("the ", "your ")), authority.name  # it reads well in a sentence
        for url in (authority.website, authority.source, authority.page):
            assert link_problem(url, authority.domains) is None, url
        assert authority.page in (authority.complaint, authority.website)


def test_the_authorities_file_is_never_taken_for_a_guide():
    data_file = authorities.FILE
    bundled = REPO / "guides"
    assert data_file not in guide_files(bundled) + template_files(bundled)
    assert "authorities" not in load_catalog(None).guides


def write(tmp_path, entry: str) -> Path:
    path = tmp_path / "authorities.yaml"
    path.write_text(f"checked: 2026-12-01\nauthorities:\n{entry}")
    return path


ENTRY = """  - countries: [FR]
    name: the CNIL
    website: https://www.cnil.fr/
    domains: [cnil.fr]
    source: https://www.cnil.fr/
"""


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("website: https://www.cnil.fr/", "website: https://www.cnil.fr.evil.example/"), "not one of"),
        (("website: https://www.cnil.fr/", "website: http://www.cnil.fr/"), "https://"),
        (("source: https://www.cnil.fr/", "source: https://www.cnіl.fr/"), "only look like"),
        (("    name: the CNIL\n", "    name: the CNIL\n    colour: red\n"), "colour"),
    ],
)
def test_a_damaged_or_unsafe_authorities_file_is_refused_in_words(tmp_path, change, words):
    path = write(tmp_path, ENTRY.replace(*change))
    with pytest.raises(authorities.AuthoritiesError) as caught:
        authorities.load(path)
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_two_authorities_for_one_country_are_refused(tmp_path):
    with pytest.raises(authorities.AuthoritiesError, match="FR has two authorities"):
        authorities.load(write(tmp_path, ENTRY + ENTRY))


def test_a_country_without_an_authority_gets_none():
    assert authorities.for_country("JP") is None
    assert authorities.for_country(None) is None
