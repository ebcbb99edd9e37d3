"""Start-up benchmark: process start to the home screen with guide rows drawn, in a pseudo-terminal.

    python benchmarks/startup.py [--rounds 10] [--only CASE ...] [--search-keys 40]

Each case is measured against a bare Textual app (Header, Static, Footer) in the
same run, interleaved (bare, app, bare, app, ...), so a busy or slow machine
moves both sides alike and only the ratio of the medians is judged. Beside
each, the peak memory (maximum resident set size) of both processes, up to the
first screen:

    bundled guides                            app / bare  <= 1.15
    + 1,000 guides                            app / bare  <= 1.20   (second start: the guide cache is warm)
    + 2,600 guides (varied, like real ones)   app / bare  <= 1.20
    + 5,000 guides                            app / bare  <= 1.05 x the + 1,000 ratio
    + 1,000 guides, cold cache                app / bare  <= 2.0    (first start after an install)

The extra guides are made by benchmarks/catalogue.py: different names, texts,
steps, letters and regions, not copies of one file. The cold case deletes the
cache before each start of the app; it also reports when every guide is listed
(the app reads them after its first screen).

Then the search: from a key typed on the list with 2,600 extra guides to the
list's answer on screen ("N match “...”"), median <= 16 ms.

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
sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import generate  # noqa: E402

# Goals are ratios to the bare app in the same run; "+5000" is judged against the "+1000" ratio.
GOALS: dict[str, float] = {
    "bundled": 1.15,
    "+1000": 1.20,
    "+2600": 1.20,
    "+5000": 1.05,  # x the +1000 ratio: start-up does not grow with the catalogue
    "+1000 cold": 2.0,
}
SEARCH_GOAL_MS = 16.0
EVERY_GUIDE_LISTED = re.compile(rb"Showing all [\d,]+ guides")
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
    # An installed app has its bytecode compiled; without it every start would compile the
    # package's modules again (tens of milliseconds) while the bare app's Textual is compiled.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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

    def peak_memory(self) -> int:
        """The program's peak memory so far (VmHWM, KiB), read while it runs; 0 where /proc has no answer."""
        try:
            with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def cpu_ms(self) -> float:
        """CPU time the program has used so far, all its threads, in ms (0 where /proc has no answer).

        Beside the wall time: on a machine busy with other work, the time to the first
        screen waits for a CPU too, while the CPU time the program needs does not.
        """
        total = 0
        try:
            for task in os.listdir(f"/proc/{self.proc.pid}/task"):
                with open(f"/proc/{self.proc.pid}/task/{task}/schedstat", encoding="ascii") as stat:
                    total += int(stat.read().split()[0])
        except (OSError, ValueError, IndexError):
            return 0.0
        return total / 1e6

    def close(self) -> None:
        # SIGKILL: the measurement is over, and a polite exit would only add noise to the next run.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


def time_to_marker(
    argv: Sequence[str],
    env: dict[str, str],
    marker: bytes | re.Pattern[bytes],
    then: bytes | re.Pattern[bytes] | None = None,
) -> tuple[float, int, float, float | None]:
    """Seconds to the marker, peak memory (KiB) and CPU time (ms) when it showed, and seconds to `then`."""
    p = PtyProcess(argv, env)
    later = None
    try:
        seen = p.read_until(marker) - p.started
        peak, cpu = p.peak_memory(), p.cpu_ms()
        if then is not None:
            later = p.read_until(then, timeout=300) - p.started
    finally:
        p.close()
    return seen, peak, cpu, later


def any_of(names: Sequence[str]) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(n.encode()) for n in names))


def bundled_names() -> list[str]:
    names = []
    for path in sorted((REPO / "guides").glob("*.yaml")):
        m = re.search(r"(?m)^name:\s*(.+?)\s*$", path.read_text(encoding="utf-8"))
        if m:
            names.append(m.group(1).strip("'\""))
    return names


def first_rows(names: Sequence[str], n: int = 3) -> re.Pattern[bytes]:
    """What the first screen shows first: the guides whose names come first in the list's order."""
    return any_of(sorted(names, key=str.casefold)[:n])


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


# Where the app's start-up time goes, phase by phase, in one headless process.
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
dirs = json.loads(sys.argv[1])
app = tui_app.make_app(dirs)
t.append(("make_app: the cache's listing, the shared letters, the progress store", time.perf_counter()))
async def ready(pilot):
    t.append(("app.run to ready: compose + mount (the rows' statuses)", time.perf_counter()))
    await pilot.pause()
    t.append(("ready to idle: CSS, layout, the first full render", time.perf_counter()))
    pilot.app.exit()
app.run(headless=True, size=(80, 24), auto_pilot=ready)
from walkthrough.catalog.loading import load_catalog
from walkthrough import paths
t.append(("(exit)", time.perf_counter()))
catalog = load_catalog(dirs, cache_dir=paths.cache_dir(), defer=True)
t.append(("after the first screen: load_catalog(defer=True) again, for the survey below", time.perf_counter()))
survey = catalog.survey()
t.append((f"after the first screen: survey {len(survey.files)} files (list + stat, worker thread)", time.perf_counter()))
catalog.unchanged(survey)
t.append(("after the first screen: compare it with the listing (nothing changed)", time.perf_counter()))
print(json.dumps([(name, round((b - a) * 1000, 1)) for (_, a), (name, b) in zip(t, t[1:]) if name != "(exit)"]))
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


def explain(env: dict[str, str], cases: list[tuple[str, list[str]]], runs: int = 5) -> None:
    import json

    for title, code, args in [("bare app", BARE_PHASES_PROBE, [])] + [
        (f"optout-tui, {name}", PHASES_PROBE, [json.dumps(dirs)]) for name, dirs in cases
    ]:
        samples = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=300
            )
            samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  {title} (median of {runs}, ms):")
        for i, (name, _) in enumerate(samples[0]):
            print(f"    {statistics.median(s[i][1] for s in samples):7.1f}  {name}")


def run_case(
    label: str,
    app_argv: list[str],
    marker,
    env: dict[str, str],
    rounds: int,
    before_app=None,
    then: bytes | None = None,
) -> dict:
    bare_argv = [sys.executable, "-c", BARE_APP]
    # One of each first: compile .pyc files, warm the disk cache and the guide cache, not measured.
    # The app reads new guides after its first screen: wait until every guide is listed.
    time_to_marker(bare_argv, env, BARE_MARKER)
    time_to_marker(app_argv, env, marker, EVERY_GUIDE_LISTED)
    bare, app, bare_mem, app_mem, bare_cpu, app_cpu, whole = [], [], [], [], [], [], []
    for _ in range(rounds):
        seconds, peak, cpu, _ = time_to_marker(bare_argv, env, BARE_MARKER)
        bare.append(seconds)
        bare_mem.append(peak)
        bare_cpu.append(cpu)
        if before_app:
            before_app()
        seconds, peak, cpu, later = time_to_marker(app_argv, env, marker, then)
        app.append(seconds)
        app_mem.append(peak)
        app_cpu.append(cpu)
        if later is not None:
            whole.append(later)
    result = {
        "case": label,
        "bare_median_ms": statistics.median(bare) * 1000,
        "app_median_ms": statistics.median(app) * 1000,
        "bare_ms": [round(x * 1000, 1) for x in bare],
        "app_ms": [round(x * 1000, 1) for x in app],
        "bare_peak_mib": statistics.median(bare_mem) / 1024,
        "app_peak_mib": statistics.median(app_mem) / 1024,
        "every_guide_ms": statistics.median(whole) * 1000 if whole else None,
        "cpu_ratio": statistics.median(app_cpu) / statistics.median(bare_cpu) if min(bare_cpu) > 0 else None,
    }
    result["ratio"] = result["app_median_ms"] / result["bare_median_ms"]
    return result


# The floor for a key typed into a search: a bare Textual app whose search box echoes what was typed.
BARE_SEARCH_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Input, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Input(id="box")
        yield Static("Bare app ready", id="echo")
        yield Footer()

    def on_input_changed(self, event):
        echo = f"Typed \\u201c{event.value}\\u201d" if event.value else "Type a name to search"
        self.query_one("#echo", Static).update(echo)

Bare().run()
"""


def search_keys(
    app_argv: list[str], env: dict[str, str], words: list[str]
) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds from each key typed to the answer on screen: the app's first letters, its
    other keys, and the bare search app's keys, typed in turn (app, bare, app, bare, ...).

    After each key the line above the list says "N match “what was typed”" (or
    "No guide matches ..."): that text is only drawn once the list is redrawn.
    Escape between words clears the search; the next word's first letter is
    typed on the list again, and makes the search box appear.
    """
    app = PtyProcess(app_argv, env)
    bare = PtyProcess([sys.executable, "-c", BARE_SEARCH_APP], env)
    firsts, others, floor = [], [], []
    try:
        app.read_until(EVERY_GUIDE_LISTED)
        bare.read_until(BARE_MARKER)
        time.sleep(0.5)  # typing, not start-up: let the app look at its files first (it does after the first screen)
        for word in words:
            typed = ""
            for n, char in enumerate(word):
                typed += char
                answer = f"\u201c{typed}\u201d".encode()
                for p, into in ((app, firsts if n == 0 else others), (bare, floor)):
                    mark = len(p.output)
                    sent = p.send(char.encode())
                    into.append((p.read_until(answer, start=mark, timeout=10) - sent) * 1000)
            for p, clear in ((app, b"\x1b"), (bare, b"\x15")):  # Escape on the list; ctrl+u in a bare box
                mark = len(p.output)
                p.send(clear)
                p.read_until(b"Type a name to search", start=mark, timeout=10)
            time.sleep(0.05)
    finally:
        app.close()
        bare.close()
    return firsts, others, floor


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


SEARCH_WORDS = [
    "kestrel",
    "notes",
    "zoe",
    "cloud",
    "privacy",
    "meta",
    "twitter",
    "chat",
    "amber",
    "photos",
    "linkedin",
    "voice",
    "summit",
    "drive",
    "frost",
    "raven",
    "music",
    "zenith",
    "docs",
    "mail",
]


def report(results: list[dict], verbose: bool, failures: list[str]) -> None:
    ratios = {r["case"]: r["ratio"] for r in results}
    print(
        f"{'case':<12} {'bare median':>12} {'app median':>11} {'ratio':>7} {'goal':>7}   "
        f"{'peak: bare':>10} {'app':>8}   {'cpu ratio':>9}"
    )
    for r in results:
        goal = GOALS[r["case"]]
        judged = r["ratio"] / ratios["+1000"] if r["case"] == "+5000" and "+1000" in ratios else r["ratio"]
        ok = judged <= goal
        shown_goal = f"{goal:.2f}x" + ("*" if r["case"] == "+5000" else "")
        print(
            f"{r['case']:<12} {r['bare_median_ms']:>9.0f} ms {r['app_median_ms']:>8.0f} ms {r['ratio']:>6.2f}x "
            f"{shown_goal:>7}   {r['bare_peak_mib']:>7.1f} MiB {r['app_peak_mib']:>5.1f} MiB   "
            f"{r['cpu_ratio'] or float('nan'):>8.2f}x  {'ok' if ok else 'MISSED'}"
        )
        if r["every_guide_ms"] is not None:
            print(f"{'':<12} every guide listed after {r['every_guide_ms']:.0f} ms (read after the first screen)")
        if verbose:
            print(f"    bare: {r['bare_ms']}\n    app:  {r['app_ms']}")
        if not ok:
            failures.append(f"{r['case']}: {judged:.2f}x (goal {goal:.2f}x)")
    if "+5000" in ratios and "+1000" in ratios:
        print(f"* +5000 is judged as its ratio divided by the +1000 ratio: {ratios['+5000'] / ratios['+1000']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="measured runs of each side per case (default 10)")
    parser.add_argument("--only", nargs="*", choices=[*GOALS, "search"], help="run only these cases")
    parser.add_argument("--search-words", type=int, default=len(SEARCH_WORDS), help="words typed in the search")
    parser.add_argument("--verbose", action="store_true", help="print every run's time")
    parser.add_argument("--explain", action="store_true", help="also time each start-up phase (headless)")
    args = parser.parse_args(argv)
    wanted = set(args.only or [*GOALS, "search"])

    exe = optout_tui()
    failures = []
    with tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        data.mkdir()
        env = clean_env(data)
        names = bundled_names()
        # The same data dir is used for every start, as for anyone starting the app a second time:
        # the first start (not measured) answers the country question with --region, which
        # saves it; later starts neither ask nor write it again, as on a person's computer.
        time_to_marker([exe, "--region", "DE"], env, first_rows(names), EVERY_GUIDE_LISTED)
        base_argv = [exe]
        extra: dict[int, tuple[Path, list[str]]] = {}
        for count, seed in ((1000, 1000), (2600, 2600), (5000, 5000)):
            folder = tmp_path / f"extra-{count}"
            extra[count] = (folder, generate(folder, count, seed=seed))

        def with_extra(count: int) -> tuple[list[str], re.Pattern[bytes]]:
            folder, generated = extra[count]
            return [*base_argv, "--guides-dir", str(folder)], first_rows([*names, *generated])

        print(f"optout-tui start-up, {args.rounds} interleaved rounds per case, 80x24 pty")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, {exe}\n")
        results = []
        if "bundled" in wanted:
            results.append(run_case("bundled", base_argv, first_rows(names), env, args.rounds))
        for count in (1000, 2600, 5000):
            if f"+{count}" in wanted:
                results.append(run_case(f"+{count}", *with_extra(count), env, args.rounds))
        # The cold case deletes the cache before each start: it runs after everything that needs it warm.
        if "+1000 cold" in wanted:
            argv, _ = with_extra(1000)
            every = f"Showing all {len(names) + 1000:,} guides".encode()
            results.append(
                run_case(
                    "+1000 cold",
                    argv,
                    any_of([*names, *extra[1000][1]]),  # the first rows, whichever are read first
                    env,
                    args.rounds,
                    before_app=lambda: shutil.rmtree(data / "cache", ignore_errors=True),
                    then=every,
                )
            )
        report(results, args.verbose, failures)

        if "search" in wanted:
            argv, first = with_extra(2600)
            time_to_marker(argv, env, first, EVERY_GUIDE_LISTED)  # warm the cache
            firsts, others, floor = search_keys(argv, env, SEARCH_WORDS[: args.search_words])
            median = statistics.median(others)
            print(
                f"\nsearch with {len(names) + 2600:,} guides, key to the list's answer on screen:\n"
                f"    typing in the search box: median {median:.1f} ms, p90 {percentile(others, 0.9):.1f} ms "
                f"over {len(others)} keys (goal median <= {SEARCH_GOAL_MS:.0f} ms)\n"
                f"    a word's first letter, typed on the list: median {statistics.median(firsts):.1f} ms\n"
                f"    bare app echoing its search box, same keys in turn: median {statistics.median(floor):.1f} ms, "
                f"p90 {percentile(floor, 0.9):.1f} ms"
            )
            if median > SEARCH_GOAL_MS:
                failures.append(f"search: median {median:.1f} ms (goal {SEARCH_GOAL_MS:.0f} ms)")

        # A warm cache again (the cold case emptied it) for what follows.
        time_to_marker(base_argv, env, first_rows(names), EVERY_GUIDE_LISTED)
        top, imported = imports_before_first_screen(base_argv, env, first_rows(names))
        bare_top, bare_imported = imports_before_first_screen([sys.executable, "-c", BARE_APP], env, BARE_MARKER)
        extra_modules = sorted(set(imported) - set(bare_imported))
        print(f"\nimported before the first screen: {len(imported)} modules ({len(bare_imported)} for the bare app)")
        print("slowest top-level imports of the app (cumulative, -X importtime):")
        for us, name in top[:8]:
            print(f"    {us / 1000:7.1f} ms  {name}")
        roots = sorted({m.split(".")[0] for m in extra_modules})
        print(f"packages the app imports beyond the bare app: {', '.join(roots) or 'none'}")
        print(f"modules: {', '.join(m for m in extra_modules if m.startswith('walkthrough'))}")
        bad = [m for m in imported if m.split(".")[0] in MUST_NOT_IMPORT]
        if bad:
            failures.append(f"imported before the first screen, but only network commands need them: {bad}")
        else:
            print(f"not imported before the first screen: {', '.join(MUST_NOT_IMPORT)} (good)")

        if args.explain or failures:
            print("\nwhere the time goes:")
            for count in (1000, 5000):
                time_to_marker(with_extra(count)[0], env, with_extra(count)[1], EVERY_GUIDE_LISTED)
            explain(env, [("bundled", []), ("+1000", [str(extra[1000][0])]), ("+5000", [str(extra[5000][0])])])

    if failures:
        print("\nGOAL MISSED:\n  " + "\n  ".join(failures))
        return 1
    print("\nall start-up goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
