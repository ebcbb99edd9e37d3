"""How much validating guides costs on top of just parsing them.

Generates 1,000 guides (copies of the bundled LinkedIn guide, each with its own
name and step ids), then times, in this one process and interleaved:

  baseline  yaml.load(..., Loader=CSafeLoader) of every file: the raw libyaml
            parse, the least any loader must do;
  validate  what `optout-tui validate` does per file: safe parse with the
            hostile-input checks, conversion to the model, every lint rule.

Reports the median of several rounds and the ratio validate / baseline.
Goal: ratio <= 2 (validation adds at most the parse time again).

    python benchmarks/validate.py [--guides 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from walkthrough.catalog.loading import Catalog, add_guide, load_templates  # noqa: E402
from walkthrough.paths import bundled_guides_dir  # noqa: E402

GOAL = 2.0


def generate(folder: Path, count: int) -> list[Path]:
    source = (bundled_guides_dir() / "linkedin.yaml").read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        text = source.replace("name: LinkedIn", f"name: Platform {i}").replace("id: sign-in", f"id: sign-in-{i}")
        path = folder / f"platform-{i:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def baseline(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def validate(paths: list[Path], today: datetime.date) -> float:
    start = time.perf_counter()
    catalog = Catalog()
    load_templates([bundled_guides_dir()], catalog, report=False)
    for path in paths:
        add_guide(catalog, path, style=True, today=today)
    elapsed = time.perf_counter() - start
    assert not catalog.errors, catalog.errors[:3]
    assert len(catalog.guides) == len(paths)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guides", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    today = datetime.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.guides)
        baseline(paths), validate(paths, today)  # warm the file cache and imports
        base, full = [], []
        for _ in range(args.rounds):
            base.append(baseline(paths))
            full.append(validate(paths, today))
    b, v = statistics.median(base), statistics.median(full)
    ratio = v / b
    print(f"guides:              {args.guides}")
    print(f"libyaml parse only:  {b * 1000:8.1f} ms  ({b / args.guides * 1e6:.0f} us per guide)")
    print(f"full validation:     {v * 1000:8.1f} ms  ({v / args.guides * 1e6:.0f} us per guide)")
    print(f"ratio:               {ratio:8.2f}  (goal <= {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
