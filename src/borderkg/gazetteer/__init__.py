"""Gazetteer: Smolensk-oblast municipalities, Belarusian administrative units and
settlements, foreign countries. ``build`` makes the files from the public sources;
``model`` loads them for the linker and the graph."""

from borderkg.gazetteer.model import (  # noqa: F401
    SETTLEMENT_KINDS, Country, Gazetteer, Municipality, Place, load_gazetteer,
)
