"""The full-screen app. Everything that imports Textual lives under this package."""
