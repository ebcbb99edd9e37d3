"""The record a person keeps as proof: a walk through LinkedIn's objection, then every export format.

Real guide files, a real SQLite store, the core API the screens call; the HTML
page is opened and printed by headless Chromium.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import msgspec
import pytest

from walkthrough import dates, paths
from walkthrough.catalog.loading import load_catalog
from walkthrough.content.model import step_fingerprint
from walkthrough.content.templates import fill, resolve
from walkthrough.progress import export, letters, record
from walkthrough.progress.report import Report
from walkthrough.progress.store import ProgressStore

REPO = Path(__file__).resolve().parent.parent
SENT = datetime.date(2026, 11, 23)
DUE = datetime.date(2026, 12, 23)
FIRST_REASON = "I am a writer and my posts are my work."
SECOND_REASON = "I am a freelance writer; my posts are my income, and AI trained on them competes with me."
CASE = "LI-2026-4471"

# Words the program uses inside that a person must never have to read in the record.
INTERNAL = [
    "fingerprint",
    "objection-form",
    "turn-off-ai-data",
    "keep-the-email",
    "check-switch",
    "sign-in",
    "date_sent",
    "case_number",
    "particular_situation",
    "full_name",
    "in_progress",
    "recheck_due",
    "not_started",
    "uk-gdpr",
    "ch-fadp",
    "None",
    "null",
    "True",
    "False",
]


def clock():
    moment = [datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc)]

    def tick():
        moment[0] += datetime.timedelta(minutes=3)
        return moment[0]

    return tick


@pytest.fixture
def walked(data_dir):
    """What a person in Germany does on LinkedIn's guide, through the same calls the app makes."""
    catalog = load_catalog(None)
    guide = catalog.guides["linkedin"].guide
    steps = {s.id: s for s in guide.steps}
    store = ProgressStore(paths.progress_file(), clock=clock())
    store.set_setting("region", "DE")
    for sid in ("sign-in", "turn-off-ai-data", "check-switch"):
        store.mark("linkedin", sid, "done", step_fingerprint(steps[sid]))

    form = steps["objection-form"]
    resolved = resolve(form.template, catalog.templates)
    answers = {
        "full_name": "Ada Example",
        "email": "ada@example.org",
        "account": "https://www.linkedin.com/in/ada-example",
        "particular_situation": FIRST_REASON,
    }
    # Fill, copy; edit the reason, copy again: both versions are what was on the clipboard.
    first = fill(resolved, answers, today=SENT)
    assert letters.keep_copied_letter(store, "linkedin", form, first, catalog.templates, "DE") is not None
    assert letters.keep_copied_letter(store, "linkedin", form, first, catalog.templates, "DE") is None
    second = fill(resolved, {**answers, "particular_situation": SECOND_REASON}, today=SENT)
    assert letters.keep_copied_letter(store, "linkedin", form, second, catalog.templates, "DE") is not None

    # Mark it sent, with the date typed the way many Germans write it.
    typed = dates.read("23.11.2026", datetime.date(2026, 12, 1), future=False)
    store.save_fields("linkedin", form.id, {"date_sent": typed.date.isoformat()})
    store.mark("linkedin", form.id, "done", step_fingerprint(form))
    store.save_fields("linkedin", "keep-the-email", {"case_number": CASE})
    store.mark("linkedin", "keep-the-email", "done", step_fingerprint(steps["keep-the-email"]))
    yield store, catalog, first, second
    store.close()


def exported(walked, today: datetime.date, fmt: str) -> str:
    store, catalog, _, _ = walked
    return export.export(Report(store, catalog, today=today), fmt)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_markdown_record_has_both_letters_in_full_the_dates_country_law_and_due_date(walked):
    _, _, first, second = walked
    text = exported(walked, datetime.date(2026, 12, 1), "markdown")
    for letter in (first, second):
        assert letter.text.rstrip("\n") in text  # exactly as copied, line for line
    assert text.count(f"- Subject: {first.subject}") == 2
    assert "version 1 of 2" in text and "version 2 of 2" in text
    assert "- The country I live in: Germany" in text
    assert "- My country when I copied it: Germany" in text
    assert "- The law it relies on: the EU's General Data Protection Regulation (GDPR)" in text
    assert "- Date sent: 23 November 2026" in text
    assert "- Reply due: 23 December 2026" in text
    assert "Article 12(3) GDPR" in text
    assert "- Where it stands: Waiting for a reply, due 23 December 2026" in text
    assert f"- The case or ticket number in LinkedIn's email: {CASE}" in text
    # A setting: when, and what the guide said the screen would show, which the user confirmed.
    assert re.search(
        r"### Turn off \"Data for Generative AI Improvement\"\n\n- Done on 23 November 2026 at \d\d:\d\d", text
    )
    assert '- What the guide said the screen would show: The switch next to "Use my data for training' in text
    assert "I confirmed it by marking the step done." in text


def test_the_record_speaks_plain_words_only(walked):
    for fmt in ("markdown", "html"):
        text = exported(walked, datetime.date(2026, 12, 1), fmt)
        for word in INTERNAL:
            assert word not in text, (fmt, word)
        assert "Sign in to LinkedIn" not in text  # proves nothing, so it is not in the record
        assert "2026-11-23" not in text  # dates in words
    as_json = exported(walked, datetime.date(2026, 12, 1), "json")
    assert "fingerprint" not in as_json


def test_the_json_is_the_documented_format_version_2(walked):
    _, _, first, second = walked
    text = exported(walked, datetime.date(2026, 12, 1), "json")
    data = msgspec.json.decode(text.encode(), type=record.RecordFile)  # checks every field against the format
    assert (data.kind, data.version, data.country.code) == ("optout-tui progress record", 2, "DE")
    (guide,) = data.guides
    form = next(s for s in guide.steps if s.id == "objection-form")
    assert [x.text for x in form.letters] == [first.text, second.text]
    assert [x.version for x in form.letters] == [1, 2]
    assert form.letters[0].law.id == "gdpr" and form.letters[0].country.name == "Germany"
    assert form.follow_up.state == "waiting"
    assert (form.follow_up.sent_on, form.follow_up.due_on, form.follow_up.binding) == (SENT, DUE, True)
    assert [(f.name, f.date) for f in form.fields] == [("date_sent", SENT)]
    assert guide.follow_up.words == "Waiting for a reply, due 23 December 2026"
    sign_in = next(s for s in guide.steps if s.id == "sign-in")
    assert not sign_in.in_record  # kept in the JSON, left out of the record people read


def test_the_schema_in_docs_is_up_to_date():
    committed = json.loads(record.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(record.render_schema()), (
        "docs/record-schema.json is out of date with walkthrough/progress/record.py. "
        "Regenerate it: python -m walkthrough.progress.record --write"
    )


def test_past_the_due_date_the_record_says_what_to_do_and_where_to_complain(walked):
    waiting = exported(walked, DUE, "markdown")
    assert "Waiting for a reply, due 23 December 2026" in waiting and "No reply yet" not in waiting
    late = exported(walked, DUE + datetime.timedelta(days=1), "markdown")
    assert "- Reply: No reply yet: what you can do" in late
    assert "- Where it stands: No reply by 23 December 2026, the day it was due" in late
    assert "1. Write to LinkedIn again." in late
    assert "your federal state's (Land's) data protection authority" in late
    assert "https://www.bfdi.bund.de/" in late
    data = json.loads(exported(walked, DUE + datetime.timedelta(days=1), "json"))
    assert data["guides"][0]["follow_up"]["state"] == "overdue"
    assert data["guides"][0]["follow_up"]["authority"]["is_complaint_page"] is True


def test_a_recorded_reply_ends_the_wait_and_its_case_number_is_in_the_record(walked):
    store = walked[0]
    store.record_reply(
        "linkedin",
        "objection-form",
        received_on=datetime.date(2026, 12, 2),
        said="We have stopped.",
        case_number="C-77",
    )
    text = exported(walked, datetime.date(2027, 1, 15), "markdown")
    assert "- Reply: Replied on 2 December 2026" in text
    assert "- Case or ticket number: C-77" in text and "- What they said: We have stopped." in text
    assert "No reply yet" not in text


def test_the_html_page_is_self_contained_and_loads_nothing(walked):
    page = exported(walked, datetime.date(2026, 12, 1), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page
    for forbidden in ("<script", "<link", "<img", "<iframe", "src=", "@import", "url("):
        assert forbidden not in page.lower()


def test_user_text_cannot_become_html(walked):
    store, catalog, _, _ = walked
    store.record_reply(
        "linkedin",
        "objection-form",
        received_on=datetime.date(2026, 12, 2),
        said='<script>alert(1)</script><img src="x">',
    )
    page = export.export(Report(store, catalog, today=datetime.date(2026, 12, 5)), "html")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("headless Chromium is not installed here (.ci/run installs Debian's chromium package)")
    return found


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    cmd = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_the_html_record_opens_in_chromium_and_prints_with_the_letters_in_it(walked, tmp_path):
    _, _, first, second = walked
    page = tmp_path / "record.html"
    page.write_text(exported(walked, DUE + datetime.timedelta(days=1), "html"), encoding="utf-8")

    dom = run_chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<h2>LinkedIn</h2>" in dom.stdout and "No reply yet: what I can do" in dom.stdout

    pdf = tmp_path / "record.pdf"
    printed = run_chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert printed.returncode == 0 and pdf.read_bytes().startswith(b"%PDF"), printed.stderr[-2000:]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed here (.ci/run installs poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    printed_words = flat(text)
    for letter in (first, second):
        assert flat(letter.text) in printed_words
    assert "Date sent 23 November 2026" in printed_words
    assert "Reply due 23 December 2026" in printed_words
    assert f"The case or ticket number in LinkedIn's email {CASE}" in printed_words


def test_the_app_saves_the_record_where_people_can_find_it_only_for_them(walked, data_dir):
    store, catalog, _, _ = walked
    report = Report(store, catalog, today=datetime.date(2026, 12, 1))
    first = export.save_in_records_folder(report, "html")
    second = export.save_in_records_folder(report, "html")
    assert first.is_absolute() and first.parent == paths.records_dir().resolve()
    assert (first.name, second.name) == ("my-ai-opt-outs-2026-12-01.html", "my-ai-opt-outs-2026-12-01-2.html")
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert "<h2>LinkedIn</h2>" in first.read_text(encoding="utf-8")
    assert {p.name for p in first.parent.iterdir()} == {first.name, second.name}  # nothing half-written


def test_without_a_data_folder_set_records_go_to_the_documents_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("OPTOUT_TUI_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    (tmp_path / "Documents").mkdir()
    assert paths.records_dir() == tmp_path / "Documents" / "optout-tui"


def test_a_step_the_guide_no_longer_has_is_named_in_words_not_by_its_id(data_dir):
    catalog = load_catalog(None)
    with ProgressStore(paths.progress_file()) as store:
        store.save_fields("linkedin", "old-form-2025", {"case_number": "OLD-1"})
        text = export.export(Report(store, catalog, today=datetime.date(2026, 12, 1)), "markdown")
    assert "old-form-2025" not in text
    assert "### A step that is no longer in the guide" in text and "OLD-1" in text
