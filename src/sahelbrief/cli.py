"""Command line: parses arguments, sets up logging, prints results, turns errors into
`Error: path:line: message` and exit status 1. Nothing else lives here."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from sahelbrief import __version__, dedup_table
from sahelbrief.errors import BuildFailed, SahelbriefError
from sahelbrief.pipeline import BuildOptions, BuildResult, analyse, build

log = logging.getLogger("sahelbrief")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    try:
        return int(args.run(args))
    except BuildFailed as failed:
        for error in failed.errors:
            print(f"Error: {error}", file=sys.stderr)
        print(
            f"Build failed in the {failed.stage} stage: {failed.message.split(': ', 1)[1]}; "
            "the previous site was left as it was.",
            file=sys.stderr,
        )
        _traceback(args.verbose, failed)
        return 1
    except SahelbriefError as error:
        print(f"Error: {error}", file=sys.stderr)
        _traceback(args.verbose, error)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sahelbrief",
        description="Build a news briefing website from raw articles and Markdown.",
    )
    parser.add_argument("--version", action="version", version=f"sahelbrief {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into site/")
    build_cmd.add_argument(
        "project_dir",
        nargs="?",
        type=Path,
        default=Path(),
        metavar="PROJECT_DIR",
        help="the project folder (default: .)",
    )
    build_cmd.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output folder (default: PROJECT_DIR/site)"
    )
    build_cmd.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will be served, e.g. https://example.org/brief/",
    )
    build_cmd.add_argument("--drafts", action="store_true", help="include draft articles")
    build_cmd.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write a JSON report of every paragraph kept or removed",
    )
    _add_verbosity(build_cmd)
    build_cmd.set_defaults(run=_build)

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
    return parser


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
    result = build(project, BuildOptions(args.output, args.base_url, args.drafts))
    if args.report:
        _write_json(args.report, result.report)
    for name, seconds in result.timings:
        log.debug("  %-14s %6.3f s", name, seconds)
    if not args.quiet:
        print(summary_line(result, project))
    return 0


def _dedup(args: argparse.Namespace) -> int:
    project = args.project_dir
    if not project.is_dir():
        raise SahelbriefError("is not a folder", str(project))
    width = shutil.get_terminal_size((100, 24)).columns
    print(dedup_table.render(analyse(project, args.drafts), width, args.all), end="")
    return 0


def summary_line(result: BuildResult, project: Path) -> str:
    pages = f" and {_plural(result.pages, 'page')}" if result.pages else ""
    drafts = (
        f" ({_plural(result.drafts_skipped, 'draft')} left out)" if result.drafts_skipped else ""
    )
    try:
        where = result.out_dir.resolve().relative_to(project.resolve()).as_posix() + "/"
    except ValueError:
        where = str(result.out_dir)
    return (
        f"Built {_plural(result.articles, 'article')}{pages}{drafts}: "
        f"{_plural(result.files, 'file')} written to {where}, "
        f"{result.removed} of {_plural(result.paragraphs, 'paragraph')} removed as repeats, "
        f"in {result.seconds:.2f} s"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _write_json(path: Path, data: object) -> None:
    """Write beside the target and rename, so a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, prefix=f".{path.name}.", suffix=".tmp"
    ) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    Path(handle.name).replace(path)


def _configure_logging(verbose: bool, quiet: bool) -> None:
    """Our messages at INFO (DEBUG with -v, errors only with -q); other libraries' at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if quiet else logging.WARNING)
    log.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.INFO)


def _traceback(verbose: bool, error: BaseException) -> None:
    if verbose:
        traceback.print_exception(type(error), error, error.__traceback__)
