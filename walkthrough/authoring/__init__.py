"""Tools for people who write guides: the JSON Schema, the generated parts of
CONTRIBUTING.md, and the scaffold `optout-tui new` writes. Never imports Textual.
"""
