"""The full-screen app: everything that imports Textual lives under this package.

- `app`: the App object (what every screen shares: catalogue, store, country)
  and the few actions that must go through one place (opening a link, saving).
- `screens/`: one module per screen (home, guide, finished, help, region). A new
  screen goes there; it reaches the app through `screens.base.AppScreen.app`.
- `widgets/`: widgets big enough for their own module.
- `palette`: the command palette's guide entries.
- `collector`: Python's garbage collector, paused while the app starts.
- `app.tcss`: the one stylesheet.

The screens ask `walkthrough.progress.status` for every rule; they never count
or word a state themselves.
"""

from walkthrough.tui import collector

collector.pause()  # until the first screen is drawn: see collector.py
