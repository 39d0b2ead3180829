"""``borderkg serve``: the read-only SPARQL endpoint, the query page and the views over HTTP."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

import click

from borderkg import paths
from borderkg.commands.options import location_option
from borderkg.errors import BorderkgError


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the server like Ctrl-C: cleanly, engine included


@click.command("serve")
@location_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the server to the network).")
@click.option("--port", default=7878, type=click.IntRange(0, 65535), show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=10.0, type=click.FloatRange(0.1), show_default=True,
              help="Time limit of one query, in seconds.")
@click.option("--allow-service", multiple=True, metavar="URL",
              help="A SPARQL endpoint that SERVICE may call (repeatable); any other is refused.")
@click.option("--allow-host", multiple=True, metavar="NAME",
              help="Another host name clients reach the server by (repeatable); requests "
                   "naming any other Host than loopback's and --host's are refused.")
@click.option("--allow-origin", multiple=True, metavar="ORIGIN",
              help="A web origin (https://site.example) whose pages may POST queries "
                   "(repeatable); other cross-site POSTs are refused.")
@click.option("--viz", "viz_dir", type=click.Path(file_okay=False, path_type=Path), default=paths.VIZ,
              show_default=True, help="Folder of views served under /viz/.")
@click.option("--snapshot/--no-snapshot", default=True, show_default=True,
              help="Serve a copy of the snapshot the last build published, so that a build "
                   "cannot disturb the server; --no-snapshot opens the store itself read-only "
                   "(unsafe while a build runs).")
@click.option("--reload-interval", default=1.0, type=click.FloatRange(0), show_default=True,
              metavar="SECONDS", help="How often to look for a newer build to serve (0: never).")
@click.option("--memory-limit", default=8192, type=click.IntRange(0), show_default=True,
              metavar="MB", help="Address-space cap of the query engine (0: none); thread stacks and mapped files count, so keep it generous.")
@click.option("--cors/--no-cors", default=True, show_default=True,
              help="Let web pages of any origin send read-only queries to /sparql and read the "
                   "answers (CORS); --no-cors: only the --allow-origin origins.")
@click.option("--answer-cache", "cached_answers", default=512, type=click.IntRange(0),
              show_default=True, metavar="N",
              help="Answers kept for repeated identical queries on the store generation served "
                   "(emptied when a new build is picked up); 0: none.")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
def serve(store_location, host, port, timeout, allow_service, allow_host, allow_origin, viz_dir,
          snapshot, reload_interval, memory_limit, cors, cached_answers, quiet):
    """Serve the store read-only: a SPARQL 1.1 endpoint at /sparql, a query page at /
    with the saved queries, and the views at /viz/. A build finished meanwhile is picked up
    within a second. Ctrl-C stops it.

    Example: borderkg serve --port 7878 --timeout 10
    """
    from borderkg.serve import ServeConfig, Server
    from borderkg.store import is_url
    from borderkg.store.auth import split_userinfo

    if is_url(store_location):  # the server copies the published snapshot of a directory
        raise click.UsageError(f"serve takes the directory of an embedded store, not "
                               f"{split_userinfo(store_location)[0]}: "
                               "a remote SPARQL store is already an endpoint; query it there, or "
                               "build into a directory and serve that")
    store_path = Path(store_location)
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(asctime)s %(message)s", stream=sys.stderr)
    config = ServeConfig(store=store_path, host=host, port=port, timeout=timeout,
                         allow_service=tuple(allow_service), allow_host=tuple(allow_host),
                         allow_origin=tuple(allow_origin), viz=viz_dir, snapshot=snapshot,
                         memory_limit_mb=memory_limit, reload_interval=reload_interval, cors=cors,
                         cached_answers=cached_answers)
    server = Server(config)
    try:
        server.start()
    except BorderkgError as exc:
        raise click.ClickException(str(exc)) from exc
    previous = signal.signal(signal.SIGTERM, _stop)
    click.echo(f"serving {store_path} read-only at {server.url} (SPARQL: {server.url}sparql, "
               f"views: {server.url}viz/), generation {server.generation}; Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    click.echo("stopped", err=True)
