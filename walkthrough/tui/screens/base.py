"""What every screen of the app shares: the app, typed.

Textual types `Screen.app` as a plain `App`, so `self.app.catalog` would be an
attribute the type checker cannot see. Screens subclass `AppScreen` (or
`AppModal`) and get `self.app` as the `OptOutApp` it always is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from walkthrough.tui.app import OptOutApp

ResultT = TypeVar("ResultT")


class AppScreen(Screen[ResultT]):
    @property
    def app(self) -> OptOutApp:  # type: ignore[override]
        return cast("OptOutApp", super().app)


class AppModal(ModalScreen[ResultT]):
    @property
    def app(self) -> OptOutApp:  # type: ignore[override]
        return cast("OptOutApp", super().app)
