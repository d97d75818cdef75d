"""The footer of keys: Textual's ``Footer``, rebuilt less often.

Textual rebuilds a footer (a widget per key, each styled) after every change of its screen's
bindings: focus moves, screens pushed and popped, a reactive that refreshes the bindings. At
the start a burst of such changes rebuilt each footer four or five times, the training
screen's too while a lesson covered it. This footer is rebuilt once per burst, only when the
keys it shows changed, and not while its screen is hidden: showing the screen again changes
the stack, which rebuilds it then.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer


def covered(screen: Screen) -> bool:
    """Whether a screen other than a dialog is over ``screen`` (a lesson over the training
    screen), so that nothing of it shows."""
    stack = screen.app.screen_stack
    return screen in stack and any(not isinstance(above, ModalScreen)
                                   for above in stack[stack.index(screen) + 1:])


class KeysFooter(Footer):
    """Textual's ``Footer``, its keys composed with it, then rebuilt at most once per
    refresh, only when they changed and only while its screen is visible."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self.set_reactive(Footer._bindings_ready, True)     # the keys from the first compose
        self.rebuild_due = False
        self.shown: tuple | None = None

    def keys_shown(self) -> tuple:
        """What the footer could show of its screen's bindings now: each key, its label,
        whether it is shown and enabled, and its tooltip."""
        return tuple((key, binding.action, binding.description, binding.show, enabled, tooltip)
                     for key, (_, binding, enabled, tooltip)
                     in self.screen.active_bindings.items())

    def compose(self) -> ComposeResult:
        """Textual's keys, noting what they show."""
        self.shown = self.keys_shown()
        return super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        """The screen's bindings changed: rebuild after the next refresh, unless a rebuild is
        due already or the screen is hidden."""
        if (self.rebuild_due or not screen.app.app_focus or not self.is_attached
                or screen is not self.screen or covered(screen)):
            return
        self.rebuild_due = True
        self.call_after_refresh(self.rebuild)

    async def rebuild(self) -> None:
        """The keys of the screen's bindings now (if the screen is still visible)."""
        self.rebuild_due = False
        if self.is_attached and not covered(self.screen) and self.keys_shown() != self.shown:
            await self.recompose()
