"""`sahelbrief check`: build into a temporary folder (nothing is published), then check every
internal link and anchor of the result, the way `zola check` does. Every problem is reported
at file:line: a link written in a source at the source's line, a link the theme made at the
built page's line."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sahelbrief.config import BASE_URL_OPTION, CONFIG_FILE, load_config
from sahelbrief.errors import BuildFailed, SahelbriefError
from sahelbrief.linkcheck import BrokenLink, check_site
from sahelbrief.pipeline import BuildOptions, build

_EXAMPLE_HOSTS = ("example.org", "example.com", "example.net")
TEXT_EDITION = "text/"


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[SahelbriefError, ...]
    warnings: tuple[SahelbriefError, ...]
    pages: int = 0
    links: int = 0


def check_project(
    project_dir: Path, base_url: str | None = None, drafts: bool = False
) -> CheckResult:
    try:
        config = load_config(project_dir, base_url)
    except BuildFailed as failed:
        return CheckResult(failed.errors, ())
    except SahelbriefError as error:
        return CheckResult((error,), ())
    warnings = _config_warnings(
        config.base_url, CONFIG_FILE if base_url is None else BASE_URL_OPTION
    )
    with tempfile.TemporaryDirectory(prefix="sahelbrief-check-") as temp:
        out = Path(temp) / "site"
        try:
            result = build(project_dir, BuildOptions(out, base_url, drafts))
        except BuildFailed as failed:
            return CheckResult(failed.errors, warnings)
        except SahelbriefError as error:
            return CheckResult((error,), warnings)
        links = check_site(out, config.base_url)
        assert result.report is not None  # BuildOptions.report is on by default
        sources = {
            row["output"]: row["source"] for row in result.report["articles"] if row["output"]
        }
        unique: dict[tuple[str | None, int | None, str], SahelbriefError] = {}
        for broken in links.broken:
            located = _locate(broken, sources, project_dir, config.base_path)
            # A story's broken link shows again in the listings that quote it and in the text
            # edition: report it once, where it is written.
            target = _spellings(broken.link.target, config.base_path)[-1]
            unique.setdefault((located.path, located.line, target), located)
    return CheckResult(tuple(unique.values()), warnings, links.pages, links.links)


def _config_warnings(base_url: str, origin: str) -> tuple[SahelbriefError, ...]:
    """Warnings about `base_url`, which `origin` set (the configuration file or the option)."""
    host = urlsplit(base_url).hostname
    if host is None:
        return (
            SahelbriefError(
                f"base_url {base_url!r} is a path, so no feeds, sitemaps or absolute canonical "
                "links are built; set it to the full address, e.g. https://example.net/brief/",
                origin,
            ),
        )
    if host in _EXAMPLE_HOSTS or host.endswith(tuple("." + h for h in _EXAMPLE_HOSTS)):
        return (
            SahelbriefError(
                f"base_url still points at the example domain {host}; set it to the real "
                "address before publishing",
                origin,
            ),
        )
    return ()


def _locate(
    broken: BrokenLink, sources: dict[str, str], project_dir: Path, base_path: str
) -> SahelbriefError:
    """Point at the source line that holds the link when a source wrote it; otherwise at the
    line of the built page (a link made by the theme's templates)."""
    link = broken.link
    message = f"link to {link.target}: {broken.problem}"
    spellings = _spellings(link.target, base_path)
    own = sources.get(link.page.removeprefix(TEXT_EDITION))
    # The page's own source first, then any source (a listing quotes its stories' text).
    for source in ([own] if own else []) + sorted(set(sources.values())):
        line = _line_of(project_dir / source, spellings)
        if line is not None:
            return SahelbriefError(message, source, line)
    return SahelbriefError(
        f"{message} (in the built page {link.page}, made by the theme)", link.page, link.line
    )


def _spellings(target: str, base_path: str) -> list[str]:
    """How the link may be written in the source, most literal first: the render stage
    prefixes root-relative links with the base path, and the text edition with text/."""
    found = [target]
    if target.startswith(base_path):
        found.append("/" + target[len(base_path) :])
        if found[-1].startswith("/" + TEXT_EDITION):
            found.append(found[-1][len(TEXT_EDITION) :])
    return found


def _line_of(path: Path, needles: list[str]) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for needle in needles:
        for number, text in enumerate(lines, 1):
            if needle in text:
                return number
    return None
