"""optout-tui: step-by-step guides to stop platforms training AI on what you wrote."""

__version__ = "0.1.0"
