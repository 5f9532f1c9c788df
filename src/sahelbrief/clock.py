"""What day it is for a build: the one place sahelbrief reads the wall clock.

SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) fixes "now", so two
builds of the same sources are byte-identical; without it, today's date in the site's time zone.
"Now" decides which articles are future-dated (left out unless --drafts), which have expired and
which edition is the latest.

The machine-readable files (feeds, the news sitemap) never read the wall clock: they use
SOURCE_DATE_EPOCH when set, else the articles' own dates (`source_date_epoch`, `moment`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from sahelbrief.errors import ConfigError
from sahelbrief.model import Article

ENVIRONMENT_VARIABLE = "SOURCE_DATE_EPOCH"


def build_date(timezone: str, environ: Mapping[str, str] | None = None) -> dt.date:
    zone = ZoneInfo(timezone)
    epoch = source_date_epoch(environ)
    if epoch is None:
        return dt.datetime.now(zone).date()
    return dt.datetime.fromtimestamp(epoch, zone).date()


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int | None:
    """SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) when set."""
    environ = os.environ if environ is None else environ
    epoch = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not epoch:
        return None
    try:
        value = int(epoch)
        dt.datetime.fromtimestamp(value, dt.timezone.utc)
    except (ValueError, OverflowError, OSError) as exc:
        raise ConfigError(
            f"{ENVIRONMENT_VARIABLE}={epoch!r} is not a whole number of seconds since 1970"
        ) from exc
    return value


def moment(day: dt.date, timezone: str) -> dt.datetime:
    """A date as an aware datetime: midnight in the site's time zone (a datetime is kept, and
    given the site's zone when it has none)."""
    if isinstance(day, dt.datetime):
        return day if day.tzinfo else day.replace(tzinfo=ZoneInfo(timezone))
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone))


def rfc3339(moment_: dt.datetime) -> str:
    return moment_.isoformat(timespec="seconds").replace("+00:00", "Z")


def last_change(article: Article) -> dt.date | None:
    """When a story last changed: the latest of its date, `updated` and its corrections' dates
    (a correction is a change readers and feed readers must see)."""
    days = [article.date, article.updated, *(c.date for c in article.corrections)]
    return max((d for d in days if d is not None), default=None)
