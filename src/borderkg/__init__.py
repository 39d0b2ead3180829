"""borderkg: a knowledge graph of cross-border cultural cooperation between the
municipalities of Smolensk oblast (Russia) and their partners in Belarus.

The package is a pipeline of small stages (read → parse → extract → link → graph →
store → query/export/views); importing it loads nothing heavy.
"""

__version__ = "0.1.0"
