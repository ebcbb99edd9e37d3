"""`check-links` against a real HTTP server on loopback: never the internet.

The checker is exercised with real httpx requests to linkcheck_server.py,
which acts out each thing a platform's page can do. Guide traversal is tested
on the (url, guide, step) list collected from a guide file, because guides may
only link to https pages on their declared domains, which a loopback server
cannot be without a certificate this project does not make.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from linkcheck_server import LocalServer, Tracker, closed_port

from walkthrough.catalog.loading import load_paths
from walkthrough.linkcheck import checker as linkcheck
from walkthrough.linkcheck import report
from walkthrough.linkcheck import targets as found
from walkthrough.linkcheck.checker import Checker
from walkthrough.linkcheck.report import Result
from walkthrough.linkcheck.targets import Target, Use

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


def check(url: str, **options) -> Result:
    options = {"timeout": 5.0, **options}
    return Checker(**options).run([url])[url]


def optout(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("OPTOUT_TUI_GUIDES", "OPTOUT_TUI_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "walkthrough", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


# --- one outcome per case -------------------------------------------------------------------------------------------


def test_a_working_page_is_ok_and_sent_with_an_honest_user_agent(server):
    result = check(server.url("/ok"))
    assert (result.outcome, result.status, result.final_url, result.error) == ("ok", 200, server.url("/ok"), None)
    assert server.requests == [("HEAD", "/ok", linkcheck.USER_AGENT)]
    assert linkcheck.USER_AGENT.startswith("optout-tui-linkcheck/")


def test_a_page_slower_than_the_timeout_is_a_timeout(server):
    started = time.monotonic()
    result = check(server.url("/slow?s=3"), timeout=0.5)
    assert result.outcome == "timeout" and result.status is None
    assert "0.5 s" in result.error
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_page_is_broken(server, status):
    result = check(server.url(f"/gone/{status}"))
    assert (result.outcome, result.status) == ("broken", status)
    assert f"HTTP {status}" in result.error
    # A failing HEAD is confirmed with GET before a link is called broken.
    assert [m for m, p, _ in server.requests] == ["HEAD", "GET"]


def test_a_server_error_is_broken(server):
    result = check(server.url("/error"))
    assert (result.outcome, result.status) == ("broken", 500)


def test_a_page_that_moved_is_a_redirect_with_its_final_address(server):
    result = check(server.url("/moved/a"))
    assert (result.outcome, result.status) == ("redirect", 200)
    assert result.final_url == server.url("/new-home")
    assert server.url("/new-home") in result.note


def test_an_added_trailing_slash_is_not_worth_editing_a_guide_for(server):
    result = check(server.url("/page"))
    assert result.outcome == "ok"
    assert result.final_url == server.url("/page/")


def test_a_fragment_survives_a_redirect_and_does_not_count_as_a_move(server):
    result = check(server.url("/page#turn-off"))
    assert result.outcome == "ok"
    assert result.final_url == server.url("/page/#turn-off")


def test_a_sign_in_page_that_returns_to_the_link_is_ok(server):
    result = check(server.url("/account/data-settings"))
    assert result.outcome == "ok"
    assert result.final_url.startswith(server.url("/login?next="))
    assert "sign in" in result.note


def test_a_redirect_loop_is_an_error(server):
    result = check(server.url("/loop/a"))
    assert result.outcome == "error"
    assert "loop" in result.error
    assert len(server.requests) == 2


def test_redirects_are_bounded(server):
    result = check(server.url("/chain?n=30"))
    assert result.outcome == "error" and "more than 10 redirects" in result.error
    assert len(server.requests) == 11
    assert check(server.url("/chain?n=3")).outcome == "redirect"


def test_a_redirect_that_goes_nowhere_is_broken(server):
    result = check(server.url("/nowhere"))
    assert (result.outcome, result.status) == ("broken", 302)
    assert "does not say where" in result.error


def test_a_429_is_retried_once_after_its_retry_after(server):
    started = time.monotonic()
    result = check(server.url("/limited/once"))
    assert (result.outcome, result.status) == ("ok", 200)
    assert time.monotonic() - started >= 0.9
    assert [m for m, p, _ in server.requests] == ["HEAD", "HEAD"]  # a 429 is not retried at once with GET


def test_a_retry_after_given_as_an_http_date_is_honoured(server):
    result = check(server.url("/limited/date"))
    assert result.outcome == "ok"
    assert server.counts[("any", "/limited/date")] == 2


def test_a_second_429_is_rate_limited(server):
    result = check(server.url("/limited/always"))
    assert (result.outcome, result.status) == ("rate_limited", 429)
    assert server.counts[("any", "/limited/always")] == 2


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server):
    started = time.monotonic()
    result = check(server.url("/limited/long"), timeout=1.0)
    assert result.outcome == "rate_limited"
    assert "3600" in result.error
    assert time.monotonic() - started < 1.5
    assert server.counts[("any", "/limited/long")] == 1


def test_a_passing_503_is_retried_once(server):
    result = check(server.url("/flaky"))
    assert (result.outcome, result.status) == ("ok", 200)


@pytest.mark.parametrize("path", ["/no-head", "/no-head-501", "/head-403"])
def test_a_server_that_refuses_head_is_asked_with_get(server, path):
    result = check(server.url(path))
    assert (result.outcome, result.status) == ("ok", 200)
    assert [m for m, p, _ in server.requests] == ["HEAD", "GET"]


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/wall", 403, "HEAD and GET"),
        ("/linkedin", 999, "999"),
        ("/challenge", 403, "bot check"),
        ("/auth-needed", 401, "sign"),
    ],
)
def test_bot_walls_are_blocked_not_broken(server, path, status, words):
    result = check(server.url(path))
    assert (result.outcome, result.status) == ("blocked", status)
    assert words in result.error


def test_a_closed_port_is_an_error_in_plain_words():
    url = f"http://127.0.0.1:{closed_port()}/ok"
    result = check(url)
    assert result.outcome == "error" and result.status is None
    assert "refused" in result.error


@pytest.mark.parametrize(
    ("url", "words"),
    # None of these may reach a resolver: the tests never touch the network beyond loopback.
    [
        ("ftp://127.0.0.1/file", "only http:// and https://"),
        ("http://127.0.0.1:abc/", "not a valid web address"),
        ("http://[::1/", "not a valid web address"),
        ("http://127.0.0.1:99999/", "port 99999"),
        ("http://", "no host name"),
    ],
)
def test_addresses_that_cannot_be_requested_are_errors(url, words):
    result = check(url)
    assert result.outcome == "error"
    assert words in result.error


def test_a_redirect_to_a_dead_page_on_another_host_is_broken_and_says_where(server):
    from urllib.parse import quote

    with LocalServer("127.0.0.2") as other:
        dead = other.url("/gone/404")
        result = check(server.url("/to?u=" + quote(dead, safe="")))
        assert (result.outcome, result.status, result.final_url) == ("broken", 404, dead)
        assert dead in result.error
        assert [p for _, p, _ in other.requests] == ["/gone/404", "/gone/404"]


def test_a_redirect_to_a_closed_port_is_an_error_that_names_it(server):
    from urllib.parse import quote

    dead = f"http://127.0.0.1:{closed_port()}/"
    result = check(server.url("/to?u=" + quote(dead, safe="")))
    assert result.outcome == "error" and result.final_url == dead
    assert result.error.startswith(f"after a redirect to {dead}") and "refused" in result.error


# --- limits ---------------------------------------------------------------------------------------------------------


def test_the_per_host_and_global_limits_hold():
    shared = Tracker()
    with LocalServer("127.0.0.1", shared) as one, LocalServer("127.0.0.2", shared) as two:
        urls = [srv.url(f"/busy?hold=3&n={i}") for srv in (one, two) for i in range(12)]
        results = Checker(concurrency=3, per_host=2, timeout=5).run(urls)
        assert {r.outcome for r in results.values()} == {"ok"}
        assert one.own.max_active <= 2 and two.own.max_active <= 2
        assert shared.max_active <= 3
        # ... and the limits are used, not just respected: the requests did overlap.
        assert shared.max_active == 3 and max(one.own.max_active, two.own.max_active) == 2


def test_connections_are_kept_alive_between_requests(server):
    # Each new connection costs the platform (and us) a handshake: many links, one connection.
    urls = [server.url(f"/ok?n={i}") for i in range(20)]
    results = Checker(concurrency=1, per_host=1, timeout=5).run(urls)
    assert {r.outcome for r in results.values()} == {"ok"}
    assert len(server.requests) == 20 and len(server.connections) == 1


def test_identical_addresses_are_requested_once(server):
    seen = []
    results = Checker(timeout=5).run([server.url("/ok")] * 5, on_done=seen.append)
    assert len(results) == 1 and len(seen) == 1
    assert len(server.requests) == 1


def test_retry_after_parsing():
    import datetime

    now = datetime.datetime(2026, 11, 22, 12, 0, 0, tzinfo=datetime.timezone.utc)
    assert linkcheck.retry_after_seconds("7", now) == 7
    assert linkcheck.retry_after_seconds("Sun, 22 Nov 2026 12:00:10 GMT", now) == 10
    assert linkcheck.retry_after_seconds("Sun, 22 Nov 2026 11:00:00 GMT", now) == 0
    assert linkcheck.retry_after_seconds("soon", now) is None
    assert linkcheck.retry_after_seconds(None, now) is None


@pytest.mark.parametrize(
    ("url", "final", "same"),
    [
        ("http://a.example/x", "https://a.example/x", True),
        ("https://a.example/x", "http://a.example/x", False),  # a downgrade is worth knowing about
        ("https://a.example/x", "https://a.example/x/", True),
        ("https://a.example/x#part", "https://a.example/x", True),
        ("https://a.example/x", "https://www.a.example/x", False),
        ("https://a.example/x", "https://a.example/y", False),
        ("https://a.example/x?a=1", "https://a.example/x?a=2", False),
    ],
)
def test_which_redirects_count_as_the_same_page(url, final, same):
    assert linkcheck.same_page(url, final) is same


def test_sign_in_redirects_are_recognised_only_when_they_come_back():
    settings = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
    login = "https://www.linkedin.com/uas/login?session_redirect=" + settings.replace(":", "%3A").replace("/", "%2F")
    assert linkcheck.sign_in_redirect(settings, login)
    assert not linkcheck.sign_in_redirect(settings, "https://www.linkedin.com/uas/login")
    assert not linkcheck.sign_in_redirect("https://www.linkedin.com/", "https://www.linkedin.com/login?next=%2F")
    assert not linkcheck.sign_in_redirect(settings, "https://www.linkedin.com/help?from=" + settings)


# --- guides: which links are checked, and how they are grouped ------------------------------------------------------

GUIDE = """\
name: Example
title: Stop Example training AI on your posts
summary: Example trains AI on posts. Turn it off.
last_verified: 2026-11-01
difficulty: easy
minutes: 5
recheck_days: 90
domains: [example.com]
sources:
  - url: https://help.example.com/ai
    title: How Example uses AI
  - url: https://www.example.com/settings/ai
    title: The setting itself
steps:
  - id: open-settings
    kind: setting
    title: Turn off AI training
    body: Open the page. Turn off the switch.
    link:
      url: https://www.example.com/settings/ai
      label: Open the setting
  - id: read-only
    kind: info
    title: Read what stays
    body: Some data stays.
  - id: check-it
    kind: check
    title: Check that it is off
    body: Open the page again.
    link:
      url: https://www.example.com/settings/ai
      label: Open the setting
"""


@pytest.fixture
def guide_dir(tmp_path):
    (tmp_path / "example.yaml").write_text(GUIDE, encoding="utf-8")
    return tmp_path


def test_every_step_link_and_source_is_collected_once_with_every_use(guide_dir):
    catalog = load_paths([guide_dir / "example.yaml"])
    assert not catalog.failed, catalog.problems
    targets = found.collect(catalog)
    uses = [(t.url, u.guide, u.step, u.kind) for t in targets for u in t.uses]
    assert [t.url for t in targets] == ["https://www.example.com/settings/ai", "https://help.example.com/ai"]
    assert uses == [
        ("https://www.example.com/settings/ai", "example", "open-settings", "step"),
        ("https://www.example.com/settings/ai", "example", "check-it", "step"),
        ("https://www.example.com/settings/ai", "example", None, "source"),
        ("https://help.example.com/ai", "example", None, "source"),
    ]


def test_every_bundled_guide_has_links_to_check():
    from walkthrough.catalog.loading import load_catalog

    catalog = load_catalog()
    targets = found.collect(catalog)
    assert {u.guide for t in targets for u in t.uses} == set(catalog.guides)
    assert all(t.url.startswith("https://") for t in targets)


def test_the_report_groups_by_guide_then_step_then_sources(guide_dir):
    targets = found.merge(
        found.collect(load_paths([guide_dir / "example.yaml"])), found.direct(["http://127.0.0.1:9/x"])
    )
    setting, help_page = "https://www.example.com/settings/ai", "https://help.example.com/ai"
    results = {
        setting: Result(setting, "redirect", 200, setting + "/v2", note=f"now at {setting}/v2: point the guide there"),
        help_page: Result(help_page, "broken", 404, help_page, error="HTTP 404 Not Found"),
        "http://127.0.0.1:9/x": Result("http://127.0.0.1:9/x", "error", error="the connection was refused"),
    }
    lines = report.report_lines(targets, results)
    text = "\n".join(lines)
    assert lines[0].startswith("Example (")
    order = [
        "  Step 1: Turn off AI training",
        "  Step 3: Check that it is off",
        "  Sources",
        "Links given on the command line",
    ]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Step 2" not in text  # a step without a link is not listed
    assert text.count(setting + "\n") == 3 and "HTTP 404 Not Found" in text

    rows = report.json_rows(targets, results)
    assert [(r["step"], r["kind"]) for r in rows] == [
        ("open-settings", "step"),
        ("check-it", "step"),
        (None, "source"),
        (None, "source"),
        (None, "url"),
    ]
    assert rows[-1]["guide"] is None


# --- the real command -----------------------------------------------------------------------------------------------


def test_the_command_reports_and_fails_on_broken_links(server):
    out = optout("check-links", "--timeout", "5", server.url("/ok"), server.url("/gone/404"), server.url("/linkedin"))
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    first = out.stderr.splitlines()[0]
    assert "uses the network" in first
    assert out.stdout.splitlines()[0] == "Links given on the command line"
    assert "broken" in out.stdout and "blocked" in out.stdout
    assert "Checked 3 addresses" in out.stderr and "1 ok, 1 broken, 1 blocked" in out.stderr


def test_the_command_passes_when_nothing_is_broken_even_if_blocked_or_moved(server):
    out = optout("check-links", server.url("/ok"), server.url("/moved/a"), server.url("/wall"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "redirect" in out.stdout and server.url("/new-home") in out.stdout


def test_the_command_prints_json_with_the_promised_fields(server):
    closed = f"http://127.0.0.1:{closed_port()}/"
    out = optout("check-links", "--json", server.url("/ok"), server.url("/ok"), server.url("/moved/a"), closed)
    assert out.returncode == 1
    rows = json.loads(out.stdout)
    assert len(rows) == 4  # the repeated address appears once per use
    for row in rows:
        assert {"url", "outcome", "status", "final_url", "guide", "step", "error"} <= set(row)
        assert row["guide"] is None and row["step"] is None
    by_url = {r["url"]: r for r in rows}
    assert by_url[server.url("/moved/a")]["final_url"] == server.url("/new-home")
    assert by_url[closed]["outcome"] == "error" and by_url[closed]["status"] is None
    assert "refused" in by_url[closed]["error"]
    assert server.counts[("HEAD", "/ok")] == 1  # asked once, reported twice


def test_the_command_times_out_and_exits_1(server):
    out = optout("check-links", "--timeout", "0.5", server.url("/slow?s=3"))
    assert out.returncode == 1
    assert "timeout" in out.stdout and "Traceback" not in out.stderr


def test_when_nothing_answers_the_command_suspects_the_connection():
    out = optout("check-links", f"http://127.0.0.1:{closed_port()}/a", f"http://127.0.0.1:{closed_port()}/b")
    assert out.returncode == 1
    assert "offline" in out.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_progress_bar_on_a_terminal_goes_to_stderr_and_is_wiped(server):
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "OPTOUT_TUI_GUIDES"}
    urls = [server.url(f"/ok?n={i}") for i in range(3)]
    with os.fdopen(leader, "rb", buffering=0) as terminal:
        proc = subprocess.run(
            [sys.executable, "-m", "walkthrough", "check-links", "--json", *urls],
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env=env,
            timeout=60,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = terminal.read(65536)
            except OSError:  # Linux says EIO once the terminal has nothing more
                break
            if not chunk:
                break
            shown += chunk
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)) == 3  # stdout stays clean JSON
    text = shown.decode()
    assert "Checking links [" in text and "3/3" in text
    # The bar is overwritten by blanks, then the summary is written over it: what stays on screen.
    last_line = text.replace("\r\n", "\n").rstrip("\n").rsplit("\n", 1)[-1]
    *bar, wiped, summary = last_line.split("\r")
    assert bar and not wiped.strip() and summary.startswith("Checked 3 addresses")


def test_no_progress_bar_when_stderr_is_not_a_terminal(server):
    out = optout("check-links", server.url("/ok"))
    assert "\r" not in out.stderr and "[#" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--concurrency", "0"],
        ["--per-host", "lots"],
        ["--timeout", "-1"],
        ["no/such/guide.yaml"],
    ],
)
def test_usage_errors_exit_2(args):
    out = optout("check-links", *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "uses the network" not in out.stderr


def test_a_guide_with_errors_is_named_and_fails_the_run(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\n", encoding="utf-8")
    out = optout("check-links", str(bad))
    assert out.returncode == 1
    assert "skipped" in out.stderr and "bad.yaml" in out.stderr
    assert "uses the network" not in out.stderr  # nothing left to check, so nothing was contacted


def test_other_commands_never_load_the_network_code():
    code = (
        "import sys; from walkthrough.cli import build_parser; build_parser(); "
        "import walkthrough.commands.check_links; "
        "print('httpx' in sys.modules, 'walkthrough.linkcheck.checker' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_uses_know_their_kind():
    assert Use().kind == "url"
    assert Use(guide="g").kind == "source"
    assert Use(guide="g", step="s").kind == "step"
    assert Target("u").uses == []
