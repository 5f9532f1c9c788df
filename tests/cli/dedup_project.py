"""A small project with the cases story clustering must handle, for site-level tests."""

from __future__ import annotations

from pathlib import Path

LEAD = (
    "Gunmen killed 12 soldiers in an attack on a military post near Menaka on Sunday, the army "
    "said in a statement read on state television."
)
SECOND = (
    "The attack is the deadliest on the army this year in the region, where jihadist groups "
    "linked to al-Qaeda and the Islamic State group have expanded their operations."
)
THIRD = (
    "Residents said the assailants arrived on dozens of motorbikes at dawn and set fire to "
    "vehicles before withdrawing towards the border with Niger."
)
BACKGROUND = (
    "Mali has been ruled by a military junta since 2020, which expelled French troops and turned "
    "to Russian mercenaries to fight the insurgency that began in the north in 2012."
)
EXTRA = (
    "A local official reached by telephone said the wounded had been evacuated to the hospital "
    "in Gao, where doctors were struggling to cope."
)

FILES = {
    "seeds/2026-03-01-wire.txt": (
        "---\nsource: {name: Sahel Wire, url: 'https://wire.example/menaka'}\n---\n"
        f"Twelve soldiers killed near Menaka\n{LEAD}\n{SECOND}\n{THIRD}\n"
    ),
    # The same wire story re-filed by another outlet: a dateline, "says", one paragraph added.
    "seeds/2026-03-02-copy.txt": (
        "---\nsource: {name: Daily Bamako, url: 'https://daily.example/menaka'}\n---\n"
        "Attack on army post near Menaka kills 12\n"
        f"MENAKA, Mali (AFP) — {LEAD.replace('the army said', 'the army says')}\n"
        f"{SECOND}\n{THIRD}\n{EXTRA}\n"
    ),
    # A later story on another subject that repeats a background paragraph.
    "seeds/2026-03-03-background.txt": (
        "Junta extends transition by five years\n"
        "Mali's military rulers extended the political transition by five years on Wednesday, "
        "naming the junta leader president without an election.\n"
        f"{BACKGROUND}\n"
    ),
    "seeds/2026-03-01-analysis.txt": (
        "Why the junta is struggling\n"
        "The junta promised to restore security when it took power, but attacks have spread to "
        "new regions every year since, analysts say.\n"
        f"{BACKGROUND}\n"
    ),
    # An update with a changed toll: not a copy, its changed paragraph stays.
    "seeds/2026-03-04-update.txt": (
        "Toll rises in Menaka attack\n"
        f"{LEAD.replace('12 soldiers', '15 soldiers')}\n{SECOND}\n{THIRD}\n"
    ),
}


def write_project(root: Path) -> Path:
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
