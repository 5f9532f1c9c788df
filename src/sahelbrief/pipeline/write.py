"""The write stage: the only stage that touches the output folder.

The site is built in a staging folder beside the output and swapped in at the end, so a build
that fails or is killed leaves the previous site exactly as it was. A lock file keeps two builds
of the same output from interleaving.

- The lock is an flock() on `.OUT.lock` beside the output folder (not inside it: the output
  folder is replaced by the swap), held by build() from before the sources are read. The
  kernel drops an flock when its process dies, so a build killed with SIGKILL never leaves a
  stale lock behind; the file itself stays and is harmless.
- The staging folder is flushed to disk (syncfs) before the swap, and the parent folder after
  it, so a power cut just after a build cannot publish a site of empty files.
- Where the kernel has no atomic exchange, the swap is two renames, and a kill between them
  leaves no output folder at all: the next build puts the old site back before anything else.

The staging folder is not thrown away: after the swap it holds the previous site, and the next
build updates it in place (double buffering). A file that already holds the wanted bytes is left
alone; others are written to a new inode (renamed over the old file, or created where there is
none); files no page wants are removed. So a
rebuild writes only what changed, creates and deletes no folders for unchanged pages (on this
kind of disk, making and removing 5,000 folders costs seconds), and the swap stays atomic. The
cost is a second copy of the site on disk (`.OUT.spare` beside OUT). Whether a file holds the
wanted bytes is known from the build cache's stamps (`previous`: content digest, size,
modification time and inode when written) or, without them, by comparing the bytes.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import logging
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

import xxhash

from sahelbrief.errors import BuildFailed, OutputError
from sahelbrief.libc import libc
from sahelbrief.model import FileStamp, KeptFile, OutputFile, StagedFile, WriteSummary
from sahelbrief.stamps import LiveStamp, live_stamp

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2


Stamps = Mapping[str, Sequence[FileStamp]]


def write(
    files: Iterable[OutputFile | KeptFile | StagedFile],
    out_dir: Path,
    before_swap: Callable[[Path], None] | None = None,
    previous: Stamps | None = None,
    linger: bool = False,
    durable: bool = True,
    carried: str | None = None,
    trees: KnownTrees | None = None,
) -> WriteSummary:
    """Write `files` into a staging folder, let `before_swap` add to it (the search index is
    built from the finished pages), then swap it in place of `out_dir`. `previous`: what the
    build cache knows of the files of the last builds (see the module's docstring). Folders
    the new site no longer has are moved aside and deleted after the swap; with `linger` (the
    preview), in the background: deleting the search bundle the preview's last refresh
    replaced (a thousand files) took 0.1 s of every rebuild. Unless `durable` (the preview's
    throwaway folder), the new site is not flushed to disk before the swap. `carried`: a
    folder of the live site that `before_swap` brings into the new one (the preview's search
    bundle), left in the staging folder when it already holds the live one's files. `trees`:
    what the last sites written hold, when only this process writes into `out_dir` (the
    preview's own folder), so that the staging folder need not be listed."""
    out_dir = out_dir.absolute()
    with output_lock(out_dir):
        held = trees.held(out_dir) if trees is not None else None
        _clean_leftovers(out_dir)
        staging = spare_folder(out_dir)
        if staging.is_symlink() or (staging.exists() and not staging.is_dir()):
            staging.unlink()
        try:
            staging.mkdir()
            fresh = True
        except FileExistsError:
            fresh = False
        # A new folder holds only what this build writes, and none of the files the kept stage
        # found there (deleted since).
        known: Tree | None = {} if fresh else (held[0] if held else None)
        trash = _sibling(out_dir, f"trash-{next(_TRASH)}")
        try:
            reuse = _Reuse(previous or {}, out_dir, staged=not fresh)
            summary = _write_all(files, staging, reuse)
            spared = {
                name for name in [carried] if name and same_files(staging / name, out_dir / name)
            }
            tree = _prune(staging, summary.published, trash, spared, known)
            if before_swap is not None:
                before_swap(staging)
            if durable:
                _flush(staging)
            _swap(staging, out_dir)
            if trees is not None:
                trees.swapped(tree, summary.published, out_dir)
            if durable:
                _fsync_folder(out_dir.parent)
        except BaseException:
            if trees is not None:
                trees.forget()  # the staging folder may hold anything the build did to it
            raise
        finally:
            # A build that failed half way stops its page workers (render/batch.py) before it
            # lets go of the lock: they write into the staging folder.
            close = getattr(files, "close", None)
            if close is not None:
                close()
            shutil.rmtree(_sibling(out_dir, "old"), ignore_errors=True)
            if linger and trash.exists():
                threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True).start()
            else:
                shutil.rmtree(trash, ignore_errors=True)
        if linger and not staging.exists():  # the first build: swapped in by a rename
            threading.Thread(target=_prepare_spare, args=(out_dir,), daemon=True).start()
    return summary


def _prepare_spare(out_dir: Path) -> None:
    """Fill the spare folder with hard links of the live site, in the background after the
    preview's first build, so that the next build (an editor's first edit) finds every file in
    place instead of making thousands of folders and links: 0.5 s of 0.75 s at 1,000 articles.
    Links are safe: no file is ever changed in place (see _replace_file). A copy cut short is
    only slower to use: every file is still checked by its stat."""
    try:
        with output_lock(out_dir, background=True):
            spare = spare_folder(out_dir)
            if spare.exists():
                return
            spare.mkdir()
            for folder, _, names in os.walk(out_dir):
                target = spare / os.path.relpath(folder, out_dir)
                target.mkdir(exist_ok=True)
                for name in names:
                    os.link(Path(folder, name), target / name)
    except OSError as exc:
        log.debug("no spare copy of %s prepared: %s", out_dir, exc)


_TRASH = itertools.count()


def swap_in(out_dir: Path, name: str, fresh: Path, published: LiveStamp) -> bool:
    """Put the folder `fresh` in the live site as `out_dir`/`name` (the preview's fresh search
    bundle), unless another tree has been published since `published` (then False, nothing
    done). Under the output lock, so no build is reading the live site's copy meanwhile; an
    atomic exchange where the kernel has one, so a reader never finds the folder missing."""
    out_dir = out_dir.absolute()
    with output_lock(out_dir, background=True):
        if live_stamp(out_dir) != published:
            return False
        target = out_dir / name
        if target.is_dir() and not target.is_symlink():
            if not _exchange(fresh, target):
                old = _sibling(out_dir, "old")
                target.rename(old)
                fresh.rename(target)
                old.rename(fresh)
            shutil.rmtree(fresh)
        else:
            fresh.rename(target)
        _fsync_folder(out_dir)
    return True


def spare_folder(out_dir: Path) -> Path:
    """Where the next build is staged: after a build, the site before it."""
    return out_dir.absolute().with_name(f"{staging_prefix(out_dir)}spare")


def check_output(out_dir: Path, project_dir: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder whose swap would throw away something that is not a site: the
    project itself or a folder above it, a source folder (`-o seeds` would replace every seed
    with the site), the home folder, a file system root, or a folder outside the project that
    holds files but no index.html (a mistyped `-o ~/Documents`)."""
    out = Path(os.path.realpath(out_dir))
    project = Path(os.path.realpath(project_dir))
    problem = None
    if out == Path(out.anchor) or out == Path.home().resolve():
        problem = "is the home folder or a file system root"
    elif out == project or out in project.parents:
        problem = "is the project folder or a folder above it"
    else:
        for source in sources:
            real = Path(os.path.realpath(source))
            if out == real or out in real.parents or real in out.parents:
                problem = f"overlaps the project's {source.name}"
    if problem is None and project not in out.parents and _holds_something_else(out):
        # Outside the project, an output folder must be new, empty or a site already.
        problem = "holds files but no index.html, so it is not a site built before"
    if problem:
        raise OutputError(
            f"{problem}; the build replaces the output folder as a whole, which would delete "
            "it: choose a folder of its own, such as site/",
            str(out_dir),
        )


def _holds_something_else(out: Path) -> bool:
    """A folder that is neither empty nor a site (a mistyped `-o ~/Documents`)."""
    if not out.is_dir() or (out / "index.html").is_file():
        return False
    with os.scandir(out) as entries:
        return any(True for _ in entries)


def staging_prefix(out_dir: Path) -> str:
    """The name every temporary folder of a build of `out_dir` starts with (the preview server
    ignores them)."""
    return f".{out_dir.name}."


def _sibling(out_dir: Path, role: str) -> Path:
    return out_dir.with_name(f"{staging_prefix(out_dir)}{role}-{os.getpid()}")


def _write_all(
    files: Iterable[OutputFile | KeptFile | StagedFile], root: Path, reuse: _Reuse
) -> WriteSummary:
    seen: set[str] = set()
    count = size = written = 0
    published: dict[str, FileStamp] = {}
    base = str(root)
    folders = RealFolders(root)
    for file in files:
        relative = _safe_relative(file.path)
        if relative.casefold() in seen:
            raise BuildFailed(
                "write",
                [OutputError(f"two pages want the same output file {relative!r}", file.path)],
            )
        seen.add(relative.casefold())
        target = f"{base}/{relative}"  # strings, not Paths: this runs for every file
        try:
            if isinstance(file, KeptFile):
                stamp = reuse.keep(file, relative, target, folders)
            elif isinstance(file, StagedFile):
                stamp = file.staged
                written += 1
            else:
                digest = xxhash.xxh3_128_digest(file.data)
                found = reuse.same(relative, digest, file.data, target)
                if found is None:
                    # Rendered again with the same bytes as the live file (the stylesheet, a
                    # feed after an edit elsewhere): linked, as a kept page is, not written.
                    found = reuse.linked(relative, digest, target, folders)
                if found is None:
                    folders.make(relative.rpartition("/")[0])
                    found = _replace_file(Path(target), file.data, digest)
                    written += 1
                stamp = found
        except LinkFound as found:
            _refuse_links(base, found.folder)  # raises: the link is there...
            raise BuildFailed(  # ... unless it went meanwhile
                "write", [OutputError("changed during the build; build again", found.folder)]
            ) from None
        except OSError as exc:
            raise BuildFailed(
                "write", [OutputError(f"cannot be written: {exc.strerror}", relative)]
            ) from exc
        published[relative] = stamp
        count += 1
        size += stamp.size
    return WriteSummary(count, size, published, written)


class _Reuse:
    """Whether a file of the staging folder already holds the wanted bytes: by its stamp when
    the build cache knows one (same digest, and size, modification time and inode unchanged
    since it was written), else by comparing the bytes."""

    def __init__(self, previous: Stamps, live: Path, staged: bool = True) -> None:
        self._previous = previous
        self._live = str(live)
        self._staged = staged  # False: the staging folder holds no file kept there

    def keep(self, file: KeptFile, relative: str, target: str, folders: RealFolders) -> FileStamp:
        """The live site's file for a page not rendered again: the staging copy when the kept
        stage found it holds the same bytes (`file.staged`), else a hard link to the live file
        (never modified in place: a changed file is always a new inode, see _replace_file)."""
        if file.staged is not None and self._staged:
            return file.staged
        stamp = self.linked(relative, file.digest, target, folders)
        if stamp is None:
            raise BuildFailed(
                "write",
                [OutputError("changed in the live site during the build; build again", relative)],
            )
        return stamp

    def linked(
        self, relative: str, digest: bytes, target: str, folders: RealFolders
    ) -> FileStamp | None:
        """The live site's file hard-linked in the staging folder when it still holds the bytes
        of `digest` by the stamps the cache knows; None when it does not (or is unknown)."""
        live = f"{self._live}/{relative}"
        stamp = _matching(live, self._previous.get(relative, ()), digest)
        if stamp is None:
            return None
        folders.make(relative.rpartition("/")[0])
        try:
            os.link(live, target)  # most often nothing is there (the first edit after a cold build)
        except FileExistsError:
            staged = Path(target)
            if staged.is_dir() and not staged.is_symlink():
                shutil.rmtree(staged)
            else:
                staged.unlink()
            os.link(live, target)
        return stamp

    def same(self, relative: str, digest: bytes, data: bytes, target: str) -> FileStamp | None:
        try:
            st = os.lstat(target)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return None
        now = (st.st_size, st.st_mtime_ns, st.st_ino)
        for known in self._previous.get(relative, ()):
            if known.digest == digest and now == (known.size, known.mtime_ns, known.inode):
                return known
        if Path(target).read_bytes() != data:
            return None
        return FileStamp(digest, st.st_size, st.st_mtime_ns, st.st_ino)


def _matching(
    path: str, known: Sequence[FileStamp], digest: bytes | None = None
) -> FileStamp | None:
    """The stamp among `known` (of those with `digest`, when given) that the file at `path`
    still has, if any."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    for k in known:
        if (
            k.inode == st.st_ino
            and k.mtime_ns == st.st_mtime_ns
            and k.size == st.st_size
            and (digest is None or k.digest == digest)
        ):
            return k
    return None


def intact(
    out_dir: Path,
    stamps: Mapping[str, FileStamp],
    previous: Stamps,
    trees: KnownTrees | None = None,
) -> dict[str, KeptFile]:
    """The files of the live site (by their `stamps`) that a rebuild may keep without rendering
    them: those with an intact copy of the same bytes, by the stamps the cache knows
    (`previous`, of the last builds' files). The staging folder's copy (the site before the
    live one) is looked at first: found, the write stage leaves it as it is; else the live
    file, which the write stage links. One stat for most pages, as most do not change from
    one edit to the next; none when `trees` knows what both folders hold."""
    out_dir = out_dir.absolute()
    held = trees.held(out_dir) if trees is not None else None
    if held is not None:
        return _known_intact(stamps, held[1], out_dir)
    live = str(out_dir)
    spare = spare_folder(out_dir)
    # A link or a file in the spare copy's place is removed by the write stage: nothing in it
    # is kept.
    usable = spare.is_dir() and not spare.is_symlink()
    kept: dict[str, KeptFile] = {}
    for relative, stamp in stamps.items():
        known = previous.get(relative, ()) if usable else ()
        staged = _matching(f"{spare}/{relative}", known, stamp.digest) if known else None
        if staged is not None or _matching(f"{live}/{relative}", (stamp,)) is not None:
            kept[relative] = KeptFile(relative, stamp.digest, staged)
    return kept


def _known_intact(
    stamps: Mapping[str, FileStamp], spare: Mapping[str, FileStamp], out_dir: Path
) -> dict[str, KeptFile]:
    """`intact`, by what the staging folder is known to hold (KnownTrees, `spare`: its files'
    stamps); the live site's file is looked at for the few pages it does not hold (those of
    the last edit)."""
    kept: dict[str, KeptFile] = {}
    for relative, stamp in stamps.items():
        staged = spare.get(relative)
        if staged is not None and staged.digest == stamp.digest:
            kept[relative] = KeptFile(relative, stamp.digest, staged)
        elif _matching(f"{out_dir}/{relative}", (stamp,)):
            kept[relative] = KeptFile(relative, stamp.digest)
    return kept


class LinkFound(Exception):
    """A symbolic link where a folder of pages goes in the staging folder (`folder`, relative)."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.folder = folder


class RealFolders:
    """The folders of the staging folder `root` that files are written into, made where
    missing and otherwise looked at once per build: a symbolic link put there by hand, which
    would carry the files written through it outside the site, raises LinkFound before
    anything is written. A file of the old site in the way is removed when `clear` (the write
    stage), else raises NotADirectoryError (a page worker leaves it to the stage)."""

    def __init__(self, root: Path, clear: bool = True) -> None:
        self.root = str(root)
        self._clear = clear
        self._known = {""}

    def make(self, folder: str) -> None:
        """`folder` (relative to the root, "" for the root itself) and its parents."""
        if folder in self._known:
            return
        self.make(folder.rpartition("/")[0])
        path = Path(f"{self.root}/{folder}")
        try:
            path.mkdir()
        except FileExistsError:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                raise LinkFound(folder) from None
            if not stat.S_ISDIR(mode):
                if not self._clear:
                    raise NotADirectoryError(path) from None
                path.unlink()
                with contextlib.suppress(FileExistsError):  # a page worker made it meanwhile
                    path.mkdir()
        self._known.add(folder)


def stage_new(
    folders: RealFolders, searchable: Callable[[bytes], bool], file: OutputFile
) -> OutputFile | StagedFile:
    """In a page worker (render/batch.py): `file` written into the staging folder of `folders`
    when nothing is there yet, so that a large site's files are made on every core, not by
    this stage alone (making a file and its folder is most of a cold build's writing), and
    told as a StagedFile (with what `searchable` says of its bytes); else `file` as it was,
    for this stage to see to (something in the way, a link, an unsafe path, an error). The
    stage makes the folder and holds the output lock before it asks for the first page."""
    try:
        relative = _safe_relative(file.path)
        folders.make(relative.rpartition("/")[0])
        target = f"{folders.root}/{relative}"
        stamp = _write_new(Path(target), file.data, xxhash.xxh3_128_digest(file.data))
    except (BuildFailed, LinkFound, OSError):
        return file
    return StagedFile(file.path, stamp, searchable(file.data))


def _replace_file(target: Path, data: bytes, digest: bytes) -> FileStamp:
    """Write to a new file and rename it over `target`: a new inode, so nothing that shares the
    old one (a hard link, a reader of the old site) sees the change. Where the staging folder
    has nothing yet (every file of a first build), the file is created in place: a rename costs
    as much again as the file on this kind of disk, and the staging folder is only published
    whole. A file cut short there by a crash is found by its size and replaced next time."""
    try:
        return _write_new(target, data, digest)
    except FileExistsError:
        pass
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    temporary = target.with_name(f".{target.name}.sahelbrief-tmp")
    temporary.unlink(missing_ok=True)
    stamp = _write_new(temporary, data, digest)
    temporary.replace(target)
    return stamp


def _write_new(path: Path, data: bytes, digest: bytes) -> FileStamp:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return FileStamp(digest, st.st_size, st.st_mtime_ns, st.st_ino)


def same_files(a: Path, b: Path) -> bool:
    """Whether folders `a` and `b` hold the very same files at their top level, by inode: one
    was copied from the other as hard links (whole, see search.carry_over) and neither was
    changed since (a changed file is always a new inode, see _replace_file)."""
    try:
        with os.scandir(a) as one, os.scandir(b) as other:
            mine, theirs = _inodes(one), _inodes(other)
    except OSError:
        return False
    return bool(mine) and mine == theirs


def _inodes(entries: Iterator[os.DirEntry[str]]) -> dict[str, int]:
    return {e.name: e.inode() for e in entries if e.is_file(follow_symlinks=False)}


Tree = dict[str, set[str]]  # the names in each folder of a site (relative; "" the top)
TRUST_SECONDS = 600.0  # how long KnownTrees is trusted without a build that looks at the disk
Known = tuple[Tree, Mapping[str, FileStamp]]  # a site's folders and its files' stamps


class KnownTrees:
    """The last two sites written into an output folder that no other process writes into
    (the preview's own): after a swap, the staging folder holds the site published before the
    live one, exactly as its build left it. So the prune takes its folders' names from here
    instead of listing some 14,000 folders (0.08 s of a preview edit at 5,000 articles), and
    the kept stage its files' stamps instead of a stat of each. The top folder is still listed:
    the preview's search bundle is put there between builds. A build that fails once it has
    begun writing leaves the staging folder in any state: nothing is known then until two
    more sites have been published; nor when the staging folder is no longer as the last swap
    left it (by its inode and change time: deleted or replaced since, or a name added or
    removed at its top). What changes deeper in it (by hand, or a cleaner of old files in
    /tmp, where the preview's folder is) is not seen that way, so every TRUST_SECONDS all is
    forgotten: the next two builds look at every folder and file of both copies again. The
    live site's files are still looked at, for the few pages the staging folder does not hold
    the same (those of the last edit)."""

    def __init__(self) -> None:
        self._live: Known | None = None
        self._spare: Known | None = None
        self._folder: tuple[int, int] | None = None  # the staging folder's, after the swap
        self._since = time.monotonic()  # when the builds began that this knowledge rests on

    def begin(self) -> None:
        """A build starts (the build cache's memos are told so)."""
        now = time.monotonic()
        if now - self._since > TRUST_SECONDS:
            self.forget()
            self._since = now

    def held(self, out_dir: Path) -> Known | None:
        """What the staging folder of `out_dir` holds, when known."""
        if self._spare is None or self._folder is None:
            return None  # (no spare copy was left by the last swap: it made the live site)
        if _stamp(out_dir) != self._folder:
            return None
        return self._spare

    def swapped(self, tree: Tree, published: Mapping[str, FileStamp], out_dir: Path) -> None:
        self._spare, self._live = self._live, (tree, published)
        self._folder = _stamp(out_dir)

    def forget(self) -> None:
        self._live = self._spare = None


def _stamp(out_dir: Path) -> tuple[int, int] | None:
    """The staging folder's inode and change time (which moves whenever a name is added to
    it or removed)."""
    try:
        st = spare_folder(out_dir).lstat()
    except OSError:
        return None
    return st.st_ino, st.st_ctime_ns


def _prune(
    root: Path,
    keep: Mapping[str, FileStamp],
    trash: Path,
    spared: set[str] | None = None,
    known: Tree | None = None,
) -> Tree:
    """Remove from the staging folder every file and folder that no page of this build wants
    (pages of deleted articles, leftovers of an interrupted build): files at once, folders
    moved into `trash` (one rename each, however many files they hold). Top-level folders in
    `spared` are left as they are, unless pages are written into them.

    Every folder the pages are in exists (the write made them) and holds, under each wanted
    name, what is wanted there (a file where a file is written, a folder where a folder is):
    only the other names of its listing are looked at, without a stat of every entry. A
    symbolic link put (by hand) where a folder of pages goes is refused (_refuse_links).
    `known`: the names each folder below the top held before this build (see KnownTrees),
    instead of its listing. Returns the names each folder now holds (but for what is added
    to the top folder after the prune)."""
    wanted: dict[str, set[str]] = {"": set()}
    for relative in keep:
        parent, _, name = relative.rpartition("/")
        while True:
            names = wanted.get(parent)
            if names is None:
                names = wanted[parent] = set()
                names.add(name)
                parent, _, name = parent.rpartition("/")
                continue
            names.add(name)
            break
    base = str(root)
    for folder, names in wanted.items():
        path = f"{base}/{folder}" if folder else base
        if known is not None and folder:
            unwanted_names = known.get(folder, names) - names
        else:
            unwanted_names = _listed(base, folder, wanted) - names
        if unwanted_names and folder:
            # Nothing is removed through a link (not listed yet, or put there since it was).
            _refuse_links(base, folder)
        for name in unwanted_names:
            unwanted = Path(f"{path}/{name}")
            try:
                mode = unwanted.lstat().st_mode
            except FileNotFoundError:
                continue  # gone already
            if stat.S_ISDIR(mode):
                if folder or name not in (spared or ()):
                    trash.mkdir(exist_ok=True)
                    unwanted.rename(trash / str(next(_TRASH)))
            else:
                unwanted.unlink()
    return wanted


def _listed(base: str, folder: str, wanted: Tree) -> set[str]:
    """The names in `folder` of the staging folder `base`; a symbolic link among them where
    the pages want a folder is refused."""
    prefix = f"{folder}/" if folder else ""
    held = set()
    with os.scandir(f"{base}/{folder}" if folder else base) as listing:
        for entry in listing:
            held.add(entry.name)
            # The kind comes with the listing: no stat. Only a folder can be a link here: a
            # file the pages want is always written or linked anew, never through one.
            if entry.is_symlink() and prefix + entry.name in wanted:
                _refuse_links(base, prefix + entry.name)
    return held


def _refuse_links(base: str, folder: str) -> None:
    """Before anything is written into or removed from `folder` of the staging folder `base`:
    that neither it nor a folder above it is a symbolic link (put there by hand: the write
    stage makes folders), through which files outside the site would be reached. One is
    removed, and the build fails (a build again makes a real folder there)."""
    parts = folder.split("/")
    for end in range(1, len(parts) + 1):
        relative = "/".join(parts[:end])
        link = Path(f"{base}/{relative}")
        if link.is_symlink():
            link.unlink()
            raise BuildFailed(
                "write",
                [
                    OutputError(
                        "was a symbolic link in the spare copy of the site, where a folder of "
                        "pages goes; it is removed: build again",
                        relative,
                    )
                ],
            )


def _safe_relative(path: str) -> str:
    if not path.startswith("/") and all(p not in ("", ".", "..") for p in path.split("/")):
        return path  # already a clean relative path (every path the build makes)
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise BuildFailed("write", [OutputError(f"unsafe output path {path!r}", path)])
    return pure.as_posix()


def _swap(staging: Path, out_dir: Path) -> None:
    """Put `staging` in place of `out_dir` with no moment at which `out_dir` is half-written:
    an atomic exchange where the kernel has one, otherwise two renames."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise BuildFailed(
            "write",
            [
                OutputError(
                    "exists and is not a folder; remove it or choose another output folder",
                    str(out_dir),
                )
            ],
        )
    if not _exchange(staging, out_dir):
        old = _sibling(out_dir, "old")
        out_dir.rename(old)
        staging.rename(out_dir)
        old.rename(staging)


def _flush(folder: Path) -> None:
    """Make everything written under `folder` durable: one syncfs() of its file system where
    libc has it, else an fsync() of every file."""
    syncfs = getattr(libc(), "syncfs", None)
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


_held = threading.local()


# Output folders whose lock this process holds for work of its own in the background (the
# preview's spare copy and search bundle): a build waiting for it is not told of another build.
_background: set[Path] = set()


@contextlib.contextmanager
def output_lock(out_dir: Path, background: bool = False) -> Iterator[None]:
    """Hold the exclusive lock of `out_dir` for a whole build, from before its sources are read:
    a build that started later always reads later sources, so it cannot be overtaken by an
    earlier one that then publishes older sources over it. Reentrant within a thread, so the
    write stage can take it again. `background`: for this process's own background work."""
    out_dir = out_dir.absolute()
    held: set[Path] = _held.__dict__.setdefault("paths", set())
    if out_dir in held:
        yield
        return
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    held.add(out_dir)
    try:
        with _lock(out_dir, quiet=background):
            if background:
                _background.add(out_dir)
            try:
                yield
            finally:
                _background.discard(out_dir)
    finally:
        held.discard(out_dir)


@contextlib.contextmanager
def _lock(out_dir: Path, quiet: bool = False) -> Iterator[None]:
    """Hold an exclusive lock for `out_dir`; a second build waits for the first to finish
    (and says so, unless `quiet` or the first is this process's own background work)."""
    lock_path = out_dir.with_name(f"{staging_prefix(out_dir)}lock")
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if quiet or out_dir in _background:
                log.debug("waiting for this process's background work on %s", out_dir)
            else:
                log.warning("another build is writing %s; waiting for it to finish", out_dir)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clean_leftovers(out_dir: Path) -> None:
    """Remove staging folders that a killed build left behind (we hold the lock, so no running
    build owns them). A build killed between the two renames of a non-atomic swap left the
    published site as `old-PID` and no output folder: put it back first."""
    prefix = staging_prefix(out_dir)
    olds = sorted(p for p in out_dir.parent.glob(prefix + "old-*") if p.is_dir())
    if olds and not out_dir.exists() and not out_dir.is_symlink():
        log.warning("restoring %s, moved aside by an interrupted build", out_dir.name)
        olds[0].rename(out_dir)
    for path in out_dir.parent.glob(prefix + "*"):
        if path.is_dir() and path.name.startswith(
            (prefix + "staging-", prefix + "old-", prefix + "trash-")
        ):
            log.info("removing %s left by an interrupted build", path.name)
            shutil.rmtree(path, ignore_errors=True)
