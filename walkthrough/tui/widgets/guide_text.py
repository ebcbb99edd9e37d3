"""Guide text made into something to draw: always plain text with styles, never markup.

A guide is written by a stranger, so nothing here parses Textual or Rich markup:
every string becomes a `rich.text.Text` built from its characters. Three shapes:

- `markdown_text`: the little Markdown the guides use (paragraphs, bold, lists,
  inline code, links), drawn without the Markdown widget, whose updates mount
  new widgets and cannot keep up with a key held down. A link becomes its words
  and its address; clicking it runs `screen.open_text_link(n)`, so the address
  itself never becomes part of an action and the domain rule is checked first.
- `Address`: a web address on its own lines, broken after `/`, `?` or `&` rather
  than in the middle of a word.
- `reflow_letter`: a letter's lines joined into paragraphs, so it wraps to the
  window instead of keeping the line breaks of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.table import Table
from rich.text import Text

BULLET = "•"
LINK_STYLE = Style(underline=True)


def _markdown_parser():
    # Imported on first use: markdown-it comes with Textual, but only a guide needs it.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


_parser = None


def markdown_text(source: str, first_link: int = 0) -> tuple[RenderableType, list[str]]:
    """`source` as plain styled text, and the addresses of its links in order.

    Link n (counting from `first_link`) is clickable through `screen.open_text_link(n)`.
    """
    global _parser
    if _parser is None:
        _parser = _markdown_parser()
    links: list[str] = []
    blocks: list[tuple[int, str, Text]] = []  # (list depth, bullet or "", text)
    lists: list[list[int]] = []  # per open list: [next number] for ordered, [] for bullets
    bullet = ""
    tokens = _parser.parse(source)
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([])
        elif kind == "ordered_list_open":
            lists.append([int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            counter = lists[-1] if lists else []
            if counter:
                bullet = f"{counter[0]}."
                counter[0] += 1
            else:
                bullet = BULLET
        elif kind == "inline":
            text = _inline(token.children or [], links, first_link)
            heading = i > 0 and tokens[i - 1].type == "heading_open"
            if heading:
                text.stylize("bold")
            blocks.append((len(lists), bullet, text))
            bullet = ""
        elif kind in ("code_block", "fence", "html_block"):
            blocks.append((len(lists), bullet, Text(token.content.rstrip("\n"))))
            bullet = ""
        elif kind == "hr":
            blocks.append((len(lists), "", Text("―" * 10)))
    return _group(blocks), links


def _inline(children: Iterable, links: list[str], first_link: int) -> Text:
    text = Text()
    styles: list[str | Style] = []
    link_start = 0
    for child in children:
        kind = child.type
        if kind in ("text", "html_inline"):
            text.append(child.content, style=_joined(styles))
        elif kind == "code_inline":
            text.append(child.content, style=_joined([*styles, "bold"]))
        elif kind == "softbreak":
            text.append(" ")
        elif kind == "hardbreak":
            text.append("\n")
        elif kind == "strong_open":
            styles.append("bold")
        elif kind == "em_open":
            styles.append("italic")
        elif kind == "link_open":
            number = first_link + len(links)
            links.append(str(child.attrGet("href") or ""))
            link_start = len(text)
            styles.append(LINK_STYLE + Style(meta={"@click": f"screen.open_text_link({number})"}))
        elif kind == "link_close":
            # The address is shown too: the words of a link are not where it goes.
            if styles:
                styles.pop()
            if links and text.plain[link_start:] != links[-1]:
                text.append(f" ({links[-1]})", style=_joined(styles))
        elif kind == "image":
            src = str(child.attrGet("src") or "")
            text.append(f"(picture: {child.content or 'no description'}, {src})", style=_joined(styles))
        elif kind in ("strong_close", "em_close") and styles:
            styles.pop()
    return text


def _joined(styles: list[str | Style]) -> Style | str:
    if not styles:
        return ""
    combined = Style()
    for style in styles:
        combined += Style.parse(style) if isinstance(style, str) else style
    return combined


def _group(blocks: list[tuple[int, str, Text]]) -> RenderableType:
    parts: list[RenderableType] = []
    previous_depth = 0
    for depth, bullet, text in blocks:
        # A blank line between paragraphs, none between the items of a list.
        if parts and not (depth and previous_depth):
            parts.append(Text())
        if depth:
            grid = Table.grid(padding=(0, 1, 0, 0))
            grid.add_column(width=2 * (depth - 1) + max(2, len(bullet)), justify="right", no_wrap=True)
            grid.add_column(ratio=1)
            grid.add_row(Text(bullet), text)
            parts.append(grid)
        else:
            parts.append(text)
        previous_depth = depth
    return Group(*parts)


# ---- addresses ---------------------------------------------------------------

_ADDRESS_BREAKS = re.compile(r"(?<=[/?&])")
_ADDRESS_START = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*[/?#]?")  # scheme and host: one piece


def address_lines(url: str, width: int) -> list[str]:
    """`url` cut into lines of at most `width`, after a `/`, `?` or `&` where it can be."""
    width = max(1, width)
    lines: list[str] = []
    line = ""
    start = _ADDRESS_START.match(url)
    head = start.group() if start else ""
    pieces = [head, *_ADDRESS_BREAKS.split(url[len(head) :])] if head else _ADDRESS_BREAKS.split(url)
    for piece in pieces:
        if not piece:
            continue
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        while len(piece) > width:  # a piece longer than the line: no better place to cut
            lines.append(piece[:width])
            piece = piece[width:]
        line += piece
    if line or not lines:
        lines.append(line)
    return lines


class Address:
    """A web address drawn whole, on lines of its own, broken after `/`, `?` or `&`."""

    def __init__(self, url: str, style: str | Style = "") -> None:
        self.url = url
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("\n".join(address_lines(self.url, options.max_width)), style=self.style, no_wrap=True)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, min(len(self.url), options.max_width))


# ---- letters -----------------------------------------------------------------

_LIST_ITEM = re.compile(r"^\s*([-*•]|\d+[.)])\s")
_SENTENCE_END = (".", ":", "!", "?")
_LONG_LINE = 50  # a line this long that does not end a sentence was wrapped by the writer's editor


def reflow_letter(text: str) -> str:
    """A letter with the writer's line wrapping undone, so it wraps to the window (and to the form it is pasted in).

    Paragraphs (blank lines) and list items stay; short lines that stand alone
    ("My name: ...", a signature) stay. A line is joined to the one before it when
    it carries on a sentence: it starts in lower case, or the line before is long
    and does not end one.
    """
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if out and out[-1].strip() and stripped and not _LIST_ITEM.match(line):
            before = out[-1].rstrip()
            carries_on = stripped[0].islower() or (len(before) >= _LONG_LINE and not before.endswith(_SENTENCE_END))
            if carries_on:
                out[-1] = f"{before} {stripped}"
                continue
        out.append(line.rstrip() if stripped else "")
    return "\n".join(out)
