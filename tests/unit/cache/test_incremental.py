"""The build cache and incremental output, through pipeline.build(): what is reused, what a
change invalidates, and that an incremental site is byte for byte a full build's."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sahelbrief import cache as cache_module
from sahelbrief import canonical as canonical_module
from sahelbrief import report as report_module
from sahelbrief.cache import dedupe as dedupe_cache
from sahelbrief.cache import store
from sahelbrief.config import DedupConfig
from sahelbrief.errors import BuildFailed
from sahelbrief.model import Article, Deduped, Entry, Feed, OutputFile, Page, StagedFile
from sahelbrief.pipeline import BuildOptions, BuildResult, build, stages
from sahelbrief.pipeline.classify import ClassifySettings
from sahelbrief.pipeline.dedupe.memory import Memory
from sahelbrief.pipeline.render import batch, markup
from sahelbrief.pipeline.render.view import ArticleView
from sahelbrief.pipeline.write import RealFolders, stage_new
from tests.conftest import age, pools_started, tree_bytes, write_tree

# (the package `sahelbrief.pipeline` exports the function `render`, hiding the subpackage)
render_module = importlib.import_module("sahelbrief.pipeline.render")
memory_module = importlib.import_module("sahelbrief.pipeline.dedupe.memory")
keys_module = importlib.import_module("sahelbrief.pipeline.render.keys")
assemble_module = importlib.import_module("sahelbrief.pipeline.assemble")
read_module = importlib.import_module("sahelbrief.pipeline.read")
write_module = importlib.import_module("sahelbrief.pipeline.write")
SHARED = "Officials said the figures could not be verified independently at the time of writing."
REPEATED = "The ministry in Bamako confirmed on Tuesday that the convoy had reached Gao safely."
WIRE_A = (
    "Heavy rain flooded several districts of Niamey overnight, the civil protection agency said."
)
WIRE_B = "Rescue teams evacuated hundreds of families to schools on the higher ground of the city."


def article(number: int, extra: str = "") -> str:
    return (
        f"---\ntitle: Story number {number}\ndate: 2026-01-{1 + number % 28:02d}\n"
        f"topics: [security]\n---\n\nThe *first* paragraph of story {number}.\n\n"
        f"A second paragraph with a [link](/about/) in story {number}.\n\n{SHARED}\n{extra}"
    )


def copy(added: str) -> str:
    """A wire copy of story 3 (once it has WIRE_A and WIRE_B), with a paragraph of its own."""
    return f"---\ntitle: Wire copy\ndate: 2026-01-28\n---\n\n{WIRE_A}\n\n{WIRE_B}\n\n{added}\n"


def seed(number: int) -> str:
    return f"Seed story {number} from the wire\nIt said {number} things.\n{SHARED}\n"


@pytest.fixture
def newsroom(project: Path) -> Path:
    for n in range(12):
        write_tree(project, f"-- content/2026-01-{n + 1:02d}-story-{n}.md --\n{article(n)}")
    for n in range(4):
        write_tree(project, f"-- seeds/2026-02-{n + 1:02d}-wire-{n}.txt --\n{seed(n)}")
    write_tree(project, "-- content/about.md --\n---\ntitle: About\nkind: page\n---\nAbout us.\n")
    write_tree(project, "-- sahelbrief.yaml --\ntitle: Test Brief\nper_page: 5\n")
    return project


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every Markdown conversion actually run (not served by the fragment cache)."""
    seen: list[str] = []
    for name in ("_inline", "_block"):
        original = getattr(markup, name)

        def counting(text: str, base: str, original: object = original) -> str:
            seen.append(text)
            return original(text, base)  # type: ignore[operator]

        monkeypatch.setattr(markup, name, counting)
    yield seen


def count_rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output path of every page rendered from now on (not kept from the live site)."""
    rendered: list[str] = []
    original = render_module._page

    def counting(page: Page, *args: object) -> str:
        rendered.append(page.output)
        return original(page, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "_page", counting)
    return rendered


def run(project: Path, **options: object) -> BuildResult:
    age(project)
    return build(project, BuildOptions(**options))  # type: ignore[arg-type]


def full_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a build from scratch makes of the project as it is now."""
    copy = tmp_path / "scratch"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".sahelbrief-cache", "site"))
    build(copy, BuildOptions(use_cache=False))
    return tree_bytes(copy / "site")


def test_a_second_build_with_nothing_changed_is_skipped(newsroom: Path) -> None:
    first = run(newsroom)
    site = tree_bytes(newsroom / "site")
    second = run(newsroom)
    assert (first.skipped, second.skipped) == (False, True)
    assert (second.files, second.articles, second.report) == (
        first.files,
        first.articles,
        first.report,
    )
    assert tree_bytes(newsroom / "site") == site
    third = run(newsroom, skip_unchanged=False)  # as the preview builds: it knows what changed
    assert not third.skipped and "check" not in dict(third.timings)
    assert tree_bytes(newsroom / "site") == site


def test_the_report_is_made_only_when_asked_for(newsroom: Path) -> None:
    # The command line asks only with --report: the report of 10,000 articles is some 35 MB.
    without = run(newsroom, report=False)
    assert without.report is None and "report" not in dict(without.timings)
    site = tree_bytes(newsroom / "site")
    asked = run(newsroom)  # nothing changed, but the last build made no report: not skipped
    assert not asked.skipped and asked.report is not None
    assert asked.paragraphs == without.paragraphs == asked.report["summary"]["paragraphs"]
    assert tree_bytes(newsroom / "site") == site
    again = run(newsroom)
    assert again.skipped and again.report == asked.report
    assert run(newsroom, report=False).skipped


def test_touched_but_unchanged_sources_are_read_from_the_cache(
    newsroom: Path, conversions: list[str]
) -> None:
    run(newsroom)
    run(newsroom, use_cache=False)  # a second build, so that a spare copy of the site exists
    converted = len(conversions)
    for path in (newsroom / "content").iterdir():
        path.write_bytes(path.read_bytes())
    result = run(newsroom)
    assert not result.skipped
    assert len(conversions) == converted
    assert result.written == 0


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of every article whose view is made (not kept from an earlier build)."""
    seen: list[str] = []
    view = batch.view

    def making(entry: Entry, *args: Any) -> ArticleView:
        seen.append(entry.article.source)
        return view(entry, *args)

    monkeypatch.setattr(batch, "view", making)
    return seen


def test_an_edit_converts_and_writes_only_what_changed(
    newsroom: Path,
    conversions: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    made: list[str],
) -> None:
    run(newsroom)
    run(newsroom, use_cache=False)  # a second build, so that a spare copy of the site exists
    run(newsroom)
    made.clear()
    before = len(conversions)
    old = tree_bytes(newsroom / "site")
    rendered = count_rendered(monkeypatch)
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nNew line.\n"))
    result = run(newsroom)
    # The other articles' views are those of the last build: nothing they show changed.
    assert set(made) == {"content/2026-01-03-story-2.md"}  # (tried, then converted)
    # Only the pages that show the edited story are rendered again.
    assert "articles/story-number-2/index.html" in rendered
    assert "about/index.html" not in rendered
    assert 0 < len(rendered) < len(old) / 2
    new = tree_bytes(newsroom / "site")
    assert conversions[before:] == [conversions[before]]  # the one edited body
    assert "New line." in conversions[before]
    # (the search index is not ours to write: Pagefind makes it again from the staged pages)
    changed = {p for p, data in new.items() if old.get(p) != data and not p.startswith("pagefind/")}
    assert "articles/story-number-2/index.html" in changed
    assert "index.html" not in changed  # the teaser on the front page is unchanged
    assert result.written == len(changed)
    assert new == full_build(newsroom, tmp_path)


def test_an_unchanged_page_is_kept_from_whichever_copy_of_it_is_intact(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run(newsroom)
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nA first line.\n"))
    run(newsroom)  # the spare copy is now the first build's site, as the cache recorded it
    rendered = count_rendered(monkeypatch)
    about = "about/index.html"
    site, spare = newsroom / "site", newsroom / ".site.spare"

    def deface(*copies: Path) -> None:
        for copy in copies:
            (copy / about).unlink()  # a new file: the other copy, if it shared it, is left
            (copy / about).write_text("defaced")

    for number, copies in enumerate([(site,), (spare,), (site, spare)]):
        deface(*copies)
        story = newsroom / "content" / "2026-01-03-story-2.md"
        story.write_text(article(2, f"\nLine {number}.\n"))
        rendered.clear()
        run(newsroom)
        # Rendered again only when neither copy holds the page as the last build wrote it.
        assert (about in rendered) == (len(copies) == 2), copies
        assert tree_bytes(site) == full_build(newsroom, tmp_path), copies
    # A link in the spare copy's place (to the very files, moved): the write stage removes
    # it, so nothing in it is kept.
    spare.rename(tmp_path / "elsewhere")
    spare.symlink_to(tmp_path / "elsewhere")
    story.write_text(article(2, "\nOnce more.\n"))
    run(newsroom)
    assert tree_bytes(site) == full_build(newsroom, tmp_path)


@pytest.fixture
def classified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of every article handed to the classify stage (not found in the cache)."""
    from sahelbrief.pipeline import stages

    seen: list[str] = []
    original = stages.classify

    def counting(
        articles: Sequence[Article], settings: ClassifySettings, early: object = None
    ) -> tuple[Article, ...]:
        seen.extend(a.source for a in articles)
        return original(articles, settings, early)  # type: ignore[arg-type]

    monkeypatch.setattr(stages, "classify", counting)
    return seen


def test_a_template_change_rerenders_pages_but_converts_nothing(
    newsroom: Path, conversions: list[str], tmp_path: Path, classified: list[str]
) -> None:
    run(newsroom)
    assert len(classified) == 17
    before = len(conversions)
    theme = Path(cache_module.__file__).parents[2].parent / "templates"
    text = (theme / "article.html").read_text()
    write_tree(
        newsroom, f"-- templates/article.html --\n{text.replace('<article', '<article data-x')}"
    )
    result = run(newsroom)
    assert not result.skipped
    assert len(conversions) == before
    site = tree_bytes(newsroom / "site")
    assert b"data-x" in site["articles/story-number-2/index.html"]
    assert len(classified) == 17  # nothing classified again
    assert site == full_build(newsroom, tmp_path)


def test_a_template_change_renders_only_the_pages_that_use_it(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(newsroom)
    rendered = count_rendered(monkeypatch)
    theme = Path(cache_module.__file__).parents[2].parent / "templates"

    def edit(name: str, old: str, new: str) -> list[str]:
        text = (
            newsroom / "templates" / name
            if (newsroom / "templates" / name).exists()
            else theme / name
        ).read_text()
        assert old in text
        write_tree(newsroom, f"-- templates/{name} --\n{text.replace(old, new, 1)}")
        rendered.clear()
        assert not run(newsroom).skipped
        pages = sorted(rendered)
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
        return pages

    # A listing template: the listings only, no story and no standing page.
    listings = edit("listing.html", "{% block main %}", "{% block main %}<!-- v2 -->")
    assert listings
    assert not [p for p in listings if p.startswith(("articles/", "about/"))]
    # A partial included by listings (through stories.html), not by story pages.
    story = edit("partials/story.html", "<p class=", "<p data-v2 class=")
    assert "articles/story-number-2/index.html" not in story
    assert set(listings) <= set(story)
    # The base every page extends: every page.
    everything = edit("base.html", "<body", "<body data-v2")
    assert "articles/story-number-2/index.html" in everything
    assert "about/index.html" in everything
    assert set(story) < set(everything)


def test_a_template_whose_include_is_known_only_when_rendering_counts_every_template(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = Path(cache_module.__file__).parents[2].parent / "templates"
    page = (theme / "page.html").read_text()
    dynamic = page.replace(
        "{% block main %}", '{% block main %}{% include site.title|lower ~ ".html" %}'
    )
    write_tree(
        newsroom,
        f"-- templates/page.html --\n{dynamic}\n-- templates/test brief.html --\nv1\n",
    )
    run(newsroom)
    rendered = count_rendered(monkeypatch)
    write_tree(newsroom, "-- templates/test brief.html --\nv2\n")
    run(newsroom)
    assert "about/index.html" in rendered
    assert b"v2" in (newsroom / "site" / "about" / "index.html").read_bytes()
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_a_setting_change_reuses_fragments_unless_it_is_the_base_url(
    newsroom: Path, conversions: list[str], tmp_path: Path
) -> None:
    run(newsroom)
    before = len(conversions)
    write_tree(newsroom, "-- sahelbrief.yaml --\ntitle: Renamed Brief\nper_page: 5\n")
    assert not run(newsroom).skipped
    assert len(conversions) == before
    assert b"Renamed Brief" in (newsroom / "site" / "index.html").read_bytes()
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    run(newsroom, base_url="https://example.org/brief/")
    assert len(conversions) > before  # links are rebased: fragments depend on the base path
    assert (
        b'href="/brief/about/"'
        in (newsroom / "site" / "articles" / "story-number-2" / "index.html").read_bytes()
    )


def test_only_a_setting_classify_reads_classifies_the_articles_again(
    newsroom: Path, classified: list[str], tmp_path: Path
) -> None:
    run(newsroom)
    assert len(classified) == 17
    for settings in (
        "title: Renamed Brief\nper_page: 5\n",
        "title: Renamed Brief\nper_page: 5\nsearch: false\n",
        "title: Renamed Brief\nper_page: 4\nsearch: false\ndescription: News.\nfeed_limit: 3\n",
    ):
        before = len(classified)
        write_tree(newsroom, f"-- sahelbrief.yaml --\n{settings}")
        cache_module._SESSION.clear()  # as another process: from the cache on disk
        assert not run(newsroom).skipped
        assert len(classified) == before, settings
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path), settings
    # What classify reads: the lead's length, the topics, the site's language.
    for settings in (
        "per_page: 4\nsearch: false\nlead_paragraphs: 0\n",
        "per_page: 4\nsearch: false\nlead_paragraphs: 0\ntopics:\n  Convoys: [convoy]\n",
        "per_page: 4\nsearch: false\nlead_paragraphs: 0\nlanguage: fr\n",
    ):
        before = len(classified)
        write_tree(newsroom, f"-- sahelbrief.yaml --\n{settings}")
        run(newsroom)
        assert len(classified) == before + 17, settings
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path), settings


def test_only_a_setting_views_read_makes_the_article_views_again(
    newsroom: Path, made: list[str], tmp_path: Path
) -> None:
    def remade(settings: str) -> set[str]:
        write_tree(newsroom, f"-- sahelbrief.yaml --\n{settings}")
        cache_module._SESSION.clear()  # as another process: the views kept on disk
        before = len(made)
        run(newsroom)
        return set(made[before:])

    run(newsroom)
    assert remade("title: Renamed Brief\nper_page: 4\nsearch: false\n") == set()
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    # What views read: the site's language (articles in another get lang=""), the base path.
    assert len(remade("title: Renamed Brief\nsearch: false\nlanguage: fr\n")) == 17
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    assert len(remade("search: false\nbase_url: https://example.org/brief/\n")) == 17
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_another_program_version_does_not_use_the_cache(
    newsroom: Path, conversions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(newsroom)
    before = len(conversions)
    monkeypatch.setattr(cache_module, "program_digest", lambda: "0" * 32)
    result = run(newsroom)
    assert not result.skipped
    assert len(conversions) == 2 * before


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign", "garbage"])
def test_a_damaged_cache_is_rebuilt_never_trusted(
    newsroom: Path, tmp_path: Path, conversions: list[str], damage: str
) -> None:
    run(newsroom)
    first = len(conversions)
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nChanged.\n"))
    for path in (newsroom / ".sahelbrief-cache").rglob("*.bin"):
        data = path.read_bytes()
        if damage == "flip":
            data = data[:-3] + bytes([data[-3] ^ 0x20]) + data[-2:]
        elif damage == "truncate":
            data = data[: len(data) // 2]
        elif damage == "foreign":
            data = data.replace(b"SAHELBRIEF-CACHE", b"SOMETHING-ELSE!!", 1)
        else:
            data = os.urandom(len(data))
        path.write_bytes(data)
    result = run(newsroom)
    assert not result.skipped
    assert len(conversions) == 2 * first  # everything converted again, as in a first build
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    assert run(newsroom).skipped  # and the rebuilt cache works


def test_no_cache_neither_reads_nor_writes_the_cache(
    newsroom: Path, conversions: list[str]
) -> None:
    run(newsroom)
    before = len(conversions)
    folder = newsroom / ".sahelbrief-cache"
    state = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    result = run(newsroom, use_cache=False)
    assert not result.skipped
    assert len(conversions) == 2 * before
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == state


def test_a_build_after_a_preview_session_renders_only_what_changed(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview builds into its own folder; its record of what it published does not
    replace the one of site/ (with one record for both, the next build rendered every page)."""
    run(newsroom)
    run(newsroom, use_cache=False)  # a second build, so that a spare copy of the site exists
    run(newsroom)
    preview = tmp_path / "preview" / "site"
    run(newsroom, out_dir=preview, resident=True, defer_search=True)
    rendered = count_rendered(monkeypatch)
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nNew line.\n"))
    run(newsroom)
    assert "articles/story-number-2/index.html" in rendered
    assert "about/index.html" not in rendered
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


@pytest.mark.parametrize("resident", [False, True], ids=["build", "preview"])
def test_an_incremental_site_equals_a_full_build_after_edits_additions_deletions_renames(
    newsroom: Path, tmp_path: Path, resident: bool
) -> None:
    """As `build` rebuilds, and as the preview does (keeping what it derived from unchanged
    articles in memory, see sahelbrief.identity)."""
    content = newsroom / "content"
    steps = [
        lambda: (content / "2026-01-02-story-1.md").write_text(article(1, "\nEdited.\n")),
        lambda: (content / "2026-01-20-new.md").write_text(article(40)),
        lambda: (content / "2026-01-05-story-4.md").unlink(),
        lambda: (content / "2026-01-06-story-5.md").rename(content / "2026-01-26-moved.md"),
        lambda: (newsroom / "seeds" / "2026-02-01-wire-0.txt").write_text(seed(0) + SHARED + "\n"),
        lambda: (newsroom / "seeds" / "2026-02-02-wire-1.txt").unlink(),
        lambda: write_tree(newsroom, "-- sahelbrief.yaml --\ntitle: Test Brief\nper_page: 3\n"),
        lambda: (content / "2026-01-20-new.md").write_text(
            article(40).replace("Story number 40", "Story number 1")  # a slug collision
        ),
        # A later story repeats a paragraph of story 2: its page has a note linking there...
        lambda: (content / "2026-01-02-story-2.md").write_text(article(2, f"\n{REPEATED}\n")),
        lambda: (content / "2026-01-27-later.md").write_text(article(41, f"\n{REPEATED}\n")),
        # ... which follows story 2's new title and URL, though the later story did not change.
        lambda: (content / "2026-01-02-story-2.md").write_text(
            article(2, f"\n{REPEATED}\n").replace("Story number 2", "The second story")
        ),
        # A wire copy of story 3 that adds a paragraph: story 3's page shows the addition...
        lambda: (content / "2026-01-03-story-3.md").write_text(
            article(3, f"\n{WIRE_A}\n\n{WIRE_B}\n")
        ),
        lambda: (content / "2026-01-28-copy.md").write_text(copy("Added by the wire.")),
        # ... and follows it when only the copy changes.
        lambda: (content / "2026-01-28-copy.md").write_text(copy("Corrected by the wire.")),
        # The story loses what the copy repeats, so the unchanged copy is a story of its own,
        # then a copy again; then the copy is rewritten as a story of its own, then a copy.
        lambda: (content / "2026-01-03-story-3.md").write_text(article(3)),
        lambda: (content / "2026-01-03-story-3.md").write_text(
            article(3, f"\n{WIRE_A}\n\n{WIRE_B}\n")
        ),
        lambda: (content / "2026-01-28-copy.md").write_text(article(42)),
        lambda: (content / "2026-01-28-copy.md").write_text(copy("Corrected by the wire.")),
    ]
    # As the preview builds: into a folder of its own (see write.KnownTrees).
    options = {"resident": True, "durable": False} if resident else {}
    run(newsroom, **options)
    for number, step in enumerate(steps):
        step()
        run(newsroom, **options)
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path), number
    assert not (newsroom / "site" / "articles" / "story-number-4").exists()
    later = (newsroom / "site" / "articles" / "story-number-41" / "index.html").read_text()
    assert "The second story" in later  # the note, as a full build writes it
    story = (newsroom / "site" / "articles" / "story-number-3" / "index.html").read_text()
    assert "Corrected by the wire." in story


@pytest.mark.parametrize("prepared", [True, False], ids=["spare-prepared", "not-prepared"])
def test_the_preview_trusts_nothing_it_knew_of_its_folder_once_the_folder_is_deleted(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prepared: bool
) -> None:
    """The preview knows what the last sites written into its own folder hold
    (write.KnownTrees); deleted under it, the folder is built again whole, then kept again,
    whether or not the spare copy is then filled in the background (as after a first build)."""
    if not prepared:
        monkeypatch.setattr(write_module, "_prepare_spare", lambda out_dir: None)
    story = newsroom / "content" / "2026-01-03-story-2.md"
    for n in range(3):
        story.write_text(article(2, f"\nEdit {n}.\n"))
        run(newsroom, resident=True, durable=False)
    shutil.rmtree(newsroom / "site")
    shutil.rmtree(newsroom / ".site.spare")
    for n in range(3, 6):
        story.write_text(article(2, f"\nEdit {n}.\n"))
        run(newsroom, resident=True, durable=False)
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path), n


def test_parallel_conversion_gives_the_serial_bytes(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def staging(
        folders: RealFolders, searchable: Callable[[bytes], bool], file: OutputFile
    ) -> OutputFile | StagedFile:
        made = stage_new(folders, searchable, file)  # in a worker: tell the test by a file
        beside = Path(folders.root).parent
        (beside / f"staged-by-{os.getpid()}").write_text(str(isinstance(made, StagedFile)))
        return made

    used = pools_started(monkeypatch, batch, "_pool")
    monkeypatch.setattr(batch, "PARALLEL_MIN", 2)
    monkeypatch.setattr(batch, "CHUNK", 3)
    monkeypatch.setattr(stages, "stage_new", staging)
    run(newsroom, use_cache=False, jobs=1, out_dir=tmp_path / "serial")
    assert used == []
    assert not list(tmp_path.glob("staged-by-*"))
    run(newsroom, use_cache=False, jobs=2, out_dir=tmp_path / "parallel")
    # Markdown of the articles as read, in one worker while this process deduplicates; then
    # of the articles whose body lost a repeat; then the pages, which the workers write.
    assert used == [1, 2, 2]
    assert tree_bytes(tmp_path / "parallel") == tree_bytes(tmp_path / "serial")
    staged = {p.name: p.read_text() for p in tmp_path.glob("staged-by-*")}
    assert "True" in staged.values() and f"staged-by-{os.getpid()}" not in staged


def test_a_template_error_in_a_page_worker_keeps_its_file_and_line(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_MIN", 2)
    write_tree(newsroom, "-- templates/page.html --\n<p>About</p>\n{{ nope.x }}\n")
    with pytest.raises(BuildFailed) as caught:
        run(newsroom, use_cache=False, jobs=2)
    assert caught.value.stage == "render"
    assert str(caught.value.errors[0]).startswith("templates/page.html:2: ")
    # While the error still holds the build's frames: the page workers are gone.
    assert multiprocessing.active_children() == []


def test_progress_is_reported_per_stage_up_to_the_total(newsroom: Path) -> None:
    events: list[tuple[str, int, int]] = []
    run(newsroom, progress=lambda stage, done, total: events.append((stage, done, total)))
    for stage in ("markdown", "pages"):
        mine = [(done, total) for name, done, total in events if name == stage]
        assert mine, stage
        assert [d for d, _ in mine] == sorted(d for d, _ in mine)
        assert mine[-1][0] == mine[-1][1]


def test_rebuilds_in_one_process_keep_the_cache_loaded_until_someone_else_writes_it(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    loads: list[str] = []
    original = store.load

    def counting(path: Path, program: str) -> object:
        loads.append(path.name)
        return original(path, program)

    monkeypatch.setattr(store, "load", counting)
    run(newsroom)
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nServe edit.\n"))
    loads.clear()
    run(newsroom)  # as the preview server does after an edit
    # Only shards the first build never needed are read (for the new entries).
    assert loads and not {"state.bin", "sources.bin"} & set(loads)
    loads.clear()
    run(newsroom, use_cache=True)
    assert loads == []
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    state = newsroom / ".sahelbrief-cache" / "state.bin"
    state.write_bytes(state.read_bytes())  # another process wrote the cache
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nAgain.\n"))
    run(newsroom)
    assert "state.bin" in loads


def counted_article_digests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every article digested (canonical.digest of an Article), by source."""
    counted: list[str] = []
    original = canonical_module.digest

    def counting(value: object) -> bytes:
        if isinstance(value, Article):
            counted.append(f"digest {value.source}")
        return original(value)

    monkeypatch.setattr(canonical_module, "digest", counting)
    return counted


def test_a_build_in_a_new_process_digests_only_the_articles_classified_again(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The page digests count each article by its digest: the classify stage's cache keeps it
    with the classified article, so only an edited article is digested again (pickled whole)."""
    run(newsroom)
    cache_module._SESSION.clear()  # as a new process: nothing derived is kept in memory
    digested = counted_article_digests(monkeypatch)
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nCLI edit.\n"))
    run(newsroom)
    assert digested == ["digest content/2026-01-03-story-2.md"]
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def rewrite_keeping_stat(path: Path, old: str, new: str) -> None:
    """Change `path`'s text in place, at the same size, and put its times back (as `cp -p`,
    `rsync -t` or `tar` do): only its change time tells."""
    before = path.stat()
    text = path.read_text()
    assert len(new) == len(old) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_a_source_rewritten_with_its_old_size_and_times_is_read_again(
    newsroom: Path, tmp_path: Path
) -> None:
    run(newsroom)
    source = newsroom / "content" / "2026-01-03-story-2.md"
    rewrite_keeping_stat(source, "first", "FIRST")
    assert not run(newsroom).skipped
    story = newsroom / "site" / "articles" / "story-number-2" / "index.html"
    assert "<em>FIRST</em> paragraph" in story.read_text()
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_a_source_rewritten_while_it_is_parsed_is_read_again_next_time(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The stat remembered with a parsed source is the one before its bytes were read: a
    rewrite after that (its times put back) is seen by the next build."""
    source = newsroom / "content" / "2026-01-03-story-2.md"
    parse = read_module.read_markdown

    def rewritten_after_reading(text: str, relative: str) -> Article:
        if relative == "content/2026-01-03-story-2.md":
            rewrite_keeping_stat(source, "first", "FIRST")
        return parse(text, relative)  # type: ignore[no-any-return]

    monkeypatch.setattr(read_module, "read_markdown", rewritten_after_reading)
    run(newsroom)
    monkeypatch.setattr(read_module, "read_markdown", parse)
    run(newsroom)
    story = newsroom / "site" / "articles" / "story-number-2" / "index.html"
    assert "<em>FIRST</em> paragraph" in story.read_text()
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_a_build_in_a_new_process_keys_the_articles_by_their_sources_and_dedupe(
    newsroom: Path, classified: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Classify's cache finds an article by its source's bytes and what dedupe changed in it,
    without pickling it (only an article classified again is, for its digest); an unchanged
    source that dedupe treats otherwise (a paragraph of it now repeats an earlier story's) is
    classified again."""
    run(newsroom)
    pickled: list[str] = []
    original = canonical_module.dumps

    def counting(value: object) -> bytes:
        if isinstance(value, Article):
            pickled.append(value.source)
        return original(value)

    monkeypatch.setattr(canonical_module, "dumps", counting)
    for edit, again in (
        (article(2, "\nCLI edit.\n"), ["content/2026-01-03-story-2.md"]),
        # Story 5's second paragraph, in story 2 (earlier): removed from story 5 as a repeat.
        (
            article(2, "\nA second paragraph with a [link](/about/) in story 5.\n"),
            ["content/2026-01-03-story-2.md", "content/2026-01-06-story-5.md"],
        ),
    ):
        cache_module._SESSION.clear()  # as a new process: nothing derived is kept in memory
        classified.clear()
        (newsroom / "content" / "2026-01-03-story-2.md").write_text(edit)
        pickled.clear()
        run(newsroom)
        assert sorted(classified) == again
        assert sorted(pickled) == again  # digested once classified, for the page digests
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    story = (newsroom / "site" / "articles" / "story-number-5" / "index.html").read_text()
    assert "in story 5." not in story.split("<article")[1].split("</article>")[0]


def test_what_dedupe_changed_in_each_article_is_worked_out_once_a_build(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Dedupe's decision for each article (stored with its result, and part of classify's key
    of the article): worked out once in a build that ran the pass, not at all in one that
    found the pass's result stored."""
    run(newsroom)
    decided: list[str] = []
    original = dedupe_cache.decision

    def counting(before: Article, after: Article) -> object:
        decided.append(after.source)
        return original(before, after)

    monkeypatch.setattr(dedupe_cache, "decision", counting)
    cache_module._SESSION.clear()  # as a new process
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nCLI edit.\n"))
    run(newsroom)
    assert len(decided) == 17 == len(set(decided))  # every article published, once
    decided.clear()
    cache_module._SESSION.clear()
    write_tree(newsroom, "-- sahelbrief.yaml --\ntitle: Renamed Brief\nper_page: 5\n")
    run(newsroom)
    assert decided == []
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_rebuilds_in_one_process_derive_nothing_again_from_unchanged_articles(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The preview's builds: the cache hands back the very objects of the last build for the
    unchanged sources, so their classified copies, digests and report rows are found again
    (and dedupe's fingerprints are the cache's keys of the sources)."""
    derived = counted_article_digests(monkeypatch)
    original = memory_module.fingerprint

    def counting(article: Article) -> bytes:
        derived.append(f"fingerprint {article.source}")
        return original(article)

    monkeypatch.setattr(memory_module, "fingerprint", counting)
    row = report_module._article

    def counting_rows(article: Article, *args: Any) -> dict[str, Any]:
        derived.append(f"row {article.source}")
        return row(article, *args)

    monkeypatch.setattr(report_module, "_article", counting_rows)
    pages: list[str] = []
    shown = keys_module.Digests._shown

    def counting_pages(digests: Any, page: Page) -> bytes:
        pages.append(page.output)
        return shown(digests, page)

    monkeypatch.setattr(keys_module.Digests, "_shown", counting_pages)
    run(newsroom, resident=True)
    # Every article, for each; dedupe takes no fingerprint: the cache's source keys are those.
    assert len(derived) == 2 * 17
    assert not [d for d in derived if d.startswith("fingerprint")]
    everything = len(pages)
    derived.clear()
    pages.clear()
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nServe edit.\n"))
    run(newsroom, resident=True)
    edited = "content/2026-01-03-story-2.md"
    assert sorted(derived) == [f"{n} {edited}" for n in ("digest", "row")]
    # Only the pages that show the edited story are digested again.
    assert "articles/story-number-2/index.html" in pages
    assert "about/index.html" not in pages
    assert 0 < len(pages) < everything / 3
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_rebuilds_in_one_process_make_the_entries_again_only_for_a_setting_they_read(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The preview's builds: an unchanged article's entry (its URL, terms and listing) is the
    entry of the last build unless the language its countries are named in changes."""
    made: list[str] = []
    with_terms = assemble_module.with_terms

    def counting(entry: Entry, language: str) -> Entry:
        made.append(entry.article.source)
        return with_terms(entry, language)

    monkeypatch.setattr(assemble_module, "with_terms", counting)
    run(newsroom, resident=True)
    assert len(made) == 17
    write_tree(newsroom, "-- sahelbrief.yaml --\ntitle: Renamed Brief\nper_page: 4\n")
    run(newsroom, resident=True)
    assert len(made) == 17
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    write_tree(newsroom, "-- sahelbrief.yaml --\ntitle: Renamed Brief\nlanguage: fr\n")
    before = len(made)
    run(newsroom, resident=True)
    assert len(made) == before + 17
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


@pytest.fixture
def dedupe_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(articles, the article the pass resumed from) of every dedupe pass run."""
    from sahelbrief.pipeline import stages

    runs: list[tuple[int, int]] = []
    original = stages.dedupe

    def counting(
        articles: tuple[Article, ...],
        settings: DedupConfig,
        memory: Memory,
        fingerprints: dict[str, bytes] | None,
    ) -> Deduped:
        result = original(articles, settings, memory=memory, fingerprints=fingerprints)
        runs.append((len(articles), memory.resumed_at))
        return result

    monkeypatch.setattr(stages, "dedupe", counting)
    return runs


def test_dedupe_runs_again_only_when_the_articles_change(
    newsroom: Path, dedupe_runs: list[tuple[int, int]], tmp_path: Path
) -> None:
    first = run(newsroom)
    write_tree(newsroom, "-- sahelbrief.yaml --\ntitle: Another title\nper_page: 5\n")
    second = run(newsroom)
    assert len(dedupe_runs) == 1  # a setting that is not a dedupe setting: the result is reused
    assert second.removed == first.removed > 0
    assert second.report["articles"] == first.report["articles"]
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nNew.\n"))
    run(newsroom)
    # The pass resumed from the edited story: the two before it (and the undated page, first
    # in canonical order) were not compared again.
    assert dedupe_runs[1] == (17, 3)
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_another_process_resumes_the_dedupe_pass_from_the_cache(
    newsroom: Path, dedupe_runs: list[tuple[int, int]], tmp_path: Path
) -> None:
    run(newsroom)
    cache_module._SESSION.clear()  # as a new process: the pass's memory is read from disk
    wire = newsroom / "seeds" / "2026-02-04-wire-3.txt"
    wire.write_text(seed(3) + "One more line here.\n")
    run(newsroom)
    assert dedupe_runs[1] == (17, 16)  # the last story in canonical order
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    cache_module._SESSION.clear()
    (newsroom / ".sahelbrief-cache" / "dedupe-memory.bin").write_bytes(b"damaged")
    wire.write_text(seed(3))
    run(newsroom)
    assert dedupe_runs[2] == (17, 0)  # a damaged memory is not trusted: from scratch
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_a_pass_that_decided_only_the_latest_stories_again_leaves_the_stored_memory(
    newsroom: Path,
    dedupe_runs: list[tuple[int, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Storing the pass's memory costs more than deciding a few late articles again: the older
    memory stays, and the next build resumes from it, as far back as it must."""
    stored = newsroom / ".sahelbrief-cache" / "dedupe-memory.bin"
    wire = newsroom / "seeds" / "2026-02-04-wire-3.txt"  # the last story in canonical order
    run(newsroom)
    cold = stored.stat()
    for added in ["One more line.\n", "Another line.\n"]:
        cache_module._SESSION.clear()  # as a new process
        wire.write_text(seed(3) + added)
        run(newsroom)
        assert dedupe_runs[-1] == (17, 16)  # (a full build for comparison runs a pass too)
        assert (stored.stat().st_ino, stored.stat().st_mtime_ns) == (cold.st_ino, cold.st_mtime_ns)
        assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
    # An edit further back than REDO articles stores the memory again.
    monkeypatch.setattr(memory_module, "REDO", 0)
    cache_module._SESSION.clear()
    wire.write_text(seed(3) + "A third line.\n")
    run(newsroom)
    assert stored.stat().st_ino != cold.st_ino
    cache_module._SESSION.clear()
    (newsroom / "content" / "2026-01-03-story-2.md").write_text(article(2, "\nNew.\n"))
    run(newsroom)
    assert dedupe_runs[-1] == (17, 3)  # resumed at the edited story
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_resident_builds_store_the_dedupe_memory_once_flushed(
    newsroom: Path, dedupe_runs: list[tuple[int, int]], tmp_path: Path
) -> None:
    stored = newsroom / ".sahelbrief-cache" / "dedupe-memory.bin"
    result = newsroom / ".sahelbrief-cache" / "dedupe.bin"  # the stage's result
    wire = newsroom / "seeds" / "2026-02-04-wire-3.txt"
    run(newsroom, resident=True)
    wire.write_text(seed(3) + "One more line here.\n")
    run(newsroom, resident=True)
    assert dedupe_runs[1] == (17, 16)  # resumed from the memory kept in this process
    # A preview's edits do not wait for the memory or the result to be stored.
    assert not stored.exists()
    assert not result.exists()
    cache_module.flush_session()
    assert stored.exists()
    assert result.exists()
    cache_module._SESSION.clear()  # as a new process
    wire.write_text(seed(3) + "Another line instead.\n")
    run(newsroom)
    assert dedupe_runs[2] == (17, 16)  # resumed from the memory the flush stored
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)


def test_feeds_are_kept_unless_an_entry_they_list_changed(
    newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a base_url the site has feeds (the whole site's, the topic's), of the 3 newest
    stories here; a feed whose inputs did not change is not written again."""
    config = "title: Test Brief\nper_page: 5\nfeed_limit: 3\nbase_url: https://example.org/\n"
    write_tree(newsroom, f"-- sahelbrief.yaml --\n{config}")
    run(newsroom)
    run(newsroom)  # a second build, so that a spare copy of the site exists
    written: list[str] = []
    original = render_module.feed_files

    def counting(feed: Feed, *args: Any) -> Iterator[OutputFile]:
        written.append(feed.url)
        return original(feed, *args)

    monkeypatch.setattr(render_module, "feed_files", counting)
    oldest = newsroom / "content" / "2026-01-01-story-0.md"
    oldest.write_text(article(0, "\nA late correction.\n"))  # in no feed
    run(newsroom)
    assert written == []
    newest = newsroom / "content" / "2026-01-12-story-11.md"
    newest.write_text(article(11).replace("Story number 11", "The eleventh story"))
    run(newsroom)
    # The newest story of its topic (the site's feed has the newer wire stories only).
    assert written == ["/topics/security/"]
    topic = newsroom / "site" / "topics" / "security" / "feed.xml"
    assert "The eleventh story" in topic.read_text()
    assert tree_bytes(newsroom / "site") == full_build(newsroom, tmp_path)
