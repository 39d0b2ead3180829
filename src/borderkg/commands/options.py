"""What every command shares: domain errors as one-line messages, and the ``--store`` option.

:func:`store_option` is the one way a command gets its store (as sqlite-utils does with its
database): ``--store PATH|URL`` with ``--store-user`` and ``--store-password`` for a remote
store; the command receives the opened store as ``store``, and it is closed when the command's
click context closes (``ctx.call_on_close``), whether the command returned, failed or exited.
"""

from __future__ import annotations

import functools

import click

from borderkg import paths
from borderkg.errors import BorderkgError


def domain_errors(command):
    """Turn borderkg's own errors into a clean CLI message with exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BorderkgError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


STORE_HELP = ("Directory of the embedded triple store, or the http(s):// URL of an Oxigraph "
              "server (user:password@ in the URL is taken as credentials).")


def location_option(command):
    """``--store PATH|URL`` alone, as text (a click Path would fold the ``//`` of a URL)."""
    return click.option("--store", "store_location", default=str(paths.STORE), show_default=True,
                        metavar="PATH|URL", help=STORE_HELP)(command)


def store_option(read_only: bool = False):
    """``--store PATH|URL``, ``--store-user`` and ``--store-password``: the command gets the
    store opened (``read_only`` for commands that only read) as its ``store`` argument."""

    def decorator(command):
        @location_option
        @click.option("--store-user", metavar="NAME", default=None,
                      help="User name for a remote store (else $BORDERKG_STORE_USER, the URL or ~/.netrc).")
        @click.option("--store-password", metavar="PASSWORD", default=None,
                      help="Password for a remote store (else $BORDERKG_STORE_PASSWORD, the URL or "
                           "~/.netrc; those keep it out of the process list).")
        @functools.wraps(command)
        def wrapper(*args, store_location, store_user, store_password, **kwargs):
            from borderkg.store import open_store

            try:
                store = open_store(store_location, read_only=read_only, user=store_user,
                                   password=store_password)
            except BorderkgError as exc:
                raise click.ClickException(str(exc)) from exc
            click.get_current_context().call_on_close(domain_errors(store.close))
            return command(*args, store=store, **kwargs)

        return wrapper

    return decorator
