"""The preview over real HTTP: what it serves, the reload channel, and failed builds."""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path, PurePosixPath

import pytest

from sahelbrief.pipeline import build
from sahelbrief.serve import Preview, ServeOptions
from tests.serve.preview_client import BROKEN, Client, EventStream, make_project

ARTICLE_URL = "/articles/niger-reopens-the-benin-border/"
SCRIPT_MARK = b"/__sahelbrief__/events"


def edit(project: Path, text: str) -> None:
    (project / "content" / "niger-border.md").write_text(text)


def test_serves_the_built_site(client: Client) -> None:
    status, headers, body = client.request("/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    assert b"Test Brief" in body
    status, article = client.get(ARTICLE_URL)
    assert status == 200
    assert b"first version" in article


def test_head_sends_headers_only(client: Client) -> None:
    status, headers, body = client.request(ARTICLE_URL, method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert body == b""


def test_script_only_in_html_and_never_on_disk(preview: Preview, client: Client) -> None:
    _, page = client.get("/")
    assert page.count(SCRIPT_MARK) == 1
    assert page.index(SCRIPT_MARK) < page.rindex(b"</body>")
    stylesheet = next(preview.site_dir.glob("assets/style.*.css"))
    status, headers, css = client.request(f"/assets/{stylesheet.name}")
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert SCRIPT_MARK not in css
    assert css == stylesheet.read_bytes()
    # Named by its content's digest: the browser may keep it (a reload does not ask again).
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for html in preview.site_dir.rglob("*.html"):
        assert SCRIPT_MARK not in html.read_bytes(), html


def test_folder_without_slash_redirects(client: Client) -> None:
    status, headers, _ = client.request(ARTICLE_URL.rstrip("/"))
    assert status == 301
    assert headers["Location"] == ARTICLE_URL


def test_unknown_path_gets_the_sites_404_page_with_the_script(client: Client) -> None:
    status, body = client.get("/no/such/page/")
    assert status == 404
    assert b"Page not found" in body
    assert SCRIPT_MARK in body


def test_reload_channel_fires_after_a_rebuild(preview: Preview, client: Client) -> None:
    stream = EventStream(client)
    try:
        first = stream.next()
        assert first["errors"] == []
        edit(
            preview.project,
            (preview.project / "content" / "niger-border.md")
            .read_text()
            .replace("first version", "second version"),
        )
        assert preview.rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
        after = stream.next()
        assert after["epoch"] == first["epoch"] + 1
        assert after["full"] == after["epoch"]  # a content change reloads the page
        assert after["id"] == first["id"]
    finally:
        stream.close()
    _, article = client.get(ARTICLE_URL)
    assert b"second version" in article


def test_stylesheet_change_asks_for_a_swap_not_a_reload(preview: Preview, client: Client) -> None:
    theme = preview.project / "templates" / "assets"
    theme.mkdir(parents=True)
    (theme / "style.css").write_text("body { color: rebeccapurple }\n")
    stream = EventStream(client)
    try:
        first = stream.next()
        assert preview.rebuild(frozenset({PurePosixPath("templates/assets/style.css")}))
        after = stream.next()
    finally:
        stream.close()
    assert after["epoch"] == first["epoch"] + 1
    assert after["full"] == first["full"]
    _, page = client.get("/")
    assert b"/assets/style." in page
    css = next(preview.site_dir.glob("assets/style.*.css")).read_text()
    assert "rebeccapurple" in css


def test_failed_rebuild_keeps_the_last_good_site_and_reports_the_error(
    preview: Preview, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sahelbrief")
    _, good = client.get(ARTICLE_URL)
    stream = EventStream(client)
    try:
        first = stream.next()
        edit(preview.project, BROKEN)
        assert not preview.rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
        failed = stream.next()
        assert failed["epoch"] == first["epoch"]
        [error] = failed["errors"]
        assert error["path"] == "content/niger-border.md"
        assert isinstance(error["line"], int)
        assert error["message"]
        status, still = client.get(ARTICLE_URL)
        assert status == 200
        assert still == good
        assert f"Error: content/niger-border.md:{error['line']}: {error['message']}" in caplog.text
        assert "still serving the last good build" in caplog.text

        edit(preview.project, BROKEN.replace("title: [", "title: ").replace("dawn.", "dusk."))
        assert preview.rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
        fixed = stream.next()
    finally:
        stream.close()
    assert fixed["errors"] == []
    assert fixed["full"] == first["full"] + 1
    _, article = client.get(ARTICLE_URL)
    assert b"dusk" in article


def test_bad_file_at_start_up_still_serves_and_shows_the_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    edit(project, BROKEN)
    with Preview(project, build, ServeOptions(port=0, watch=False)) as preview:
        client = Client(preview.url)
        status, body = client.get("/")
        assert status == 503
        assert SCRIPT_MARK in body
        stream = EventStream(client)
        try:
            state = stream.next()
            assert state["epoch"] == 0
            assert state["errors"][0]["path"] == "content/niger-border.md"
            edit(project, BROKEN.replace("title: [", "title: "))
            assert preview.rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
            state = stream.next()
        finally:
            stream.close()
        assert state["errors"] == []
        assert state["full"] == 1
        assert client.get(ARTICLE_URL)[0] == 200


def test_a_saved_file_is_picked_up_by_the_watcher(project: Path) -> None:
    with Preview(project, build, ServeOptions(port=0)) as preview:
        client = Client(preview.url)
        stream = EventStream(client)
        try:
            first = stream.next()
            edit(
                project,
                (project / "content" / "niger-border.md")
                .read_text()
                .replace("first version", "watched version"),
            )
            after = stream.next()
        finally:
            stream.close()
        assert after["epoch"] == first["epoch"] + 1
        assert b"watched version" in client.get(ARTICLE_URL)[1]


def test_close_leaves_no_threads_and_no_temporary_folder(project: Path) -> None:
    before = set(threading.enumerate())
    with Preview(project, build, ServeOptions(port=0)) as preview:
        folder = preview.site_dir.parent
        stream = EventStream(Client(preview.url))  # an open page keeps a stream open
        stream.next()
        assert folder.is_dir()
        assert len(set(threading.enumerate()) - before) >= 3
    try:
        # The server ended the stream (read() would time out if it had not).
        assert b"data:" not in stream.response.fp.read()
    finally:
        stream.close()
    assert set(threading.enumerate()) == before
    assert not folder.exists()


def test_close_stores_what_the_rebuilds_kept_in_memory(project: Path) -> None:
    stored = project / ".sahelbrief-cache" / "dedupe-memory.bin"
    with Preview(project, build, ServeOptions(port=0, watch=False)):
        assert not stored.exists()  # the preview keeps the dedupe pass's memory loaded
    assert stored.exists()  # and stores it on the way out, for the next build to resume


def test_non_loopback_bind_warns(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Whatever level an earlier in-process CLI run left on our logger.
    caplog.set_level(logging.INFO, logger="sahelbrief")
    with Preview(project, build, ServeOptions(host="0.0.0.0", port=0, watch=False)) as preview:
        assert preview.url.startswith("http://localhost:")
    assert "other machines can reach" in caplog.text


def test_loopback_bind_does_not_warn(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sahelbrief")
    with Preview(project, build, ServeOptions(port=0, watch=False)) as preview:
        assert preview.url.startswith("http://127.0.0.1:")
    assert "Built in" in caplog.text
    assert "other machines" not in caplog.text


def test_a_build_in_progress_is_never_visible(
    preview: Preview, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hold the real build just before its swap, with every new file written: requests still
    get the last complete build and open pages hear nothing until the swap."""
    write_stage = importlib.import_module("sahelbrief.pipeline.write")
    reached, release = threading.Event(), threading.Event()
    real_swap = write_stage._swap

    def held_swap(staging: Path, out_dir: Path) -> None:
        reached.set()
        assert release.wait(30)
        real_swap(staging, out_dir)

    monkeypatch.setattr(write_stage, "_swap", held_swap)
    _, before = client.get(ARTICLE_URL)
    source = preview.project / "content" / "niger-border.md"
    edit(preview.project, source.read_text().replace("first version", "next version"))
    stream = EventStream(client)
    try:
        first = stream.next()
        builder = threading.Thread(target=preview.rebuild)
        builder.start()
        try:
            assert reached.wait(30)
            assert client.get(ARTICLE_URL) == (200, before)
            assert preview.state.snapshot().epoch == first["epoch"]
        finally:
            release.set()
            builder.join()
        assert stream.next()["epoch"] == first["epoch"] + 1
    finally:
        stream.close()
    assert b"next version" in client.get(ARTICLE_URL)[1]


def test_a_save_without_changes_does_not_rebuild(preview: Preview) -> None:
    source = preview.project / "content" / "niger-border.md"
    builds = preview.builds
    source.write_bytes(source.read_bytes())
    preview._rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
    assert preview.builds == builds
    source.write_text(source.read_text().replace("first", "changed"))
    preview._rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
    assert preview.builds == builds + 1


def test_stylesheet_fix_after_a_failed_build_reloads(preview: Preview, client: Client) -> None:
    """A content change that failed to build reaches pages with the next good build, even when
    that build was started by a stylesheet change."""
    theme = preview.project / "templates" / "assets"
    theme.mkdir(parents=True)
    (theme / "style.css").write_text("body { color: navy }\n")
    edit(preview.project, BROKEN)
    assert not preview.rebuild(frozenset({PurePosixPath("content/niger-border.md")}))
    edit(preview.project, BROKEN.replace("title: [", "title: "))
    (theme / "style.css").write_text("body { color: teal }\n")
    stream = EventStream(client)
    try:
        before = stream.next()
        assert preview.rebuild(frozenset({PurePosixPath("templates/assets/style.css")}))
        after = stream.next()
    finally:
        stream.close()
    assert after["full"] == after["epoch"] == before["epoch"] + 1


def test_a_source_folder_created_while_serving_is_watched(project: Path) -> None:
    with Preview(project, build, ServeOptions(port=0)) as preview:
        client = Client(preview.url)
        stream = EventStream(client)
        try:
            epoch = stream.next()["epoch"]
            (project / "static").mkdir()
            (project / "static" / "robots.txt").write_text("User-agent: *\n")
            while client.get("/robots.txt")[0] != 200:
                epoch = stream.next()["epoch"]
            # A change deep in the new folder is seen through the folder's own watch.
            (project / "static" / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
            while client.get("/robots.txt")[1] != b"User-agent: *\nDisallow: /\n":
                assert stream.next()["epoch"] > epoch
        finally:
            stream.close()


def test_only_a_name_that_is_the_contents_digest_is_cached_for_ever(
    preview: Preview, client: Client
) -> None:
    (preview.site_dir / "assets" / "fake.0123456789.css").write_text("body { color: red }")
    status, headers, _ = client.request("/assets/fake.0123456789.css")
    assert status == 200
    assert headers["Cache-Control"] == "no-cache"
