"""The parsed-guide cache: faster start-up must never show a stale or broken guide."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

from walkthrough.catalog.loading import load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = datetime.date(2026, 11, 22)


def _load(guides: Path, cache: Path, today: datetime.date = TODAY):
    return load_catalog([str(guides)], bundled=False, today=today, cache_dir=cache)


def test_cached_load_equals_fresh_load(tmp_path):
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    guides.mkdir()
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", guides / "linkedin.yaml")
    shutil.copy(FIXTURES / "hostile" / "syntax-error.yaml", guides / "broken.yaml")
    fresh = load_catalog([str(guides)], bundled=False, today=TODAY)
    first = _load(guides, cache)
    assert (cache / "guides.cache").exists()
    second = _load(guides, cache)
    for catalog in (first, second):
        assert catalog.guides["linkedin"].guide == fresh.guides["linkedin"].guide
        assert [p.format() for p in catalog.problems] == [p.format() for p in fresh.problems]
        assert [p.name for p in catalog.failed] == ["broken.yaml"]


def test_an_edited_guide_is_read_again(tmp_path):
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    guides.mkdir()
    path = guides / "linkedin.yaml"
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", path)
    _load(guides, cache)
    path.write_text(path.read_text().replace("name: LinkedIn", "name: LinkedIn edited"))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # coarse clocks: force a new mtime
    assert _load(guides, cache).guides["linkedin"].guide.name == "LinkedIn edited"


def test_a_guide_broken_after_caching_is_reported_not_served_from_cache(tmp_path):
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    guides.mkdir()
    path = guides / "linkedin.yaml"
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", path)
    _load(guides, cache)
    path.write_text(path.read_text() + "\nunknown_field: 1\n")
    catalog = _load(guides, cache)
    assert "linkedin" not in catalog.guides
    assert [p.code for p in catalog.errors] == ["E101"]


def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path):
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    guides.mkdir()
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", guides / "linkedin.yaml")
    cache.mkdir()
    (cache / "guides.cache").write_bytes(b"\x00garbage" * 100)
    assert "linkedin" in _load(guides, cache).guides
    assert "linkedin" in _load(guides, cache).guides  # the rebuilt cache reads back


def test_a_new_day_drops_the_cache(tmp_path):
    # A guide dated two days ahead is refused today (E209; a day of slack is allowed for time zones) and fine
    # a day later: the cache must not keep today's answer.
    guides, cache = tmp_path / "guides", tmp_path / "cache"
    guides.mkdir()
    text = (
        (FIXTURES / "good" / "linkedin.yaml")
        .read_text()
        .replace("last_verified: 2026-11-22", "last_verified: 2026-11-24")
    )
    (guides / "linkedin.yaml").write_text(text)
    assert "linkedin" not in _load(guides, cache, TODAY).guides
    assert "linkedin" in _load(guides, cache, TODAY + datetime.timedelta(days=1)).guides  # 24th: tomorrow


def test_an_unwritable_cache_folder_costs_nothing_but_speed(tmp_path):
    guides = tmp_path / "guides"
    guides.mkdir()
    shutil.copy(FIXTURES / "good" / "linkedin.yaml", guides / "linkedin.yaml")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    assert "linkedin" in _load(guides, blocker).guides


def test_a_warm_start_does_not_parse_yaml(tmp_path):
    # Start-up budget: with every guide in the cache, neither the YAML parser nor the linter is imported.
    import subprocess
    import sys

    code = (
        "import sys, pathlib;"
        "from walkthrough.catalog.loading import load_catalog;"
        f"c = load_catalog(cache_dir=pathlib.Path({str(tmp_path)!r}));"
        "assert 'linkedin' in c.guides and not c.failed;"
        "print(','.join(m for m in ('yaml', 'walkthrough.content.lint', 'walkthrough.content.loader') if m in sys.modules))"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "yaml" in cold.stdout  # the first start parses
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert warm.stdout.strip() == ""
