"""Peak memory and time of ``borderkg build`` on one big plain-text document (issue 11,
item 6): 10 MB on one line, and 10 MB of ordinary lines.

Each build runs as its own process on a fresh store; its peak RSS comes from ``wait4``.
The text is the shipped free-text report (data/reports/003_…) repeated to the size asked.

    .venv/bin/python bench/big_text.py            # 10 MB each
    .venv/bin/python bench/big_text.py --mb 2     # a quicker run
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "reports" / "003_896a61d3b8a214c2.txt"
MB = 1 << 20


def write_text(path: Path, megabytes: float, one_line: bool) -> int:
    """The source's sentences repeated to ``megabytes``, on one line or one per line."""
    lines = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    separator = " " if one_line else "\n"
    chunk = (separator.join(lines) + separator).encode("utf-8")
    target = int(megabytes * MB)
    with path.open("wb") as handle:
        for _ in range(target // len(chunk)):
            handle.write(chunk)
        handle.write(chunk[: target % len(chunk)].decode("utf-8", "ignore").rsplit(" ", 1)[0].encode())
    return path.stat().st_size


def run_build(source: Path, store: Path) -> dict:
    """Exit status, seconds, peak RSS and the summary line of one build in its own process."""
    borderkg = Path(sys.executable).parent / "borderkg"
    out, err = store.with_suffix(".out"), store.with_suffix(".err")
    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen([str(borderkg), "build", "--quiet", "--store", str(store), str(source)],
                                 stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)  # the child's own peak RSS
    elapsed = time.monotonic() - started
    return {"exit": os.waitstatus_to_exitcode(status), "seconds": round(elapsed, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "summary": out.read_text().splitlines()[:1],
            "errors": [line for line in err.read_text().splitlines() if line.startswith("error")][-3:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of each document")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, one_line in (("one_line", True), ("many_lines", False)):
            source = Path(tmp) / f"{name}.txt"
            size = write_text(source, args.mb, one_line)
            result = run_build(source, Path(tmp) / f"store_{name}")
            results[name] = {"bytes": size, **result}
            print(name, json.dumps(results[name], ensure_ascii=False), flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
