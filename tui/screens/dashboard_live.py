"""The dashboard's messages and the refresh scheduler's driver on a screen's timers and workers."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from tui.model import Snapshot

if TYPE_CHECKING:
    from tui.live_session import LiveSession


class SnapshotLoaded(Message):
    """A snapshot for the requested day is ready."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        super().__init__()


class LiveUpdated(Message):
    """A live source answered (or failed): the live snapshot as it stands now."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        super().__init__()


class LiveConnected(Message):
    """The live session's sources can fetch: the refresh loops may start."""

    def __init__(self, session: LiveSession) -> None:
        self.session = session
        super().__init__()


class ScreenDriver:
    """The refresh scheduler's driver (`tui.scheduler.Driver`) on a screen's timers and
    workers: one exclusive async worker per source, errors reported, never fatal."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen

    def call_later(self, delay: float, callback: Callable[[], None], name: str) -> Timer:
        """A one-shot timer."""
        return self.screen.set_timer(delay, callback, name=name)

    def run_async(self, work: Coroutine[Any, Any, None], group: str, description: str) -> None:
        """An async worker, one at a time per group."""
        self.screen.run_worker(
            work, group=group, exclusive=True, exit_on_error=False, description=description
        )

    def run_thread(self, work: Callable[[], None], group: str, description: str) -> None:
        """A thread worker."""
        self.screen.run_worker(
            work, thread=True, group=group, exit_on_error=False, description=description
        )

    def publish(self, snapshot: Snapshot) -> None:
        """A new live snapshot (thread-safe: a message)."""
        self.screen.post_message(LiveUpdated(snapshot))
