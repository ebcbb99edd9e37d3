"""Starting the app from the command line: mistakes are said in one line, before the screen is taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from walkthrough.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "app"


def test_unknown_guide_names_close_matches(data_dir, capsys):
    assert main(["alpah", "--guides-dir", str(FIXTURES)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "There is no guide called 'alpah'" in err and "Did you mean: alpha" in err
    assert not (data_dir / "progress.sqlite3").exists()  # stopped before the progress store was opened


def test_unknown_region_names_close_matches(data_dir, capsys):
    assert main(["--region", "Germny", "--guides-dir", str(FIXTURES)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    # Worded as the country box words it (issue 15): the same sentence wherever a country is typed.
    assert "No country matches 'Germny'" in err and "Did you mean Germany" in err


def test_progress_folder_that_cannot_be_made_is_one_plain_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OPTOUT_TUI_DATA_DIR", str(blocker / "data"))
    assert main(["--guides-dir", str(FIXTURES)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPTOUT_TUI_DATA_DIR": str(tmp_path / "data")}
    env.pop("OPTOUT_TUI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=120
    )


def test_home_screen_starts_without_markdown_or_network_code(tmp_path):
    result = run_python(
        f"""
        import asyncio, sys
        from walkthrough.tui.app import make_app

        async def main():
            app = make_app([{str(FIXTURES)!r}], bundled=False, region="DE")
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                print(type(app.screen).__name__)
                print(sorted(m for m in sys.modules if m.startswith(("httpx", "textual_serve", "markdown_it"))))
                print("textual.widgets._markdown" in sys.modules)

        asyncio.run(main())
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["HomeScreen", "[]", "False"]


def test_a_crash_inside_the_app_shows_a_plain_message_not_a_traceback(tmp_path):
    result = run_python(
        f"""
        import sys
        from walkthrough.tui.app import make_app
        from walkthrough.tui.screens.home import HomeScreen

        def broken(self):
            raise RuntimeError("a bug")

        HomeScreen.refresh_rows = broken
        app = make_app([{str(FIXTURES)!r}], bundled=False, region="DE")
        app.run(headless=True)
        sys.exit(app.return_code)
        """,
        tmp_path,
    )
    assert result.returncode == 70
    assert "Traceback" not in result.stderr and "RuntimeError" not in result.stderr
    assert "something went wrong that we did not expect" in result.stderr
    assert "saved" in result.stderr
