"""Dates as the machine-readable files need them, without the wall clock: an article's date as
an aware datetime, and the SOURCE_DATE_EPOCH convention for reproducible builds."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from sahelbrief.errors import ConfigError


def moment(day: dt.date, timezone: str) -> dt.datetime:
    """A date as an aware datetime: midnight in the site's time zone (a datetime is kept, and
    given the site's zone when it has none)."""
    if isinstance(day, dt.datetime):
        return day if day.tzinfo else day.replace(tzinfo=ZoneInfo(timezone))
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone))


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) when set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ConfigError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return int(value)


def rfc3339(moment_: dt.datetime) -> str:
    return moment_.isoformat(timespec="seconds").replace("+00:00", "Z")
