"""The search index: Pagefind (https://pagefind.app) run over the staged site, before the write
stage swaps it in, so a published site never has pages without their index.

Pagefind writes a static index (pagefind/ beside the pages) that the browser queries with no
server. Only story pages are indexed (their <article> carries data-pagefind-body), all under
the site's language, so a search page finds the French and the English stories alike.

The preview (BuildOptions.defer_search) does not wait for Pagefind: the staged site gets the
live site's bundle (hard links), and the build hands back a PendingIndex that the preview runs
after the swap, swapping the fresh bundle in on its own (see sahelbrief.serve.indexer).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed, OutputError, SahelbriefError
from sahelbrief.pipeline.write import LiveStamp, live_stamp, same_files, staging_prefix, swap_in

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
INSTALL_HINT = "pip install 'pagefind[extended]'"
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Pagefind:
    """How this site is indexed: the same command before the swap (build) and after it (the
    preview), so both make the same bundle."""

    executable: Path
    language: str

    def command(self, site_dir: Path, bundle: Path) -> list[str]:
        return [
            str(self.executable),
            "--site",
            str(site_dir),
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

    @property
    def scratch(self) -> Path:
        """Where a fresh bundle is made: beside the site (same file system, for the swap), under
        a name that the preview's watcher ignores."""
        return self.site_dir.with_name(f"{staging_prefix(self.site_dir)}search")

    def command(self, bundle: Path) -> list[str]:
        return self.pagefind.command(self.site_dir, bundle)

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


def pagefind(config: Config) -> Pagefind | None:
    """How to index this site; None when search is off."""
    if not config.search:
        return None
    return Pagefind(pagefind_executable(), config.language.split("-")[0])


def has_bundle(site_dir: Path) -> bool:
    return (site_dir / BUNDLE).is_dir()


def index_site(site_dir: Path, config: Config) -> None:
    """Write `site_dir`/pagefind/ from the HTML pages in `site_dir`."""
    run = pagefind(config)
    if run is None:
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
