"""Apache Jena Fuseki on a free loopback port, for the remote-store tests (one per session).

The jars come from ``make fuseki`` (``.ci/fuseki.sh``: Maven copies
``org.apache.jena:jena-fuseki-main`` and its dependencies into ``.cache/fuseki/lib``); the
tests never download anything. Without Java or the jars the tests that need Fuseki are
skipped, saying what to run — unless ``BORDERKG_REQUIRE_FUSEKI=1`` (set by ``.ci/run`` once
it has the jars), when they fail instead.

The server is ``FusekiMainCmd --localhost --port N --mem --update /ds``: an in-memory,
updatable dataset with Fuseki's standard endpoints — ``/ds/query``, ``/ds/update``, ``/ds/data``
(Graph Store Protocol) and all three operations on the dataset URL ``/ds`` itself. Its default
graph is the real one (no union), as the store contract expects.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from servers import free_port, stop, wait_until_answering

ROOT = Path(__file__).resolve().parents[1]
LIB = Path(os.environ.get("BORDERKG_FUSEKI_LIB", ROOT / ".cache" / "fuseki" / "lib"))
MAIN_CLASS = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
DATASET = "ds"
START_SECONDS = 90  # a JVM starting on a shared 2-core machine


def missing() -> str | None:
    """Why Fuseki cannot be started here, or None."""
    if shutil.which("java") is None:
        return "no `java` on PATH: install Java 17 (Debian: apt-get install openjdk-17-jre-headless)"
    if not any(LIB.glob("*.jar")):
        return (f"no Apache Jena Fuseki jars in {LIB}: run `make fuseki` "
                "(Maven fetches org.apache.jena:jena-fuseki-main; needs Maven Central)")
    return None


def command(port: int) -> list[str]:
    """The command line of the test server: ``-Xmx`` kept small (the machine is shared), and
    IPv4 so that ``--localhost`` listens on 127.0.0.1."""
    return ["java", "-Xmx512m", "-Djava.net.preferIPv4Stack=true", "-cp", str(LIB / "*"),
            MAIN_CLASS, "--localhost", f"--port={port}", "--mem", "--update", f"/{DATASET}"]


@pytest.fixture(scope="session")
def fuseki_dataset(tmp_path_factory):
    """The dataset URL (``http://127.0.0.1:PORT/ds``) of a Fuseki server for the session."""
    reason = missing()
    if reason:
        if os.environ.get("BORDERKG_REQUIRE_FUSEKI") == "1":
            pytest.fail(f"BORDERKG_REQUIRE_FUSEKI=1 but {reason}")
        pytest.skip(reason)
    port = free_port()
    folder = tmp_path_factory.mktemp("fuseki")
    log = folder / "fuseki.log"
    with open(log, "wb") as output:
        # FUSEKI_BASE in the temporary folder: nothing written in the checkout.
        process = subprocess.Popen(command(port), stdout=output, stderr=subprocess.STDOUT, cwd=folder,
                                   env={**os.environ, "FUSEKI_BASE": str(folder)})
    dataset = f"http://127.0.0.1:{port}/{DATASET}"
    try:
        wait_until_answering(process, f"{dataset}/query?query=ASK%7B%7D", "Fuseki", START_SECONDS,
                             lambda: log.read_text(errors="replace"))
        yield dataset
    finally:
        stop(process)


def emptied(dataset: str) -> str:
    """``dataset`` after a ``DROP ALL``: every test starts from an empty store."""
    request = urllib.request.Request(f"{dataset}/update", data=b"DROP ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=10).close()
    return dataset
