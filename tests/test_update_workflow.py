"""The guide release workflow: when it runs, what it may touch, and its scripts run here with a test key."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from update_helpers import BUNDLED, REPO, install_copy

from walkthrough.update import minisign

WORKFLOW = REPO / ".github" / "workflows" / "guide-release.yml"


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def step(name: str) -> dict:
    return next(s for s in workflow()["jobs"]["publish"]["steps"] if s.get("name") == name)


def test_it_runs_on_guide_changes_to_main_and_on_app_releases() -> None:
    push = workflow()["on"]["push"]
    assert push["branches"] == ["main"] and push["paths"] == ["guides/**"] and push["tags"] == ["v*"]
    assert "pull_request" not in workflow()["on"], "a pull request must never reach the signing key"


def test_the_key_lives_in_a_protected_environment_and_runs_never_overlap() -> None:
    wf = workflow()
    assert wf["permissions"] == {"contents": "read"}
    job = wf["jobs"]["publish"]
    assert job["environment"] == "guide-releases"
    assert job["permissions"] == {"contents": "write"}
    assert wf["concurrency"]["cancel-in-progress"] is False
    uses_key = [s for s in job["steps"] if "GUIDES_SIGNING_KEY" in json.dumps(s)]
    assert [s["name"] for s in uses_key] == ["Build and sign"], "only the signing step may see the key"


def test_it_validates_strictly_before_building() -> None:
    names = [s.get("name") for s in workflow()["jobs"]["publish"]["steps"]]
    assert names.index("Check every guide and shared letter") < names.index("Build and sign")
    assert "validate --strict" in step("Check every guide and shared letter")["run"]


def test_published_assets_are_never_replaced() -> None:
    run = step("Publish")["run"]
    assert run.count("gh release create") == 2
    assert "--clobber" not in run and "upload" not in run and "delete" not in run


@pytest.mark.skipif(sys.platform == "win32", reason="the workflow's steps are bash")
@pytest.mark.parametrize("ref_type", ["branch", "tag"])
def test_the_serial_build_and_check_steps_work(tmp_path: Path, ref_type: str) -> None:
    """The steps' own scripts, run with bash on a copy of the guides, a test key, and that key built in."""
    key = minisign.generate()
    site = install_copy(tmp_path / "installed", [key.public()])
    work = tmp_path / "repo"
    shutil.copytree(BUNDLED, work / "guides")
    (work / "guides" / "release.json").write_text(json.dumps({"serial": 4, "date": "2026-11-01"}))
    (work / "published").mkdir()
    output = tmp_path / "github-output"
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(site),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_REF_TYPE": ref_type,
        "GUIDES_SIGNING_KEY": key.file_text(),
        "HOME": str(tmp_path),
    }

    def bash(script: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=work,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    serial_step = bash(step("Work out the serial")["run"])
    assert serial_step.returncode == 0, serial_step.stderr
    serial = output.read_text().strip().removeprefix("serial=")
    assert serial == "4"
    built = bash(step("Build and sign")["run"], SERIAL=serial)
    assert built.returncode == 0, built.stderr
    assert key.file_text().splitlines()[1] not in built.stdout + built.stderr, "the secret key was printed"
    checked = bash(step("Check it with the keys built into the app")["run"])
    assert checked.returncode == 0, checked.stderr
    assert "signed by a key built into this package" in checked.stdout

    # The next run, after this one is published: the serial grows (a branch) or must be raised (a tag).
    shutil.copy(work / "dist" / "manifest.json", work / "published" / "manifest.json")
    (work / "guides" / "release.json").write_text(json.dumps({"serial": 3, "date": "2026-11-01"}))
    output.write_text("")
    again = bash(step("Work out the serial")["run"])
    if ref_type == "branch":
        assert again.returncode == 0, again.stderr
        assert output.read_text().strip() == "serial=5"
    else:
        assert again.returncode == 1
        assert "Raise its serial to 5" in again.stderr
