"""Reading a YAML file that came from a stranger's pull request.

The file is composed into a node tree by libyaml (fast, and every node keeps
its line and column), then turned into plain Python values by a small walker
that refuses what a guide never needs: anchors and aliases (alias bombs),
duplicate keys (PyYAML would silently keep the last), tags, and control
characters that could drive the user's terminal. The node tree is kept so a
problem found later can be pointed at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from walkthrough.content.problems import ProblemError
from walkthrough.safe_files import Refused, read_regular

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
# libyaml's C composer recurses once per level of flow nesting and crashes the
# process near 100,000 levels; above this many brackets we use the pure-Python
# parser, which fails cleanly with RecursionError instead.
MAX_BRACKETS_FOR_C = 5000

_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# C0 and C1 controls except tab and newline, DEL, and the bidirectional
# overrides that can make text read differently from what it says.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A cheap first look for anchors, confirmed on the event stream only when it
# matches (an `&x` in prose also would). Aliases need an anchor to point at, so
# a file with no anchor can hold no working alias: libyaml refuses a dangling
# one, and that is reported as E004 too. Looking for `*` instead would send
# every Markdown **bold** through the slow event scan.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _T + "str",
    _T + "int",
    _T + "float",
    _T + "bool",
    _T + "null",
    _T + "timestamp",
)
_MAP, _SEQ = _T + "map", _T + "seq"
_resolver = yaml.resolver.Resolver()
# The only ways a guide writes a number. YAML 1.1 also reads 0x1F, 0b101, 017
# (octal: 15), 1:20 (base 60: 80) and 1_000, which no contributor means and whose
# converters raise on odd input (`0x_`); those are refused instead of guessed.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})\Z")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]{1,18}\.[0-9]{0,18}|\.[0-9]{1,18})(?:[eE][-+]?[0-9]{1,3})?\Z")


@dataclass
class Parsed:
    data: object
    root: yaml.Node
    text: str = ""  # the file as text, to point at a word inside a long value


def read_capped(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them read, or ProblemError (walkthrough.safe_files)."""
    try:
        raw, _ = read_regular(path, limit)
    except Refused as exc:
        raise ProblemError(exc.code, exc.message) from None
    return raw


def _too_large(size: int, limit: int) -> ProblemError:
    return ProblemError("E002", f"The file is {size // 1024} KB; a guide may be at most {limit // 1024} KB.")


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise _too_large(len(raw), MAX_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemError(
            "E001",
            f"Byte 0x{raw[exc.start]:02x} is not UTF-8 text. Save the file as UTF-8 in your editor.",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff")


def parse(raw: bytes) -> Parsed:
    """Parse one YAML document into plain values, or raise ProblemError."""
    text = decode(raw)
    loader = _FastLoader
    if text.count("[") + text.count("{") > MAX_BRACKETS_FOR_C:
        loader = yaml.SafeLoader
    if _MAYBE_ANCHOR.search(text):
        _refuse_anchors(text, loader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "this is not valid YAML"
        if "undefined alias" in what:
            raise ProblemError(
                "E004",
                "YAML anchors and aliases (`&name`, `*name`) are not allowed. Write the text out in full.",
                *_pos(mark),
            ) from None
        if "another document" in what:
            what = "a guide file holds one guide, so remove the `---` line and what follows it"
        raise ProblemError("E003", f"The YAML cannot be read here: {what}.", *_pos(mark)) from None
    except yaml.YAMLError as exc:
        raise ProblemError("E003", f"The YAML cannot be read: {exc}.") from None
    except RecursionError:
        raise ProblemError("E003", "The file is nested too deeply to be a guide.") from None
    if root is None:
        raise ProblemError("E008", "The file is empty. A guide starts with `name:`, `title:` and the other fields.")
    if not isinstance(root, yaml.MappingNode):
        raise ProblemError(
            "E008", "A guide must be a set of `field: value` lines, starting with `name:`.", *_pos(root.start_mark)
        )
    return Parsed(_value(root, 0), root, text)


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _refuse_anchors(text: str, loader) -> None:
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ProblemError(
                    "E004",
                    "YAML anchors and aliases (`&name`, `*name`) are not allowed. Write the text out in full.",
                    *_pos(event.start_mark),
                )
    except yaml.YAMLError:
        return  # compose reports the syntax error with its position
    except RecursionError:
        return


def _value(node: yaml.Node, depth: int) -> object:
    if depth > MAX_DEPTH:
        raise ProblemError("E003", "The file is nested too deeply to be a guide.", *_pos(node.start_mark))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, _SEQ)
        return [_value(item, depth + 1) for item in node.value]
    _check_tag(node, _MAP)
    out: dict[str, object] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _T + "merge":
            raise ProblemError("E003", "A field name must be a plain word.", *_pos(key_node.start_mark))
        key = key_node.value
        _check_text(key, key_node)
        if not key or any(c.isspace() and c != " " for c in key):
            # A line break in a name would split every message that quotes it into fake lines.
            raise ProblemError("E003", "A field name must be a plain word on one line.", *_pos(key_node.start_mark))
        if key in out:
            raise ProblemError(
                "E005",
                f"`{key}` is written twice in the same place. Keep one and delete the other.",
                *_pos(key_node.start_mark),
            )
        out[key] = _value(value_node, depth + 1)
    return out


def _refuse_tag(node: yaml.Node) -> ProblemError:
    shown = "!!" + node.tag[len(_T) :] if node.tag.startswith(_T) else node.tag
    return ProblemError("E006", f"YAML tags such as `{shown}` are not allowed. Remove the tag.", *_pos(node.start_mark))


def _check_tag(node: yaml.Node, expected: str) -> None:
    if node.tag != expected:
        raise _refuse_tag(node)


def _check_text(text: str, node: yaml.Node) -> None:
    bad = _CONTROL.search(text)
    if bad:
        raise ProblemError(
            "E007",
            f"The text holds an invisible control character (U+{ord(bad.group()):04X}). Delete it.",
            *_pos(node.start_mark),
        )


def _scalar(node: yaml.ScalarNode) -> object:
    tag, value = node.tag, node.value
    if tag == _STR:
        _check_text(value, node)
        return value
    if tag == _TIMESTAMP:
        return value  # the model turns YYYY-MM-DD into a date and names bad ones
    if tag == _NULL:
        return None
    if tag == _BOOL:
        # YAML 1.1 reads yes/no/on/off as booleans: `regions: [NO]` would turn
        # Norway into False, and `label: Off` into a boolean. Only true/false are.
        return value.lower() == "true" if value.lower() in ("true", "false") else value
    if tag in (_INT, _FLOAT):
        return _number(node)
    raise ProblemError("E006", f"YAML tags such as `{tag}` are not allowed. Remove the tag.", *_pos(node.start_mark))


def _number(node: yaml.ScalarNode) -> int | float:
    value = node.value
    if _resolver.resolve(yaml.ScalarNode, value, (True, False)) != node.tag:
        raise _refuse_tag(node)  # `!!int "abc"`: a tag written by hand, not a number YAML found
    if node.tag == _INT and _PLAIN_INT.match(value):
        return int(value)
    if node.tag == _FLOAT and _PLAIN_FLOAT.match(value):
        return float(value)
    raise ProblemError(
        "E103",
        f"`{value[:40]}` is read as a number written in an unusual way. If it is text, put it in quotes; "
        "if it is a number, write it with plain digits, such as 80.",
        *_pos(node.start_mark),
    )


def locate_text(root: yaml.Node, path: list[str | int], needle: str, text: str) -> tuple[int, int]:
    """The line and column of `needle` inside the value at `path` (a word in a long text), else of the value."""
    node = _node_at(root, path)
    if node is None or not text:
        return locate(root, path)
    lines = text.splitlines()
    first, last = node.start_mark.line, min(node.end_mark.line, len(lines) - 1)
    for number in range(first, last + 1):
        start = node.start_mark.column if number == first else 0
        column = lines[number].find(needle, start)
        if column >= 0:
            return number + 1, column + 1
    return _pos(node.start_mark)


def _node_at(root: yaml.Node, path: list[str | int]) -> yaml.Node | None:
    node: yaml.Node | None = root
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def locate(root: yaml.Node, path: list[str | int], *, key: bool = False) -> tuple[int, int]:
    """The line and column of the value at `path` (or of its key with key=True).

    Walks as far as the path exists, so a missing field points at the place
    where it should be added.
    """
    node = root
    mark = root.start_mark
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if k.value == part:
                    mark = k.start_mark if key and part == path[-1] else v.start_mark
                    node = v
                    break
            else:
                return _pos(mark)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return _pos(mark)
