"""The generated parts of CONTRIBUTING.md: the field reference and the rule list.

Both are made from the code a guide is checked against (the msgspec model and
problems.RULES), so the page cannot drift from what `optout-tui validate`
enforces. Regenerate after changing either:

    python -m walkthrough.authoring.docs --write

`--check` exits 1 when CONTRIBUTING.md is out of date (tests/test_docs.py does
the same).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path

import msgspec

from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.content.problems import RULES

CONTRIBUTING = Path(__file__).resolve().parent.parent.parent / "CONTRIBUTING.md"
SECTIONS = ("fields", "rules")
REGENERATE = "python -m walkthrough.authoring.docs --write"

# Every Struct reachable from these is documented, so a type the model gains
# later shows up without touching this file.
ROOTS: tuple[type, ...] = (Guide, SharedTemplate)


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type_words: str
    required: bool
    default: str  # how the default reads in YAML, "" when required
    description: str


def _metas(tp) -> tuple[object, list[msgspec.Meta]]:
    """The bare type and every Meta wrapped around it, outermost last."""
    metas: list[msgspec.Meta] = []
    while typing.get_origin(tp) is typing.Annotated:
        tp, *extra = typing.get_args(tp)
        metas = [m for m in extra if isinstance(m, msgspec.Meta)] + metas
    return tp, metas


def _is_union(tp) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _strip_none(tp) -> tuple[object, bool]:
    if _is_union(tp):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _limits(metas: list[msgspec.Meta], unit: str) -> str:
    lo = next((m.min_length for m in metas if m.min_length is not None), None)
    hi = next((m.max_length for m in metas if m.max_length is not None), None)
    if lo and lo > 1 and hi:
        return f", {lo} to {hi} {unit}"
    if hi:
        return f", at most {hi} {unit}"
    if lo and lo > 1:
        return f", at least {lo} {unit}"
    return ""


def type_words(tp) -> str:
    """A type as a contributor would say it: `a list of steps`, `a whole number from 1 to 600`."""
    tp, metas = _metas(tp)
    tp, _ = _strip_none(tp)
    tp, inner = _metas(tp)
    metas = metas + inner
    origin = typing.get_origin(tp)
    if tp is str:
        words = "text" + _limits(metas, "characters")
        if any(m.pattern for m in metas):
            words += ", written in a set form (see the description)"
        return words
    if tp is int:
        lo = next((m.ge for m in metas if m.ge is not None), None)
        hi = next((m.le for m in metas if m.le is not None), None)
        if lo is not None and hi is not None:
            return f"a whole number from {lo} to {hi}"
        return "a whole number"
    if tp is bool:
        return "true or false"
    if tp is datetime.date:
        return "a date, YYYY-MM-DD"
    if origin is typing.Literal:
        return "one of: " + ", ".join(f"`{v}`" for v in typing.get_args(tp))
    if origin is list:
        (item,) = typing.get_args(tp)
        return "a list of " + _plural(item) + _limits(metas, "entries").replace(", at least 1 entries", "")
    if origin is dict:
        return "`name: text` pairs"
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        article = "an" if tp.__name__[0] in "AEIOU" else "a"
        return f"{article} [{tp.__name__}](#{tp.__name__.lower()})"
    return getattr(tp, "__name__", str(tp))


def _plural(item) -> str:
    bare, _ = _metas(item)
    if isinstance(bare, type) and issubclass(bare, msgspec.Struct):
        return f"[{bare.__name__}](#{bare.__name__.lower()}) entries"
    words = type_words(item)
    return words.removeprefix("a ").removeprefix("an ") + (" entries" if words.startswith("one of") else "")


def _default_words(info: msgspec.structs.FieldInfo) -> str:
    if info.required:
        return ""
    value = info.default_factory() if info.default is msgspec.NODEFAULT else info.default
    if value is None:
        return "empty"
    if value in ([], {}):
        return "none"
    if value == "":
        return "empty"
    return f"`{value}`"


def field_docs(kind: type) -> list[FieldDoc]:
    hints = typing.get_type_hints(kind, include_extras=True)
    out = []
    for info in msgspec.structs.fields(kind):
        tp = hints[info.name]
        # The outermost description says what the field is for; inner ones
        # (from shared types such as Ident or Region) say how to write it.
        described = [m.description for m in _metas(tp)[1] if m.description]
        parts = described[-1:]
        parts += [d for d in described[:-1] + _inner_descriptions(_metas(tp)[0]) if d not in parts]
        out.append(
            FieldDoc(
                name=info.encode_name,
                type_words=type_words(tp),
                required=info.required,
                default=_default_words(info),
                description=" ".join(parts),
            )
        )
    return out


def _inner_descriptions(tp) -> list[str]:
    """Descriptions of the value types inside a field's type, but not of other Structs."""
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return []
    bare, metas = _metas(tp)
    found = [m.description for m in metas if m.description]
    for arg in typing.get_args(bare):
        found += [d for d in _inner_descriptions(arg) if d not in found]
    return found


def field_description(kind: type, name: str) -> str:
    """The model's description of one field (the scaffold's comments use it)."""
    for doc in field_docs(kind):
        if doc.name == name:
            return doc.description
    raise KeyError(f"{kind.__name__} has no field {name!r}")


def structs(roots: tuple[type, ...] = ROOTS) -> list[type]:
    """Every Struct type reachable from the roots, in the order a reader meets them."""
    seen: list[type] = []
    for root in roots:
        queue = [root]
        while queue:
            kind = queue.pop(0)
            if kind in seen:
                continue
            seen.append(kind)
            for tp in typing.get_type_hints(kind, include_extras=True).values():
                queue += [t for t in _struct_types(tp) if t not in seen]
    return seen


def _struct_types(tp) -> list[type]:
    tp, _ = _metas(tp)
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return [tp]
    return [t for arg in typing.get_args(tp) for t in _struct_types(arg)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_fields(roots: tuple[type, ...] = ROOTS) -> str:
    lines = []
    for kind in structs(roots):
        doc = " ".join((kind.__doc__ or "").split("\n\n")[0].split())
        lines += [f"### {kind.__name__}", ""]
        if doc:
            lines += [doc, ""]
        lines += ["| Field | Type | Required? | What it is |", "| --- | --- | --- | --- |"]
        for f in field_docs(kind):
            need = "**required**" if f.required else f"optional (default: {f.default})"
            lines.append(f"| `{f.name}` | {_cell(f.type_words)} | {need} | {_cell(f.description)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _example(text: str) -> str:
    # A rule's example is either a line of YAML (shown as code) or a sentence.
    if "`" in text or (":" not in text and not text.startswith("- ")):
        return _cell(text)
    return "`" + _cell(text) + "`"


def render_rules(rules=None) -> str:
    rules = RULES if rules is None else rules
    lines = ["| Code | Kind | What it means | Example that breaks it |", "| --- | --- | --- | --- |"]
    for rule in sorted(rules.values(), key=lambda r: r.code):
        kind = "error" if rule.severity == "error" else "warning (fails with `--strict`)"
        lines.append(f"| {rule.code} | {kind} | {_cell(rule.summary)} | {_example(rule.example)} |")
    return "\n".join(lines) + "\n"


RENDERERS = {"fields": render_fields, "rules": render_rules}


def begin(section: str) -> str:
    return f"<!-- BEGIN GENERATED: {section} (do not edit by hand; run `{REGENERATE}`) -->"


def end(section: str) -> str:
    return f"<!-- END GENERATED: {section} -->"


class MarkersMissing(Exception):
    pass


def updated(text: str) -> str:
    """`text` with every generated section replaced by what the code says now."""
    for section in SECTIONS:
        start_prefix = f"<!-- BEGIN GENERATED: {section}"
        start = text.find(start_prefix)
        stop = text.find(end(section))
        if start < 0 or stop < start:
            raise MarkersMissing(
                f"CONTRIBUTING.md has no place for the generated {section}: it needs the lines "
                f"`{begin(section)}` and `{end(section)}`."
            )
        text = text[:start] + begin(section) + "\n\n" + RENDERERS[section]() + "\n" + text[stop:]
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m walkthrough.authoring.docs",
        description="Regenerate the field reference and rule list in CONTRIBUTING.md.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite the generated parts of the file")
    group.add_argument("--check", action="store_true", help="exit 1 if the generated parts are out of date")
    parser.add_argument("--file", type=Path, default=CONTRIBUTING, help="the page to update (default: CONTRIBUTING.md)")
    args = parser.parse_args(argv)

    if not (args.write or args.check):
        print(render_fields() + "\n" + render_rules(), end="")
        return 0
    try:
        current = args.file.read_text(encoding="utf-8")
        fresh = updated(current)
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}.", file=sys.stderr)
        return 1
    except MarkersMissing as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.check:
        if fresh != current:
            print(
                f"{args.file} is out of date with the guide model or the rule list. Run: {REGENERATE}", file=sys.stderr
            )
            return 1
        print(f"{args.file} is up to date.")
        return 0
    if fresh != current:
        try:
            args.file.write_text(fresh, encoding="utf-8", newline="\n")
        except OSError as exc:
            print(f"Cannot write {args.file}: {exc.strerror}.", file=sys.stderr)
            return 1
        print(f"Updated {args.file}.")
    else:
        print(f"{args.file} was already up to date.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
