"""A realistic published site for the machine-facing checks: the repository's own seeds/ and
content/, plus a week of dated stories with topics, countries, a French story, an update, a
correction, an editor's brief and a headline that tries to break out of its markup.

Built twice, for the domain root and for a subpath, with SOURCE_DATE_EPOCH fixed so "now" (the
news sitemap's two-day window, future-dated stories) does not depend on the day the tests run.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sahelbrief.pipeline import BuildOptions, build
from tests.conftest import REPO, write_tree

# 2026-11-24T18:00:00Z: stories of 2026-11-23 and 2026-11-24 are "the last two days".
SOURCE_DATE_EPOCH = "1795543200"
BASES = {"root": "https://example.org/", "subpath": "https://example.org/brief/"}

STORIES = """
-- content/2026-11-18-fuel-blockade-bamako.md --
---
title: Fuel blockade tightens around Bamako as JNIM targets convoys
date: 2026-11-18
summary: >-
  Queues at Bamako's filling stations grew longer as JNIM fighters attacked fuel convoys on
  the roads from Senegal and Ivory Coast.
author: Aminata Diallo
source: {name: Sahel Wire, url: "https://wire.example.net/2026/11/18/bamako-fuel"}
---

Fuel convoys heading for Bamako were attacked again this week on the main road from Dakar,
drivers' unions in Mali said, as JNIM tightened a blockade it declared in September.

Schools in the capital closed for a second week. See also the [editor's note on Wagner's
exit](/briefs/2026-11-24/) and [how repeats are handled](/about/#how-repeats-are-handled).

## What the blockade means

Prices of transport and food have doubled in some markets.

-- content/2026-11-20-niger-frontiere-benin.md --
---
title: Le Niger rouvre la frontière avec le Bénin à Gaya
date: 2026-11-20
summary: >-
  Les autorités du Niger ont rouvert le poste frontière de Gaya, fermé depuis plusieurs
  mois, ce qui soulage les commerçants des deux pays.
source: {name: Agence Sahel Info, url: "https://asi.example.net/niger-gaya"}
---

Les camions chargés de vivres et de carburant circulent de nouveau entre le Niger et le Bénin
depuis mardi, selon les autorités de Niamey qui ont rouvert le poste frontière de Gaya.

La fermeture avait fait monter les prix sur les marchés du pays pendant plusieurs mois.

-- content/2026-11-22-burkina-faso-coup-attempt.md --
---
title: Burkina Faso junta says it foiled a coup attempt in Ouagadougou
date: 2026-11-22
updated: 2026-11-23
summary: >-
  Burkina Faso's military government said it had arrested officers accused of plotting a
  coup, the latest of several it says it has foiled.
author: The Sahel Brief desk
source: {name: Sahel Wire}
corrections:
  - date: 2026-11-23
    note: An earlier version said twelve officers were arrested; the government said nine.
---

Burkina Faso's junta said on Saturday that it had foiled a coup attempt and arrested nine
officers in Ouagadougou, in a statement read on state television.

The government has announced several such plots since Captain Ibrahim Traoré took power in a
coup in 2022.

-- content/2026-11-23-chad-election-results.md --
---
title: "Chad: <script>alert('x')</script> election results </script> delayed"
date: 2026-11-23
summary: >-
  Results of Chad's legislative election were delayed again, the electoral body said.
  </script><b>not bold</b>
source: {name: "N'Djamena Post & Co", url: "https://ndjamena.example.net/results?a=1&b=2"}
---

Chad's electoral body said results of Sunday's legislative election would be announced next
week, citing delays in collecting tally sheets from remote regions.

Opposition parties said the delay raised doubts about the count in N'Djamena.

-- content/2026-11-24-africa-corps-mali.md --
---
title: Africa Corps takes over Wagner bases in central Mali
date: 2026-11-24
summary: >-
  Russia's Africa Corps moved into bases in central Mali that Wagner Group fighters left
  this month, residents said.
topics: [Africa Corps, Wagner Group]
countries: [Mali]
---

Residents near Mopti in Mali said soldiers of Russia's Africa Corps had moved into two bases
left by the Wagner Group, whose withdrawal was announced this month.

The Malian army did not comment.

-- content/2026-11-23-brief.md --
---
title: "Today: Mali's blockade, Chad's count"
kind: brief
date: 2026-11-23
---

Good morning. Today's briefing leads with Mali, where Africa Corps replaces Wagner, and Chad,
where results are late again.
"""


@dataclass(frozen=True)
class Published:
    project: Path
    sites: dict[str, Path]  # "root" / "subpath" -> built folder

    def site(self, case: str) -> Path:
        return self.sites[case]


def make_project(root: Path) -> Path:
    """The repository's sources plus the dated stories above."""
    project = root / "project"
    for folder in ("seeds", "content"):
        shutil.copytree(REPO / folder, project / folder)
    (project / "sahelbrief.yaml").write_text(
        "title: Sahel Brief\nper_page: 3\nfeed_limit: 10\n", encoding="utf-8"
    )
    return write_tree(project, STORIES)


def build_published(root: Path) -> Published:
    project = make_project(root)
    sites: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        for case, base_url in BASES.items():
            sites[case] = root / case
            build(project, BuildOptions(sites[case], base_url))
    return Published(project, sites)


def local_path(site: Path, url: str, base_url: str) -> Path | None:
    """The built file an absolute URL of the site names, or None if it is not the site's."""
    if not url.startswith(base_url):
        return None
    relative = url[len(base_url) :].split("#")[0].split("?")[0]
    target = site / relative
    return target / "index.html" if relative.endswith("/") or not relative else target
