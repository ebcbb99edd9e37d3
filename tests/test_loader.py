"""Loading guides from strangers' pull requests: every hostile file gets a precise answer."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from walkthrough.catalog.loading import load_catalog, load_paths
from walkthrough.content.loader import load_guide

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile"
TODAY = datetime.date(2026, 11, 22)

# file -> (rule code, line) the contributor is pointed at
EXPECTED = {
    "Bad Name.yaml": ("E009", 0),
    "alias-bomb.yaml": ("E004", 1),
    "anchors.yaml": ("E004", 2),
    "bad-date.yaml": ("E103", 4),
    "bad-enum.yaml": ("E103", 5),
    "bad-region.yaml": ("E206", 8),
    "bidi.yaml": ("E007", 3),
    "control-char.yaml": ("E007", 15),
    "custom-tag.yaml": ("E006", 2),
    "deep-nesting.yaml": ("E003", 0),
    "duplicate-key.yaml": ("E005", 7),
    "duplicate-step.yaml": ("E201", 21),
    "empty.yaml": ("E008", 0),
    "future-date.yaml": ("E209", 4),
    "homoglyph-host.yaml": ("E203", 18),
    "http-link.yaml": ("E202", 18),
    "lookalike-host.yaml": ("E203", 18),
    "missing-field.yaml": ("E102", 1),
    "multi-doc.yaml": ("E003", 21),
    "not-a-mapping.yaml": ("E008", 1),
    "not-utf8.yaml": ("E001", 3),
    "python-tag.yaml": ("E006", 6),
    "suffix-host.yaml": ("E203", 18),
    "syntax-error.yaml": ("E003", 9),
    "undeclared-blank.yaml": ("E207", 22),
    "unknown-field.yaml": ("E101", 15),
    "unknown-template.yaml": ("E208", 22),
    "userinfo-host.yaml": ("E203", 18),
    "wrong-type.yaml": ("E103", 6),
}


def test_every_hostile_fixture_is_listed():
    on_disk = {p.name for p in HOSTILE.glob("*.yaml")} - {"ok-example.yaml"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused_with_code_and_line(name):
    code, line = EXPECTED[name]
    catalog = load_paths([HOSTILE / name], today=TODAY)
    errors = catalog.errors
    assert [p.code for p in errors] == [code], [p.format() for p in errors]
    assert errors[0].line == line
    assert catalog.guides == {}
    assert errors[0].message.endswith(".")  # a whole sentence, not a raw exception


def test_messages_say_what_to_change():
    def message(name):
        return load_paths([HOSTILE / name], today=TODAY).errors[0].message

    assert "Did you mean `title`?" in message("unknown-field.yaml")
    assert "easy, medium, hard, limited, impossible" in message("bad-enum.yaml")
    assert "`summary` is missing" in message("missing-field.yaml")
    assert "YYYY-MM-DD" in message("bad-date.yaml")
    assert "`minutes` should be a whole number, but it is text" in message("wrong-type.yaml")
    assert "U+001B" in message("control-char.yaml")
    assert "examp1e.com" in message("lookalike-host.yaml")


def test_one_bad_file_never_stops_the_others(tmp_path):
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", tmp_path / "linkedin.yaml")
    shutil.copy(HOSTILE / "ok-example.yaml", tmp_path / "example.yaml")
    for name in ["alias-bomb.yaml", "not-utf8.yaml", "deep-nesting.yaml", "syntax-error.yaml"]:
        shutil.copy(HOSTILE / name, tmp_path / name)
    catalog = load_catalog([str(tmp_path)], bundled=False, today=TODAY)
    assert set(catalog.guides) == {"linkedin", "example"}
    assert sorted(p.name for p in catalog.failed) == sorted(
        ["alias-bomb.yaml", "not-utf8.yaml", "deep-nesting.yaml", "syntax-error.yaml"]
    )


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text((HOSTILE / "ok-example.yaml").read_text() + "# padding\n" * 30_000)
    result = load_guide(big, today=TODAY)
    assert [p.code for p in result.problems] == ["E002"]


def test_flow_nesting_that_would_crash_libyaml_is_a_problem_not_a_crash(tmp_path):
    # 100,000 levels crash libyaml's C composer (a segfault, not an exception).
    path = tmp_path / "bomb.yaml"
    path.write_text("name: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = load_guide(path, today=TODAY)
    assert [p.code for p in result.problems] == ["E003"]


def test_norway_stays_norway(tmp_path):
    # YAML 1.1 reads NO, yes, off as booleans; a region list must keep them as words.
    path = tmp_path / "nordic.yaml"
    path.write_text(
        (HOSTILE / "ok-example.yaml").read_text().replace("recheck_days: 90\n", "recheck_days: 90\nregions: [NO, SE]\n")
    )
    result = load_guide(path, today=TODAY)
    assert result.ok, [p.format() for p in result.problems]
    assert result.value.regions == ["NO", "SE"]


def test_markdown_emphasis_is_not_mistaken_for_an_alias(tmp_path):
    path = tmp_path / "emphasis.yaml"
    text = (HOSTILE / "ok-example.yaml").read_text()
    path.write_text(
        text.replace("body: Open the page and turn off the switch.", "body: |\n      Click *Settings* & then **Off**.")
    )
    result = load_guide(path, today=TODAY)
    assert result.ok, [p.format() for p in result.problems]
    assert "*Settings* & then" in result.value.steps[0].body


def test_stale_guide_is_a_warning_not_an_error(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text((HOSTILE / "ok-example.yaml").read_text().replace("2026-11-01", "2025-01-01"))
    result = load_guide(path, today=TODAY)
    assert result.ok
    assert [p.code for p in result.problems] == ["W301"]


def test_extra_folder_replaces_bundled_guide_of_same_id(tmp_path, monkeypatch):
    text = (FIXTURES / "good" / "linkedin.yaml").read_text().replace("name: LinkedIn", "name: LinkedIn (my edit)")
    (tmp_path / "linkedin.yaml").write_text(text)
    catalog = load_catalog([str(tmp_path)])
    assert catalog.guides["linkedin"].guide.name == "LinkedIn (my edit)"
    assert catalog.guides["linkedin"].path == tmp_path / "linkedin.yaml"

    env_dir = tmp_path / "env"
    env_dir.mkdir()
    (env_dir / "linkedin.yaml").write_text(text.replace("(my edit)", "(from env)"))
    monkeypatch.setenv("OPTOUT_TUI_GUIDES", str(env_dir))
    assert load_catalog().guides["linkedin"].guide.name == "LinkedIn (from env)"


def test_bundled_guides_all_load_cleanly():
    catalog = load_catalog(style=True)
    assert "linkedin" in catalog.guides
    assert catalog.errors == [], [p.format() for p in catalog.errors]
