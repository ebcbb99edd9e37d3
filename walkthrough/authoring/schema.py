"""The JSON Schemas committed as guides/schema.json and guides/template-schema.json."""

from __future__ import annotations

import inspect
import json

import msgspec

from walkthrough.content.model import Guide, SharedTemplate


def json_schema(kind: type, title: str) -> dict:
    """The JSON Schema of a msgspec type, as committed: the same on every Python and msgspec version."""
    schema = _clean(msgspec.json.schema(kind))
    assert isinstance(schema, dict)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}


def _clean(node: object) -> object:
    # Docstrings reach the schema indented or not depending on the Python and
    # msgspec versions; dedent them so the committed file is the same everywhere.
    if isinstance(node, dict):
        return {
            k: inspect.cleandoc(v) if k == "description" and isinstance(v, str) else _clean(v) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def render_guide_schema() -> str:
    return json.dumps(json_schema(Guide, "optout-tui guide"), indent=2, ensure_ascii=False) + "\n"


def render_template_schema() -> str:
    return json.dumps(json_schema(SharedTemplate, "optout-tui shared template"), indent=2, ensure_ascii=False) + "\n"
