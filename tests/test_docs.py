"""What is generated from the code stays in step with it: CONTRIBUTING.md and the JSON Schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from walkthrough.authoring import docs
from walkthrough.authoring import schema as schemas
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.content.problems import RULES, Rule

REPO = Path(__file__).resolve().parent.parent
CONTRIBUTING = REPO / "CONTRIBUTING.md"


def test_contributing_md_generated_parts_are_up_to_date():
    current = CONTRIBUTING.read_text(encoding="utf-8")
    assert docs.updated(current) == current, (
        "CONTRIBUTING.md's field reference or rule list is out of date with walkthrough/content/model.py or "
        f"walkthrough/content/problems.py. Regenerate it: {docs.REGENERATE}"
    )


def test_guide_schema_json_is_up_to_date():
    committed = (REPO / "guides" / "schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(schemas.render_guide_schema()), (
        "guides/schema.json is out of date with walkthrough/content/model.py. Regenerate it: "
        "optout-tui schema > guides/schema.json"
    )


def test_template_schema_json_is_up_to_date():
    committed = (REPO / "guides" / "template-schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(schemas.render_template_schema()), (
        "guides/template-schema.json is out of date with walkthrough/content/model.py. Regenerate it: "
        "optout-tui schema --template > guides/template-schema.json"
    )


def test_every_rule_and_every_field_is_on_the_page():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    for code in RULES:
        assert f"| {code} |" in text, code
    for kind in docs.structs():
        assert f"### {kind.__name__}" in text
        for name in kind.__struct_fields__:
            assert f"| `{name}` |" in text, f"{kind.__name__}.{name}"


def test_every_struct_in_the_model_is_documented():
    names = {k.__name__ for k in docs.structs()}
    assert {"Guide", "Step", "Link", "Source", "Template", "Blank", "Record", "SharedTemplate"} <= names


def test_a_new_rule_appears_in_the_rule_list():
    rules = {**RULES, "W399": Rule("W399", "warning", "A made-up rule.", "title: x | y")}
    table = docs.render_rules(rules)
    assert "| W399 | warning (fails with `--strict`) | A made-up rule. | `title: x \\| y` |" in table


class Extra(msgspec.Struct, forbid_unknown_fields=True):
    """A made-up part of a guide."""

    colour: Annotated[Literal["red", "blue"], Meta(description="Which colour.")]
    count: Annotated[int, Meta(ge=1, le=9, description="How many.")] = 3
    tags: Annotated[list[str], Meta(description="Words.")] = msgspec.field(default_factory=list)


class Root(msgspec.Struct):
    """A made-up guide."""

    extra: Annotated[Extra | None, Meta(description="An extra part.")] = None


def test_a_new_field_or_type_appears_in_the_reference():
    text = docs.render_fields((Root,))
    assert "### Extra" in text and "A made-up part of a guide." in text
    assert "| `extra` | an [Extra](#extra) | optional (default: empty) | An extra part. |" in text
    assert "| `colour` | one of: `red`, `blue` | **required** | Which colour. |" in text
    assert "| `count` | a whole number from 1 to 9 | optional (default: `3`) | How many. |" in text
    assert "| `tags` | a list of text | optional (default: none) | Words. |" in text


def test_fields_read_in_plain_words():
    fields = {f.name: f for f in docs.field_docs(Guide)}
    assert fields["last_verified"].type_words == "a date, YYYY-MM-DD"
    assert fields["minutes"].type_words == "a whole number from 1 to 600"
    assert fields["steps"].required and fields["steps"].type_words.startswith("a list of [Step]")
    assert "ISO 3166" in fields["regions"].description  # the Region type's own description is kept
    shared = {f.name: f for f in docs.field_docs(SharedTemplate)}
    assert not shared["subject"].required


def run_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "walkthrough.authoring.docs", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )


def test_check_fails_on_a_stale_page_and_write_fixes_it(tmp_path):
    page = tmp_path / "CONTRIBUTING.md"
    fresh = CONTRIBUTING.read_text(encoding="utf-8")
    page.write_text(fresh.replace("| E003 |", "| E003-old |"), encoding="utf-8")

    stale = run_docs("--check", "--file", str(page))
    assert stale.returncode == 1
    assert docs.REGENERATE in stale.stderr and "Traceback" not in stale.stderr

    written = run_docs("--write", "--file", str(page))
    assert written.returncode == 0, written.stderr
    assert page.read_text(encoding="utf-8") == fresh
    assert run_docs("--check", "--file", str(page)).returncode == 0


def test_a_page_without_markers_gets_a_plain_message(tmp_path):
    page = tmp_path / "CONTRIBUTING.md"
    page.write_text("# Contributing\n", encoding="utf-8")
    out = run_docs("--write", "--file", str(page))
    assert out.returncode == 1
    assert "BEGIN GENERATED: fields" in out.stderr and "Traceback" not in out.stderr
    assert page.read_text(encoding="utf-8") == "# Contributing\n"
