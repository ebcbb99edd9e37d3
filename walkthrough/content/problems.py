"""A problem found in a guide file, and the table of every rule that finds one.

The table is the single list of rule codes: the validator prints them, the
tests check every one is reachable, and CONTRIBUTING.md's rule list is made
from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    example: str  # a line of YAML (or a file fact) that breaks the rule


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        # Reading the file at all.
        Rule("E001", "error", "The file is not UTF-8 text.", "a file saved as Latin-1 or UTF-16"),
        Rule("E002", "error", "The file is too large.", "a guide over 256 KB"),
        Rule("E003", "error", "The YAML cannot be read (a syntax error).", "title: [Turn off"),
        Rule("E004", "error", "YAML anchors and aliases (& and *) are not allowed.", "steps: *shared"),
        Rule("E005", "error", "The same field is written twice.", "title: A ... title: B"),
        Rule("E006", "error", "YAML tags (!something) are not allowed.", "title: !!python/object x"),
        Rule("E007", "error", "Text holds an invisible control character.", 'title: "Off\\x1b[31m"'),
        Rule("E008", "error", "The file is empty or is not a list of fields.", "- just a list"),
        Rule("E009", "error", "The file name is not a valid guide id.", "guides/LinkedIn Guide.yaml"),
        Rule("E010", "error", "A folder of guides cannot be read.", "--guides-dir pointing at a file or a link loop"),
        Rule(
            "E011",
            "error",
            "A guide file cannot be read: it is not a regular file (a pipe, a device, a link that loops) "
            "or may not be read.",
            "guides/x.yaml -> /dev/zero",
        ),
        # The shape of the guide.
        Rule("E101", "error", "A field name is not known (often a typo).", "titel: Turn off AI training"),
        Rule("E102", "error", "A required field is missing.", "a step without `title`"),
        Rule("E103", "error", "A value has the wrong type or form.", "minutes: five"),
        # What the values mean.
        Rule("E201", "error", "Two steps have the same id.", "id: sign-in ... id: sign-in"),
        Rule("E202", "error", "A link does not start with https://.", "url: http://linkedin.com/settings"),
        Rule("E203", "error", "A link points to a host the guide does not declare.", "url: https://linkedln.com/"),
        Rule("E204", "error", "An entry in `domains` is not a plain host name.", "domains: [https://linkedin.com/]"),
        Rule("E205", "error", "A source is not an https:// address.", "url: ftp://example.org/"),
        Rule("E206", "error", "A region code is not known.", "regions: [EUR]"),
        Rule("E207", "error", "A template uses a blank it does not describe.", "text: Dear {nmae}"),
        Rule("E208", "error", "A template names a shared template that does not exist.", "use: gdpr-objecton"),
        Rule("E209", "error", "`last_verified` is in the future.", "last_verified: 2099-01-01"),
        Rule("E210", "error", "A template has neither `text` nor `use`, or has both.", "template: {to: a@b.c}"),
        Rule("E211", "error", "Two blanks or record fields share a name.", "- name: date ... - name: date"),
        Rule("E212", "error", "A source date is in the future.", "date: 2099-01-01"),
        Rule(
            "E213",
            "error",
            "No source is on the platform's own domains (its help, policy or blog pages).",
            "sources: only news sites",
        ),
        Rule(
            "E215",
            "error",
            "A web address has a space, a line break or an invisible character in it.",
            "url: https://a.com/\\nReal: x",
        ),
        Rule(
            "E214",
            "error",
            "A source is on a host that may never be cited (aggregator, copy, shortener).",
            "url: https://tinyurl.com/abc",
        ),
        # Style: warnings, which fail only with --strict.
        Rule("W301", "warning", "The guide was last verified more than 180 days ago.", "last_verified: 2024-01-01"),
        Rule("W302", "warning", "A step is hard to read (above school grade 8).", "long sentences, long words"),
        Rule("W303", "warning", "A step title does not start with a verb.", "title: The AI setting"),
        Rule("W304", "warning", "A blank is described but never used in the text.", "blanks: [{name: city, ...}]"),
        Rule(
            "W305",
            "warning",
            "A setting or check step does not say what done looks like.",
            "a setting without `expect`",
        ),
        Rule("W306", "warning", "A form or email step has no template to copy.", "kind: email, no template"),
        Rule(
            "W307", "warning", "A guide of difficulty impossible or limited has no `limits`.", "difficulty: impossible"
        ),
        Rule(
            "W308", "warning", "Two guides have the same name, or names that look the same.", "name: LinkedIn (twice)"
        ),
        Rule(
            "W309",
            "warning",
            "A guide's name mixes alphabets, so it can pass for another.",
            "name: Lіnkedіn (Cyrillic і)",
        ),
        Rule(
            "W310",
            "warning",
            "A site's name written in the text (linkedln.com) is not one of the guide's domains.",
            "body: Go to linkedln.com",
        ),
    ]
}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int  # 1-based; 0 when the problem is about the file as a whole
    column: int  # 1-based
    code: str
    message: str

    @property
    def severity(self) -> Severity:
        return RULES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        """One line, safe to print: a path or a quoted value cannot add a line or an escape sequence."""
        from walkthrough.safe_text import visible

        return visible(f"{self.path}:{max(self.line, 1)}:{max(self.column, 1)}: {self.code} {self.message}")

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "line": max(self.line, 1),
            "column": max(self.column, 1),
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class ProblemError(Exception):
    """Raised by a loader when a file cannot be used at all."""

    def __init__(self, code: str, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column

    def at(self, path: Path) -> Problem:
        return Problem(path, self.line, self.column, self.code, self.message)
