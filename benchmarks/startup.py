"""Start-up benchmark: process start to the home screen with guide rows drawn, in a pseudo-terminal.

    python benchmarks/startup.py [--rounds 10] [--guides 1000]

Each case is measured against a bare Textual app (Header, Static, Footer) in the
same run, interleaved (bare, app, bare, app, ...), so a busy or slow machine
moves both sides alike and only the ratio of the medians is judged:

    bundled guides             app / bare  <= 1.10
    plus 1,000 extra guides    app / bare  <= 1.30   (second start: the guide cache is warm)
    the same, cold cache       reported only         (first start after installing or editing guides)

A run also checks that neither httpx nor textual_serve is imported before the
first screen (the app never uses the network to browse guides), and prints the
slowest imports of the app's start so a missed goal points at its cause.
Exits 1 if a goal is missed. Uses the `optout-tui` next to this Python.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOALS: dict[str, float | None] = {
    "bundled": 1.10,
    "1000 extra guides": 1.30,
    # The first start after installing or editing guides: reported, not judged.
    "1000, cold cache": None,
}
MUST_NOT_IMPORT = ("httpx", "textual_serve")

# The baseline: what any Textual app costs to reach its first paint.
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    BINDINGS = [("space", "bump", "Bump"), ("q", "quit", "Quit")]
    count = 0

    def compose(self):
        yield Header()
        yield Static("Bare app ready", id="body")
        yield Footer()

    def action_bump(self):
        self.count += 1
        self.query_one("#body", Static).update(f"Bare count {self.count:04d}")

Bare().run()
"""
BARE_MARKER = b"Bare app ready"


def optout_tui() -> str:
    beside = Path(sys.executable).parent / "optout-tui"
    found = str(beside) if beside.exists() else shutil.which("optout-tui")
    if not found:
        sys.exit("optout-tui is not installed next to this Python nor on PATH: pip install . first")
    return found


def clean_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPTOUT_TUI_", "TEXTUAL"))}
    # A fixed size from the pty, not from variables the caller's shell may export.
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update(TERM="xterm-256color", COLORTERM="truecolor", OPTOUT_TUI_DATA_DIR=str(data_dir))
    env.update(extra or {})
    return env


class PtyProcess:
    """A program on a pseudo-terminal of a fixed size; its screen output is read as bytes."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], *, cols: int = 80, rows: int = 24) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def read_until(self, pattern: bytes | re.Pattern[bytes], *, start: int = 0, timeout: float = 60.0) -> float:
        """Read until pattern appears at or after `start` in the output; return perf_counter then."""
        deadline = time.perf_counter() + timeout
        while True:
            found = pattern.search(self.output, start) if isinstance(pattern, re.Pattern) else None
            if found or (isinstance(pattern, bytes) and self.output.find(pattern, start) >= 0):
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = bytes(self.output[-600:]).decode("utf-8", "replace")
                raise TimeoutError(f"no {pattern!r} within {timeout:.0f} s; last output: {tail!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:  # EIO: the program exited and closed the terminal
                    chunk = b""
                if not chunk:
                    tail = bytes(self.output[-600:]).decode("utf-8", "replace")
                    raise RuntimeError(f"the program ended before showing {pattern!r}; last output: {tail!r}")
                self.output += chunk

    def send(self, data: bytes) -> float:
        sent = time.perf_counter()
        os.write(self.master, data)
        return sent

    def close(self) -> None:
        # SIGKILL: the measurement is over, and a polite exit would only add noise to the next run.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


def time_to_marker(argv: Sequence[str], env: dict[str, str], marker: bytes | re.Pattern[bytes]) -> float:
    p = PtyProcess(argv, env)
    try:
        return p.read_until(marker) - p.started
    finally:
        p.close()


def generate_guides(folder: Path, count: int) -> list[str]:
    """`count` valid guides made from linkedin.yaml, each with its own name and step ids; returns their names.

    The names sort before every real platform, so the first screen of the
    home list is made of them whatever the app's order within its groups.
    """
    source = (REPO / "guides" / "linkedin.yaml").read_text(encoding="utf-8")
    templates = folder / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    # The guide uses a shared letter; extra folders need their own copy only if the bundled one moves.
    names = []
    for i in range(count):
        name = f"Aardvark {i:04d}"
        text = source.replace("name: LinkedIn", f"name: {name}", 1)
        text = re.sub(r"(?m)^(  - id: )([a-z-]+)$", rf"\g<1>\g<2>-{i:04d}", text)
        (folder / f"aardvark-{i:04d}.yaml").write_text(text, encoding="utf-8")
        names.append(name)
    return names


def any_of(names: Sequence[str]) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(n.encode()) for n in names))


def bundled_names() -> list[str]:
    names = []
    for path in sorted((REPO / "guides").glob("*.yaml")):
        m = re.search(r"(?m)^name:\s*(.+?)\s*$", path.read_text(encoding="utf-8"))
        if m:
            names.append(m.group(1).strip("'\""))
    return names


def imports_before_first_screen(
    argv: Sequence[str], env: dict[str, str], marker
) -> tuple[list[tuple[int, str]], list[str]]:
    """What -X importtime logged before the first screen: top-level (cumulative us, module), and every module.

    The log goes to stderr, which is the terminal, so it arrives in the same
    stream as the screen and everything before the marker happened before it.
    """
    p = PtyProcess(argv, {**env, "PYTHONPROFILEIMPORTTIME": "1"})
    try:
        p.read_until(marker)
    finally:
        p.close()
    first_screen = marker.search(p.output).start() if isinstance(marker, re.Pattern) else p.output.find(marker)
    text = bytes(p.output[:first_screen]).decode("utf-8", "replace")
    rows = []
    for m in re.finditer(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", text):
        rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    # Only top-level entries (least indented) add up without double counting.
    top = min((depth for _, depth, _ in rows), default=0)
    return sorted(((us, name) for us, depth, name in rows if depth == top), reverse=True), [n for _, _, n in rows]


# Where the app's extra start-up time goes, phase by phase, in one headless process.
# Headless skips the terminal, so the sum is a little under the pty numbers, but
# the phases are the same ones a real start goes through, in the same order.
PHASES_PROBE = r"""
import json, sys, time
t = [("start", time.perf_counter())]
import textual.app
from textual.widgets import Footer, Header, Static
t.append(("import textual + the bare app's widgets", time.perf_counter()))
import walkthrough.tui.app as tui_app
t.append(("import walkthrough.tui.app (beyond textual)", time.perf_counter()))
from walkthrough.catalog.loading import load_catalog
dirs = json.loads(sys.argv[1])
catalog = load_catalog(dirs)
t.append((f"load_catalog, no cache: {len(catalog.guides)} guides", time.perf_counter()))
from walkthrough.progress.store import ProgressStore
store, _ = ProgressStore.open_default()
store.close()
t.append(("open the progress store", time.perf_counter()))
app = tui_app.make_app(dirs, region="DE")
t.append(("make_app: catalogue from the guide cache (warm) + store", time.perf_counter()))
async def ready(pilot):
    t.append(("app.run to ready: compose + mount", time.perf_counter()))
    await pilot.pause()
    t.append(("ready to idle: CSS, layout, the first full render", time.perf_counter()))
    pilot.app.exit()
app.run(headless=True, size=(80, 24), auto_pilot=ready)
print(json.dumps([(name, round((b - a) * 1000, 1)) for (_, a), (name, b) in zip(t, t[1:])]))
"""

BARE_PHASES_PROBE = r"""
import json, time
t0 = time.perf_counter()
from textual.app import App
from textual.widgets import Footer, Header, Static
t1 = time.perf_counter()
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Bare app ready")
        yield Footer()
t2 = []
async def ready(pilot):
    t2.append(time.perf_counter())
    await pilot.pause()
    t2.append(time.perf_counter())
    pilot.app.exit()
Bare().run(headless=True, size=(80, 24), auto_pilot=ready)
print(json.dumps([["import textual + the widgets", round((t1 - t0) * 1000, 1)],
                  ["app.run to ready: compose + mount", round((t2[0] - t1) * 1000, 1)],
                  ["ready to idle: CSS, layout, the first full render", round((t2[1] - t2[0]) * 1000, 1)]]))
"""


def explain(env: dict[str, str], dirs: list[str], runs: int = 5) -> None:
    import json

    for title, code, args in (
        ("bare app", BARE_PHASES_PROBE, []),
        (f"optout-tui{' + ' + str(len(dirs)) + ' extra folder(s)' if dirs else ''}", PHASES_PROBE, [json.dumps(dirs)]),
    ):
        samples = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=120
            )
            samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  {title} (median of {runs}, ms):")
        for i, (name, _) in enumerate(samples[0]):
            print(f"    {statistics.median(s[i][1] for s in samples):7.1f}  {name}")


def run_case(label: str, app_argv: list[str], marker, env: dict[str, str], rounds: int, before_app=None) -> dict:
    bare_argv = [sys.executable, "-c", BARE_APP]
    # One of each first: compile .pyc files and warm the disk cache, not measured.
    time_to_marker(bare_argv, env, BARE_MARKER)
    time_to_marker(app_argv, env, marker)
    bare, app = [], []
    for _ in range(rounds):
        bare.append(time_to_marker(bare_argv, env, BARE_MARKER))
        if before_app:
            before_app()
        app.append(time_to_marker(app_argv, env, marker))
    result = {
        "case": label,
        "bare_median_ms": statistics.median(bare) * 1000,
        "app_median_ms": statistics.median(app) * 1000,
        "bare_ms": [round(x * 1000, 1) for x in bare],
        "app_ms": [round(x * 1000, 1) for x in app],
    }
    result["ratio"] = result["app_median_ms"] / result["bare_median_ms"]
    result["goal"] = GOALS[label]
    result["ok"] = result["goal"] is None or result["ratio"] <= result["goal"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="measured runs of each side per case (default 10)")
    parser.add_argument("--guides", type=int, default=1000, help="extra generated guides for the scale case")
    parser.add_argument("--verbose", action="store_true", help="print every run's time")
    parser.add_argument("--explain", action="store_true", help="also time each start-up phase (headless)")
    args = parser.parse_args(argv)

    exe = optout_tui()
    failures = []
    with tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        data.mkdir()
        env = clean_env(data)
        names = bundled_names()
        # --region skips the first-start country question; the same data dir is reused,
        # as for anyone starting the app a second time.
        base_argv = [exe, "--region", "DE"]
        extra = tmp_path / "extra"
        extra.mkdir()
        generated = generate_guides(extra, args.guides)

        print(f"optout-tui start-up, {args.rounds} interleaved rounds per case, 80x24 pty")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {exe}\n")
        results = [
            run_case("bundled", base_argv, any_of(names), env, args.rounds),
            run_case(
                "1000 extra guides",
                [*base_argv, "--guides-dir", str(extra)],
                any_of([*generated[:30], *names]),
                env,
                args.rounds,
            ),
            run_case(
                "1000, cold cache",
                [*base_argv, "--guides-dir", str(extra)],
                any_of([*generated[:30], *names]),
                env,
                args.rounds,
                before_app=lambda: shutil.rmtree(data / "cache", ignore_errors=True),
            ),
        ]
        print(f"{'case':<20} {'bare median':>12} {'app median':>12} {'ratio':>7} {'goal':>6}")
        for r in results:
            verdict = "(info)" if r["goal"] is None else "ok" if r["ok"] else "MISSED"
            goal = "-" if r["goal"] is None else f"{r['goal']:.2f}x"
            print(
                f"{r['case']:<20} {r['bare_median_ms']:>9.0f} ms {r['app_median_ms']:>9.0f} ms "
                f"{r['ratio']:>6.2f}x {goal:>6}  {verdict}"
            )
            if args.verbose:
                print(f"    bare: {r['bare_ms']}\n    app:  {r['app_ms']}")
            if not r["ok"]:
                failures.append(f"{r['case']}: {r['ratio']:.2f}x the bare app (goal {r['goal']:.2f}x)")

        top, imported = imports_before_first_screen(base_argv, env, any_of(names))
        bare_top, bare_imported = imports_before_first_screen([sys.executable, "-c", BARE_APP], env, BARE_MARKER)
        extra_modules = sorted(set(imported) - set(bare_imported))
        print(f"\nimported before the first screen: {len(imported)} modules ({len(bare_imported)} for the bare app)")
        print("slowest top-level imports of the app (cumulative, -X importtime):")
        for us, name in top[:8]:
            print(f"    {us / 1000:7.1f} ms  {name}")
        roots = sorted({m.split(".")[0] for m in extra_modules})
        print(f"packages the app imports beyond the bare app: {', '.join(roots) or 'none'}")
        bad = [m for m in imported if m.split(".")[0] in MUST_NOT_IMPORT]
        if bad:
            failures.append(f"imported before the first screen, but only network commands need them: {bad}")
        else:
            print(f"not imported before the first screen: {', '.join(MUST_NOT_IMPORT)} (good)")

        if args.explain or failures:
            print("\nwhere the time goes:")
            explain(env, [])
            explain(env, [str(extra)])

    if failures:
        print("\nGOAL MISSED:\n  " + "\n  ".join(failures))
        return 1
    print("\nall start-up goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
