"""Credentials of a remote store: where they come from, and where they may be sent.

They are taken, field by field, from the command line (``--store-user``,
``--store-password``), then from the URL's user information (``http://user:pw@host/``,
percent-decoded, and removed from the URL), then from the environment (``BORDERKG_STORE_USER``,
``BORDERKG_STORE_PASSWORD``), and when no password was found so far, from the ``.netrc`` file
(``$NETRC``, else ``~/.netrc``) entry of the host. They go in an ``Authorization`` header that
:class:`OriginRedirects` forwards only to the same origin (scheme, host and port): a redirect to
another server never sees them. A :class:`Credentials` never shows its password in a repr.
"""

from __future__ import annotations

import base64
import os
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from borderkg.errors import StoreError

ENV_USER = "BORDERKG_STORE_USER"
ENV_PASSWORD = "BORDERKG_STORE_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic authentication.

    >>> Credentials("reader", "s3cret")
    Credentials(user='reader')
    >>> Credentials("reader", "s3cret").header()
    'Basic cmVhZGVyOnMzY3JldA=='
    """

    user: str
    password: str = field(repr=False)

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode("utf-8")).decode("ascii")


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """The URL without its user information, and the user and password it held.

    >>> split_userinfo("http://reader:s%40cret@127.0.0.1:7878/ds?x=1")
    ('http://127.0.0.1:7878/ds?x=1', 'reader', 's@cret')
    >>> split_userinfo("https://example.org/sparql")
    ('https://example.org/sparql', None, None)
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    clean = urlunsplit(parts._replace(netloc=hostport))
    return clean, unquote(user) or None, unquote(password) if colon else None


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL (the default port made explicit).

    >>> origin("http://Example.org/a") == origin("http://example.org:80/b")
    True
    >>> origin("http://example.org/") == origin("https://example.org/")
    False
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(scheme)


def netrc_credentials(host: str, environ: Mapping[str, str] = os.environ) -> tuple[str | None, str | None]:
    """Login and password of ``host`` in the ``.netrc`` file, or (None, None)."""
    import netrc

    path = Path(environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None, None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:  # its message may quote a token: give the line only
        raise StoreError(f"cannot read {path}: malformed at line {exc.lineno}") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    if entry is None:
        return None, None
    login, _, password = entry
    return login or None, password or None


def resolve(url: str, user: str | None = None, password: str | None = None,
            environ: Mapping[str, str] = os.environ) -> tuple[str, Credentials | None]:
    """The URL to use (user information removed) and the credentials for it, if any.

    >>> resolve("http://a:b@h:1/", environ={})
    ('http://h:1/', Credentials(user='a'))
    >>> resolve("http://a:b@h:1/", user="c", password="d", environ={})[1].password
    'd'
    >>> resolve("http://h/", environ={"BORDERKG_STORE_USER": "e", "BORDERKG_STORE_PASSWORD": "f",
    ...                               "NETRC": "/nonexistent"})
    ('http://h/', Credentials(user='e'))
    >>> resolve("http://h/", environ={"NETRC": "/nonexistent"})
    ('http://h/', None)
    """
    clean, url_user, url_password = split_userinfo(url)
    user = user or url_user or environ.get(ENV_USER) or None
    password = password or url_password or environ.get(ENV_PASSWORD) or None
    if password is None:
        netrc_user, netrc_password = netrc_credentials(urlsplit(clean).hostname or "", environ)
        if netrc_password is not None and (user is None or user == netrc_user):
            user, password = netrc_user, netrc_password
    if user is None and password is None:
        return clean, None
    if user is None or password is None:
        missing = "a password (--store-password, $BORDERKG_STORE_PASSWORD or .netrc)" if password is None \
            else "a user name (--store-user or $BORDERKG_STORE_USER)"
        raise StoreError(f"credentials for the store at {clean} lack {missing}")
    return clean, Credentials(user, password)


class OriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, carrying the ``Authorization`` header only to the same origin.

    The header is added to a request as *unredirected* (urllib drops those on a redirect);
    this handler puts it back when the new URL has the request's scheme, host and port.
    """

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        authorization = req.unredirected_hdrs.get("Authorization")
        if new is not None and authorization and origin(new.full_url) == origin(req.full_url):
            new.add_unredirected_header("Authorization", authorization)
        return new


def opener() -> urllib.request.OpenerDirector:
    """A urllib opener whose redirects keep credentials at their origin."""
    return urllib.request.build_opener(OriginRedirects)
