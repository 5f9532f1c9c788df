"""The preview's search index, refreshed in the background so that an edit is shown without
waiting for Pagefind (seconds on a large site).

The preview's builds publish their pages with the previous search bundle (BuildOptions.
defer_search) and hand back what the fresh index needs; this runs it, one Pagefind at a time:

- a newer build supersedes the run under way: its Pagefind is stopped and the newer site is
  indexed instead (the latest request wins, older ones are dropped);
- the fresh bundle is swapped into the live site in one step, and only if the site it was made
  from is still the live one (PendingIndex.install checks it under the output lock), so an
  outdated or half-written bundle is never served;
- a failure is logged and leaves the served site, with its previous bundle, as it was;
- close() stops Pagefind, waits for the thread and removes the scratch folder;
- Pagefind runs at the lowest CPU priority, and is paused while a rebuild runs (`paused`): on
  two cores, with the browser on one, even a niced Pagefind took a third of the rebuild's core
  (the rebuild then usually supersedes its run anyway).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator

from sahelbrief.pipeline import PendingIndex

log = logging.getLogger(__name__)

# Pagefind runs at the lowest CPU priority: the next edit's rebuild, which the editor is
# waiting for, must not share the cores with an index nobody is waiting for (measured: the
# preview's rebuild took twice as long while Pagefind ran beside it).
_NICE = ["nice", "-n", "19"] if shutil.which("nice") else []
_STOP = getattr(signal, "SIGSTOP", None)
_CONTINUE = getattr(signal, "SIGCONT", None)


class SearchIndexer:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._wanted: PendingIndex | None = None
        self._ticket = 0  # bumped by every request and by close(): a run of an older one is void
        self._process: subprocess.Popen[str] | None = None
        self._closed = False
        self._running = False
        self.refreshed = 0  # bundles swapped in
        self._thread = threading.Thread(target=self._work, name="sahelbrief-search", daemon=True)
        self._thread.start()

    def request(self, pending: PendingIndex | None) -> None:
        """A build was published: index its site (None: its index is already up to date). Any
        run for an earlier build is stopped."""
        with self._changed:
            self._ticket += 1
            self._wanted = pending
            self._stop_process()
            self._changed.notify_all()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Pagefind stopped while the block runs (a rebuild), then let go on: to finish, or to
        end if the block requested a newer index."""
        with self._changed:
            process = self._process
            if process is None or process.poll() is not None or not _STOP:
                process = None
            else:
                process.send_signal(_STOP)
        try:
            yield
        finally:
            if process is not None and process.poll() is None and _CONTINUE:
                process.send_signal(_CONTINUE)

    def wait_idle(self, timeout: float) -> bool:
        """Whether every request has been dealt with within `timeout` seconds (for tests)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._wanted is None and not self._running, timeout
            )

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._ticket += 1
            self._wanted = None
            self._stop_process()
            self._changed.notify_all()
        self._thread.join()

    def _stop_process(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            if _CONTINUE:  # a paused process acts on the signal once it runs again
                self._process.send_signal(_CONTINUE)

    def _current(self, ticket: int) -> bool:
        with self._changed:
            return ticket == self._ticket

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closed or self._wanted is not None)
                if self._closed:
                    return
                pending, ticket = self._wanted, self._ticket
                self._wanted = None
                self._running = True
            assert pending is not None
            try:
                self._refresh(pending, ticket)
            except Exception:
                # A bug here must not end the thread: later edits still get their index.
                log.exception("the search index could not be refreshed")
            finally:
                shutil.rmtree(pending.scratch, ignore_errors=True)
                with self._changed:
                    self._running = False
                    self._changed.notify_all()

    def _refresh(self, pending: PendingIndex, ticket: int) -> None:
        started = time.perf_counter()
        shutil.rmtree(pending.scratch, ignore_errors=True)
        bundle = pending.scratch / "bundle"
        indexed = pending.published()
        with self._changed:
            if ticket != self._ticket:
                return
            try:
                process = subprocess.Popen(
                    _NICE + pending.command(bundle, indexed),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            except OSError as exc:
                log.error("Error: search: Pagefind could not be started: %s", exc)
                return
            self._process = process
        output, _ = process.communicate()
        with self._changed:
            self._process = None
        if not self._current(ticket):
            log.debug("search index run superseded by a newer build")
            return
        if process.returncode != 0:
            log.error(
                "Error: search: %s; search keeps the previous index",
                pending.failure(process.returncode, output),
            )
            return
        if pending.install(bundle, indexed):
            with self._changed:
                self.refreshed += 1
            log.info("Search index refreshed in %.2f s", time.perf_counter() - started)
            return
        # Another tree was published meanwhile (its request, if it is one of ours, is queued or
        # about to be): index again unless something newer is wanted already.
        with self._changed:
            if ticket == self._ticket and self._wanted is None:
                self._wanted = pending
