"""Partnership views for planners: network, map, timeline and municipality cards as static
HTML that works offline, from ``file://`` or a web server.

``render_all(store, out_dir)`` reads the store (``data``), builds each page (``network``,
``map``, ``timeline``, ``cards``) and writes them with their scripts (``render``).
"""


def render_all(store, out_dir=None):
    """Write every view of ``store`` into ``out_dir`` (default ``viz/``); see ``render.render_all``."""
    from borderkg import paths
    from borderkg.views.render import render_all as run

    return run(store, paths.VIZ if out_dir is None else out_dir)


__all__ = ["render_all"]
