"""End to end, what a new user tripped over from first start to the last step (issue 15).

The installed `optout-tui` in a real terminal (tmux, 80x24), or as a plain command
where the answer is a line of text. $BROWSER is a recorder, `false`, a missing
program or a stand-in text-mode browser; PATH holds only stand-ins when a test
is about which browser would be found, so no real browser can ever start.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest
from e2e.tmux_driver import Tmux, flat, installed_command, wait_until

pytestmark = pytest.mark.e2e

SNAP = Path(__file__).parent / "fixtures" / "snap"
AI_SETTING_URL = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"


def unwrapped(screen: str, width: int = 80) -> str:
    """Plain printed text as it was written: a full row continues on the next one without a space."""
    out = ""
    for line in screen.splitlines():
        out += line if len(line) >= width else line.rstrip() + "\n"
    return flat(out)


def toasts(screen: str) -> str:
    """The text of the messages at the right of the screen, joined across the rows they wrap over."""
    return flat(" ".join(line.rsplit("▌", 1)[1] for line in screen.splitlines() if "▌" in line))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([installed_command(), *args], env=env, capture_output=True, text=True, timeout=60)


def stand_in(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def fields_in_store(data_dir: Path, guide_id: str) -> dict[str, str]:
    conn = sqlite3.connect(data_dir / "progress.sqlite3")
    try:
        rows = conn.execute("SELECT name, value FROM field WHERE guide_id = ?", (guide_id,)).fetchall()
    finally:
        conn.close()
    return dict(rows)


def setting_in_store(data_dir: Path, key: str) -> str | None:
    conn = sqlite3.connect(data_dir / "progress.sqlite3")
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def open_linkedin_step(tmux: Tmux, env: dict[str, str], cwd: Path, *keys: str, status: Path | None = None) -> None:
    """Start straight on LinkedIn and move to a step."""
    argv = [installed_command(), "--region", "DE", "linkedin"]
    tmux.start(with_status(argv, status) if status else argv, env, cwd=cwd)
    tmux.wait_for(lambda s: "Sign in to LinkedIn" in flat(s), what="the LinkedIn guide")
    for key in keys:
        tmux.press(key)
    if keys:
        tmux.wait_for(lambda s: f"Step {1 + keys.count('n')} of 5" in s, what="the step asked for")


# ---- saying where you live -------------------------------------------------------------


def test_the_country_box_understands_what_people_type(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    tmux.start([installed_command()], app_env, cwd=tmp_path)
    tmux.wait_for("Where do you live?", what="the first-run country question")

    # Part of several names: Enter does not pick the United Arab Emirates for the user.
    tmux.type("United")
    tmux.wait_for("United States (US)", what="the countries matching 'United'")
    tmux.press("Enter")
    tmux.wait_for(lambda s: "4 countries match 'United'" in flat(s), what="the request to pick one")
    assert "Where do you live?" in tmux.screen()

    tmux.press("C-u")
    tmux.type("Xyzzy")
    tmux.press("Enter")
    tmux.wait_for(lambda s: "No country matches 'Xyzzy'" in flat(s), what="the answer for a name that matches nothing")

    # What people call it, not the ISO name: USA, England, Deutschland...
    tmux.press("C-u")
    tmux.type("America")
    tmux.wait_for("United States (US), America", what="the United States, found by 'America'")
    tmux.press("Enter")
    screen = tmux.wait_for(
        lambda s: "Saved: you live in the United States." in toasts(s), what="the saved country, with its article"
    )
    assert "American Samoa" not in screen
    tmux.press("C-q")  # on the list of guides every letter searches, q too (issue 10): ctrl+q quits there
    wait_until(tmux.pane_dead, what="the app to quit")
    assert setting_in_store(tmp_path / "data", "region") == "US"


@pytest.mark.parametrize(
    ("typed", "phrase"),
    [
        ("USA", "the United States"),
        ("England", "the United Kingdom"),
        ("Deutschland", "Germany"),
        ("Holland", "the Netherlands"),
    ],
)
def test_region_takes_the_same_words_on_the_command_line(app_env: dict[str, str], typed: str, phrase: str) -> None:
    shown = run("show", "meta", "--region", typed, env=app_env)
    assert shown.returncode == 0, shown.stderr
    assert f"You live in:    {phrase}." in shown.stdout
    before_command = run("--region", typed, "show", "meta", env=app_env)
    assert f"You live in:    {phrase}." in before_command.stdout


def test_region_is_listed_in_help_and_a_wrong_one_gets_a_suggestion(app_env: dict[str, str]) -> None:
    assert "--region COUNTRY" in run("--help", env=app_env).stdout
    wrong = run("--region", "Germny", env=app_env)
    assert wrong.returncode == 1
    assert wrong.stderr.strip().splitlines() == [wrong.stderr.strip()]  # one line
    assert "No country matches 'Germny'. Did you mean Germany" in wrong.stderr


# ---- finding a guide from the command line ------------------------------------------------


def test_a_guide_is_found_by_name_in_any_case_and_by_alias(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    tmux.start([installed_command(), "--region", "USA", "Facebook"], app_env, cwd=tmp_path)
    tmux.wait_for(lambda s: "Know what you can do where you live" in flat(s), what="Meta's guide, found by 'Facebook'")
    tmux.press("q")
    wait_until(tmux.pane_dead, what="the app to quit")

    assert "Sign in to LinkedIn" in run("show", "LinkedIn", env=app_env).stdout
    assert run("show", "twitter", env=app_env).stdout.startswith("X")
    wrong = run("facebok", env=app_env)
    assert wrong.returncode == 1 and "Did you mean: meta (Facebook)" in wrong.stderr
    both = run("show", "amazon", env=app_env)
    assert both.returncode == 1 and "could be more than one guide: alexa (Amazon), kindle (Amazon)" in both.stderr


def test_show_with_no_name_lists_the_guides(app_env: dict[str, str]) -> None:
    out = run("show", env=app_env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Which guide? Name one, for example: optout-tui show linkedin")
    assert re.search(r"^linkedin\s+LinkedIn\s", out.stdout, re.M)
    assert "error" not in out.stderr


# ---- opening links when there is no browser ---------------------------------------------------


@pytest.mark.parametrize("browser", ["false", "/nonexistent/browser"])
def test_a_browser_that_cannot_open_is_told_truthfully(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path, browser: str
) -> None:
    open_linkedin_step(tmux, {**app_env, "BROWSER": browser}, tmp_path, "n")
    tmux.press("o")
    screen = toasts(tmux.wait_for(lambda s: "No browser could be opened" in toasts(s), what="the truth"))
    assert "Copy this address into your browser:" in screen
    assert "Opened in your browser" not in flat(tmux.screen())


def test_a_text_mode_browser_gets_the_whole_terminal_and_the_app_comes_back(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "text-browser.txt"
    # Draws on the whole terminal and waits for a key, as w3m or lynx do.
    browser = stand_in(
        tmp_path / "bin",
        "text-browser",
        f'printf "%s\\n" "$1" >> {log}\nprintf "\\033[2J\\033[HFAKE TEXT BROWSER showing %s\\n" "$1"\nread answer\n',
    )
    open_linkedin_step(tmux, {**app_env, "BROWSER": str(browser)}, tmp_path, "n")
    tmux.press("o")
    tmux.wait_for("FAKE TEXT BROWSER showing", what="the text-mode browser on the whole terminal")
    tmux.press("Enter")  # the user leaves the browser
    tmux.wait_for(
        lambda s: (
            "LinkedIn: Stop LinkedIn" in s
            and "space Done" in s
            and "Step 2 of 5" in s
            and "FAKE" not in s
            and "Opened in your browser" in toasts(s)
        ),
        what="the app's whole screen back (title, step and footer) and the browser's success",
    )
    assert log.read_text().splitlines() == [AI_SETTING_URL]


def test_without_a_display_no_text_mode_browser_starts_inside_the_app(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    log = tmp_path / "w3m.txt"
    stand_in(bin_dir, "w3m", f'printf "%s\\n" "$1" >> {log}\n')
    env = {k: v for k, v in app_env.items() if k != "BROWSER"}
    open_linkedin_step(tmux, {**env, "PATH": str(bin_dir)}, tmp_path, "n")
    tmux.press("o")
    tmux.wait_for(lambda s: "No browser could be opened" in flat(s), what="the truth about the browser")
    time.sleep(0.3)
    assert not log.exists(), "a text-mode browser was started inside the app's screen"


def test_over_ssh_the_link_is_for_the_users_own_computer(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    log = tmp_path / "w3m.txt"
    stand_in(bin_dir, "w3m", f'printf "%s\\n" "$1" >> {log}\n')
    env = {k: v for k, v in app_env.items() if k != "BROWSER"}
    env.update(PATH=str(bin_dir), SSH_CONNECTION="192.0.2.7 50000 192.0.2.1 22")
    open_linkedin_step(tmux, env, tmp_path, "n")
    tmux.press("o")
    screen = toasts(tmux.wait_for(lambda s: "Open this on your own computer" in toasts(s), what="the SSH answer"))
    assert "browser on your own computer" in screen
    assert not log.exists()


@pytest.mark.parametrize(("code", "said"), [(1, "No browser could be opened"), (0, "Opened in your browser")])
def test_a_desktop_browser_that_fails_is_reported(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path, code: int, said: str
) -> None:
    bin_dir = tmp_path / "bin"
    log = tmp_path / "xdg-open.txt"
    stand_in(bin_dir, "xdg-open", f'printf "%s\\n" "$1" >> {log}\nexit {code}\n')
    env = {k: v for k, v in app_env.items() if k != "BROWSER"}
    env.update(PATH=str(bin_dir), DISPLAY=":99")
    open_linkedin_step(tmux, env, tmp_path, "n")
    tmux.press("o")
    tmux.wait_for(lambda s: said in toasts(s), what=f"{said!r} after the launcher answered {code}")
    assert log.read_text().splitlines() == [AI_SETTING_URL]


# ---- copying (the guide screen's keys are wired by the lead) ----------------------------------------


def test_copying_says_what_to_do_if_pasting_fails_and_reaches_tmux(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / tmux.socket
    open_linkedin_step(tmux, {**app_env, "TMUX": f"{socket},0,0"}, tmp_path, "n")
    tmux.press("c")
    screen = toasts(tmux.wait_for(lambda s: "If pasting does not work" in toasts(s), what="the copy message"))
    assert "press v to see it on its own" in screen
    wait_until(lambda: tmux.tmux("show-buffer", check=False).stdout == AI_SETTING_URL, what="the address in tmux")
    tmux.press("v")
    screen = flat(tmux.wait_for(lambda s: "hold Shift while you drag" in flat(s), what="the address alone"))
    assert AI_SETTING_URL in screen


def test_the_letter_can_be_saved_to_a_private_file(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    documents = Path(app_env["HOME"]) / "Documents"
    documents.mkdir()
    open_linkedin_step(tmux, app_env, tmp_path, "n", "n", "n")
    tmux.press("w")
    screen = toasts(tmux.wait_for(lambda s: "Saved to" in toasts(s), what="where the letter was saved"))
    saved = list((documents / "optout-tui").glob("*.txt"))
    assert len(saved) == 1
    assert str(saved[0]) in screen.replace(" ", "")  # the full path, however the message wraps it
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
    assert "LinkedIn" in saved[0].read_text()


# ---- quitting and keeping what was typed --------------------------------------------------------


def type_in_the_letter(tmux: Tmux, app_env: dict[str, str], tmp_path: Path, status: Path | None = None) -> None:
    open_linkedin_step(tmux, app_env, tmp_path, "n", "n", "n", status=status)
    tmux.press("Enter")  # into the first box of the letter; letters typed at once land there too
    tmux.type("Sam Smit")
    tmux.wait_for("Sam Smit", what="the typed name")
    tmux.type("h")


def test_ctrl_c_quits_and_keeps_what_was_just_typed(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    status = tmp_path / "status"
    type_in_the_letter(tmux, app_env, tmp_path, status)
    tmux.press("C-c")  # at once: well before the 0.3 s pause that saves typing
    assert exit_status(status) == 0, "Ctrl+C did not end the app"
    assert "Sam Smith" in fields_in_store(tmp_path / "data", "linkedin").values()


def with_status(argv: list[str], status: Path) -> list[str]:
    """Run argv under a shell that writes its exit status to a file: tmux 3.3 can lose the status
    of a program that ends at once (#{pane_dead_status} stays empty)."""
    return ["/bin/sh", "-c", f'"$@"; echo $? > {status}', "sh", *argv]


def exit_status(status: Path) -> int:
    wait_until(lambda: status.exists() and status.read_text().strip() != "", what="the program to end")
    return int(status.read_text())


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_closing_the_terminal_keeps_what_was_just_typed(tmux: Tmux, app_env: dict[str, str], tmp_path: Path) -> None:
    type_in_the_letter(tmux, app_env, tmp_path)
    tmux.wait_for("Sam Smith", what="the last letter typed")
    pid = tmux.pane_pid()
    tmux.kill_server()  # the window closes: the app gets SIGHUP and loses its terminal
    wait_until(lambda: not alive(pid), timeout=10, what="the app to end after the hang-up")
    assert "Sam Smith" in fields_in_store(tmp_path / "data", "linkedin").values()


# ---- terminals that cannot show the app -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "words"),
    [({"TERM": "dumb"}, "TERM=dumb"), ({"LANG": "en_US.ISO-8859-1"}, "ISO-8859-1 character set")],
)
def test_a_terminal_that_cannot_show_the_app_gets_one_line(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path, change: dict[str, str], words: str
) -> None:
    status = tmp_path / "status"
    tmux.start(
        with_status([installed_command(), "--region", "DE", "linkedin"], status), {**app_env, **change}, cwd=tmp_path
    )
    assert exit_status(status) == 1
    # With the history: tmux may scroll the first row up when the pane dies.
    screen = tmux.tmux("capture-pane", "-p", "-S", "-", "-t", tmux.target).stdout
    lines = [line for line in screen.splitlines() if line.strip() and not line.startswith("Pane is dead")]
    assert len(lines) <= 3, screen  # one sentence, wrapped at 80 columns, and nothing drawn
    text = unwrapped(screen)
    assert "this terminal cannot show the app" in text and words in text
    assert "`optout-tui show linkedin` prints the same steps as plain text" in text
    said = run("--region", "DE", "linkedin", env={**app_env, **change})
    assert said.returncode == 1 and said.stderr.count("\n") == 1 and said.stdout == ""


# ---- show --------------------------------------------------------------------------------------------


def test_show_meta_is_honest_about_regions_prints_the_letter_once_and_has_no_rules(app_env: dict[str, str]) -> None:
    out = run("show", "meta", env=app_env)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Applies to:     everywhere, but some steps only in EU, EEA, UK, Switzerland and Brazil" in text
    assert text.count("I object to the processing of my personal data") == 1
    assert "the letter from the step “Send Meta an objection from Facebook”" in text
    assert not [line for line in text.splitlines() if re.fullmatch(r"\s*[=\-_]{3,}\s*", line)]


def test_show_puts_the_saved_countrys_steps_first(app_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    from walkthrough.progress.store import ProgressStore

    with ProgressStore(data / "progress.sqlite3") as store:
        store.set_setting("region", "US")
    text = run("show", "meta", env=app_env).stdout
    assert "You live in:    the United States. 5 of 10 steps are for you" in text
    mine = text.index("Step 5 of 5:")
    others = text.index("Steps for other countries (not for the United States)")
    assert mine < others < text.index("Not for you: Send Meta an objection from Facebook")


def test_show_keeps_code_lines_and_each_steps_sources(app_env: dict[str, str]) -> None:
    apple = run("show", "apple", env=app_env).stdout
    assert "\n    User-agent: Applebot-Extended\n    Disallow: /\n" in apple
    wix = run("show", "wix", env=app_env).stdout
    first, second = wix.index("Step 1 of"), wix.index("Step 2 of")
    step_one = wix[first:second]
    assert "Source for this step:" in step_one
    assert "https://www.wix.com/seo/learn/resource/robots-txt-file" in step_one


# ---- the end of a guide and the list --------------------------------------------------------------------


def test_finishing_says_what_next_and_the_list_dates_it_in_words(
    tmux: Tmux, app_env: dict[str, str], tmp_path: Path
) -> None:
    guides = tmp_path / "guides"
    guides.mkdir()
    shutil.copy(SNAP / "examplenet.yaml", guides / "examplenet.yaml")
    tmux.start(
        [installed_command(), "--region", "DE", "--guides-dir", str(guides), "ExampleNet"], app_env, cwd=tmp_path
    )
    tmux.wait_for(lambda s: "Make your posts private" in flat(s), what="the ExampleNet guide")
    tmux.press("Space")
    tmux.wait_for(lambda s: "Check that your posts are private" in flat(s), what="the second step")
    tmux.press("Space")
    screen = flat(tmux.wait_for(lambda s: "What next" in s, what="the finished screen's what next"))
    assert "Keep your record: what you did, and when, is saved on this computer." in screen
    assert "optout-tui progress export -o my-optouts.md" in screen
    assert "Press n to start it." in screen
    tmux.press("Enter")
    tmux.wait_for("guides done", what="the list of guides")
    tmux.type("/examplenet")
    today = datetime.date.today()
    words = f"Done {today.day} {today:%b} {today.year}"
    row = tmux.wait_for(lambda s: "ExampleNet" in s and "Done" in s, what="ExampleNet's row, done")
    assert words in row, row
    listed = json.loads(run("progress", "--json", "examplenet", env=app_env).stdout)
    assert {s["status"] for s in listed[0]["steps"]} == {"done"}


# ---- the README ------------------------------------------------------------------------------------------


def readme_commands() -> list[list[str]]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"`(optout-tui(?: [^`]*)?)`", readme)
    return [c.split() for c in dict.fromkeys(found) if "GUIDE" not in c]


def test_every_command_the_readme_shows_works_as_written(app_env: dict[str, str], tmp_path: Path) -> None:
    commands = readme_commands()
    assert ["optout-tui", "--region", "Germany"] in commands and ["optout-tui", "show", "linkedin"] in commands
    work = tmp_path / "work"
    work.mkdir()
    # TERM=dumb: a command that would start the full-screen app checks its words, then stops with one line.
    env = {**app_env, "TERM": "dumb"}
    for argv in commands:
        if argv[1:2] in (["check-links"], ["update"]):
            continue  # the commands that use the network; tests never do (test_update.py serves its own)
        if argv[1:2] == ["serve"]:
            continue  # serves until stopped; tests/test_serve*.py drive it
        out = subprocess.run(
            [installed_command(), *argv[1:]], env=env, cwd=work, capture_output=True, text=True, timeout=60
        )
        said = out.stdout + out.stderr
        assert out.returncode != 2 and "usage:" not in said, f"{' '.join(argv)}: {said}"
        assert "Traceback" not in said and "is not a country" not in said and "There is no guide" not in said, said
        if "cannot show the app" in said:
            assert len(out.stderr.splitlines()) == 1, said
