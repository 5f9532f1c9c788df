"""Every refusal tried for real over HTTP: methods, Host names, paths that escape the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelbrief.serve import Preview
from sahelbrief.serve.http import Redirect, host_allowed, resolve
from tests.serve.preview_client import Client

SECRET = b"TOP SECRET, outside the site"


@pytest.fixture
def secret(preview: Preview) -> Path:
    """A file beside the served folder, and symlinks inside the site pointing out of it."""
    outside = preview.site_dir.parent / "secret.txt"
    outside.write_bytes(SECRET)
    (preview.site_dir / "leak.txt").symlink_to(outside)
    (preview.site_dir / "leakdir").symlink_to(preview.site_dir.parent, target_is_directory=True)
    (preview.project / "etc-passwd-like.txt").write_bytes(SECRET)
    return outside


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"])
def test_only_get_and_head(client: Client, method: str) -> None:
    status, headers, _ = client.request("/", method=method)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",  # double encoding
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/articles/../../secret.txt",
        "/leak.txt",  # symlink to a file outside
        "/leakdir/secret.txt",  # symlink to a folder outside
        "/leakdir/",
        "/%00/index.html",
        "/index.html%00.css",
        "/%ff%fe",
        "//etc/passwd",
        "/../project/etc-passwd-like.txt",
    ],
)
def test_paths_outside_the_site_are_not_found(client: Client, secret: Path, path: str) -> None:
    status, body = client.get(path)
    assert status == 404
    assert SECRET not in body
    assert b"Page not found" in body  # the site's own 404 page


def test_absolute_form_request_target_is_confined_too(client: Client, secret: Path) -> None:
    status, body = client.get(f"http://{client.host}:{client.port}/../secret.txt")
    assert status == 404
    assert SECRET not in body


def test_no_directory_listing(preview: Preview, client: Client) -> None:
    folder = preview.site_dir / "bare"
    folder.mkdir()
    (folder / "file.txt").write_text("listed?")
    status, body = client.get("/bare/")
    assert status == 404
    assert b"file.txt" not in body
    assert client.get("/bare/file.txt") == (200, b"listed?")


def test_symlink_inside_the_site_is_followed(preview: Preview, client: Client) -> None:
    (preview.site_dir / "alias.html").symlink_to(preview.site_dir / "404.html")
    status, body = client.get("/alias.html")
    assert status == 200
    assert b"Page not found" in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "attacker.localhost.evil:{port}",
        "localhost:1",
        "localhost",
        "127.0.0.1:{port}0",
        "10.0.0.1:{port}",  # another IP: only allowed when bound to every interface
        "[::1]{port}",
        "",
        None,
    ],
)
def test_unknown_host_header_is_refused(client: Client, host: str | None) -> None:
    status, _, body = client.request(
        "/", host=None if host is None else host.format(port=client.port)
    )
    assert status == 400
    assert b"Test Brief" not in body


@pytest.mark.parametrize(
    "host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST:{port}"]
)
def test_loopback_names_are_allowed(client: Client, host: str) -> None:
    status, _, _ = client.request("/", host=host.format(port=client.port))
    assert status == 200


def test_host_rules_for_a_server_bound_everywhere() -> None:
    assert host_allowed("192.168.1.20:8000", "0.0.0.0", 8000)
    assert host_allowed("[fe80::1]:8000", "::", 8000)
    assert not host_allowed("rebound.example:8000", "0.0.0.0", 8000)
    assert host_allowed("myhost.lan:8000", "myhost.lan", 8000)
    assert host_allowed("localhost", "127.0.0.1", 80)


def test_resolve_refuses_escapes_without_a_server(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text("a")
    (tmp_path / "out.txt").write_text("out")
    (root / "link").symlink_to(tmp_path / "out.txt")
    assert resolve(root, "/a/") == (root / "a" / "index.html").resolve()
    assert resolve(root, "/a") == Redirect("/a/")
    assert resolve(root, "/a/index.html/") is None
    assert resolve(root, "/link") is None
    assert resolve(root, "/../out.txt") is None
    assert resolve(root, "/%2e%2e/out.txt") is None
