"""The full-screen app: everything that imports Textual lives under this package.

- `app`: the App object (what every screen shares: catalogue, store, country)
  and the few actions that must go through one place (opening a link, saving).
- `screens/`: one module per screen (home, guide, finished, help, region,
  plain_text). A new screen goes there; it reaches the app through
  `screens.base.AppScreen.app`.
- `widgets/`: widgets big enough for their own module (`ordered_input`: a text
  box whose Backspace and Ctrl+U keep their place among fast-typed letters).
- `browser`, `clipboard`, `saving`: opening a page, copying and saving a text,
  each saying truthfully what happened; the app's `open_link`, `copy_text`,
  `show_plain` and `save_text` use them.
- `palette`: the command palette's guide entries.
- `collector`: Python's garbage collector, paused while the app starts.
- `frame_rate`: how soon after a key the screen may be drawn again.
- `app.tcss`: the one stylesheet.

The screens ask `walkthrough.progress.status` for every rule; they never count
or word a state themselves.
"""

from walkthrough.tui import collector, frame_rate

collector.pause()  # until the first screen is drawn: see collector.py
frame_rate.raise_cap()  # before Textual is imported: see frame_rate.py
