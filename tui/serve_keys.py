"""Keys typed ahead of a screen, in a served tab: held until the screen that should get them
is there.

In a browser, keys typed with no gap reach the app together. A key that opens a dialog
(``s``) starts a worker that pushes the dialog a moment later, and the Textual app hands
each key to whatever has the focus when it comes: the keys typed after ``s`` went to the
training screen below (lost, or taken as training keys), and a ``t`` among them opened the
lesson list over the half-open dialog. Neither Textual's web driver nor the page (xterm.js)
loses a key: the page sends each key as it is typed and the driver passes them all on.

``TypeAhead`` runs on the app's event loop and passes the keys on one at a time, each once
the one before has been handled (it went from the app to the focused widget, up through its
ancestors and back to the app, which runs a key's binding) and the app is ready for the
next: no worker is waiting to start (it may be about to push a screen), the screen on top
is mounted and has been shown, and it and the widget with the focus have handled what they
were sent (a dialog's field selects its text when focused: a key typed before that was
overwritten). A key is held at most ``MOST_HELD`` seconds.
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import WorkerState

LOOK = 0.01        # seconds between two looks at whether the app is ready for a key
MOST_HELD = 1.0    # seconds a key is held at the most


class TypeAhead:
    """The keys and pastes typed into ``app``, passed on in order as the app is ready for
    them. ``add`` is called on the app's event loop."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.held: deque[events.Event] = deque()
        self._passing: asyncio.Task[None] | None = None

    def add(self, event: events.Event) -> None:
        """A key or a paste typed: pass it on in its turn."""
        self.held.append(event)
        if self._passing is None or self._passing.done():
            self._passing = asyncio.ensure_future(self._pass_on())

    def ready(self) -> bool:
        """Whether the app is ready for the next key: no worker is about to start, the screen
        on top is mounted and shown, and it and its focused widget have no message waiting."""
        app = self.app
        if any(worker.state == WorkerState.PENDING for worker in app.workers):
            return False
        try:
            screen = app.screen
        except Exception:          # no screen yet (the app is starting or ending)
            return False
        if not (screen.is_mounted and screen.stack_updates > 0
                and screen.message_queue_size == 0):
            return False
        focused = screen.focused
        return focused is None or (focused.is_mounted and focused.message_queue_size == 0)

    async def _pass_on(self) -> None:
        """Post the held events one at a time, each once the app is ready for it (or it
        waited ``MOST_HELD`` seconds) and the one before has been handled."""
        while self.held:
            waited = 0.0
            while not self.ready() and waited < MOST_HELD:
                await asyncio.sleep(LOOK)
                waited += LOOK
            app = self.app
            route = [app, *_route_of(app), app]
            app.post_message(self.held.popleft())
            await _through(route)


def _route_of(app: App) -> list[MessagePump]:
    """The widgets a key goes through on its way back to the app: the focused widget (else
    the screen) and its ancestors up to the screen."""
    try:
        node = app.focused or app.screen
    except Exception:          # no screen yet (the app is starting or ending)
        return []
    route = []
    while node is not None and node is not app:
        route.append(node)
        node = node.parent
    return route


async def _through(route: list[MessagePump]) -> None:
    """Wait until each of ``route`` in turn has handled what it was sent so far: a key
    posted to the first one has then reached and left the last (a pump closed meanwhile is
    waited for at most ``MOST_HELD`` seconds)."""
    loop = asyncio.get_running_loop()
    for pump in route:
        handled = loop.create_future()
        pump.call_next(_done, handled)
        await asyncio.wait([handled], timeout=MOST_HELD)


def _done(future: asyncio.Future[None]) -> None:
    """Mark ``future`` done (once)."""
    if not future.done():
        future.set_result(None)
