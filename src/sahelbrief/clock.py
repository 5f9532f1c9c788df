"""What day it is for a build: the one place sahelbrief reads the wall clock.

SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) fixes "now", so two
builds of the same sources are byte-identical; without it, today's date in the site's time zone.
"Now" decides which articles are future-dated (left out unless --drafts), which have expired and
which edition is the latest.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from sahelbrief.errors import ConfigError

ENVIRONMENT_VARIABLE = "SOURCE_DATE_EPOCH"


def build_date(timezone: str, environ: Mapping[str, str] | None = None) -> dt.date:
    environ = os.environ if environ is None else environ
    zone = ZoneInfo(timezone)
    epoch = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not epoch:
        return dt.datetime.now(zone).date()
    try:
        return dt.datetime.fromtimestamp(int(epoch), zone).date()
    except (ValueError, OverflowError, OSError) as exc:
        raise ConfigError(
            f"{ENVIRONMENT_VARIABLE}={epoch!r} is not a whole number of seconds since 1970"
        ) from exc
