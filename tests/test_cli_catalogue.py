"""The catalogue commands as a user or contributor runs them: the real `optout-tui` in a subprocess."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) (?P<msg>.+)$")


def optout(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = {**os.environ, **(env or {})}
    full_env.pop("OPTOUT_TUI_GUIDES", None)
    return subprocess.run(
        [sys.executable, "-m", "walkthrough", *args], capture_output=True, text=True, cwd=cwd, env=full_env, timeout=60
    )


def installed_command() -> str | None:
    candidate = Path(sys.executable).parent / "optout-tui"
    return str(candidate) if candidate.exists() else shutil.which("optout-tui")


def test_version_and_list_work_from_any_directory(tmp_path):
    command = installed_command()
    if command is None:
        pytest.skip("optout-tui is not installed in this environment")
    version = subprocess.run([command, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("optout-tui ")
    listing = subprocess.run([command, "list", "--json"], capture_output=True, text=True, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    ids = {g["id"] for g in json.loads(listing.stdout)}
    assert {"linkedin", "reddit"} <= ids


def test_list_json_has_the_promised_fields():
    out = optout("list", "--json")
    assert out.returncode == 0, out.stderr
    guides = json.loads(out.stdout)
    linkedin = next(g for g in guides if g["id"] == "linkedin")
    for key in ("id", "name", "difficulty", "minutes", "regions", "last_verified"):
        assert key in linkedin
    assert linkedin["name"] == "LinkedIn"


def test_list_text_shows_each_guide_once():
    out = optout("list")
    assert out.returncode == 0
    assert sum(1 for line in out.stdout.splitlines() if line.startswith("linkedin ")) == 1
    assert "VERIFIED" in out.stdout.splitlines()[0]


def test_show_prints_every_step_link_and_template():
    out = optout("show", "linkedin")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement" in text
    assert "https://www.linkedin.com/help/linkedin/ask/TS-DPRO" in text
    assert "To the LinkedIn data protection team" in text  # the guide's own value filled in
    assert "[Your full name]" in text  # the user's blank, named in plain words
    assert "When it worked:" in text and "What this does not do" in text
    assert text.count("Step ") >= 5


def test_show_json_round_trips():
    out = optout("show", "linkedin", "--json")
    data = json.loads(out.stdout)
    assert data["id"] == "linkedin" and data["steps"][1]["id"] == "turn-off-ai-data"


def test_show_unknown_guide_names_the_closest_one():
    out = optout("show", "linkdin")
    assert out.returncode == 1
    assert out.stdout == ""
    assert "Did you mean: linkedin" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_validate_bundled_guides_passes_strict():
    out = optout("validate", "--strict")
    assert out.returncode == 0, out.stdout + out.stderr


def test_validate_hostile_folder_names_every_file_without_traceback():
    out = optout("validate", str(HOSTILE))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), [line for line in lines if not LINE.match(line)]
    named = {Path(LINE.match(line)["file"]).name for line in lines}
    assert named == {p.name for p in HOSTILE.glob("*.yaml")} - {"ok-example.yaml"}


def test_validate_github_and_json_formats():
    bad = str(HOSTILE / "unknown-field.yaml")
    gh = optout("validate", "--format", "github", bad)
    assert gh.returncode == 1
    assert re.match(r"^::error file=.+unknown-field\.yaml,line=15,col=5,title=E101::", gh.stdout)
    js = optout("validate", "--format", "json", bad)
    problems = json.loads(js.stdout)
    assert problems[0]["code"] == "E101" and problems[0]["line"] == 15 and problems[0]["severity"] == "error"


def test_warnings_fail_only_with_strict(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text((HOSTILE / "ok-example.yaml").read_text().replace("2026-11-01", "2025-01-01"))
    assert optout("validate", str(path)).returncode == 0
    strict = optout("validate", "--strict", str(path))
    assert strict.returncode == 1 and "W301" in strict.stdout


def test_usage_error_exits_2():
    assert optout("validate", "--format", "nonsense").returncode == 2


def test_missing_path_is_an_error_not_a_crash(tmp_path):
    out = optout("validate", str(tmp_path / "nope.yaml"))
    assert out.returncode == 1 and "There is no such file" in out.stdout


def test_schema_is_json_with_the_guide_fields():
    out = optout("schema")
    schema = json.loads(out.stdout)
    guide = schema["$defs"]["Guide"]
    assert {"name", "last_verified", "sources", "steps"} <= set(guide["required"])
    assert guide["additionalProperties"] is False


def test_python_dash_m_behaves_like_the_command():
    out = optout("--version")
    assert out.returncode == 0 and out.stdout.startswith("optout-tui ")


def test_broken_bundled_looking_folder_is_reported_on_list(tmp_path):
    shutil.copy(HOSTILE / "syntax-error.yaml", tmp_path / "broken.yaml")
    out = optout("list", "--guides-dir", str(tmp_path))
    assert out.returncode == 0
    assert "1 guide file could not be loaded (broken.yaml)" in out.stderr
    assert "optout-tui validate" in out.stderr


def test_guides_dir_counts_before_and_after_the_command(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, name in ((before, "Before"), (after, "After")):
        folder.mkdir()
        text = (HOSTILE / "ok-example.yaml").read_text().replace("name: Example", f"name: {name}")
        (folder / f"{name.lower()}.yaml").write_text(text)
    out = optout("--guides-dir", str(before), "list", "--json", "--guides-dir", str(after))
    ids = {g["id"] for g in json.loads(out.stdout)}
    assert {"before", "after"} <= ids
