"""What a guide is, and whether one can be trusted: the headless core of a guide file.

- `model`: the guide format (msgspec types); the JSON Schema is made from it.
- `yamlsafe`, `loader`: bytes from a stranger in, a checked guide or a list of
  problems out (file, line, column, plain words). Nothing here raises for bad input.
- `problems`: the table of every rule code; `lint`: the checks on what values mean;
  `readability`: how hard a step is to read.
- `links`: the one rule for every web address a guide shows (and blocked source hosts).
- `regions`: countries and groups, and the names people type for them;
  `templates`: letters with blanks, filled in.
- `plaintext`: a guide as plain text (`optout-tui show`, screen readers, printing).
- `dates`: dates in words, the same everywhere.

A new lint rule goes in `lint` with its code in `problems`. Never imports Textual.
"""
