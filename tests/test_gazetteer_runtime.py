"""The product only reads the built gazetteer: fast, without the build's heavy work."""

from __future__ import annotations

import subprocess
import sys
import time

from borderkg.gazetteer.model import load_gazetteer
from borderkg.paths import GAZETTEER


def test_loading_the_full_gazetteer_is_fast():
    start = time.perf_counter()
    gazetteer = load_gazetteer.__wrapped__(GAZETTEER)
    elapsed = time.perf_counter() - start
    assert len(gazetteer.places) > 6000
    assert elapsed < 3.0, f"gazetteer load took {elapsed:.2f} s"


def test_ordinary_word_names_are_decided_by_the_build():
    places = load_gazetteer().places
    assert "Горки" in places["by-s-gorki"].common_names
    assert places["by-s-liozno"].common_names == ()


def test_query_cold_start_loads_neither_gazetteer_nor_shapely(tmp_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from borderkg.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['query', 'twin-links', '--store', {str(tmp_path / 's')!r}])\n"
        "loaded = [m for m in ('borderkg.gazetteer', 'shapely', 'spacy', 'natasha') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
