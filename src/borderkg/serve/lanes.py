"""Admission to the engine: two lanes, so that long queries cannot take every slot from short
ones, and a bounded wait.

* The **short lane** has ``slots`` places. A query is admitted there unless it is known long.
* A query that has run ``long_after`` seconds **moves to the long lane**: it gives its short
  place back (a short query waiting takes it at once) and is remembered as long by its text.
* A query **known long** (it moved lanes or hit the time limit before, among the last
  :data:`REMEMBERED` texts) waits for one of the ``long_slots`` places of the long lane.
* A query that moves while the long lane is full keeps running (ending it would not free the
  engine, which keeps computing): the lane is over-full until it ends, and known-long queries
  wait meanwhile.

So at any time short queries have all ``slots`` short places to themselves except those held
by queries younger than ``long_after``; four clients looping a cross product hold at most
``long_slots`` places, after their first run. Every wait is bounded by the query's deadline
(the time limit): past it the client gets 503 «busy». Nothing queues without bound: a waiter
is a request the server already holds, and it leaves at its deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict

REMEMBERED = 1024


class Busy(Exception):
    """No place in the lane before the deadline."""


class Lanes:
    def __init__(self, slots: int, long_slots: int, long_after: float) -> None:
        self.slots, self.long_slots, self.long_after = slots, long_slots, long_after
        self.short = 0
        self.long = 0
        self._known_long: OrderedDict[int, None] = OrderedDict()
        self._changed: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:  # created in the event loop that uses it
            self._changed = asyncio.Condition()
        return self._changed

    def known_long(self, key: int) -> bool:
        return key in self._known_long

    def remember_long(self, key: int) -> None:
        self._known_long[key] = None
        self._known_long.move_to_end(key)
        while len(self._known_long) > REMEMBERED:
            self._known_long.popitem(last=False)

    def forget_long(self, key: int) -> None:
        self._known_long.pop(key, None)

    @contextlib.asynccontextmanager
    async def admit(self, key: int, timeout: float):
        """Hold a place for the query ``key`` while the body runs; ``Busy`` after ``timeout``
        seconds without one."""
        changed = self._condition()
        in_long = self.known_long(key)
        try:
            async with asyncio.timeout(max(timeout, 0)):
                async with changed:
                    if in_long:
                        await changed.wait_for(lambda: self.long < self.long_slots)
                        self.long += 1
                    else:
                        await changed.wait_for(lambda: self.short < self.slots)
                        self.short += 1
        except TimeoutError:
            raise Busy from None
        state = {"long": in_long}
        started = asyncio.get_running_loop().time()
        mover = None if in_long else asyncio.get_running_loop().call_later(
            self.long_after, lambda: asyncio.ensure_future(self._move(key, state)))
        try:
            yield
        finally:
            if mover is not None:
                mover.cancel()
            async with changed:
                if state["long"]:
                    self.long -= 1
                else:
                    self.short -= 1
                state["long"] = None  # released: a late move does nothing
                changed.notify_all()
            if in_long and asyncio.get_running_loop().time() - started < self.long_after:
                self.forget_long(key)  # short now (a new build, say): back to the short lane

    async def _move(self, key: int, state: dict) -> None:
        changed = self._condition()
        async with changed:
            if state["long"] is not False:
                return  # already released
            self.short -= 1
            self.long += 1
            state["long"] = True
            self.remember_long(key)
            changed.notify_all()
