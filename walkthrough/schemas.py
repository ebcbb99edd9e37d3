"""The JSON Schemas committed as guides/schema.json and guides/template-schema.json."""

from __future__ import annotations

import json

import msgspec

from .model import Guide, SharedTemplate


def _schema(kind: type, title: str) -> dict:
    schema = msgspec.json.schema(kind)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}


def render_guide_schema() -> str:
    return json.dumps(_schema(Guide, "optout-tui guide"), indent=2, ensure_ascii=False) + "\n"


def render_template_schema() -> str:
    return json.dumps(_schema(SharedTemplate, "optout-tui shared template"), indent=2, ensure_ascii=False) + "\n"
