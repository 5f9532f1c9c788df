"""The search index: Pagefind (https://pagefind.app) run over the staged site, before the write
stage swaps it in, so a published site never has pages without their index.

Pagefind writes a static index (pagefind/ beside the pages) that the browser queries with no
server. Only story pages are indexed (their <article> carries data-pagefind-body), all under
the site's language, so a search page finds the French and the English stories alike.

The preview (BuildOptions.defer_search) does not wait for Pagefind: the staged site gets the
live site's bundle (hard links), and the build hands back a PendingIndex that the preview runs
after the swap, swapping the fresh bundle in on its own (see sahelbrief.serve.indexer).

Pagefind reads every HTML file it is pointed at, and where any page carries
data-pagefind-body, indexes only those. So that it does not parse thousands of listing and
taxonomy pages for nothing (at 5,000 stories: 32.7 s and 2.3 GB against 19.0 s and 1.85 GB,
the same bundle byte for byte), the write stage notes which files carry the attribute
(IndexedPages) and Pagefind is given a --glob of the folders that hold them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import xxhash

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed, OutputError, SahelbriefError
from sahelbrief.model import FileStamp, IndexRecord, KeptFile, OutputFile, SiteFile, StagedFile
from sahelbrief.pipeline.write import (
    same_files,
    spare_folder,
    staging_prefix,
    swap_in,
)
from sahelbrief.stamps import LiveStamp, file_stamp, live_stamp

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
INSTALL_HINT = "pip install 'pagefind[extended]'"
TIMEOUT_SECONDS = 600
MARKER = b"data-pagefind-body"
# The attribute inside a tag, not the words in a story about Pagefind (escaped as &lt;...).
_ATTRIBUTE = re.compile(rb"<[A-Za-z][^<>]*?\sdata-pagefind-body(?=[\s=/>])")
# Pagefind also reads a configuration file in the folder it runs in, and PAGEFIND_ variables.
_CONFIG_FILES = ("pagefind.yml", "pagefind.yaml", "pagefind.toml", "pagefind.json")
# A --glob of more folders than this is no saving (and one argument is at most 128 kB).
_MAX_FOLDERS = 64
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")  # no character Pagefind's glob syntax reads


class IndexedPages:
    """Which HTML files of the site being written carry data-pagefind-body: a rendered file by
    its bytes (or, written by a page worker, by what the worker found in them, StagedFile), a
    file kept from the live site at `live` by what the last build noted
    (`record`), or, when it noted nothing, by the kept copy's bytes. Also whether any of them
    differs from the live site's (`stamps`: its files), which then needs a new index."""

    def __init__(
        self,
        live: Path,
        record: IndexRecord | None = None,
        stamps: Mapping[str, FileStamp] | None = None,
    ) -> None:
        self.live = live
        self.spare = spare_folder(live)  # where the write stage keeps some files (KeptFile)
        self.record = record
        self.stamps = stamps or {}
        self.paths: set[str] = set()
        self.untold = False  # a kept file could not be read: which pages carry it is unknown
        self.changed = False  # some page carrying it is not byte for byte the live one
        # The Pagefind whose bundle of these pages the site gets before its swap (index_site:
        # made, or kept from the live site); None: no bundle, or the live one carried over for
        # the preview to index after the swap.
        self.made_by: Pagefind | None = None

    def watch(self, files: Iterable[SiteFile]) -> Iterator[SiteFile]:
        """`files`, unchanged, noting the pages among them."""
        before = self.record.paths if self.record else None
        for file in files:
            if file.path.endswith(".html"):
                if not isinstance(file, KeptFile):
                    if _searchable(file):
                        self.paths.add(file.path)
                        self.changed = self.changed or not self._live_has(file)
                elif before is not None:
                    if file.path in before:
                        self.paths.add(file.path)
                elif self._kept_carries(file):
                    self.paths.add(file.path)
            yield file

    def _live_has(self, file: OutputFile | StagedFile) -> bool:
        stamp = self.stamps.get(file.path)
        if stamp is None:
            return False
        if isinstance(file, StagedFile):
            return stamp.digest == file.staged.digest
        return stamp.digest == xxhash.xxh3_128_digest(file.data)

    def _kept_carries(self, file: KeptFile) -> bool:
        """Whether a kept file carries the attribute, by the copy the site will publish: the
        staging folder's when the write stage keeps that one (write.intact), else the live
        file."""
        folder = self.spare if file.staged is not None else self.live
        try:
            return carries((folder / file.path).read_bytes())
        except OSError:
            self.untold = True
            return False

    def live_bundle_fits(self, run: Pagefind) -> bool:
        """Whether the live site's bundle is the index of these pages: the same files carry
        the attribute, each byte for byte as in the live site, whose bundle the same Pagefind
        made from them and which is still as it was published. Never when no page carries the
        attribute: Pagefind then indexes every page, and any of them may have changed."""
        record = self.record
        return (
            record is not None
            and bool(self.paths)
            and not self.changed
            and not self.untold
            and record.paths == self.paths
            and record.made_by == run.identity()
            and record.entry is not None
            and record.entry == entry_stamp(self.live)
        )

    def noted(self) -> IndexRecord | None:
        """What the next build is given as `record`, once the site is published; None when
        the pages are not known."""
        if self.untold:
            return None
        if self.made_by is None:
            return IndexRecord(frozenset(self.paths))
        return IndexRecord(frozenset(self.paths), self.made_by.identity(), entry_stamp(self.live))

    def glob(self) -> str | None:
        """Pagefind's --glob for the folders (or top-level files) that hold the pages; None
        (every HTML file) when no page carries the attribute (Pagefind then indexes them all),
        when a file could not be told, or when the glob would not be worth it."""
        if self.untold or not self.paths:
            return None
        folders = {path.partition("/")[0] for path in self.paths if "/" in path}
        files = {path for path in self.paths if "/" not in path}
        if len(folders) + len(files) > _MAX_FOLDERS or not all(
            map(_PLAIN_NAME.fullmatch, folders | files)
        ):
            return None
        globs = sorted([f"{folder}/**/*.html" for folder in folders] + list(files))
        return globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"


@dataclass(frozen=True)
class Pagefind:
    """How this site is indexed: the same command before the swap (build) and after it (the
    preview), so both make the same bundle."""

    executable: Path
    language: str
    glob: str | None = None  # which HTML files to read (see IndexedPages); None: all

    def identity(self) -> tuple[str, int, int, str]:
        """What decides the bundle made from given pages (the glob does not): the binary, the
        language and any configuration Pagefind finds of its own."""
        st = self.executable.stat()
        return (str(self.executable), st.st_size, st.st_mtime_ns, self.language + _own_config())

    def command(self, site_dir: Path, bundle: Path) -> list[str]:
        return [
            str(self.executable),
            "--site",
            str(site_dir),
            *(["--glob", self.glob] if self.glob else []),
            "--output-path",
            str(bundle),
            "--force-language",
            self.language,
            "--silent",
        ]


@dataclass(frozen=True)
class PendingIndex:
    """The index a deferred build still owes the site it published at `site_dir`."""

    site_dir: Path
    pagefind: Pagefind
    # The tree the build published (stamps.live_stamp), set once it is swapped in: the glob
    # fits its pages, not those of a tree another build published since.
    tree: LiveStamp = None

    @property
    def scratch(self) -> Path:
        """Where a fresh bundle is made: beside the site (same file system, for the swap), under
        a name that the preview's watcher ignores."""
        return self.site_dir.with_name(f"{staging_prefix(self.site_dir)}search")

    def command(self, bundle: Path, live: LiveStamp) -> list[str]:
        """Pagefind's command for the tree published as `live`: with the build's glob when it
        is that build's tree, else (another build published since) over every page."""
        run = self.pagefind if live == self.tree else replace(self.pagefind, glob=None)
        return run.command(self.site_dir, bundle)

    def published(self) -> LiveStamp:
        """Which build's tree is live now (read it before indexing)."""
        return live_stamp(self.site_dir)

    def install(self, bundle: Path, indexed: LiveStamp) -> bool:
        """Swap `bundle` in as the site's search bundle, in one step; False (nothing done) when
        another build has been published since `indexed` was read: the bundle is outdated."""
        return swap_in(self.site_dir, BUNDLE, bundle, indexed)

    def failure(self, returncode: int, output: str) -> str:
        return failure_detail(returncode, output)


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the pagefind wheel (or on PATH); a clear error if absent."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise _failure(f"Pagefind is not installed; install it with {INSTALL_HINT}") from exc
    executable = get_executable()
    if executable is None or not executable.is_file():
        raise _failure(f"the Pagefind binary is missing; install it with {INSTALL_HINT}")
    return executable


def pagefind(config: Config, pages: IndexedPages | None = None) -> Pagefind | None:
    """How to index this site; None when search is off."""
    if not config.search:
        return None
    # A glob in Pagefind's own configuration is the user's: ours would override it.
    glob = pages.glob() if pages and not _own_config() else None
    return Pagefind(pagefind_executable(), config.language.split("-")[0], glob)


def has_bundle(site_dir: Path) -> bool:
    return (site_dir / BUNDLE).is_dir()


def index_site(site_dir: Path, config: Config, pages: IndexedPages | None = None) -> None:
    """Write `site_dir`/pagefind/ from the HTML pages in `site_dir` (`pages`: those that carry
    the attribute, once the site is written)."""
    run = pagefind(config, pages)
    if run is None:
        return
    if pages is not None:
        pages.made_by = run
        if pages.live_bundle_fits(run):
            carry_over(site_dir, pages.live)
            log.debug("no indexed page changed: the live site's search bundle is kept")
            return
    _check_free(site_dir)
    try:
        done = subprocess.run(
            run.command(site_dir, site_dir / BUNDLE),
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
    except OSError as exc:
        raise _failure(f"Pagefind could not be started: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        # An unattended build must end: a stuck indexer fails it, and the site stays as it was.
        raise _failure(
            f"Pagefind did not finish in {TIMEOUT_SECONDS} s; the site was left as it was"
        ) from exc
    if done.returncode != 0:
        raise _failure(failure_detail(done.returncode, done.stderr or done.stdout))
    log.debug("search index written to %s", site_dir / BUNDLE)


def carry_over(staging: Path, live: Path) -> None:
    """Give the staged site the live site's search bundle, as hard links: the pages are
    published at once and the preview refreshes the index after the swap. Files are never
    modified in place (a fresh bundle is swapped in as a new folder), so sharing them is safe.
    The staging folder (the spare copy of the site, see write.py) often has that very bundle
    already, from the build before: the write stage leaves it (`carried`), and it is kept."""
    source, bundle = live / BUNDLE, staging / BUNDLE
    if same_files(bundle, source):
        return
    _check_free(staging)
    # Linked under another name, then renamed: a bundle in the staging folder is always whole.
    partial = staging / f".{BUNDLE}.carried"
    shutil.rmtree(partial, ignore_errors=True)
    for folder, _, names in os.walk(source):
        target = partial / Path(folder).relative_to(source)
        target.mkdir()
        for name in names:
            os.link(Path(folder) / name, target / name)
    partial.rename(bundle)


def _searchable(file: OutputFile | StagedFile) -> bool:
    return file.searchable if isinstance(file, StagedFile) else carries(file.data)


def carries(page: bytes) -> bool:
    """Whether an HTML page carries data-pagefind-body (in a tag, as Pagefind reads it). Each
    occurrence of the name is tried from the nearest "<" before it, the only place a match of
    `_ATTRIBUTE` can start: searching the page for the pattern tried it at every tag (0.21 s
    for the 14,000 pages of a 5,000-article site, against 0.05 s)."""
    at = page.find(MARKER)
    while at != -1:
        start = page.rfind(b"<", 0, at)
        if start != -1 and _ATTRIBUTE.match(page, start):
            return True
        at = page.find(MARKER, at + 1)
    return False


def _own_config() -> str:
    """Pagefind's configuration besides our command line: its variables and a configuration
    file in the working folder, as text ("" when there is none)."""
    found = [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("PAGEFIND_")]
    for name in _CONFIG_FILES:
        with contextlib.suppress(OSError):
            found.append(f"{name}:{xxhash.xxh3_64_hexdigest(Path(name).read_bytes())}")
    return "\0".join(found)


def entry_stamp(site_dir: Path) -> tuple[int, int, int] | None:
    """How the bundle's entry file of the site at `site_dir` looks: Pagefind writes it anew on
    every run, and a bundle carried over keeps it (hard links)."""
    return file_stamp(site_dir / BUNDLE / "pagefind-entry.json")


def failure_detail(returncode: int, output: str) -> str:
    lines = output.strip().splitlines()
    return f"Pagefind failed: {lines[-1] if lines else f'exit {returncode}'}"


def _check_free(site_dir: Path) -> None:
    if (site_dir / BUNDLE).exists():
        raise _failure(
            f"static/{BUNDLE}/ would be overwritten by the search index; rename it, or set "
            "search: false"
        )


def _failure(message: str) -> BuildFailed:
    error: SahelbriefError = OutputError(message, "search")
    return BuildFailed("search", [error])
