from __future__ import annotations

import logging
import multiprocessing
import shutil
import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

import pytest

from sahelbrief.errors import BuildFailed
from sahelbrief.model import KeptFile, OutputFile, StagedFile
from sahelbrief.pipeline import write as write_module
from sahelbrief.pipeline.render import batch
from sahelbrief.pipeline.search import carries
from sahelbrief.pipeline.write import KnownTrees, RealFolders, spare_folder, stage_new, write
from tests.conftest import tree_bytes


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"one"), OutputFile("old/index.html", b"x")], out)
    summary = write([OutputFile("index.html", b"two"), OutputFile("a/b.css", b"css")], out)
    assert tree_bytes(out) == {"index.html": b"two", "a/b.css": b"css"}
    assert (summary.files, summary.bytes) == (2, 6)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]
    # The previous site is kept beside it, for the next build to update in place.
    assert tree_bytes(tmp_path / ".site.spare") == {"index.html": b"one", "old/index.html": b"x"}


def test_two_writes_to_one_path_are_refused_and_the_old_site_stays(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"old")], out)
    with pytest.raises(BuildFailed, match="write"):
        write([OutputFile("a.html", b"1"), OutputFile("A.html", b"2")], out)
    assert tree_bytes(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "site"]


def test_a_failing_producer_leaves_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"old")], out)

    def files() -> object:
        yield OutputFile("index.html", b"new")
        raise BuildFailed("render", [])

    with pytest.raises(BuildFailed):
        write(files(), out)  # type: ignore[arg-type]
    assert tree_bytes(out) == {"index.html": b"old"}


@pytest.mark.parametrize("bad", ["../escape.html", "/abs.html", "a/../../b", ""])
def test_unsafe_paths_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(BuildFailed, match="write"):
        write([OutputFile(bad, b"x")], tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    stale = tmp_path / ".site.staging-99999"
    stale.mkdir()
    (stale / "junk").write_text("x")
    write([OutputFile("index.html", b"new")], tmp_path / "site")
    assert not stale.exists()


def test_a_rebuild_leaves_unchanged_files_alone_and_removes_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = [OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")]
    write(first, out)
    write(first, out)
    kept_inode = (out.parent / ".site.spare" / "a" / "index.html").stat().st_ino
    (out.parent / ".site.spare" / "stray.txt").write_bytes(b"left by a killed build")
    summary = write([OutputFile("index.html", b"home 2"), OutputFile("a/index.html", b"a")], out)
    assert tree_bytes(out) == {"index.html": b"home 2", "a/index.html": b"a"}
    assert (summary.files, summary.written) == (2, 1)
    assert (out / "a" / "index.html").stat().st_ino == kept_inode


def test_whatever_no_page_wants_in_the_spare_copy_goes_at_every_depth(tmp_path: Path) -> None:
    out = tmp_path / "site"
    pages = [OutputFile("index.html", b"home"), OutputFile("a/b/index.html", b"b")]
    write(pages, out)
    write(pages, out)
    spare = out.parent / ".site.spare"
    for stray in ("stray.txt", "a/stray.txt", "a/b/stray.txt", "a/old/x.html", "old/x.html"):
        (spare / stray).parent.mkdir(parents=True, exist_ok=True)
        (spare / stray).write_bytes(b"no page wants this")
    (spare / "a" / "b" / "link").symlink_to(spare / "a")
    write(pages, out)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
        "a",
        "a/b",
        "a/b/index.html",
        "index.html",
    ]


def test_a_link_in_the_spare_copy_where_a_folder_goes_is_never_listed_through(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    pages = [OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")]
    write(pages, out)
    write(pages, out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_bytes(b"not the site's")
    spare = out.parent / ".site.spare"
    shutil.rmtree(spare / "a")
    (spare / "a").symlink_to(elsewhere)
    with pytest.raises(BuildFailed) as failed:
        write(pages, out)
    (error,) = failed.value.errors
    assert "symbolic link" in str(error) and "a" in str(error)
    assert (elsewhere / "precious.txt").read_bytes() == b"not the site's"
    assert tree_bytes(out) == {"index.html": b"home", "a/index.html": b"a"}  # as it was
    write(pages, out)  # built again: the link is gone
    assert tree_bytes(out) == {"index.html": b"home", "a/index.html": b"a"}
    assert not (out / "a").is_symlink()
    # A link with nothing the pages do not want behind it is not published either.
    write(pages, out)
    shutil.rmtree(spare / "a")
    (spare / "a").symlink_to(elsewhere)
    (elsewhere / "precious.txt").unlink()
    with pytest.raises(BuildFailed):
        write(pages, out)
    assert not (out / "a").is_symlink()


def test_stamps_from_the_cache_spare_reading_and_pages_of_deleted_articles_go(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    files = [OutputFile("index.html", b"home"), OutputFile("gone/index.html", b"g")]
    first = write(files, out)
    second = write(files, out)
    stamps = {p: (s,) for p, s in {**first.published, **second.published}.items()}
    third = write([OutputFile("index.html", b"home")], out, previous=stamps)
    assert tree_bytes(out) == {"index.html": b"home"}
    assert third.written == 0
    assert not (out / "gone").exists()


def test_a_file_where_a_folder_must_go_and_back(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("a", b"file")], out)
    write([OutputFile("a", b"file")], out)
    write([OutputFile("a/index.html", b"folder")], out)
    assert tree_bytes(out) == {"a/index.html": b"folder"}
    write([OutputFile("a", b"file again")], out)
    assert tree_bytes(out) == {"a": b"file again"}


def test_the_preview_prepares_the_spare_copy_after_its_first_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Hard links of the live site, made in the background, so that the first edit finds
    every file in place; a build meanwhile waits for it without a word of another build."""
    site = tmp_path / "site"
    pages = [OutputFile(f"articles/a{n}/index.html", f"page {n}".encode()) for n in range(50)]
    summary = write(pages, site, linger=True)
    spare = spare_folder(site)
    deadline = time.monotonic() + 10
    while len(list(spare.rglob("*.html"))) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    for n in range(50):
        relative = f"articles/a{n}/index.html"
        assert (spare / relative).stat().st_ino == (site / relative).stat().st_ino
    edited = [
        OutputFile(p.path, b"edited" if p.path.endswith("a3/index.html") else p.data) for p in pages
    ]
    with caplog.at_level(logging.WARNING):
        again = write(
            edited, site, previous={k: (v,) for k, v in summary.published.items()}, linger=True
        )
    assert again.written == 1  # every other file was in place
    assert (site / "articles/a3/index.html").read_bytes() == b"edited"
    assert (site / "articles/a4/index.html").read_bytes() == b"page 4"
    assert not caplog.records


def test_files_a_page_worker_staged_are_published_as_written(tmp_path: Path) -> None:
    out = tmp_path / "site"
    staged: list[OutputFile | StagedFile] = []
    searchable = b"<main data-pagefind-body>worker</main>"

    def files() -> Iterator[OutputFile | StagedFile]:
        # As a page worker does, once the write stage has made the staging folder.
        folders = RealFolders(spare_folder(out), clear=False)
        staged.append(stage_new(folders, carries, OutputFile("a/index.html", searchable)))
        staged.append(stage_new(folders, carries, OutputFile("b/index.html", b"worker")))
        yield from staged
        yield OutputFile("index.html", b"main")

    summary = write(files(), out)
    assert all(isinstance(file, StagedFile) for file in staged)
    assert [file.searchable for file in staged if isinstance(file, StagedFile)] == [True, False]
    assert tree_bytes(out) == {
        "a/index.html": searchable,
        "b/index.html": b"worker",
        "index.html": b"main",
    }
    assert summary.written == 3
    first = staged[0]
    assert isinstance(first, StagedFile)
    assert summary.published["a/index.html"] == first.staged
    assert (out / "a" / "index.html").stat().st_ino == first.staged.inode


def test_a_page_worker_leaves_what_is_there_and_unsafe_paths_to_the_write_stage(
    tmp_path: Path,
) -> None:
    root = tmp_path / "staging"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_bytes(b"old")
    for file in (
        OutputFile("a/index.html", b"new"),
        OutputFile("../escape.html", b"x"),
        OutputFile("a/index.html/below", b"y"),
    ):
        assert stage_new(RealFolders(root, clear=False), carries, file) == file
    assert (root / "a" / "index.html").read_bytes() == b"old"
    assert not (tmp_path / "escape.html").exists()


def test_a_file_cut_short_in_the_staging_folder_is_written_again(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = [OutputFile("a/index.html", b"the whole page")]
    write(files, out)
    write(files, out)
    (spare_folder(out) / "a" / "index.html").write_bytes(b"the wh")  # a build killed mid-write
    write(files, out)
    assert tree_bytes(out) == {"a/index.html": b"the whole page"}


def test_a_failed_write_stops_the_page_workers_before_it_lets_go_of_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_MIN", 2)
    out = tmp_path / "site"

    def one(number: int) -> OutputFile:  # page 5 wants page 4's file: the write fails there
        return OutputFile("P4.html" if number == 5 else f"p{number}.html", b"x")

    seen: list[str] = []

    def passed_on(files: Iterable[OutputFile]) -> Iterator[OutputFile]:
        for file in files:  # as the build's wrappers do, holding the only reference
            seen.append(file.path)
            yield file

    pages = list(range(2000))
    try:
        write(
            passed_on(
                batch.rendered(
                    pages,
                    one,
                    2,
                    partial(stage_new, RealFolders(spare_folder(out), clear=False), carries),
                )
            ),
            out,
        )
    except BuildFailed:
        # While the error still holds the build's frames (and the pages' generators), as when
        # build() unwinds and lets go of the lock: the workers are already gone.
        assert multiprocessing.active_children() == []
    else:
        pytest.fail("two pages wanted one file: the write should have failed")
    staged = sorted(p.name for p in spare_folder(out).iterdir())
    assert "p4.html" in staged and len(staged) < len(pages)  # later chunks were called off
    assert seen[-2:] == ["p4.html", "P4.html"]


def test_nothing_is_written_through_a_link_in_the_spare_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")], out)
    write([OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")], out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spare = spare_folder(out)
    shutil.rmtree(spare / "a")
    (spare / "a").symlink_to(elsewhere)
    # A page worker leaves the page to the write stage, which refuses the link.
    edited = OutputFile("a/index.html", b"a, edited")
    new = OutputFile("a/new.html", b"new")
    assert stage_new(RealFolders(spare, clear=False), carries, new) == new
    with pytest.raises(BuildFailed, match="write") as failed:
        write([OutputFile("index.html", b"home"), edited, OutputFile("a/b/c.html", b"c")], out)
    assert "symbolic link" in str(failed.value.errors[0])
    assert list(elsewhere.iterdir()) == []  # nothing written there
    assert tree_bytes(out) == {"index.html": b"home", "a/index.html": b"a"}  # as it was
    write([OutputFile("index.html", b"home"), edited], out)  # built again: the link is gone
    assert tree_bytes(out) == {"index.html": b"home", "a/index.html": b"a, edited"}


def test_a_file_of_the_old_site_where_a_folder_goes_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write([OutputFile("a", b"a file")], out)
    write([OutputFile("a", b"a file")], out)
    pages = [OutputFile("a/index.html", b"a folder")]
    assert stage_new(RealFolders(spare_folder(out), clear=False), carries, pages[0]) == pages[0]
    write(pages, out)
    assert tree_bytes(out) == {"a/index.html": b"a folder"}


@pytest.mark.parametrize("in_the_way", ["nothing", "a stale file", "a folder"])
def test_a_kept_page_is_linked_from_the_live_site_whatever_the_spare_copy_holds(
    tmp_path: Path, in_the_way: str
) -> None:
    out = tmp_path / "site"
    write([OutputFile("index.html", b"home"), OutputFile("a/index.html", b"old")], out)
    live = write([OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")], out)
    spare = spare_folder(out)
    shutil.rmtree(spare / "a")
    if in_the_way == "a stale file":
        (spare / "a").mkdir()
        (spare / "a" / "index.html").write_bytes(b"stale")
    elif in_the_way == "a folder":
        (spare / "a" / "index.html").mkdir(parents=True)
        (spare / "a" / "index.html" / "x").write_bytes(b"x")
    stamp = live.published["a/index.html"]
    previous = {path: (s,) for path, s in live.published.items()}
    kept = KeptFile("a/index.html", stamp.digest)
    summary = write([OutputFile("index.html", b"home 2"), kept], out, previous=previous)
    assert tree_bytes(out) == {"index.html": b"home 2", "a/index.html": b"a"}
    assert (out / "a" / "index.html").stat().st_ino == stamp.inode  # linked, not written
    assert summary.written == 1


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders of the staging folder the prune lists (write._listed), in order."""
    folders: list[str] = []
    original = write_module._listed

    def counting(base: str, folder: str, wanted: object) -> set[str]:
        folders.append(folder)
        return original(base, folder, wanted)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module, "_listed", counting)
    return folders


def test_the_preview_prunes_its_own_folder_by_the_trees_of_the_last_sites(
    tmp_path: Path, listed: list[str]
) -> None:
    """Only the top folder is listed once two sites have been published with the same
    KnownTrees; a build that fails half way makes it list every folder again until then."""
    out, trees = tmp_path / "site", KnownTrees()

    def site(*pages: str) -> list[OutputFile]:
        return [OutputFile(page, page.encode()) for page in ("index.html", *pages)]

    write(site("a/index.html", "a/b/index.html", "c/index.html"), out, trees=trees)
    write(site("a/index.html", "a/b/index.html", "d/index.html"), out, trees=trees)
    listed.clear()
    write(site("a/index.html", "e/f/index.html"), out, trees=trees)
    assert listed == [""]  # the folders below are known: "a/b" and "c" go without a listing
    assert sorted(tree_bytes(out)) == ["a/index.html", "e/f/index.html", "index.html"]

    def failing() -> Iterator[OutputFile]:
        yield OutputFile("a/stray.html", b"written before the failure")
        raise BuildFailed("render", [])

    with pytest.raises(BuildFailed):
        write(failing(), out, trees=trees)
    for _ in range(2):  # each lists everything, until two sites are published again
        listed.clear()
        write(site("a/index.html", "g/index.html"), out, trees=trees)
        assert sorted(listed) == ["", "a", "g"]
        assert sorted(tree_bytes(out)) == ["a/index.html", "g/index.html", "index.html"]
    listed.clear()
    write(site("a/index.html"), out, trees=trees)
    assert listed == [""]
    assert sorted(tree_bytes(out)) == ["a/index.html", "index.html"]
    assert sorted(tree_bytes(spare_folder(out))) == ["a/index.html", "g/index.html", "index.html"]
    # A spare copy deleted (or replaced) since is not the one known: listed again.
    shutil.rmtree(spare_folder(out))
    spare_folder(out).mkdir()
    (spare_folder(out) / "a").mkdir()
    (spare_folder(out) / "a" / "stray.html").write_bytes(b"not known")
    listed.clear()
    write(site("a/index.html"), out, trees=trees)
    assert sorted(listed) == ["", "a"]
    assert sorted(tree_bytes(out)) == ["a/index.html", "index.html"]


def test_the_preview_keeps_pages_by_the_stamps_of_the_last_sites_without_a_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, trees = tmp_path / "site", KnownTrees()
    one = [OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")]
    two = [OutputFile("index.html", b"home 2"), OutputFile("a/index.html", b"a")]
    first = write(one, out, trees=trees)
    second = write(two, out, trees=trees)
    live = second.published
    previous = {p: (live[p], first.published[p]) for p in live}
    looked: list[str] = []
    original = write_module._matching

    def counting(path: str, *args: object) -> object:
        looked.append(path)
        return original(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module, "_matching", counting)
    kept = write_module.intact(out, live, previous, trees)
    # "a/index.html" is the same in the spare copy (the first site): left there, unlooked at;
    # the home page is not, so its live file is looked at, to be linked from there.
    assert looked == [f"{out}/index.html"]
    assert kept["a/index.html"].staged == first.published["a/index.html"]
    assert kept["index.html"].staged is None
    assert kept == write_module.intact(out, live, previous)  # as found by a stat of each
    assert len(looked) == 4
    # A spare copy deleted since is not the one known: every file is looked at.
    shutil.rmtree(spare_folder(out))
    looked.clear()
    kept = write_module.intact(out, live, previous, trees)
    assert looked and all(file.staged is None for file in kept.values())


def test_a_spare_copy_deleted_after_the_kept_stage_found_pages_there(tmp_path: Path) -> None:
    """The write stage makes the staging folder again and links those pages from the live
    site instead."""
    out = tmp_path / "site"
    first = write([OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")], out)
    live = write([OutputFile("index.html", b"home 2"), OutputFile("a/index.html", b"a")], out)
    previous = {p: (live.published[p], first.published[p]) for p in live.published}
    found = write_module.intact(out, live.published, previous)
    assert found["a/index.html"].staged is not None
    shutil.rmtree(spare_folder(out))
    write([OutputFile("index.html", b"home 3"), found["a/index.html"]], out, previous=previous)
    assert tree_bytes(out) == {"index.html": b"home 3", "a/index.html": b"a"}


def test_a_staging_folder_made_by_this_build_is_not_listed(
    tmp_path: Path, listed: list[str]
) -> None:
    out = tmp_path / "site"
    pages = [OutputFile("index.html", b"home"), OutputFile("a/b/index.html", b"b")]
    write(pages, out)  # the first: its staging folder is new
    assert listed == [""]
    write(pages, out)  # the second: also new (the first was swapped in by a rename)
    assert listed == ["", ""]
    (spare_folder(out) / "a" / "stray.html").write_bytes(b"no page wants this")
    write(pages, out)  # the spare copy, kept: every folder is listed
    assert sorted(listed) == ["", "", "", "a", "a/b"]
    assert sorted(tree_bytes(out)) == ["a/b/index.html", "index.html"]


def test_the_preview_never_removes_through_a_link_planted_below_a_known_folder(
    tmp_path: Path,
) -> None:
    out, trees = tmp_path / "site", KnownTrees()

    def pages(version: bytes, *more: str) -> list[OutputFile]:
        return [
            OutputFile("index.html", b"home " + version),
            OutputFile("a/b/x.html", b"x"),
            *(OutputFile(path, b"y") for path in more),
        ]

    for version in (b"1", b"2", b"3"):
        write(pages(version, "a/b/y.html"), out, trees=trees)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.html").write_bytes(b"x")
    (elsewhere / "y.html").write_bytes(b"not the site's")
    spare = spare_folder(out)
    shutil.rmtree(spare / "a" / "b")
    (spare / "a" / "b").symlink_to(elsewhere)  # below the top: the folder's stamp is the same
    with pytest.raises(BuildFailed, match="write") as failed:
        write(pages(b"4"), out, trees=trees)  # "a/b/y.html" is no longer wanted
    assert "symbolic link" in str(failed.value.errors[0])
    assert (elsewhere / "y.html").read_bytes() == b"not the site's"
    write(pages(b"4"), out, trees=trees)  # built again: the link is gone
    assert sorted(tree_bytes(out)) == ["a/b/x.html", "index.html"]
    assert not (out / "a" / "b").is_symlink()


def test_the_preview_looks_at_its_folder_again_once_it_trusted_it_long_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What changes deep in the spare copy (a cleaner of old files in /tmp) is found once
    TRUST_SECONDS have passed: the next two builds look at both copies again. A name known
    but gone meanwhile is no error."""
    out, trees = tmp_path / "site", KnownTrees()
    pages = [OutputFile("index.html", b"home"), OutputFile("a/index.html", b"a")]
    for _ in range(3):
        write([*pages, OutputFile("a/old.html", b"old")], out, trees=trees)
    (spare_folder(out) / "a" / "old.html").unlink()  # known there, gone
    trees.begin()
    assert trees.held(out) is not None  # trusted: within TRUST_SECONDS
    write(pages, out, trees=trees)
    assert sorted(tree_bytes(out)) == ["a/index.html", "index.html"]
    (spare_folder(out) / "a" / "stray.html").write_bytes(b"not known")
    monkeypatch.setattr(write_module, "TRUST_SECONDS", -1.0)
    trees.begin()
    monkeypatch.setattr(write_module, "TRUST_SECONDS", 600.0)
    for _ in range(2):
        assert trees.held(out) is None
        write(pages, out, trees=trees)  # every folder listed: the stray file goes
        assert sorted(tree_bytes(out)) == ["a/index.html", "index.html"]
        trees.begin()
    assert sorted(tree_bytes(spare_folder(out))) == ["a/index.html", "index.html"]
    assert trees.held(out) is not None
