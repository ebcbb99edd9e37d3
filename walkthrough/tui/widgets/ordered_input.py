"""A text box whose editing keys act in the order they were typed.

Textual's Input inserts a typed letter at once, but sends a bound key
(Backspace, Ctrl+U, the arrows) up to the app before its action runs. Typed
fast, "Germx", Backspace, "any" became "Germxan": the Backspace landed after
the letters that followed it (Textual issue #6605, fix proposed in PR #6631).
Here the box runs its own bindings as the key arrives, in line with the
letters. A key the box does not handle (Ctrl+C with nothing selected: its
copy action skips) goes on up as before.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
