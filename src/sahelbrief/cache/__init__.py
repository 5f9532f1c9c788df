"""The persistent build cache, in the project's `.sahelbrief-cache/` folder (git-ignored).

What it keeps, and what each entry is keyed by (every file also carries the program digest, so
another version's cache is never read):

- parsed articles: by the source's path and bytes (a stat shortcut skips reading a file whose
  size, modification time and inode are unchanged, as git's index does);
- rendered Markdown/HTML fragments: by the text, the converter and the site's base path, so a
  template or a setting other than base_url does not invalidate them;
- what classify set on each article: by the program, the article as it came out of dedupe
  and the settings classify reads (pipeline/classify's ClassifySettings), so a setting it
  does not read (the title, search) classifies nothing again;
- what templates see of each article (its view, render/view.py): by the program, the settings
  a view is given (ViewSettings: the base path, the site's language), the article's entry and
  what its page shows of other articles (render/keys.py);
- the published files of the last two builds of each output folder (the live site and the
  spare copy that the next build updates in place, see pipeline/write.py): path -> content
  digest and the stat of the file when written, so an unchanged file is recognised without
  reading it;
- the last build: a digest of the stat of every input and the options; when nothing moved, the
  build is skipped and its result returned;
- the dedupe pass's memory (pipeline/dedupe/memory.py), to resume it at the first change;
- the templates' compiled code (cache/templates.py), by template name and source digest.

Pages are rendered again on every build that is not skipped and compared with what was
published: a page's dependencies are never guessed, so the incremental site is by construction
the site a full build makes.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import xxhash

from sahelbrief import canonical
from sahelbrief.cache import dedupe as dedupe_memo
from sahelbrief.cache import store
from sahelbrief.cache.snapshot import inputs_digest, program_digest
from sahelbrief.identity import ByIdentity
from sahelbrief.model import Article, Deduped, FileStamp, IndexRecord
from sahelbrief.stamps import file_stamp, live_stamp

if TYPE_CHECKING:
    from sahelbrief.cache.templates import CompiledTemplates

FOLDER = ".sahelbrief-cache"
# A file modified this close to the build may be modified again within the same timestamp tick:
# its stat is not trusted as a shortcut (git's "racily clean" rule).
_RACY_NS = 2_000_000_000

__all__ = [
    "FOLDER",
    "BuildCache",
    "flush_session",
    "inputs_digest",
    "open_cache",
    "program_digest",
]


class Memo(Protocol):
    """What a stage keeps from build to build of this process (see `derived`)."""

    def begin(self) -> None: ...


# The cache of the last build in this process (the preview server builds again and again): its
# stores stay loaded while the folder on disk is the one this process last wrote.
_SESSION: list[BuildCache] = []


def open_cache(project_dir: Path, enabled: bool = True) -> BuildCache:
    """The build cache of `project_dir`; off (empty, never saved) unless `enabled`."""
    if not enabled:
        return BuildCache(project_dir, enabled=False)
    for cache in _SESSION:
        if cache.folder == project_dir / FOLDER and cache.current():
            cache.begin()
            return cache
    cache = BuildCache(project_dir)
    _SESSION[:] = [cache]
    return cache


def flush_session() -> None:
    """Store what the builds of this process kept only in memory (see BuildCache.flush)."""
    for cache in _SESSION:
        cache.flush()


class BuildCache:
    def __init__(self, project_dir: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.folder = project_dir / FOLDER
        self.program = program_digest()
        self.articles: MutableMapping[bytes, Any] = (
            store.ShardedStore(self.folder / "articles", self.program) if enabled else {}
        )
        self.fragments: MutableMapping[bytes, Any] = (
            store.ShardedStore(self.folder / "fragments", self.program) if enabled else {}
        )
        self.classified: MutableMapping[bytes, Any] = (
            store.ShardedStore(self.folder / "classified", self.program) if enabled else {}
        )
        self.views: MutableMapping[bytes, Any] = (
            store.ShardedStore(self.folder / "views", self.program) if enabled else {}
        )
        self._stats: dict[str, SourceStat] = self._load("sources.bin") or {}
        self._state: dict[str, Any] = self._load("state.bin") or {}
        self._written: tuple[int, int, int] | None = None
        self._memory: Any = None  # the dedupe pass's memory, kept between builds (serve)
        self._plain: Callable[[Any, bool], Any] = lambda _, __: None  # the memory as stored
        self._unsaved = False  # the memory changed since it was last stored
        # The preview's last dedupe result: its key, input articles and the result.
        self._deduped: tuple[bytes, Sequence[Article], Deduped] | None = None
        self._merged: tuple[str, dict[str, tuple[FileStamp, ...]]] | None = None  # published()
        # Each article of the last dedupe result: the one it was made of and what dedupe
        # changed (classify's keys are made of it, see _input_key).
        self._decisions: ByIdentity[Article, tuple[Article, dedupe_memo.Decision]] = ByIdentity()
        # What stages derived from each object, by identity (see `derived`): name -> the
        # settings they derived it under, and the memo.
        self._derived: dict[str, tuple[object, Memo]] = {}
        self.begin()

    @functools.cached_property
    def compiled_templates(self) -> CompiledTemplates | None:
        """The templates' compiled code (made when first asked for: a build that finds nothing
        changed does not import Jinja)."""
        if not self.enabled:
            return None
        from sahelbrief.cache.templates import CompiledTemplates

        return CompiledTemplates(self.folder / "templates", self.program)

    def begin(self) -> None:
        """Start another build with the stores as the last one left them."""
        self._started_ns = time.time_ns()
        self._new_stats: dict[str, SourceStat] = {}
        self._keys: dict[str, bytes] = {}  # source -> key of its bytes, for this build
        self.fresh: set[str] = set()  # sources parsed anew in this build (not from the cache)
        # No parsed article stored (a first build): a source not known by its stat is a miss
        # without being read and hashed here too (the read stage's workers do both).
        self._no_articles = isinstance(self.articles, store.ShardedStore) and self.articles.empty()
        for mapping in (self.articles, self.fragments, self.classified, self.views):
            if isinstance(mapping, store.ShardedStore):
                mapping.begin()

    def derived(
        self, name: str, settings: object = None, kind: Callable[[], Memo] = ByIdentity
    ) -> Any:
        """Where the stage or step `name` keeps what it derives from each object (an article,
        an entry) under `settings`, by the object's identity (sahelbrief.identity; or by key,
        with `kind` Recent; or any Memo `kind` makes, such as the assemble stage's pages): the
        same memo for every build of this process while `settings` stay equal, a new one when
        they change. Asked for once a build: each time starts the
        memo's next build."""
        found = self._derived.get(name)
        if found is None or found[0] != settings:
            found = self._derived[name] = (settings, kind())
        found[1].begin()
        return found[1]

    def keep_fragments(self, keys: Iterable[bytes]) -> None:
        """Keep these fragments though this build did not look them up (a reused view)."""
        if isinstance(self.fragments, store.ShardedStore):
            self.fragments.keep(keys)

    def release_fragments(self) -> None:
        """Let the fragments go once every view is made (stored first, when the cache is on):
        the rest of a build reads none, and the pages render in less memory without them."""
        if isinstance(self.fragments, store.ShardedStore):
            self.fragments.release()
        else:
            self.fragments.clear()

    def current(self) -> bool:
        """Whether the folder on disk is still the one this object last wrote, and it is the
        same program (nothing else has written, damaged or removed it since)."""
        return (
            self._written is not None
            and self.program == program_digest()
            and file_stamp(self.folder / "state.bin") == self._written
        )

    def _load(self, name: str) -> Any:
        if not self.enabled:
            return None
        value = store.load(self.folder / name, self.program)
        return value if isinstance(value, dict) else None

    # -- the read stage's memo ------------------------------------------------------------

    def recall(
        self, relative: str, path: Path, load: Callable[[Path], bytes] = Path.read_bytes
    ) -> Article | None:
        """The parsed article for `path` when its bytes (as `load` reads them) were parsed
        before, else None."""
        st = path.stat()
        known = self._stats.get(relative)
        if known and known[:4] == _source_stat(st):
            key = known[4]
        elif self._no_articles:
            return None
        else:
            key = _source_key(relative, xxhash.xxh3_128_digest(load(path)))
        self._note(relative, st, key)
        article = self.articles.get(key)
        return article if isinstance(article, Article) else None

    def remember(self, relative: str, st: os.stat_result, digest: bytes, article: Article) -> None:
        """Record `article`, parsed from bytes of `digest` read from a file of stat `st`, taken
        before they were read: a change while they were read gives the file another stat."""
        key = _source_key(relative, digest)
        self.articles[key] = article
        self.fresh.add(relative)
        self._note(relative, st, key)

    def _note(self, relative: str, st: os.stat_result, key: bytes) -> None:
        self._keys[relative] = key
        if st.st_mtime_ns < self._started_ns - _RACY_NS:
            self._new_stats[relative] = (*_source_stat(st), key)

    # -- the dedupe stage ----------------------------------------------------------------

    def dedupe(
        self,
        articles: Sequence[Article],
        settings: str,
        run: Callable[[Any, Mapping[str, bytes] | None], tuple[Deduped, Any]],
        plain: Callable[[Any, bool], Any],
        keep: bool = False,
    ) -> Deduped:
        """The stage's result: reused whole when the same articles (by bytes) and settings
        were deduped before (see cache/dedupe.py), else `run(memory, keys)`, given what the last
        run left (its memory, in this process, or `plain(memory, ...)` as stored on disk, or
        None) and the key of each article's source bytes, by source (the fingerprint the pass
        keeps of each article: an article as read is a function of those bytes), and returning
        the result and its new memory, which is stored, and with `keep` kept
        loaded for the next build in this process. A memory resumed from disk is stored again
        only if `plain(memory, True)` is not None (the pass did more than a little: see
        pipeline/dedupe/memory.py)."""
        keys = [(a.source, self._keys.get(a.source)) for a in articles]
        if not self.enabled or any(k is None for _, k in keys):
            return run(None, None)[0]
        wanted = dedupe_memo.key(self.program, settings, keys)  # type: ignore[arg-type]
        if self._deduped is not None and self._deduped[0] == wanted:
            return self._deduped[2]
        # A memory kept loaded is newer than the result on disk: no need to read that.
        recalled = (
            None
            if self._memory is not None
            else dedupe_memo.recalled(self.folder, self.program, wanted, articles)
        )
        decided: dedupe_memo.Decided | None
        if recalled is not None:
            result, decided = recalled
        else:
            result = self._resume(run, plain, keep, dict(keys))  # type: ignore[arg-type]
            decided = (
                None
                if keep
                else dedupe_memo.remember(self.folder, self.program, wanted, articles, result)
            )
        self._decisions = ByIdentity()
        for before, after, made in decided or ():
            self._decisions.put(after, (before, made))
        # The preview stores the result with the memory, once its builds are over (flush).
        self._deduped = (wanted, articles, result) if keep else None
        return result

    def _resume(
        self,
        run: Callable[[Any, Mapping[str, bytes] | None], tuple[Deduped, Any]],
        plain: Callable[[Any, bool], Any],
        keep: bool,
        keys: Mapping[str, bytes],
    ) -> Deduped:
        previous = self._memory
        from_disk = previous is None  # else kept in this process, maybe newer than the disk's
        if previous is None:
            previous = store.load(self.folder / dedupe_memo.MEMORY_FILE, self.program)
        self._memory = None  # until run returns a consistent one
        result, memory = run(previous, keys)
        del previous
        self._memory, self._plain = memory, plain
        if keep:
            # Stored by flush(), once the builds of this process are over: storing it after
            # every build of the preview would add to the wait for every edit.
            self._unsaved = True
        else:
            self._store_memory(unless_recent=from_disk)
            self._memory = None
        return result

    def flush(self) -> None:
        """Store the dedupe memory and result kept loaded by the builds of this process, if
        they changed."""
        if self._unsaved:
            self._store_memory()
            if self._deduped is not None:
                dedupe_memo.remember(self.folder, self.program, *self._deduped)

    def _store_memory(self, unless_recent: bool = False) -> None:
        snapshot = self._plain(self._memory, unless_recent) if self._memory is not None else None
        if snapshot is not None:
            store.dump(self.folder / dedupe_memo.MEMORY_FILE, snapshot, self.program, False)
        self._unsaved = False

    def each(
        self,
        articles: Sequence[Article],
        settings: str,
        run: Callable[[Sequence[Article]], Sequence[Article]],
        digests: ByIdentity[Article, bytes],
        read: Mapping[str, Article],
    ) -> tuple[Article, ...]:
        """`run(articles)` for a stage that treats each article on its own (classify): the
        fields it set are remembered per article (keyed by the whole article as it came in and
        `settings`), and only the articles not seen before are handed to `run`. In the preview's
        process, an article that is the very object of the last build is not even keyed again
        (see sahelbrief.identity). The digest of each article made (canonical.digest, which
        the page digests need) is remembered with it and put in `digests`: a build in a new
        process would otherwise pickle every article once more (0.3 s at 5,000 articles).
        `read`: the articles as the read stage made them, by source (`articles` are what
        dedupe made of them, see `_input_key`)."""
        if not self.enabled:
            return tuple(run(articles))
        memo: ByIdentity[Article, tuple[bytes, Article]] = self.derived("each", settings)
        prefix = f"{self.program}\0{settings}\0".encode()
        done: dict[int, Article] = {}
        missing: dict[int, bytes] = {}
        known: list[bytes] = []  # keys not looked up, still in use
        for index, article in enumerate(articles):
            found = memo.find(article)
            if found is not None:
                known.append(found[0])
                done[index] = found[1]
                continue
            key = self._input_key(prefix, article, read) or xxhash.xxh3_128_digest(
                prefix + canonical.dumps(article)
            )
            known_made = self.classified.get(key)
            if isinstance(known_made, tuple) and len(known_made) == 2:
                changes, digest = known_made  # the fields it set, the digest of the result
                made = dataclasses.replace(article, **changes) if changes else article
                done[index] = memo.put(article, (key, made))[1]
                digests.put(made, digest)
            else:
                missing[index] = key
        if missing:
            fresh = run([articles[i] for i in missing])
            for (index, key), article in zip(missing.items(), fresh, strict=True):
                before = articles[index]
                changes = {
                    f.name: getattr(article, f.name)
                    for f in dataclasses.fields(article)
                    if not _same(getattr(article, f.name), getattr(before, f.name))
                }
                digest = canonical.digest(article)
                self.classified[key] = (changes, digest)
                done[index] = memo.put(before, (key, article))[1]
                digests.put(article, digest)
        if isinstance(self.classified, store.ShardedStore):
            self.classified.keep(known)
        self._decisions = ByIdentity()  # read by the keys above only: let them go
        return tuple(done[i] for i in range(len(articles)))

    def _input_key(
        self, prefix: bytes, article: Article, read: Mapping[str, Article]
    ) -> bytes | None:
        """A key of `article` by what it was made of: its source's bytes (the read stage's key:
        an article as read depends on its path and bytes alone) and what dedupe changed in it,
        instead of the whole article pickled (0.15-0.2 s of an edit at 5,000 articles). None
        when dedupe changed more than removals and fields, or the source was not keyed."""
        before = read.get(article.source)
        source = self._keys.get(article.source)
        if before is None or source is None:
            return None
        noted = self._decisions.find(article)
        changed = (
            noted[1]
            if noted is not None and noted[0] is before
            else dedupe_memo.decision(before, article)
        )
        if changed is None:
            return None
        # Tagged: a pickle (the other kind of key) starts with the byte 0x80.
        return xxhash.xxh3_128_digest(prefix + b"\1" + source + canonical.dumps(changed))

    # -- the last build and its published files ------------------------------------------

    def published(self, out_dir: Path) -> dict[str, tuple[FileStamp, ...]]:
        """What the last two builds of `out_dir` wrote, by path (made once a build: the kept
        stage and the write stage both ask, 14,000 paths at 5,000 articles)."""
        where = str(out_dir.absolute())
        if self._merged is not None and self._merged[0] == where:
            return self._merged[1]
        merged: dict[str, tuple[FileStamp, ...]] = {}
        for generation in self._generations(out_dir):
            for path, stamp in generation.items():
                merged[path] = (*merged.get(path, ()), stamp)
        self._merged = (where, merged)
        return merged

    def live(self, out_dir: Path) -> tuple[dict[str, FileStamp], dict[str, bytes]]:
        """The files the last build of `out_dir` published, and the input digest of each of its
        pages (see pipeline/render/keys.py)."""
        generations = self._generations(out_dir)
        pages = self._by_folder("pages").get(str(out_dir.absolute()))
        if not generations or not pages:
            return {}, {}
        return generations[0], pages

    def indexed(self, out_dir: Path) -> IndexRecord | None:
        """What the last build of `out_dir` noted of its search index (pipeline/search.py)."""
        noted = self._by_folder("indexed").get(str(out_dir.absolute()))
        return noted if isinstance(noted, IndexRecord) else None

    def _generations(self, out_dir: Path) -> list[dict[str, FileStamp]]:
        generations: list[dict[str, FileStamp]] = self._by_folder("published").get(
            str(out_dir.absolute()), []
        )
        return generations

    def _by_folder(self, name: str) -> dict[str, Any]:
        """A record kept per output folder: `build` into site/ and the preview into its own
        folder each find their own (one record for all made a build after a preview session
        render every page again)."""
        record = self._state.get(name)
        return record if isinstance(record, dict) else {}

    def unchanged(self, inputs: str, out_dir: Path) -> Any | None:
        """The stored result of the last build when its inputs and output are as they were."""
        last = self._state.get("last")
        if not last or last[0] != inputs or last[1] != live_stamp(out_dir):
            return None
        return last[2]

    def save(
        self,
        out_dir: Path,
        files: dict[str, FileStamp],
        inputs: str | None,
        result: Any,
        pages: dict[str, bytes] | None = None,
        indexed: IndexRecord | None = None,
    ) -> None:
        """Record a successful build; `inputs` None when some input is too fresh to trust;
        `indexed`: what it noted of its search index."""
        if not self.enabled:
            return
        for mapping in (self.articles, self.fragments, self.classified, self.views):
            assert isinstance(mapping, store.ShardedStore)
            mapping.save()
        store.dump(self.folder / "sources.bin", self._new_stats, self.program)
        where = str(out_dir.absolute())
        # The records of other output folders that still exist (a closed preview's is gone).
        published = {
            folder: record
            for folder, record in self._by_folder("published").items()
            if folder != where and Path(folder).is_dir()
        }
        published[where] = [files, *self._generations(out_dir)[:1]]
        shown = {f: keys for f, keys in self._by_folder("pages").items() if f in published}
        shown[where] = pages or {}
        noted = {f: paths for f, paths in self._by_folder("indexed").items() if f in published}
        noted[where] = indexed
        state: dict[str, Any] = {"published": published, "pages": shown, "indexed": noted}
        if inputs is not None:
            state["last"] = (inputs, live_stamp(out_dir), result)
        store.dump(self.folder / "state.bin", state, self.program)
        self._stats, self._state = self._new_stats, state
        self._merged = None
        self._written = file_stamp(self.folder / "state.bin")

    def fresh_since(self, ns: int) -> bool:
        """Whether `ns` (a modification time) is too close to this build to trust its stat."""
        return ns >= self._started_ns - _RACY_NS


# A source's size, modification time, change time and inode, and the key of its bytes. The change
# time moves with every write, also when the modification time is put back (`cp -p`, `rsync`,
# `tar`): a file rewritten so, at the same size, is read again.
SourceStat = tuple[int, int, int, int, bytes]


def _source_stat(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _source_key(relative: str, digest: bytes) -> bytes:
    """The key of a source: its path and the digest of its bytes (xxh3-128)."""
    return xxhash.xxh3_128_digest(relative.encode("utf-8", "surrogateescape") + b"\0" + digest)


def _same(value: object, before: object) -> bool:
    """Whether a field classify returned is the very value it was given: the same object, or
    an equal one with the same bytes (True and 1 are equal, but would not give the digest
    stored with the classified article when it is made again from the fields it changed)."""
    return value is before or (
        value == before and canonical.dumps(value) == canonical.dumps(before)
    )
