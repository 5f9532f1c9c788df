"""`sahelbrief serve`: wires a build callable, the watcher and the HTTP server together.

Builds go to a temporary folder of the preview's own (removed on close), through the same atomic
swap as `sahelbrief build`, so the server only ever sees complete builds; a failed build leaves the
last good one in place and is reported to open pages and the terminal. The search index is not
waited for: each build publishes its pages with the previous index, which the SearchIndexer
then refreshes in the background.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from sahelbrief import heap
from sahelbrief.cache import flush_session
from sahelbrief.errors import BuildFailed, SahelbriefError
from sahelbrief.pipeline import BuildOptions, BuildResult
from sahelbrief.serve.digests import Digests
from sahelbrief.serve.http import WILDCARDS, host_name
from sahelbrief.serve.indexer import SearchIndexer
from sahelbrief.serve.server import PreviewServer
from sahelbrief.serve.state import LiveState, Problem
from sahelbrief.serve.watch import ChangeKind, Coalescer, Watcher, classify

log = logging.getLogger(__name__)

BuildCallable = Callable[[Path, BuildOptions], BuildResult]


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    poll: bool = False
    drafts: bool = False
    watch: bool = True


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# Builds after which the preview collects its garbage even without an idle moment (an editor
# saving every second): about 0.5 MB of cycles a build at 1,000 articles (see heap.py).
COLLECT_EVERY = 20


class Preview:
    """Use as a context manager: entering builds once and starts serving and watching; leaving
    stops every thread and removes the temporary folder."""

    def __init__(
        self,
        project: Path,
        build: BuildCallable,
        options: ServeOptions | None = None,
        coalescer: Coalescer | None = None,
    ) -> None:
        self.project = project
        self.options = options or ServeOptions()
        self._build = build
        self._coalescer = coalescer
        self._building = threading.Lock()
        self._uncollected = 0  # builds since the last full collection (see _collect)
        self.state = LiveState()
        self.builds = 0
        self._folder: Path | None = None
        self._server: PreviewServer | None = None
        self._watcher: Watcher | None = None
        self.search: SearchIndexer | None = None
        self._digests = Digests(project)

    @property
    def site_dir(self) -> Path:
        assert self._folder is not None, "the preview is not running"
        return self._folder / "site"

    @property
    def url(self) -> str:
        assert self._server is not None, "the preview is not running"
        host = self.options.host
        shown = "localhost" if host in WILDCARDS else host_name(host)
        return f"http://{shown}:{self._server.port}/"

    @property
    def polling(self) -> bool:
        return self._watcher is not None and self._watcher.polling

    def __enter__(self) -> Preview:
        self._folder = Path(tempfile.mkdtemp(prefix="sahelbrief-serve-"))
        try:
            # Bind first, so a taken port is reported before any build work.
            self._server = self._listen()
            self.search = SearchIndexer()
            self._digests.record_all()
            if self.options.watch:
                self._watcher = Watcher(
                    self.project,
                    self._rebuild,
                    poll=self.options.poll,
                    coalescer=self._coalescer,
                    on_idle=self._collect,
                )
            self.rebuild()
            self._server.start()
        except BaseException:
            self.close()
            raise
        if not is_loopback(self.options.host):
            log.warning(
                "Warning: serving on %s, which other machines can reach; the preview is meant "
                "for this machine only",
                self.options.host or "every interface",
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _listen(self) -> PreviewServer:
        host, port = self.options.host, self.options.port
        try:
            return PreviewServer(host, port, self.site_dir, self.state)
        except OSError as exc:
            raise SahelbriefError(f"cannot listen on {host_name(host)}:{port}: {exc}") from exc

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self.search is not None:
            self.search.close()
            self.search = None
        with self._building:  # after the last rebuild, what it kept in memory is stored
            flush_session()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def rebuild(self, changed: frozenset[PurePosixPath] = frozenset()) -> bool:
        """Build into the preview's folder and tell open pages; True when the build succeeded."""
        kind = classify(changed)
        if changed:
            names = sorted(p.as_posix() for p in changed)
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            log.info("Changed: %s%s", ", ".join(names[:3]), more)
        with self._building:
            try:
                return self._build_and_tell(kind)
            finally:  # once the open pages are told, not before
                self._uncollected += 1
                if self._uncollected >= COLLECT_EVERY:  # edited without a pause for that long
                    self._thaw()

    def _build_and_tell(self, kind: ChangeKind) -> bool:
        started = time.perf_counter()
        with self.search.paused() if self.search else contextlib.nullcontext():
            problems = self._run_build()
        self.builds += 1
        if problems:
            self.state.failed(problems)
            for problem in problems:
                log.error("Error: %s", problem)
            log.error(
                "Build failed; %s",
                "still serving the last good build."
                if self.state.snapshot().built
                else "the site will be served after the first good build.",
            )
            return False
        self.state.succeeded(kind)
        log.info(
            "Built in %.2f s%s",
            time.perf_counter() - started,
            "; swapping stylesheets" if kind == "css" else "",
        )
        return True

    def _rebuild(self, changed: frozenset[PurePosixPath]) -> None:
        """A batch from the watcher: rebuild unless no file's bytes changed."""
        different = self._digests.changed(changed)
        if different:
            self.rebuild(different)
        else:
            log.debug("Saved without changes: %s", ", ".join(sorted(map(str, changed))))

    def _collect(self) -> None:
        """Once idle after builds: free what they left in reference cycles (see heap.py)."""
        with self._building:
            self._thaw()

    def _thaw(self) -> None:
        heap.thaw(collect=True)
        self._uncollected = 0

    def _run_build(self) -> tuple[Problem, ...]:
        # The preview's own address as base URL, so every link (and the feeds and sitemaps,
        # which need a full address) works here, whatever sahelbrief.yaml says for production.
        options = BuildOptions(
            out_dir=self.site_dir,
            base_url=self.url,
            drafts=self.options.drafts,
            defer_search=True,
            resident=True,
            durable=False,
            skip_unchanged=False,  # it builds after a change (see _rebuild)
            report=False,
        )
        try:
            result = self._build(self.project, options)
        except BuildFailed as failed:
            return tuple(Problem.of(error) for error in failed.errors) or (Problem.of(failed),)
        except SahelbriefError as error:
            return (Problem.of(error),)
        except Exception as exc:
            # A bug in the build must not take the preview down; show it like any error.
            log.exception("the build crashed")
            return (Problem(None, None, f"internal error: {type(exc).__name__}: {exc}"),)
        log.debug("  %s", ", ".join(f"{name} {seconds:.3f} s" for name, seconds in result.timings))
        if self.search is not None and not result.skipped:
            # Also when nothing is pending: a run for an earlier site is outdated now.
            self.search.request(result.pending_search)
        return ()

    def wait(self) -> None:
        """Block until interrupted (Ctrl-C raises KeyboardInterrupt here)."""
        forever = threading.Event()
        while not forever.wait(0.5):
            pass
