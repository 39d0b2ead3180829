"""Memory of a process tree, sampled from /proc (Linux): no dependency beyond the stdlib.

RSS counts a shared page in every process that maps it, so the tree's RSS sum over-states
what the tree really uses; PSS (``smaps_rollup``) splits shared pages between the processes
and its sum is the tree's true share of memory. Both are reported.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1 << 20


def children_of(pid: int) -> list[int]:
    """Every descendant of ``pid`` (a scan of /proc/*/stat for parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the parent id follows it.
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss(pid: int) -> int:
    """Resident set size of one process in bytes (0 once it has ended)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss(pid: int) -> int:
    """Proportional set size of one process in bytes (0 when unreadable or ended)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class TreeSampler:
    """Samples a process and its descendants in a thread until :meth:`stop`."""

    pid: int
    interval: float = 0.25
    main_rss: int = 0
    tree_rss: int = 0
    tree_pss: int = 0
    processes: int = 0
    samples: int = 0
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (s, main RSS, tree RSS)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._started = time.perf_counter()

    def start(self) -> "TreeSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = [self.pid, *children_of(self.pid)]
            main = rss(self.pid)
            if main == 0:
                break
            tree = main + sum(rss(p) for p in pids[1:])
            # PSS costs a walk of every mapping: every 4th sample is enough for a peak.
            if self.samples % 4 == 0:
                self.tree_pss = max(self.tree_pss, sum(pss(p) for p in pids))
            self.main_rss, self.tree_rss = max(self.main_rss, main), max(self.tree_rss, tree)
            self.processes = max(self.processes, len(pids))
            self.samples += 1
            self.timeline.append((round(time.perf_counter() - self._started, 2), main, tree))
            self._stop.wait(self.interval)

    def summary(self) -> dict:
        return {"main_peak_rss_mb": round(self.main_rss / MB, 1), "tree_peak_rss_mb": round(self.tree_rss / MB, 1),
                "tree_peak_pss_mb": round(self.tree_pss / MB, 1), "processes": self.processes,
                "samples": self.samples, "interval_s": self.interval}
