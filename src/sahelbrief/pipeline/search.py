"""The search index: Pagefind (https://pagefind.app) run over the staged site, before the write
stage swaps it in, so a published site never has pages without their index.

Pagefind writes a static index (pagefind/ beside the pages) that the browser queries with no
server. Only story pages are indexed (their <article> carries data-pagefind-body), all under
the site's language, so a search page finds the French and the English stories alike.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from sahelbrief.config import Config
from sahelbrief.errors import BuildFailed, OutputError, SahelbriefError

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
INSTALL_HINT = "pip install 'pagefind[extended]'"
TIMEOUT_SECONDS = 600


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


def index_site(site_dir: Path, config: Config) -> None:
    """Write `site_dir`/pagefind/ from the HTML pages in `site_dir`."""
    if not config.search:
        return
    if (site_dir / BUNDLE).exists():
        raise _failure(
            f"static/{BUNDLE}/ would be overwritten by the search index; rename it, or set "
            "search: false"
        )
    command = [
        str(pagefind_executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--force-language",
        config.language.split("-")[0],
        "--silent",
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=TIMEOUT_SECONDS
        )
    except OSError as exc:
        raise _failure(f"Pagefind could not be started: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        # An unattended build must end: a stuck indexer fails it, and the site stays as it was.
        raise _failure(
            f"Pagefind did not finish in {TIMEOUT_SECONDS} s; the site was left as it was"
        ) from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise _failure(f"Pagefind failed: {detail[-1] if detail else f'exit {done.returncode}'}")
    log.debug("search index written to %s", site_dir / BUNDLE)


def _failure(message: str) -> BuildFailed:
    error: SahelbriefError = OutputError(message, "search")
    return BuildFailed("search", [error])
