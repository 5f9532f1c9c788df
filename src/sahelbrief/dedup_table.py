"""`sahelbrief dedup`: what dedupe would remove and why, as text tables (one per article), with
near-duplicates side by side. Formatting only; the decisions come from the dedupe stage."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterator

from sahelbrief.model import Article, Deduped, Lookalike, Paragraph, Ref

_HEADER = f"{'line':>5}  {'role':<7} {'status':<8} {'reason':<12} {'duplicate of':<36} {'sim':>5}"


def render(deduped: Deduped, width: int = 100, show_kept: bool = False) -> str:
    texts = {(a.source, p.line): p.text for a in deduped.articles for p in a.paragraphs}
    lookalikes: dict[str, list[Lookalike]] = {}
    for item in deduped.lookalikes:
        lookalikes.setdefault(item.paragraph.source, []).append(item)
    blocks = [
        "\n".join(_article(a, texts, lookalikes.get(a.source, []), width, show_kept))
        for a in sorted(deduped.articles, key=lambda a: a.source)
        if show_kept
        or a.merged_into
        or lookalikes.get(a.source)
        or not all(p.kept for p in a.paragraphs)
    ]
    return "\n\n".join([*blocks, _summary(deduped)]) + "\n"


def _article(
    article: Article,
    texts: dict[tuple[str, int], str],
    lookalikes: list[Lookalike],
    width: int,
    show_kept: bool,
) -> Iterator[str]:
    merged = f"  (a copy of the story {article.merged_into}: merged)" if article.merged_into else ""
    yield f"== {article.source}{merged}"
    yield _HEADER
    for paragraph in article.paragraphs:
        if paragraph.kept and not show_kept:
            continue
        yield _row(paragraph)
        removal = paragraph.removal
        if removal is None:
            continue
        of = removal.duplicate_of
        if removal.reason == "near" and of is not None:
            yield from _side_by_side(
                ("removed", paragraph.text),
                (f"kept: {_where(of)}", texts.get((of.source, of.line), "")),
                width,
            )
        else:
            yield from (f"       {line}" for line in textwrap.wrap(paragraph.text, width - 7)[:2])
    for item in lookalikes:
        yield (
            f"{item.paragraph.line:>5}  kept apart from {_where(item.other)} "
            f"(similarity {item.similarity:.2f}): {item.reason}"
        )
        yield from _side_by_side(
            ("kept", texts.get((item.paragraph.source, item.paragraph.line), "")),
            (
                f"also kept: {_where(item.other)}",
                texts.get((item.other.source, item.other.line), ""),
            ),
            width,
        )


def _row(paragraph: Paragraph) -> str:
    removal = paragraph.removal
    status = "kept" if removal is None else "removed"
    reason = removal.reason if removal else ""
    of = _where(removal.duplicate_of) if removal and removal.duplicate_of else ""
    sim = f"{removal.similarity:.2f}" if removal and removal.similarity is not None else ""
    return f"{paragraph.line:>5}  {paragraph.role:<7} {status:<8} {reason:<12} {of:<36} {sim:>5}"


def _side_by_side(left: tuple[str, str], right: tuple[str, str], width: int) -> Iterator[str]:
    column = max(20, (width - 10) // 2)
    a = [left[0], "-" * len(left[0]), *textwrap.wrap(left[1], column)]
    b = [right[0], "-" * len(right[0]), *textwrap.wrap(right[1], column)]
    for i in range(max(len(a), len(b))):
        la = a[i] if i < len(a) else ""
        lb = b[i] if i < len(b) else ""
        yield f"       {la:<{column}} | {lb}".rstrip()


def _where(ref: Ref) -> str:
    return f"{ref.source}:{ref.line}"


def _summary(deduped: Deduped) -> str:
    paragraphs = [p for a in deduped.articles for p in a.paragraphs]
    reasons = Counter(p.removal.reason for p in paragraphs if p.removal)
    merged = sum(1 for a in deduped.articles if a.merged_into)
    by_reason = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "none"
    return (
        f"{sum(reasons.values())} of {len(paragraphs)} paragraphs would be removed ({by_reason}); "
        f"{merged} article{'s' if merged != 1 else ''} merged into another story; "
        f"{len(deduped.lookalikes)} look-alike pair{'s' if len(deduped.lookalikes) != 1 else ''} "
        "kept apart because a fact differs."
    )
