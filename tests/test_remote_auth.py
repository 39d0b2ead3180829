"""Credentials of a remote store (issue 11 item 8): given by option, environment, .netrc or the
URL's user information; sent to the store's origin only, never after a redirect to another;
never printed. Loopback servers record what they receive."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from click.testing import CliRunner

from borderkg.cli import cli
from borderkg.errors import StoreError
from borderkg.store import open_store
from borderkg.store.remote import RemoteStore

from conftest import free_port

BASIC = "Basic cmVhZGVyOnMzY3JldA=="  # reader:s3cret
EMPTY = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'


class Recorder:
    """A loopback HTTP server that records (method, path, Authorization, Host) of each request;
    ``redirect_to`` makes it answer every query with a 303 to that URL."""

    def __init__(self, redirect_to: str | None = None, status: int = 200, body: bytes = EMPTY):
        self.seen: list[tuple[str, str, str | None, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                recorder.seen.append((self.command, self.path, self.headers.get("Authorization"),
                                      self.headers.get("Host")))
                if recorder.redirect_to and not self.path.startswith("/moved"):
                    self.send_response(303)
                    self.send_header("Location", recorder.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/sparql-results+json" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.redirect_to = redirect_to
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers():
    made = []

    def make(**kwargs) -> Recorder:
        made.append(Recorder(**kwargs))
        return made[-1]

    yield make
    for server in made:
        server.close()


def test_a_redirect_to_another_origin_carries_no_credentials(servers):
    other = servers()  # another port: another origin
    store_server = servers(redirect_to=other.url + "/moved/query")
    store = RemoteStore(store_server.url + "/query", auth=("reader", "s3cret"))
    assert store.graphs() == []
    assert store_server.seen[0][2] == BASIC
    assert [auth for _, path, auth, _ in other.seen] == [None]


def test_a_redirect_within_the_origin_keeps_the_credentials(servers):
    server = servers()
    server.redirect_to = server.url + "/moved/query"
    assert RemoteStore(server.url + "/query", auth=("reader", "s3cret")).graphs() == []
    assert [(path, auth) for _, path, auth, _ in server.seen] == [("/query", BASIC), ("/moved/query", BASIC)]


def test_user_information_in_the_url_is_taken_as_credentials(servers):
    server = servers()
    url = server.url.replace("http://", "http://reader:s3cret@")
    store = open_store(url, read_only=True)
    assert store.graphs() == [] and "s3cret" not in repr(store)
    method, path, auth, host = server.seen[0]
    assert (path, auth, host) == ("/query", BASIC, server.url.removeprefix("http://"))


def test_percent_encoded_user_information_is_decoded(servers):
    server = servers()
    open_store(server.url.replace("http://", "http://reader:s%33cret@"), read_only=True).graphs()
    assert server.seen[0][2] == BASIC


def test_credentials_from_the_options_and_from_the_environment(servers, tmp_path):
    server = servers()
    runner = CliRunner(env={"NETRC": str(tmp_path / "none")})
    by_option = runner.invoke(cli, ["query", "twin-links", "--store", server.url, "--store-user", "reader",
                                    "--store-password", "s3cret"])
    by_environment = CliRunner(env={"BORDERKG_STORE_USER": "reader", "BORDERKG_STORE_PASSWORD": "s3cret",
                                    "NETRC": str(tmp_path / "none")}).invoke(
        cli, ["query", "twin-links", "--store", server.url])
    assert (by_option.exit_code, by_environment.exit_code) == (0, 0), by_option.output + by_environment.output
    assert [auth for _, _, auth, _ in server.seen] == [BASIC, BASIC]


def test_credentials_from_netrc(servers, tmp_path, monkeypatch):
    server = servers()
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login reader password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    for name in ("BORDERKG_STORE_USER", "BORDERKG_STORE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert open_store(server.url, read_only=True).graphs() == []
    assert server.seen[0][2] == BASIC


def test_a_password_is_never_printed(servers, tmp_path):
    unreachable = f"http://reader:s3cret@127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as refused:
        open_store(unreachable, read_only=True).graphs()
    assert "s3cret" not in str(refused.value) and "127.0.0.1" in str(refused.value)
    echo = servers(status=401, body=b"bad credentials reader:s3cret " + BASIC.encode())
    with pytest.raises(StoreError) as unauthorised:
        open_store(echo.url.replace("http://", "http://reader:s3cret@"), read_only=True).graphs()
    assert "HTTP 401" in str(unauthorised.value)
    assert "s3cret" not in str(unauthorised.value) and BASIC not in str(unauthorised.value)
    for store in (unreachable, echo.url.replace("http://", "http://reader:s3cret@")):
        result = CliRunner(env={"NETRC": str(tmp_path / "none")}).invoke(
            cli, ["query", "twin-links", "--store", store])
        assert result.exit_code == 1 and result.output.startswith("Error: ")
        assert "s3cret" not in result.output and "Traceback" not in result.output


def test_a_user_without_a_password_is_a_clear_error(tmp_path):
    result = CliRunner(env={"NETRC": str(tmp_path / "none"), "BORDERKG_STORE_PASSWORD": None}).invoke(
        cli, ["query", "twin-links", "--store", "http://127.0.0.1:9/", "--store-user", "reader"])
    assert result.exit_code == 1
    assert "lack a password" in result.output and "Traceback" not in result.output
