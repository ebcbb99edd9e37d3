"""What the signature check costs to import, against a bare Textual app's imports: py-minisign or our verifier.

    python benchmarks/update_imports.py [--rounds 15]

Each case is a fresh interpreter that imports one thing, timed from start to
exit; runs are interleaved (case 1, case 2, ..., case 1, ...) so a busy machine
slows all alike. The interpreter's own start (`pass`) is subtracted, and each
case is reported as milliseconds added and as a ratio to what `import
textual.app` adds (the baseline every benchmark here uses: what any Textual app
pays before its first paint).

Cases: our minimal verifier (walkthrough.update.minisign, over cryptography's
Ed25519), cryptography's Ed25519 module alone, py-minisign (if installed: the
other candidate), httpx (which `update` needs anyway), and the update command's
core without the network or the signature library (walkthrough.update.install).
It also times one verification of a signed manifest with each library.

None of these is imported when the app starts or when `list` runs
(tests/test_import_hygiene.py checks that); only `optout-tui update` pays.
No goal: the numbers decide where the library goes, and are reported.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "interpreter only": "pass",
    "baseline: textual.app": "import textual.app",
    "our verifier (walkthrough.update.minisign)": "import walkthrough.update.minisign",
    "cryptography Ed25519 alone": "from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey",
    "py-minisign (import minisign)": "import minisign",
    "httpx": "import httpx",
    "update core, no network or signatures (walkthrough.update.install)": "import walkthrough.update.install",
}


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return time.perf_counter() - start


def verify_times(rounds: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from walkthrough.update import minisign as ours

    key = ours.generate()
    message = b'{"serial": 2}\n' * 300  # about the size of a manifest for 50 guides
    signature = ours.sign(message, key, "timestamp:0\tfile:manifest.json")
    out = {}
    t = []
    for _ in range(rounds):
        start = time.perf_counter()
        ours.verify(message, signature, [key.public()])
        t.append(time.perf_counter() - start)
    out["our verifier"] = statistics.median(t)
    if importlib.util.find_spec("minisign"):
        import minisign as pym  # type: ignore[import-not-found]

        public = pym.PublicKey.from_base64(key.public().line())
        sig = pym.Signature.from_bytes(signature.encode())
        t = []
        for _ in range(rounds):
            start = time.perf_counter()
            public.verify(message, sig)
            t.append(time.perf_counter() - start)
        out["py-minisign"] = statistics.median(t)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    cases = {
        name: code for name, code in CASES.items() if "minisign)" not in name or importlib.util.find_spec("minisign")
    }
    if len(cases) < len(CASES):
        print("py-minisign is not installed: `pip install py-minisign` to measure it too.\n")
    for code in cases.values():  # warm the file cache once, unmeasured
        timed(code)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, code in cases.items():
            samples[name].append(timed(code))
    medians = {name: statistics.median(s) for name, s in samples.items()}
    base = medians["interpreter only"]
    baseline = medians["baseline: textual.app"] - base
    print(f"{args.rounds} rounds, medians; interpreter start {base * 1000:.0f} ms (subtracted)\n")
    print(f"{'case':<72} {'adds':>8} {'/ baseline':>11}")
    for name, value in medians.items():
        if name == "interpreter only":
            continue
        added = value - base
        print(f"{name:<72} {added * 1000:>6.0f} ms {added / baseline:>10.2f}x")
    print()
    for name, seconds in verify_times(200).items():
        print(f"one signature check, {name}: {seconds * 1e6:.0f} microseconds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
