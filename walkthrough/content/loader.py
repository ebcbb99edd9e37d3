"""Loading one guide or shared-template file: bytes in, a checked object out.

Every failure becomes a `Problem` with the file, line and column and a message
that says what to change. Nothing here raises for bad input.
"""

from __future__ import annotations

import datetime
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import msgspec

from walkthrough.content import lint, yamlsafe
from walkthrough.content.guidefile import LoadedGuide, guide_id  # noqa: F401 - LoadedGuide is re-exported for callers
from walkthrough.content.model import Guide, SharedTemplate
from walkthrough.content.problems import Problem, ProblemError

StructT = TypeVar("StructT", bound=msgspec.Struct)

GUIDE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class FileResult(Generic[StructT]):
    path: Path
    value: StructT | None = None  # the Guide or SharedTemplate, when there was no error
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.value is not None


def parse_struct(path: Path, raw: bytes, kind: type[StructT]) -> tuple[StructT, yamlsafe.Parsed]:
    """Parse and convert, raising ProblemError with a plain explanation."""
    parsed = yamlsafe.parse(raw)
    try:
        return msgspec.convert(parsed.data, kind), parsed
    except msgspec.ValidationError as exc:
        raise _explain(str(exc), parsed, kind) from None


def load_guide(
    path: Path,
    templates: dict[str, SharedTemplate] | None = None,
    *,
    today: datetime.date | None = None,
    style: bool = True,
    raw: bytes | None = None,
) -> FileResult[Guide]:
    """Load and check one guide. `style=False` skips the slow style warnings (for the app)."""
    result: FileResult[Guide] = FileResult(path)
    gid = guide_id(path)
    if not GUIDE_ID.match(gid):
        result.problems.append(
            Problem(
                path,
                0,
                0,
                "E009",
                f"`{path.name}` is not a valid guide file name: use lowercase letters, "
                "digits and hyphens, ending in .yaml, for example `linkedin.yaml`.",
            )
        )
        return result
    try:
        if raw is None:
            raw = yamlsafe.read_capped(path)
        guide, parsed = parse_struct(path, raw, Guide)
    except ProblemError as exc:
        result.problems.append(exc.at(path))
        return result
    result.problems = lint.check_guide(
        guide, path, parsed.root, templates or {}, today=today or datetime.date.today(), style=style, text=parsed.text
    )
    if not any(p.is_error for p in result.problems):
        result.value = guide
    return result


def load_template(path: Path) -> FileResult[SharedTemplate]:
    result: FileResult[SharedTemplate] = FileResult(path)
    try:
        template, parsed = parse_struct(path, yamlsafe.read_capped(path), SharedTemplate)
    except ProblemError as exc:
        result.problems.append(exc.at(path))
        return result
    result.problems = lint.check_shared_template(template, path, parsed.root)
    if not any(p.is_error for p in result.problems):
        result.value = template
    return result


# ---- turning msgspec's messages into plain words --------------------------

_AT = re.compile(r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_PART = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")
_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "empty",
    "array": "a list (lines starting with `- `)",
    "object": "a set of `field: value` lines",
    "date": "a date (YYYY-MM-DD)",
}


def _split_path(path: str | None) -> list[str | int]:
    if not path:
        return []
    return [name if name else int(index) for name, index in _PART.findall(path.removeprefix("$"))]


def _unwrap(tp):
    """Strip Annotated, Optional and list so we reach the struct or literal."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp


def _type_at(kind: type, path: list[str | int]) -> Any:
    tp: Any = kind
    for part in path:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if typing.get_origin(tp) is list:
                tp = typing.get_args(tp)[0]
            continue
        if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
            tp = typing.get_type_hints(tp, include_extras=True).get(part)
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    return tp


def _description(tp) -> str:
    metas = []
    while typing.get_origin(tp) is typing.Annotated:
        tp, *extra = typing.get_args(tp)
        metas += [m for m in extra if isinstance(m, msgspec.Meta) and m.description]
    return (metas[-1].description or "") if metas else ""


def _allowed_values(tp) -> list[str]:
    tp = _unwrap(tp)
    return [str(v) for v in typing.get_args(tp)] if typing.get_origin(tp) is typing.Literal else []


def _field_names(tp) -> list[str]:
    tp = _unwrap(tp)
    if typing.get_origin(tp) is list:
        tp = _unwrap(typing.get_args(tp)[0])
    return list(tp.__struct_fields__) if isinstance(tp, type) and issubclass(tp, msgspec.Struct) else []


def _name(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


def _explain(message: str, parsed: yamlsafe.Parsed, kind: type) -> ProblemError:
    match = _AT.match(message)
    assert match is not None  # the pattern matches any text
    what, path = match["what"], _split_path(match["path"])
    where = f"`{_name(path)}`"
    tp = _type_at(kind, path)

    if m := re.match(r"Object contains unknown field `(.+)`", what):
        unknown = m[1]
        allowed = _field_names(tp)
        close = difflib.get_close_matches(unknown, allowed, n=1)
        hint = f" Did you mean `{close[0]}`?" if close else ""
        return ProblemError(
            "E101",
            f"`{unknown}` is not a field here.{hint} Fields allowed here: {', '.join(allowed)}.",
            *yamlsafe.locate(parsed.root, [*path, unknown], key=True),
        )
    if m := re.match(r"Object missing required field `(.+)`", what):
        missing = m[1]
        desc = _description(_type_at(kind, [*path, missing]))
        place = "" if not path else f" in {where}"
        return ProblemError(
            "E102",
            f"`{missing}` is missing{place}."
            + (f" ({desc.rstrip('.')}.)" if desc else "")
            + f" Add a line `{missing}: ...`.",
            *yamlsafe.locate(parsed.root, path),
        )
    line, column = yamlsafe.locate(parsed.root, path)
    if m := re.match(r"Expected `(\w+)`, got `(\w+)`", what):
        want, got = _TYPE_WORDS.get(m[1], m[1]), _TYPE_WORDS.get(m[2], m[2])
        tip = " Put the text in quotes." if m[1] == "str" else ""
        return ProblemError("E103", f"{where} should be {want}, but it is {got}.{tip}", line, column)
    if what.startswith("Invalid enum value"):
        return ProblemError("E103", f"{where} must be one of: {', '.join(_allowed_values(tp))}.", line, column)
    if "RFC3339" in what or "date" in what.lower() and "Invalid" in what:
        return ProblemError(
            "E103", f"{where} should be a date written YYYY-MM-DD, for example 2026-11-22.", line, column
        )
    if m := re.match(r"Expected `(\w+)` of length (>=|<=) (\d+)", what):
        thing = {"str": "text", "array": "list", "object": "set of fields"}.get(m[1], m[1])
        if m[2] == ">=":
            text = f"{where} must not be empty." if m[3] == "1" else f"{where} needs at least {m[3]} entries."
        else:
            unit = "characters" if m[1] == "str" else "entries"
            text = f"{where} is too long: this {thing} may have at most {m[3]} {unit}."
        return ProblemError("E103", text, line, column)
    if m := re.match(r"Expected `(?:int|float)` (>=|<=) (-?\d+)", what):
        bound = "at least" if m[1] == ">=" else "at most"
        return ProblemError("E103", f"{where} must be {bound} {m[2]}.", line, column)
    if what.startswith("Expected `str` matching regex"):
        desc = _description(tp)
        return ProblemError("E103", f"{where} is not written the right way. {desc}".rstrip(), line, column)
    return ProblemError("E103", f"{where}: {what}.", line, column)
