"""Command line: parses arguments, sets up logging, prints results, turns errors into
`Error: path:line: message` and exit status 1. Nothing else lives here."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import shutil
import signal
import sys
import threading
import traceback
import webbrowser
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sahelbrief import __version__, heap, layout
from sahelbrief.clock import build_date
from sahelbrief.config import load_config
from sahelbrief.errors import BuildFailed, SahelbriefError
from sahelbrief.pipeline import BuildOptions, BuildResult, build
from sahelbrief.progress import ProgressBar

# The other commands' modules are imported by their handlers: `build`, run again and again by
# editors and cron jobs, does not pay for the server, the link checker and their imports.

log = logging.getLogger("sahelbrief")
_PROJECT: dict[str, Any] = {
    "type": Path,
    "default": Path(),
    "metavar": "PROJECT_DIR",
    "help": "the project folder (default: .)",
}


def run() -> NoReturn:
    """The `sahelbrief` command: `main()`, then exit at once. A build of a large site leaves
    hundreds of megabytes of objects that the interpreter would otherwise free one by one on
    the way out (0.8 s after a 5,000-article build, a fifth of an edit's rebuild); by then every
    file is written and closed and every worker and thread has ended, so only the standard
    streams and the log handlers are left to flush."""
    heap.collect_seldom()
    status = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to tell
            stream.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    _terminate_cleanly()
    try:
        return int(args.run(args))
    except BuildFailed as failed:
        for error in failed.errors:
            print(f"Error: {error}", file=sys.stderr)
        count = failed.message.split(": ", 1)[1]
        if args.publishes:
            print(
                f"Build failed in the {failed.stage} stage: {count}; "
                "the previous site was left as it was.",
                file=sys.stderr,
            )
        else:
            print(f"{args.command} failed in the {failed.stage} stage: {count}.", file=sys.stderr)
        _traceback(args.verbose, failed)
        return 1
    except SahelbriefError as error:
        print(f"Error: {error}", file=sys.stderr)
        _traceback(args.verbose, error)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the previous site was left as it was.", file=sys.stderr)
        return 130
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"Error: {where}{error.strerror or error}", file=sys.stderr)
        _traceback(args.verbose, error)
        return 1
    except Exception as error:
        # Unattended runs (cron, CI) read stderr, not tracebacks: say what happened in one line.
        left = " The previous site was left as it was." if args.publishes else ""
        print(
            f"Error: internal error ({type(error).__name__}: {error}); this is a bug in "
            f"sahelbrief, please report it with the output of -v.{left}",
            file=sys.stderr,
        )
        _traceback(args.verbose, error)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sahelbrief",
        description="Build a news briefing website from raw articles and Markdown.",
    )
    parser.add_argument("--version", action="version", version=f"sahelbrief {__version__}")
    commands = parser.add_subparsers(
        title="commands", required=True, metavar="COMMAND", dest="command"
    )
    # Whether a failure leaves a published site as it was (worth saying): build and serve.
    parser.set_defaults(publishes=False)

    build_cmd = commands.add_parser("build", help="build the site into site/")
    build_cmd.add_argument("project_dir", nargs="?", **_PROJECT)
    build_cmd.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: PROJECT_DIR/site)"
    )
    build_cmd.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will be served, e.g. https://example.org/brief/",
    )
    build_cmd.add_argument(
        "--drafts",
        action="store_true",
        help='include drafts and future-dated articles ("today" is SOURCE_DATE_EPOCH when set)',
    )
    build_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the build cache (.sahelbrief-cache/): read, convert and write everything",
    )
    build_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="processes for Markdown conversion (default: the CPUs available)",
    )
    build_cmd.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write a JSON report of every paragraph kept or removed",
    )
    _add_verbosity(build_cmd)
    build_cmd.set_defaults(run=_build, publishes=True)

    serve_cmd = commands.add_parser(
        "serve", help="preview the site, rebuilding and reloading open pages on every change"
    )
    serve_cmd.add_argument("project_dir", nargs="?", **_PROJECT)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, help="port to listen on; 0 picks a free one"
    )
    serve_cmd.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_cmd.add_argument(
        "--poll", action="store_true", help="poll for changes instead of native file events"
    )
    serve_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    _add_verbosity(serve_cmd)
    serve_cmd.set_defaults(run=_serve, publishes=True)
    dedup_cmd = commands.add_parser(
        "dedup", help="show which paragraphs a build would remove and why, without building"
    )
    dedup_cmd.add_argument(
        "project_dir",
        nargs="?",
        type=Path,
        default=Path(),
        metavar="PROJECT_DIR",
        help="the project folder (default: .)",
    )
    dedup_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    dedup_cmd.add_argument("--all", action="store_true", help="list kept paragraphs too")
    _add_verbosity(dedup_cmd)
    dedup_cmd.set_defaults(run=_dedup)

    new_cmd = commands.add_parser("new", help="start a story: content/YYYY-MM-DD-slug.md")
    new_cmd.add_argument("headline", metavar="HEADLINE", help="the story's headline")
    new_cmd.add_argument("-C", "--project", dest="project_dir", **_PROJECT)
    new_cmd.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the story's date (default: today, or SOURCE_DATE_EPOCH's day)",
    )
    _add_verbosity(new_cmd)
    new_cmd.set_defaults(run=_new)

    init_cmd = commands.add_parser("init", help="create a new briefing project in DIR")
    init_cmd.add_argument("directory", type=Path, metavar="DIR", help="a new or empty folder")
    _add_verbosity(init_cmd)
    init_cmd.set_defaults(run=_init)

    check_cmd = commands.add_parser(
        "check", help="build without publishing and check sources, config, links and anchors"
    )
    check_cmd.add_argument("project_dir", nargs="?", **_PROJECT)
    check_cmd.add_argument("--base-url", metavar="URL", help="check as if served from URL")
    check_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    _add_verbosity(check_cmd)
    check_cmd.set_defaults(run=_check)
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: 0 to 65535 (0 picks a free one)")
    return port


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _add_verbosity(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show each stage's time, and tracebacks on errors",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="print errors only")


def _build(args: argparse.Namespace) -> int:
    project = args.project_dir
    if not project.is_dir():
        raise SahelbriefError("is not a folder", str(project))
    if args.jobs is not None and args.jobs < 1:
        raise SahelbriefError("--jobs must be at least 1")
    if args.report:
        _check_report_path(args.report, project, args.output or project / "site")
    bar = None if args.quiet else ProgressBar(sys.stderr)
    options = BuildOptions(
        args.output,
        args.base_url,
        args.drafts,
        use_cache=not args.no_cache,
        jobs=args.jobs,
        progress=bar,
        report=args.report is not None,
    )
    try:
        result = build(project, options)
    finally:
        if bar:
            bar.close()
    if args.report:
        assert result.report is not None  # asked for above
        _write_report(args.report, result.report)
    for name, seconds in result.timings:
        log.debug("  %-14s %6.3f s", name, seconds)
    if result.skipped:
        log.debug("nothing changed since the last build: %s left as it was", result.out_dir)
    else:
        log.debug(
            "%d files written, %d unchanged kept", result.written, result.files - result.written
        )
    if not args.quiet:
        print(summary_line(result, project))
    return 0


def _serve(args: argparse.Namespace) -> int:
    project = args.project_dir
    if not project.is_dir():
        raise SahelbriefError("is not a folder", str(project))
    from sahelbrief.serve import Preview, ServeOptions

    options = ServeOptions(args.host, args.port, args.poll, args.drafts)
    try:
        with Preview(project, build, options) as preview:
            print(f"Serving {project.resolve()} at {preview.url} (Ctrl-C to stop)", flush=True)
            if preview.polling:
                log.info("Watching for changes by polling")
            if args.open:
                webbrowser.open(preview.url)
            preview.wait()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    return 0


def _dedup(args: argparse.Namespace) -> int:
    project = args.project_dir
    if not project.is_dir():
        raise SahelbriefError("is not a folder", str(project))
    width = shutil.get_terminal_size((100, 24)).columns
    from sahelbrief import dedup_table
    from sahelbrief.pipeline import analyse

    print(dedup_table.render(analyse(project, args.drafts), width, args.all), end="")
    return 0


def _new(args: argparse.Namespace) -> int:
    project = args.project_dir
    config = load_config(project)
    from sahelbrief.scaffold import new_story

    path = new_story(project, args.headline, args.date or build_date(config.timezone))
    if not args.quiet:
        print(
            f"Created {path.relative_to(project).as_posix()} (a draft until you remove draft: true)"
        )
    return 0


def _init(args: argparse.Namespace) -> int:
    from sahelbrief.scaffold import init_project

    created = init_project(args.directory)
    if not args.quiet:
        print(f"Created a briefing project in {args.directory} ({_plural(len(created), 'file')}).")
        print(f"Next: cd {args.directory} && sahelbrief build")
    return 0


def _check(args: argparse.Namespace) -> int:
    project = args.project_dir
    if not project.is_dir():
        raise SahelbriefError("is not a folder", str(project))
    from sahelbrief.check import check_project

    result = check_project(project, args.base_url, args.drafts)
    for warning in result.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    for problem in result.problems:
        print(f"Error: {problem}", file=sys.stderr)
    if result.problems:
        print(f"Check failed: {_plural(len(result.problems), 'problem')}.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(
            f"No problems: {_plural(result.pages, 'page')} built, "
            f"{_plural(result.links, 'internal link')} checked."
        )
    return 0


def summary_line(result: BuildResult, project: Path) -> str:
    try:
        where = result.out_dir.resolve().relative_to(project.resolve()).as_posix() + "/"
    except ValueError:
        where = str(result.out_dir)
    files = _plural(result.files, "file")
    if result.skipped:
        return (
            f"Nothing changed since the last build: {files} in {where}, in {result.seconds:.2f} s"
        )
    built = [_plural(result.articles, "article")]
    if result.briefs:
        built.append(_plural(result.briefs, "editor's note"))
    if result.pages:
        built.append(_plural(result.pages, "page"))
    held = (
        f" ({result.drafts_skipped} held back as draft or future-dated)"
        if result.drafts_skipped
        else ""
    )
    unchanged = result.files - result.written
    output = (
        f"{files} in {where} ({result.written} written, {unchanged} unchanged)"
        if unchanged
        else f"{files} written to {where}"
    )
    return (
        f"Built {', '.join(built[:-1]) + ' and ' + built[-1] if len(built) > 1 else built[0]}"
        f"{held}: {output}, "
        f"{result.removed} of {_plural(result.paragraphs, 'paragraph')} removed as repeats, "
        f"in {result.seconds:.2f} s"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _check_report_path(path: Path, project: Path, out_dir: Path) -> None:
    """Refuse, before building, a --report path the report cannot or must not replace: a
    folder, the project's sources, or the output folder (and its spare copy), which each build
    replaces."""
    if path.is_dir():
        raise SahelbriefError(
            "is a folder: --report takes a file name, such as report.json", str(path)
        )
    real = Path(os.path.realpath(path))
    for source in layout.sources(project):
        folder = Path(os.path.realpath(source))
        if real == folder or folder in real.parents:
            raise SahelbriefError(
                f"is the project's {source.name} or in it, which --report must not replace or "
                "add to: write the report elsewhere, such as report.json",
                str(path),
            )
    out = Path(os.path.realpath(out_dir))
    for folder in (real, *real.parents):
        if folder == out or (
            folder.parent == out.parent and folder.name.startswith(f".{out.name}.")
        ):
            raise SahelbriefError(
                "is in the output folder, which each build replaces as a whole: write the report "
                "elsewhere, such as report.json",
                str(path),
            )


def _write_report(path: Path, data: object) -> None:
    """Write beside the target and rename, so a reader never sees half a report; a report that
    cannot be written leaves no temporary file (the site is built by then). The file gets the
    usual permissions (the umask's), not a temporary file's owner-only ones."""
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("x", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        temporary.replace(path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            temporary.unlink()
        if isinstance(exc, OSError):
            message = f"cannot write the report: {exc.strerror or exc}; the site was built"
            raise SahelbriefError(message, str(path)) from exc
        raise


def _configure_logging(verbose: bool, quiet: bool) -> None:
    """Our messages at INFO (DEBUG with -v, errors only with -q); other libraries' at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if quiet else logging.WARNING)
    log.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.INFO)


def _terminate_cleanly() -> None:
    """Turn SIGTERM (a CI timeout, `kill`, systemd stopping a job) into KeyboardInterrupt, so the
    build unwinds and removes its staging folder instead of leaving it for the next build."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def _traceback(verbose: bool, error: BaseException) -> None:
    if verbose:
        traceback.print_exception(type(error), error, error.__traceback__)
