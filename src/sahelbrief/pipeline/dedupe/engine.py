"""Pass 2 over every paragraph of the site, in canonical order (pass 1 is rows.py).

Paragraph by paragraph: furniture, boilerplate, exact repeat, near repeat (with the fact
guard), split paragraph; the story clustering then runs on what this pass matched. A decision
depends only on the paragraphs before it in that order, the word ranks (fixed by the words
alone, ranks.py) and which short lines are boilerplate, so the pass can resume from any
article (see memory.py).
"""

from __future__ import annotations

import dataclasses
import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sahelbrief.config import DedupConfig
from sahelbrief.model import Article, Lookalike, Paragraph, Ref, Removal
from sahelbrief.pipeline.dedupe import batch, guard, replay
from sahelbrief.pipeline.dedupe.furniture import has_boilerplate_marker, is_furniture
from sahelbrief.pipeline.dedupe.grams import Grams, Packed
from sahelbrief.pipeline.dedupe.near import Join, NearIndex, Place
from sahelbrief.pipeline.dedupe.replay import OldArticle, Tail, Touched
from sahelbrief.pipeline.dedupe.rows import Row, Rows
from sahelbrief.pipeline.dedupe.tokens import fold_words, strip_dateline

# Candidates come from a 3-gram Jaccard join at this threshold; the guard's word alignment
# then decides. A copy with a word or two edited has Jaccard ~0.8-0.9, one missing the last of
# three sentences ~0.6, the larger half of a split paragraph ~0.5 (the smaller half is checked
# against what its neighbour matched, see `_split`).
JOIN_THRESHOLD = 0.5
SCREEN = 0.7  # share of the smaller word set below which a candidate is not worth aligning
_CACHE = 4096
# At most this many candidates are aligned for one paragraph: templated paragraphs ("Paragraph
# 3 of story 12: ...") are look-alikes of hundreds of others, and aligning them all made a
# 6,000-paragraph site take 30 s.
MAX_ALIGN = 8
# Articles whose paragraphs are joined with the index in one bulk look-up (batch.py): numpy's
# cost per call is then shared by some 240 paragraphs.
WINDOW = 16


@dataclass(slots=True)
class _Mark:
    """Where the decision state stood before an article: what rewinding to it truncates."""

    pids: int
    postings: int
    exact: int  # entries of site_exact
    boiler: int  # entries of boiler_first
    lookalikes: int


@dataclass
class _State:
    articles: list[Article] = field(default_factory=list)
    removals: list[list[Removal | None]] = field(default_factory=list)
    matches: Counter[tuple[int, int]] = field(default_factory=Counter)  # (later, earlier)
    conflicts: set[tuple[int, int]] = field(default_factory=set)  # (later, earlier)
    lookalikes: list[Lookalike] = field(default_factory=list)


class Engine:
    """Pass 2 over the site in canonical order. It can be rewound to the start of any article
    and run on from there (see memory.py): everything it learns is appended in article order
    and every article's starting point is marked."""

    def __init__(self, config: DedupConfig, capacity: int) -> None:
        self.config = config
        self.site = config.scope == "site"
        self.capacity = capacity  # words the index was sized for
        self.state = _State()
        self.rows: list[Rows] = []
        self.boilerplate: frozenset[int] = frozenset()  # loose keys in enough articles
        self.index = NearIndex(JOIN_THRESHOLD, postings=capacity // 2 + 1)
        # Indexed paragraph id -> article and position (ids are 0, 1, 2...: arrays, not dicts).
        self.place_article = array("I")
        self.place_index = array("I")
        self.site_exact: dict[int, tuple[int, int]] = {}
        self.boiler_first: dict[int, tuple[int, int]] = {}
        self.targets: dict[tuple[int, int], tuple[int, int]] = {}
        self.marks: list[_Mark] = []
        self._fact_cache: dict[tuple[int, int], guard.Facts] = {}
        self._aligned, self._noted = 0, False
        self.copied = 0  # articles the last run copied instead of deciding

    def adopt(self, articles: Sequence[Article], rows: Sequence[Rows]) -> None:
        """Take these as the articles decided so far: the same, by fingerprint, as those the
        decisions were made on (they may be other objects, read again or restored)."""
        assert len(articles) == len(self.marks) == len(self.state.removals)
        self.state.articles, self.rows = list(articles), list(rows)

    def snapshot(self) -> dict[str, Any]:
        """The decision state as plain values (see memory.py); `adopt` restores the articles."""
        state = self.state
        return {
            "capacity": self.capacity,
            "boilerplate": self.boilerplate,
            "index": self.index.snapshot(),
            "places": (self.place_article, self.place_index),
            "site_exact": self.site_exact,
            "boiler_first": self.boiler_first,
            "targets": self.targets,
            "marks": [dataclasses.astuple(mark) for mark in self.marks],
            "removals": state.removals,
            "matches": dict(state.matches),
            "conflicts": state.conflicts,
            "lookalikes": state.lookalikes,
        }

    @classmethod
    def restore(cls, config: DedupConfig, snapshot: dict[str, Any]) -> Engine:
        engine = cls(config, capacity=0)
        engine.capacity = snapshot["capacity"]
        engine.boilerplate = snapshot["boilerplate"]
        engine.index = NearIndex.restore(snapshot["index"])
        engine.place_article, engine.place_index = snapshot["places"]
        engine.site_exact = snapshot["site_exact"]
        engine.boiler_first = snapshot["boiler_first"]
        engine.targets = snapshot["targets"]
        engine.marks = [_Mark(*mark) for mark in snapshot["marks"]]
        engine.state = _State(
            removals=snapshot["removals"],
            matches=Counter(snapshot["matches"]),
            conflicts=snapshot["conflicts"],
            lookalikes=snapshot["lookalikes"],
        )
        return engine

    def rewind(self, start: int, fingerprints: Sequence[bytes]) -> Tail:
        """Forget every decision about articles `start` and later (whose fingerprints are
        `fingerprints`); they are handed back, to be copied where they still hold."""
        if start >= len(self.marks):
            return Tail(start, [])
        mark, state = self.marks[start], self.state
        bounds = [
            (
                m.pids - mark.pids,
                m.postings - mark.postings,
                m.exact - mark.exact,
                m.boiler - mark.boiler,
                m.lookalikes - mark.lookalikes,
            )
            for m in (*self.marks[start:], self._mark())
        ]
        keys, owners, sizes = self.index.tail(mark.pids, mark.postings)
        old = replay.old_articles(
            fingerprints,
            state.removals[start:],
            bounds,
            replay.OldState(
                mark.pids,
                self.place_index[mark.pids :],
                sizes,
                keys,
                owners,
                itertools.islice(self.site_exact.items(), mark.exact, None),
                itertools.islice(self.boiler_first.items(), mark.boiler, None),
                state.lookalikes[mark.lookalikes :],
            ),
        )
        for (later, earlier), n in state.matches.items():
            if later >= start:
                old[later - start].matches.append((earlier, n))
        for later, earlier in state.conflicts:
            if later >= start:
                old[later - start].conflicts.append(earlier)
        for (later, k), kept in self.targets.items():
            if later >= start:
                old[later - start].targets.append((k, kept))
        del self.marks[start:]
        self.index.truncate(mark.pids, mark.postings)
        del self.place_article[mark.pids :], self.place_index[mark.pids :]
        _truncate(self.site_exact, mark.exact)
        _truncate(self.boiler_first, mark.boiler)
        del state.lookalikes[mark.lookalikes :], state.removals[start:]
        del state.articles[start:], self.rows[start:]
        self.targets = {k: v for k, v in self.targets.items() if k[0] < start}
        state.matches = Counter({k: n for k, n in state.matches.items() if k[0] < start})
        state.conflicts = {k for k in state.conflicts if k[0] < start}
        self._fact_cache.clear()
        return Tail(start, old)

    def run(
        self,
        articles: Sequence[Article],
        rows: Sequence[Rows],
        fingerprints: Sequence[bytes] = (),
        tail: Tail | None = None,
        touched_lines: Iterable[int] = (),
        packed: Packed | None = None,
    ) -> None:
        """Decide every paragraph of `articles` (the next ones in canonical order). With the
        `tail` the last rewind handed back (and the articles' `fingerprints`), the decisions
        of an unchanged article that reads nothing touched since are copied (see replay.py);
        `touched_lines` are the short lines that became or stopped being boilerplate;
        `packed`: the articles' 3-grams known from earlier passes (see grams.py)."""
        window = WINDOW if tail is None and self.site else 1
        joins = self._joins(articles, rows, window)
        touched = None
        if tail is not None and self.site:
            cfg = self.config
            ahead = Grams(rows, cfg.min_words, packed) if cfg.near else None
            touched = Touched(ahead)
            touched.loose.update(touched_lines)
        self.copied = 0
        for i, (article, some) in enumerate(zip(articles, rows, strict=True)):
            q = None
            if tail is not None:
                q, dropped = tail.take(fingerprints[i])
                if touched is not None:
                    for r in dropped:
                        touched.add_old(tail.old[r])
                if (
                    q is not None
                    and (touched is None or not touched.reaches(i, some))
                    and self._copy(tail, q, article, some)
                ):
                    continue
            mark = self._begin(article, some, [p.removal for p in article.paragraphs])
            a = len(self.rows) - 1
            self._article(a, article, some, joins)
            if tail is None or touched is None:
                continue
            writes = (
                self.index.since(mark.postings),
                _entries_since(self.site_exact, mark.exact),
                _entries_since(self.boiler_first, mark.boiler),
            )
            if q is not None and self._as_before(tail.old[q], mark, *writes):
                tail.placed[q] = a  # decided again, the same way: nothing later is touched
                continue
            if q is not None:
                touched.add_old(tail.old[q])
            keys, exact, boiler = writes
            touched.add(keys, (k for k, _ in exact), (k for k, _ in boiler))

    def _as_before(
        self,
        old: OldArticle,
        mark: _Mark,
        keys: array[int],
        exact: list[tuple[int, tuple[int, int]]],
        boiler: list[tuple[int, tuple[int, int]]],
    ) -> bool:
        """Whether the article just decided again wrote what its old version wrote: the same
        decisions, postings, and first places of exact keys and boilerplate lines."""
        if self.state.removals[-1] != old.removals or keys != old.keys:
            return False
        if self.place_index[mark.pids :] != old.places:
            return False
        owners = self.index.owners_since(mark.postings)
        if [o - mark.pids for o in owners] != [o - old.first for o in old.owners]:
            return False
        return [(k, p[1]) for k, p in exact] == [(k, p[1]) for k, p in old.site_exact] and [
            (k, p[1]) for k, p in boiler
        ] == [(k, p[1]) for k, p in old.boiler_first]

    def _begin(self, article: Article, rows: Rows, removals: list[Removal | None]) -> _Mark:
        """Append the next article, with these removals so far, and mark where it starts."""
        mark = self._mark()
        self.marks.append(mark)
        self.state.articles.append(article)
        self.rows.append(rows)
        self.state.removals.append(removals)
        return mark

    def _mark(self) -> _Mark:
        return _Mark(
            len(self.place_article),
            self.index.postings,
            len(self.site_exact),
            len(self.boiler_first),
            len(self.state.lookalikes),
        )

    def _copy(self, tail: Tail, q: int, article: Article, rows: Rows) -> bool:
        """Append old article `q`'s decisions and writes as this article's; False if they
        refer to an article that was not copied (then it is decided again)."""
        a = len(self.rows)
        copied = tail.copy(q, a)
        if copied is None:
            return False
        old, state = tail.old[q], self.state
        self._begin(article, rows, list(old.removals))
        first = len(self.place_article)
        self.place_article.extend(array("I", [a]) * len(old.places))
        self.place_index.extend(old.places)
        if not self.site:
            self.index.clear()
        shift = first - old.first
        self.index.extend(old.keys, array("I", [o + shift for o in old.owners]), old.sizes)
        self.site_exact.update(copied.site_exact)
        self.boiler_first.update(copied.boiler_first)
        state.lookalikes.extend(old.lookalikes)
        for key, n in copied.matches:
            state.matches[key] += n
        state.conflicts.update(copied.conflicts)
        self.targets.update(copied.targets)
        self.copied += 1
        return True

    def _joins(
        self, articles: Sequence[Article], rows: Sequence[Rows], window: int
    ) -> Callable[[int], Join]:
        """The join of each article's paragraphs with the index (by the article's number, from
        the next one on): in bulk with numpy, `window` articles at a time, when the pass has
        many; else one 3-gram at a time (importing numpy would cost more than it saves)."""
        first = len(self.rows)

        def candidates(a: int) -> dict[Place, array[int]]:
            """The paragraphs of article `a` that may be near-duplicates: long enough, if
            nothing else removes them."""
            min_words = self.config.min_words
            article, some = articles[a - first], rows[a - first]
            return {
                (a, k): row.ids
                for k, (p, row) in enumerate(zip(article.paragraphs, some, strict=True))
                if row is not None and p.role != "title" and row.size >= min_words
            }

        if len(articles) < batch.FEW:
            return lambda a: Join(self.index, candidates(a))
        span = range(first, first + len(articles))
        return batch.Windows(self.index, candidates, span, window)

    def _article(self, a: int, article: Article, rows: Rows, joins: Callable[[int], Join]) -> None:
        cfg = self.config
        if not self.site:
            self.index.clear()
        join = joins(a) if cfg.near else None
        article_exact: dict[int, tuple[int, int]] = {}
        titles: dict[int, tuple[int, int]] = {}
        previous: int | None = None
        for k, paragraph in enumerate(article.paragraphs):
            row = rows[k]
            if row is None:
                continue
            removal = self._decide(a, k, paragraph, row, article, article_exact, titles)
            self.state.removals[a][k] = removal
            if paragraph.role == "title":
                continue
            if removal is not None:
                previous = k
                continue
            if join is not None:
                long_enough = row.size >= cfg.min_words
                matched = long_enough and self._near(a, k, join)
                if previous is not None:
                    matched = self._split(a, previous, k, matched) or matched
                if not matched and long_enough:
                    self._index(a, k, join)
            previous = k
        if self.site:
            for key, place in article_exact.items():
                self.site_exact.setdefault(key, place)

    def _decide(
        self,
        a: int,
        k: int,
        paragraph: Paragraph,
        row: Row,
        article: Article,
        article_exact: dict[int, tuple[int, int]],
        titles: dict[int, tuple[int, int]],
    ) -> Removal | None:
        cfg = self.config
        if not row.size:
            return None
        if paragraph.role == "title":
            return self._exact(titles, row.exact, a, k)
        if cfg.furniture and article.format == "seed" and is_furniture(paragraph.text):
            return Removal("furniture")
        if row.loose is not None and row.loose in self.boilerplate:
            first = self.boiler_first.setdefault(row.loose, (a, k))
            if first != (a, k):
                return Removal("boilerplate", self.ref(*first), 1.0)
            if has_boilerplate_marker(paragraph.text):
                return Removal("boilerplate")
            return None
        removal = self._exact(article_exact, row.exact, a, k)
        if removal is None and self.site and row.size >= cfg.min_words:
            place = self.site_exact.get(row.exact)
            if place is not None:
                self.state.matches[(a, place[0])] += 1
                return Removal("exact", self.ref(*place), 1.0)
        return removal

    def _exact(self, seen: dict[int, tuple[int, int]], key: int, a: int, k: int) -> Removal | None:
        place = seen.setdefault(key, (a, k))
        return None if place == (a, k) else Removal("exact", self.ref(*place), 1.0)

    def _index(self, a: int, k: int, join: Join) -> None:
        pid = len(self.place_article)
        self.place_article.append(a)
        self.place_index.append(k)
        join.add((a, k), pid)

    def _near(self, a: int, k: int, join: Join) -> bool:
        """Compare paragraph (a, k) with the indexed paragraphs it may repeat."""
        candidates = join.probe((a, k))
        if not candidates:
            return False
        mine = set(self._row(a, k).ids)
        least = SCREEN * len(mine)
        found = False
        self._aligned, self._noted = 0, False
        rows, removals = self.rows, self.state.removals
        for other in candidates:
            b, j = self.place_article[other], self.place_index[other]
            if removals[b][j] is not None:
                continue
            # Shared words screen the candidates (cheap: the join's 3-grams are not kept): at
            # least SCREEN of the smaller word set. Most fail, so the other's set is not made.
            row = rows[b][j]
            assert row is not None
            shared = len(mine.intersection(row.ids))
            if shared < least and shared < SCREEN * row.distinct:
                continue
            found = self._compare(a, k, b, j) or found
            if self.state.removals[a][k] is not None:
                return True
            if self._aligned >= MAX_ALIGN:
                break  # templated text: many look-alikes, none of them a repeat
        return found

    def _compare(self, a: int, k: int, b: int, j: int) -> bool:
        """Remove (a, k) as a repeat of (b, j), or (b, j) as a repeat of (a, k) in the same
        article when (a, k) is the more complete; record look-alikes whose facts differ.

        The decision is on the word alignment the guard makes: the share of the removed
        paragraph's words that the kept one has, in order, and no fact differing."""
        cfg = self.config
        self._aligned += 1
        new, old = (a, k), (b, j)
        verdict = self._guard(new, old)
        if verdict and verdict.share >= cfg.containment:
            self._remove(new, old, verdict.share)
            return True
        # The new paragraph may be the fuller version of the old one.
        fuller = self._guard(old, new)
        if fuller and fuller.share >= cfg.containment:
            if a == b:
                self._remove(old, new, fuller.share)
            else:
                self.state.matches[(a, b)] += 1  # kept in both; counts towards a story copy
            return True
        best = verdict if verdict.share >= fuller.share else fuller
        if best.share >= cfg.containment and not self._noted:
            self._noted = True  # the first look-alike is reported; the pair is blocked anyway
            self._lookalike(new, old, best.share, best.reason)
        elif best.share >= cfg.containment and a != b:
            self.state.conflicts.add((a, b))
        return False

    def _split(self, a: int, first: int, second: int, matched: bool) -> bool:
        """A paragraph split in two: the larger half has Jaccard >= 0.5 with the original, so
        the join finds it; the smaller half is then checked against the same original."""
        if matched:
            target = self.targets.get((a, second))
            if target is not None and self.state.removals[a][first] is None:
                self._half(a, first, target)
            return True
        target = self.targets.get((a, first))
        return target is not None and self._half(a, second, target)

    def _half(self, a: int, half: int, target: tuple[int, int]) -> bool:
        """Remove paragraph `half` of article `a` as part of `target`, if it is."""
        if target == (a, half):
            return False
        mine = set(self._row(a, half).ids)
        if len(mine.intersection(self._row(*target).ids)) < self.config.containment * len(mine):
            return False  # most of its words are not in the target: not a part of it
        verdict = self._guard((a, half), target)
        if verdict and verdict.share >= self.config.containment:
            self._remove((a, half), target, verdict.share)
            return True
        return False

    def _guard(self, lost: tuple[int, int], kept: tuple[int, int]) -> guard.Verdict:
        return guard.check(self._facts(lost), self._facts(kept))

    def _facts(self, place: tuple[int, int]) -> guard.Facts:
        """A paragraph's facts; kept paragraphs are compared again and again, so the last few
        thousand are cached."""
        cached = self._fact_cache.get(place)
        if cached is None:
            if len(self._fact_cache) >= _CACHE:
                self._fact_cache.clear()
            text = strip_dateline(self.paragraph(*place).text)
            cached = guard.facts(fold_words(text), text)
            self._fact_cache[place] = cached
        return cached

    def _remove(self, lost: tuple[int, int], kept: tuple[int, int], similarity: float) -> None:
        self.state.removals[lost[0]][lost[1]] = Removal("near", self.ref(*kept), similarity)
        self.targets[lost] = kept
        if lost[0] != kept[0]:
            self.state.matches[(lost[0], kept[0])] += 1

    def _lookalike(
        self, mine: tuple[int, int], other: tuple[int, int], similarity: float, reason: str
    ) -> None:
        if mine[0] != other[0]:
            self.state.conflicts.add((mine[0], other[0]))
        self.state.lookalikes.append(
            Lookalike(self.ref(*mine), self.ref(*other), round(similarity, 4), reason)
        )

    # -- lookups --------------------------------------------------------------------------
    def _row(self, a: int, k: int) -> Row:
        row = self.rows[a][k]
        assert row is not None
        return row

    def paragraph(self, a: int, k: int) -> Paragraph:
        return self.state.articles[a].paragraphs[k]

    def ref(self, a: int, k: int) -> Ref:
        return Ref(self.state.articles[a].source, self.paragraph(a, k).line)


def _entries_since(
    mapping: dict[int, tuple[int, int]], size: int
) -> list[tuple[int, tuple[int, int]]]:
    """The entries added after the first `size`, in order."""
    return list(itertools.islice(reversed(mapping.items()), len(mapping) - size))[::-1]


def _truncate(mapping: dict[int, tuple[int, int]], size: int) -> None:
    """Remove the entries added after the first `size` (dicts keep insertion order)."""
    while len(mapping) > size:
        mapping.popitem()
