"""Widgets used by more than one screen, or big enough to deserve their own module."""
