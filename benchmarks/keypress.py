"""Key press latency on the guide screen: from a key to the next step on screen.

    python benchmarks/keypress.py [--rounds 12]

The app runs the bundled LinkedIn guide in an 80x24 pseudo-terminal; beside it,
in the same run and pressed in turn (bare, app, bare, app, ...), a bare Textual
app whose space key updates one line of text. Each press is timed from the byte
written to the terminal until the step it leads to is drawn (its title arrives
in the terminal's output), so it includes the app's SQLite write and Textual's
repaint. Two kinds of key are measured on the app:

    space           mark the step done and show the next one
    n, p, arrows    move to the next or previous step

Goal (issue 9), for each kind: median <= 16 ms and p90 <= 33 ms, with the bare
app's figures printed beside them so a busy machine shows as such. Also printed:
the CPU time each process used per press (from /proc, on Linux), which other
programs on the machine do not inflate the way they inflate waiting times.
Exits 1 if a goal is missed. Uses the `optout-tui` next to this Python.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from startup import BARE_APP, BARE_MARKER, PtyProcess, clean_env, optout_tui

GOAL_MEDIAN_MS = 16.0
GOAL_P90_MS = 33.0

REPO = Path(__file__).resolve().parent.parent
GUIDE = "linkedin"


def step_titles() -> list[str]:
    from walkthrough.catalog.loading import load_catalog

    guide = load_catalog([], bundled=True).guides[GUIDE].guide
    return [step.title for step in guide.steps]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (0 where /proc is not there)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# One round: four spaces take steps 1 -> 5 (a fifth would finish the guide and open
# another screen), the moving keys go back to 1 and on to 5 again, and Home starts over.
SPACES = [(b" ", 1), (b" ", 2), (b" ", 3), (b" ", 4)]
MOVES = [
    (b"p", 3),
    (b"p", 2),
    (b"\x1b[A", 1),  # Up
    (b"\x1b[A", 0),
    (b"n", 1),
    (b"\x1b[B", 2),  # Down
    (b"n", 3),
    (b"\x1b[B", 4),
]
HOME = (b"\x1b[H", 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12, help="each round: 4 spaces and 8 moves")
    parser.add_argument("--gap", type=float, default=0, help="ms to wait before each press of the app")
    args = parser.parse_args(argv)
    titles = step_titles()

    with tempfile.TemporaryDirectory(prefix="optout-keys-") as tmp:
        env = clean_env(Path(tmp))
        app = PtyProcess([optout_tui(), GUIDE, "--region", "DE"], env)
        bare = PtyProcess([sys.executable, "-c", BARE_APP], env)
        bare_ms: list[float] = []
        app_ms: dict[str, list[float]] = {"space": [], "moves": []}
        cpu = {"bare": 0.0, "space": 0.0, "moves": 0.0}
        count = 0

        def press_bare() -> None:
            nonlocal count
            count += 1
            mark = len(bare.output)
            before = cpu_seconds(bare.proc.pid)
            sent = bare.send(b" ")
            bare_ms.append((bare.read_until(f"Bare count {count:04d}".encode(), start=mark) - sent) * 1000)
            cpu["bare"] += cpu_seconds(bare.proc.pid) - before

        def press_app(key: bytes, to_step: int, kind: str | None) -> None:
            if args.gap:
                time.sleep(args.gap / 1000)
            mark = len(app.output)
            before = cpu_seconds(app.proc.pid)
            sent = app.send(key)
            took = (app.read_until(titles[to_step].encode(), start=mark) - sent) * 1000
            if kind:
                app_ms[kind].append(took)
                cpu[kind] += cpu_seconds(app.proc.pid) - before

        try:
            app.read_until(titles[0].encode())
            bare.read_until(BARE_MARKER)
            # Once through unmeasured: the first showing of each step lays out its widgets.
            for key, to in [*SPACES, *MOVES, HOME]:
                press_app(key, to, None)
            for _ in range(args.rounds):
                for kind, keys in (("space", SPACES), ("moves", MOVES)):
                    for key, to in keys:
                        press_bare()
                        press_app(key, to, kind)
                press_app(*HOME, None)
        finally:
            app.close()
            bare.close()

    print(f"key press to repaint on the {GUIDE} guide, 80x24 pty, interleaved with a bare Textual app")
    print("(2-core machine shared with other work: the lead re-measures on a quiet one)")
    print(f"{'':<34} {'presses':>7} {'median':>9} {'p90':>9} {'CPU/press':>10}")
    rows = [
        ("bare app (update a line)", "bare", bare_ms),
        *((f"optout-tui ({kind_words(k)})", k, v) for k, v in app_ms.items()),
    ]
    for label, kind, values in rows:
        print(
            f"{label:<34} {len(values):>7} {statistics.median(values):>6.1f} ms {percentile(values, 0.9):>6.1f} ms"
            f" {cpu[kind] * 1000 / len(values):>7.1f} ms"
        )
    missed = []
    for kind, values in app_ms.items():
        median, p90 = statistics.median(values), percentile(values, 0.9)
        ratio = median / statistics.median(bare_ms)
        print(f"{kind_words(kind)}: {ratio:.1f}x the bare app's median")
        if median > GOAL_MEDIAN_MS or p90 > GOAL_P90_MS:
            missed.append(f"{kind_words(kind)}: median {median:.1f} ms, p90 {p90:.1f} ms")
    if missed:
        print(f"goal missed (median <= {GOAL_MEDIAN_MS:.0f} ms, p90 <= {GOAL_P90_MS:.0f} ms): " + "; ".join(missed))
        return 1
    print(f"goal met: median <= {GOAL_MEDIAN_MS:.0f} ms and p90 <= {GOAL_P90_MS:.0f} ms for both")
    return 0


def kind_words(kind: str) -> str:
    return {"space": "space: done, next step", "moves": "n, p, arrows: move"}[kind]


if __name__ == "__main__":
    sys.exit(main())
