"""One place decides every folder: `~` means home everywhere, and a blank setting is refused in words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Builds the app the way `optout-tui` does (catalogue with its cache, then the progress store)
# without taking over a terminal, so both folders are worked out and created for real.
START = "from walkthrough.tui.app import make_app; make_app(region='DE').store.close()"


def run(code_or_args, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    full = {k: v for k, v in os.environ.items() if k not in ("OPTOUT_TUI_DATA_DIR", "OPTOUT_TUI_GUIDES")}
    full.update(env)
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else ["-m", "walkthrough", *code_or_args]
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=work, env=full, timeout=60)


def test_a_tilde_in_the_data_folder_is_the_home_folder_for_progress_and_cache_alike(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    out = run(START, tmp_path, HOME=str(home), OPTOUT_TUI_DATA_DIR="~/x")
    assert out.returncode == 0, out.stderr
    assert (home / "x" / "progress.sqlite3").is_file()
    assert (home / "x" / "cache").is_dir()
    assert not (tmp_path / "work" / "~").exists(), "a folder literally named ~ was made in the working folder"


@pytest.mark.parametrize("blank", ["", " ", "\t"])
@pytest.mark.parametrize("command", [["list"], ["progress"], ["--region", "DE"]])
def test_a_blank_data_folder_setting_is_refused_in_plain_words(tmp_path, blank, command):
    out = run(command, tmp_path, OPTOUT_TUI_DATA_DIR=blank)
    assert out.returncode == 1
    assert "OPTOUT_TUI_DATA_DIR is set, but to nothing" in out.stderr
    assert "Traceback" not in out.stderr
    assert list((tmp_path / "work").iterdir()) == [], "a folder was made for a blank setting"


def test_a_blank_guides_setting_is_refused_too(tmp_path):
    out = run(["list"], tmp_path, OPTOUT_TUI_GUIDES="  ", OPTOUT_TUI_DATA_DIR=str(tmp_path / "data"))
    assert out.returncode == 1 and "OPTOUT_TUI_GUIDES is set, but to nothing" in out.stderr


def test_a_tilde_in_a_guides_folder_is_the_home_folder(tmp_path):
    home = tmp_path / "home"
    (home / "mine").mkdir(parents=True)
    src = Path(__file__).parent / "fixtures" / "app" / "alpha.yaml"
    (home / "mine" / "alpha.yaml").write_bytes(src.read_bytes())
    out = run(
        ["list", "--json"],
        tmp_path,
        HOME=str(home),
        OPTOUT_TUI_GUIDES="~/mine",
        OPTOUT_TUI_DATA_DIR=str(tmp_path / "d"),
    )
    assert out.returncode == 0, out.stderr
    assert '"id": "alpha"' in out.stdout
