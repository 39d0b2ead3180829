"""Run tasks that wait for one another on a few threads.

The derived layers (:mod:`borderkg.derive`) are CONSTRUCT queries that Oxigraph evaluates
without Python's lock held, so with two cores two layers are computed at once; a layer that
may read another's output waits for it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple


class Task(NamedTuple):
    """Work named ``key`` that starts once every task in ``after`` is done."""

    key: Hashable
    run: Callable[[], object]
    after: frozenset = frozenset()


def run_tasks(tasks: Sequence[Task], threads: int = 1) -> list[Hashable]:
    """Run every task after the ones it waits for, on up to ``threads`` threads; when several
    are ready, the first in ``tasks`` goes first. With one thread they run in the order given
    (which must then put each after those it waits for). The first failure is raised once the
    tasks already running have ended; no other task starts after it. Returns the keys in the
    order the tasks ended.

    >>> ended = []
    >>> tasks = [Task("b", lambda: ended.append("b"), frozenset({"a"})), Task("a", lambda: ended.append("a"))]
    >>> run_tasks(tasks, threads=2)
    ['a', 'b']
    >>> run_tasks([Task("x", lambda: 1, frozenset({"y"}))], threads=2)
    Traceback (most recent call last):
    ...
    ValueError: tasks wait for tasks not given or for each other: x
    """
    if threads <= 1:
        order = []
        for task in tasks:
            if not task.after <= set(order):
                raise ValueError(f"task {task.key} comes before a task it waits for")
            task.run()
            order.append(task.key)
        return order
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    pending, running, done = list(tasks), {}, []
    with ThreadPoolExecutor(threads, thread_name_prefix="borderkg-task") as pool:
        try:
            while pending or running:
                for task in [t for t in pending if t.after <= set(done)][:threads - len(running)]:
                    pending.remove(task)
                    running[pool.submit(task.run)] = task.key
                if not running:
                    stuck = ", ".join(sorted(str(t.key) for t in pending))
                    raise ValueError(f"tasks wait for tasks not given or for each other: {stuck}")
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    key = running.pop(future)
                    future.result()
                    done.append(key)
        except BaseException:
            pending.clear()
            wait(running)
            raise
    return done
