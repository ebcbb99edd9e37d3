"""`optout-tui new`: what a first-time contributor sees, run as the real command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
import yaml

from walkthrough.content.model import Guide, Link, Source, Step
from walkthrough.paths import bundled_guides_dir

REPO = Path(__file__).resolve().parent.parent
FLAGGED = re.compile(r"^  (?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) (?P<path>\S+)$")
PROSE = re.compile(r"^  (?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[\w.\[\]]+)$")


def optout(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("OPTOUT_TUI_GUIDES", "OPTOUT_TUI_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "walkthrough", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


def sections(stdout: str) -> tuple[list[re.Match], list[re.Match]]:
    """The two lists `new` prints: values validate flags, and prose it cannot judge."""
    flagged, prose, current = [], [], None
    for line in stdout.splitlines():
        if line.startswith("Fill in these values"):
            current = flagged
        elif line.startswith("Write these in your own words"):
            current = prose
        elif not line.strip():
            current = None
        elif current is flagged:
            flagged.append(FLAGGED.match(line))
        elif current is prose:
            prose.append(PROSE.match(line))
    assert all(flagged) and all(prose), stdout
    return flagged, prose


def assert_no_traceback(out: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in out.stderr + out.stdout
    assert "something went wrong that we did not expect" not in out.stderr


def test_new_names_exactly_what_validate_reports(tmp_path):
    out = optout("new", "acme-cloud", "--guides-dir", "mine", "--name", "Acme Cloud", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    guide = tmp_path / "mine" / "acme-cloud.yaml"
    assert guide.is_file()
    flagged, prose = sections(out.stdout)

    check = optout("validate", "--format", "json", str(guide), cwd=tmp_path)
    assert check.returncode == 1, "a fresh scaffold must not pass validate: its TODOs are not filled in"
    reported = {(p["line"], p["column"], p["code"]) for p in json.loads(check.stdout)}
    named = {(int(m["line"]), int(m["col"]), m["code"]) for m in flagged}
    assert named == reported

    # The values a contributor could otherwise ship unchecked each fail a rule.
    assert {m["path"]: m["code"] for m in flagged} == {
        "domains[0]": "E204",
        "sources[0].url": "E205",
        "steps[0].link.url": "E202",
        "steps[1].title": "W303",
        "steps[1].link.url": "E202",
        "steps[2].link.url": "E202",
    }
    # Prose cannot be judged by a rule, so it is named separately, never silently.
    assert {"title", "summary", "steps[1].body", "limits[0]"} <= {m["path"] for m in prose}
    lines = guide.read_text(encoding="utf-8").splitlines()
    for m in [*flagged, *prose]:
        assert "TODO:" in lines[int(m["line"]) - 1], m.group(0)
    assert sum("TODO:" in line for line in lines) == len(flagged) + len(prose)
    assert "validate --strict" in out.stdout and "--guides-dir mine" in out.stdout


def fill_in(text: str) -> str:
    """What a contributor does: replace each TODO with a real value for its field."""
    values = {
        "url": '"https://help.acme.example.com/ai"',
        "name": "Acme",
        "title": "Turn off AI training",
        "summary": "Acme trains AI on your files. This guide turns that off.",
        "expect": "The switch shows Off.",
        "fallback": "Open Settings, then Privacy.",
    }
    out = []
    for line in text.splitlines():
        if "TODO:" in line:
            key = line.split(":", 1)[0].strip().lstrip("- ")
            indent = line[: len(line) - len(line.lstrip())]
            if line.lstrip().startswith("- ") and key not in values:  # a list entry: domains or limits
                value = "acme.example.com" if "host name" in line else "Trained models keep what they learned."
                line = f"{indent}- {value}"
            elif key in values:
                line = f"{indent}{'- ' if line.lstrip().startswith('- ') else ''}{key}: {values[key]}"
            else:  # the first line of a block body
                line = f"{indent}Click the switch next to Use my files for AI."
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_filled_in_scaffold_passes_strict_validate(tmp_path):
    out = optout("new", "acme", "--guides-dir", str(tmp_path / "g"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    guide = tmp_path / "g" / "acme.yaml"
    guide.write_text(fill_in(guide.read_text(encoding="utf-8")), encoding="utf-8")
    assert "TODO:" not in guide.read_text(encoding="utf-8")
    check = optout("validate", "--strict", str(guide), cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    shown = optout("show", "acme", "--guides-dir", str(tmp_path / "g"), cwd=tmp_path)
    assert shown.returncode == 0 and "Turn off AI training" in shown.stdout


def test_every_field_of_guide_and_step_is_in_the_file(tmp_path):
    assert optout("new", "acme", "--guides-dir", "g", cwd=tmp_path).returncode == 0
    text = (tmp_path / "g" / "acme.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    missing = [f for f in Guide.__struct_fields__ if f not in data]
    for step in data["steps"][:2]:
        missing += [f"steps[].{f}" for f in Step.__struct_fields__ if f not in step]
    missing += [f"sources[].{f}" for f in Source.__struct_fields__ if f not in data["sources"][0]]
    missing += [f"link.{f}" for f in Link.__struct_fields__ if f not in data["steps"][0]["link"]]
    assert not missing, f"the scaffold in walkthrough/scaffold.py lacks {missing}; add them with a comment"
    # Template and Record are shown as commented examples under a form-like step.
    for name in ("use:", "to:", "subject:", "text:", "blanks:", "values:", "hint:", "example:", "label:"):
        assert f"#     {name}" in text or f"#       {name}" in text or f"#         {name}" in text, name
    # Every field carries the model's own description as a comment.
    assert "# The hosts this guide's links may point to" in text


def test_schema_line_and_copy_for_a_folder_outside_the_repo(tmp_path):
    assert optout("new", "acme", "--guides-dir", "g", cwd=tmp_path).returncode == 0
    first = (tmp_path / "g" / "acme.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema.json"
    copied = json.loads((tmp_path / "g" / "schema.json").read_text(encoding="utf-8"))
    assert copied == json.loads(msgspec.json.encode(msgspec.json.schema(Guide))) | {
        "$schema": copied["$schema"],
        "title": copied["title"],
    }
    # A second guide in the same folder leaves the existing copy alone.
    (tmp_path / "g" / "schema.json").write_text("{}", encoding="utf-8")
    out = optout("new", "other", "--guides-dir", "g", cwd=tmp_path)
    assert out.returncode == 0 and "schema.json" not in out.stdout.splitlines()[0]
    assert (tmp_path / "g" / "schema.json").read_text(encoding="utf-8") == "{}"


def test_in_a_checkout_it_writes_into_guides(tmp_path):
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "schema.json").write_text("{}", encoding="utf-8")
    out = optout("new", "acme", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "guides" / "acme.yaml").is_file()
    assert out.stdout.startswith(f"Wrote {Path('guides', 'acme.yaml')}.")


def test_outside_a_checkout_without_guides_dir_it_refuses(tmp_path):
    out = optout("new", "acme", cwd=tmp_path)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert "--guides-dir" in out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["Acme", "acme_cloud", "acme cloud", "acme-", "a--b", "../evil", "x" * 61])
def test_a_bad_id_is_refused_with_a_plain_message(tmp_path, bad):
    out = optout("new", bad, "--guides-dir", "g", cwd=tmp_path)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert "lowercase letters, digits and hyphens" in out.stderr
    assert not (tmp_path / "g").exists()


def test_a_bad_id_comes_with_a_suggestion(tmp_path):
    out = optout("new", "Acme Cloud", "--guides-dir", "g", cwd=tmp_path)
    assert "`acme-cloud`" in out.stderr


def test_an_id_that_is_already_bundled_is_refused(tmp_path):
    taken = next(p.stem for p in sorted(bundled_guides_dir().glob("*.yaml")))
    out = optout("new", taken, "--guides-dir", "g", cwd=tmp_path)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert f"already a guide `{taken}`" in out.stderr
    assert not (tmp_path / "g" / f"{taken}.yaml").exists()


def test_an_id_in_the_target_folder_is_refused_and_the_file_kept(tmp_path):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "acme.yml").write_text("name: mine\n", encoding="utf-8")
    out = optout("new", "acme", "--guides-dir", "g", cwd=tmp_path)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert "already a guide `acme`" in out.stderr
    assert (tmp_path / "g" / "acme.yml").read_text(encoding="utf-8") == "name: mine\n"
    assert not (tmp_path / "g" / "acme.yaml").exists()


def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = optout("new", "acme", "--guides-dir", str(tmp_path / "a-file" / "g"), cwd=tmp_path)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert "cannot write" in out.stderr and "--guides-dir" in out.stderr


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions do not stop root, and Windows has none to set this way",
)
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = optout("new", "acme", "--guides-dir", str(folder), cwd=tmp_path)
    finally:
        folder.chmod(0o700)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert "cannot write" in out.stderr


@pytest.mark.parametrize("name", ["", "   ", "Acme\x1b[31m", "x" * 201])
def test_a_bad_name_is_refused(tmp_path, name):
    out = optout("new", "acme", "--guides-dir", "g", "--name", name, cwd=tmp_path)
    assert out.returncode == 1
    assert_no_traceback(out)
    assert not (tmp_path / "g").exists()


def test_a_name_with_yaml_characters_is_kept_exactly(tmp_path):
    name = 'Acme: "Cloud" # 2 & co'
    assert optout("new", "acme", "--guides-dir", "g", "--name", name, cwd=tmp_path).returncode == 0
    data = yaml.safe_load((tmp_path / "g" / "acme.yaml").read_text(encoding="utf-8"))
    assert data["name"] == name
