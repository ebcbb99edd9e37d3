"""The files a contributor meets around a pull request: pre-commit hooks, CI workflows, issue forms."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / ".github"
ANNOTATION = re.compile(r"^::(error|warning) file=(?P<file>[^,]+),line=\d+,col=\d+,title=[EW]\d{3}::.+$")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def optout(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("OPTOUT_TUI_GUIDES", "OPTOUT_TUI_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "walkthrough", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def console_scripts() -> set[str]:
    from importlib.metadata import distribution

    return {ep.name for ep in distribution("optout-tui").entry_points if ep.group == "console_scripts"}


def run_entry(entry: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run a hook's entry as pre-commit would, through this interpreter."""
    command, *args = shlex.split(entry)
    assert command in console_scripts(), f"`{command}` is not a command this package installs"
    return optout(*args, *extra, cwd=cwd)


BAD_GUIDE = "name: Acme\ntitel: oops\n"


# ---- pre-commit ------------------------------------------------------------


def test_the_published_hook_validates_a_repository_of_guides(tmp_path):
    hooks = load(REPO / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "optout-tui-validate")
    assert hook["language"] == "python"
    assert hook["files"] == r"^guides/.*\.ya?ml$"
    files = re.compile(hook["files"])
    assert files.search("guides/acme.yaml") and files.search("guides/templates/letter.yml")
    assert not files.search("walkthrough/model.py") and not files.search("guides/schema.json")

    # Another repository: its own guides/ folder, one good guide copied from ours, one broken.
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "acme.yaml").write_text(BAD_GUIDE, encoding="utf-8")
    out = run_entry(hook["entry"], tmp_path, "--strict")
    assert out.returncode == 1
    assert re.search(r"^guides[\\/]acme\.yaml:2:1: E101 `titel` is not a field here", out.stdout, re.MULTILINE), (
        out.stdout
    )

    (tmp_path / "guides" / "acme.yaml").write_text(
        (REPO / "guides" / "linkedin.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run_entry(hook["entry"], tmp_path).returncode == 0


def test_this_repositorys_pre_commit_config():
    config = load(REPO / ".pre-commit-config.yaml")
    hooks = {h["id"]: (repo["repo"], h) for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["ruff"][0] == hooks["ruff-format"][0] == "https://github.com/astral-sh/ruff-pre-commit"
    repo, validate = hooks["optout-tui-validate"]
    assert repo == "local"
    assert "optout-tui validate --strict" in validate["entry"]
    out = run_entry(validate["entry"], REPO)
    assert out.returncode in (0, 1) and "Checked" in out.stderr, out.stderr  # ran, whatever the guides say today


def test_the_todo_hook_finds_what_new_leaves_and_nothing_in_our_guides(tmp_path):
    config = load(REPO / ".pre-commit-config.yaml")
    todo = next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "no-todo-in-guides")
    assert todo["language"] == "pygrep"
    pattern = re.compile(todo["entry"])
    assert optout("new", "acme", "--guides-dir", "g", cwd=tmp_path).returncode == 0
    scaffold = (tmp_path / "g" / "acme.yaml").read_text(encoding="utf-8").splitlines()
    assert sum(bool(pattern.search(line)) for line in scaffold) >= 10
    left = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted((REPO / "guides").rglob("*.y*ml"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not left, f"placeholders from `optout-tui new` left in guides: {left}"


# ---- GitHub workflows ------------------------------------------------------


def workflow(name: str) -> dict:
    data = load(GITHUB / "workflows" / name)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


@pytest.mark.parametrize("name", ["tests.yml", "links.yml"])
def test_actions_are_pinned_by_major_version(name):
    for job in workflow(name)["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_tests_workflow_covers_the_promised_matrix():
    wf = workflow("tests.yml")
    assert "pull_request" in wf["on"] and "push" in wf["on"]
    matrix = wf["jobs"]["tests"]["strategy"]["matrix"]
    assert set(matrix["os"]) == {"ubuntu-latest", "macos-latest", "windows-latest"}
    assert matrix["python"] == ["3.10", "3.11", "3.12", "3.13"]
    runs = {s.get("name", ""): s for s in steps(wf["jobs"]["tests"])}
    tmux = next(s for s in runs.values() if "tmux" in s.get("run", "") and "apt-get" in s["run"])
    assert tmux["if"] == "runner.os == 'Linux'"
    off_linux = next(s for s in runs.values() if s.get("if") == "runner.os != 'Linux'")
    assert '-m "not e2e"' in off_linux["run"]
    lint = " ".join(s.get("run", "") for s in steps(wf["jobs"]["lint"]))
    assert "ruff check" in lint and "ruff format --check" in lint


def test_the_guides_job_gives_annotations_on_repository_paths():
    wf = workflow("tests.yml")
    command = next(s["run"] for s in steps(wf["jobs"]["guides"]) if "validate" in s.get("run", ""))
    assert "--strict" in command and "--format github" in command
    out = run_entry(command, REPO)
    assert out.returncode in (0, 1)
    for line in out.stdout.splitlines():
        match = ANNOTATION.match(line)
        assert match, line
        assert match["file"].replace("\\", "/").startswith("guides/"), line  # GitHub needs repository paths


def test_the_link_check_reports_and_never_blocks():
    wf = workflow("links.yml")
    assert wf["on"]["schedule"][0]["cron"]
    assert "pull_request" not in wf["on"]
    job = wf["jobs"]["check-links"]
    check = next(s for s in steps(job) if "check-links" in s.get("run", ""))
    assert check.get("continue-on-error") is True
    assert "--json" in check["run"]
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps(job))
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps(job))


def test_the_link_summary_script_reads_the_checkers_json(tmp_path):
    """The inline Python in links.yml, run on a report shaped like `check-links --json`."""
    wf = workflow("links.yml")
    run = next(s["run"] for s in steps(wf["jobs"]["check-links"]) if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    script = run.split("<<'PY'", 1)[1].split("\nPY\n", 1)[0]
    script = "\n".join(line.removeprefix("          ") for line in script.splitlines()[1:])
    rows = [
        {"url": "https://a.example/x", "outcome": "ok", "status": 200, "final_url": None, "guide": "acme",
         "step": "sign-in", "kind": "link", "error": None, "note": None},
        {"url": "https://a.example/gone", "outcome": "broken", "status": 404, "final_url": None, "guide": "acme",
         "step": "turn-off", "kind": "link", "error": None, "note": None},
    ]  # fmt: skip
    (tmp_path / "links.json").write_text(json.dumps(rows), encoding="utf-8")
    (tmp_path / "links.log").write_text("Checked 2 addresses.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "1 broken, 1 ok" in out.stdout
    assert "| acme | turn-off | https://a.example/gone | broken | 404 |" in out.stdout
    assert "a.example/x" not in out.stdout

    (tmp_path / "links.json").write_text("", encoding="utf-8")  # the checker died before printing
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0 and "did not produce a report" in out.stdout


# ---- issue forms and the pull request template -------------------------------


FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.y*ml") if p.stem != "config")


def test_there_are_forms_for_a_stale_guide_and_a_new_platform():
    names = {load(p)["name"] for p in FORMS}
    assert {"A guide is out of date", "Add a platform"} <= names
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for form in FORMS:
        assert f"template={form.name}" in contributing, f"CONTRIBUTING.md does not link to {form.name}"


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_each_issue_form_is_well_formed(path):
    form = load(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name} has no {key}"
    ids = []
    for item in form["body"]:
        assert item["type"] in {"markdown", "textarea", "input", "dropdown", "checkboxes"}, item
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
            continue
        assert item["attributes"]["label"].strip()
        assert re.fullmatch(r"[a-z0-9_-]+", item["id"]), item["id"]
        ids.append(item["id"])
        if item["type"] == "dropdown":
            assert item["attributes"]["options"]
    assert len(ids) == len(set(ids)), f"{path.name} repeats an id"


def test_the_stale_guide_form_asks_what_a_fix_needs():
    form = load(GITHUB / "ISSUE_TEMPLATE" / "guide-out-of-date.yml")
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for needed in ("platform", "what-you-see", "country", "where", "date"):
        assert fields[needed]["validations"]["required"] is True, needed


def test_issue_config_parses():
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)


def test_pull_request_template_lists_the_reviewers_checks():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    for check in (
        "Sources",
        "last_verified",
        "Domains",
        "Plain language",
        "Regions",
        "validate --strict",
        "--guides-dir",
    ):
        assert any(check in line for line in boxes), check
