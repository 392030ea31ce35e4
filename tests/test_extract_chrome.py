"""Learning a site's template from its pages (extract.chrome, store.chrome) and using it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from article_archive.extract import extract_article, learn_blocks
from article_archive.extract.chrome import (
    MIN_PAGES,
    SURE_PAGES,
    PageChrome,
    is_chrome,
    page_blocks,
)
from article_archive.store import chrome as store_chrome
from article_archive.store import open_archive
from article_archive.store.chrome import learn_page, refresh_chrome, site_pages
from chrome_pages import CLOUD, STORIES, article_page, home_page

BASE = "http://127.0.0.1:9/"
SITE = "127.0.0.1:9"


def _tree(html: str) -> etree._Element:
    return etree.fromstring(html, etree.HTMLParser())


def _paths(html: str, url: str = BASE) -> dict[str, str]:
    return {b.path: b.fingerprint for b in page_blocks(_tree(html), url)}


def test_a_block_is_known_by_its_links_whatever_their_order_and_wrapper() -> None:
    one = '<body><div class="a"><ul><li><a href="x">X</a></li><li><a href="y">Y</a></li></ul></div>'
    two = '<body><section id="b"><a href="y">Y</a> <a href="/x"> X </a></section></body>'
    first, second = _paths(one), _paths(two)
    assert set(first.values()) == set(second.values())
    assert "ul < div.a" in first and "section#b" in second


def test_a_single_link_or_another_link_text_makes_another_block() -> None:
    assert _paths('<body><div><a href="x">X</a></div></body>') == {}
    one = _paths('<body><div><a href="x">X</a><a href="y">Y</a></div></body>')
    other = _paths('<body><div><a href="x">X</a><a href="y">Why</a></div></body>')
    assert set(one.values()).isdisjoint(other.values())


def test_the_head_keyword_list_is_a_block_in_any_order() -> None:
    one = _paths('<head><meta name="keywords" content="Forêts, Littoral, Énergie"></head><body/>')
    two = _paths('<head><meta name="keywords" content="énergie,forêts , littoral"></head><body/>')
    assert one == two and "meta keywords" in one


def test_malformed_links_do_not_stop_the_fingerprints() -> None:
    html = '<body><p><a href="https://[votre_fil_twitter]">T</a><a href="http://a:99999/">P</a></p>'
    assert len(_paths(html)) == 1


@pytest.mark.parametrize(
    ("pages", "window", "other", "verdict"),
    [
        (MIN_PAGES, MIN_PAGES, 1, True),  # on every page since it appeared, the home among them
        (MIN_PAGES - 1, MIN_PAGES - 1, 1, False),  # too few pages to tell
        (MIN_PAGES, MIN_PAGES, 0, False),  # articles only: maybe their own shared block
        (SURE_PAGES - 1, SURE_PAGES - 1, 0, False),
        (SURE_PAGES, SURE_PAGES, 0, True),  # so many articles: the template
        (6, 10, 1, True),  # 60 %
        (5, 10, 1, False),  # 50 %
        (0, 0, 0, False),
    ],
)
def test_the_chrome_verdict(pages: int, window: int, other: int, verdict: bool) -> None:
    assert is_chrome(pages, window, other) is verdict


def test_the_store_and_the_extractor_agree_on_the_minimum() -> None:
    assert store_chrome.MIN_PAGES == MIN_PAGES


@pytest.fixture
def db(tmp_path):
    archive = open_archive(tmp_path / "a.db")
    yield archive
    archive.close()


def _learn(db, url: str, kind: str, html: str) -> bool:
    return learn_page(db, SITE, url, kind, learn_blocks(html, url))


def _learn_site(db) -> None:
    _learn(db, BASE, "home", home_page())
    for story in STORIES:
        _learn(db, f"{BASE}spip.php?article{story.id}", "article", article_page(story))


def test_the_tag_cloud_and_the_latest_articles_are_learned_as_chrome(db) -> None:
    _learn_site(db)
    chrome = refresh_chrome(db, SITE)
    rows = {r["path"]: r for r in db["template_blocks"].rows_where("chrome = 1")}
    assert {"ul < div.nuage < div.extra", "ul < div.derniers < div.extra"} <= set(rows)
    assert rows["ul < div.nuage < div.extra"]["pages"] == len(STORIES) + 1
    assert rows["ul < div.nuage < div.extra"]["links"] == len(CLOUD)
    own = {r["path"] for r in db["template_blocks"].rows if r["path"].startswith("p.tags")}
    assert own and not own & set(rows)  # each article's own keywords are no template
    assert len(chrome) == len(rows)
    site = db["site_templates"].get(SITE)
    assert (site["pages"], site["article_pages"], site["chrome_blocks"]) == (9, 8, len(rows))


def test_a_page_counts_once(db) -> None:
    _learn_site(db)
    assert not _learn(db, BASE, "home", home_page())
    assert site_pages(db, SITE) == len(STORIES) + 1


def test_a_grown_tag_cloud_is_chrome_again_after_a_few_pages(db) -> None:
    _learn_site(db)
    grown = '<li><a href="spip.php?mot8">Glaciers</a></li></ul></div>'
    for n in range(MIN_PAGES):
        html = home_page().replace(
            '</ul></div><div class="derniers">', grown + '<div class="derniers">'
        )
        _learn(db, f"{BASE}spip.php?page=liste&n={n}", "listing", html)
    refresh_chrome(db, SITE)
    rows = [r for r in db["template_blocks"].rows if r["path"] == "ul < div.nuage < div.extra"]
    grown_row = next(r for r in rows if "glaciers" in r["sample"])
    # on 5 of the site's 14 pages, but on every page since it appeared
    assert grown_row["pages"] == MIN_PAGES and site_pages(db, SITE) == len(STORIES) + 1 + MIN_PAGES
    assert grown_row["chrome"] == 1


def _chrome_of(db) -> frozenset[str]:
    _learn_site(db)
    return refresh_chrome(db, SITE)


def test_keywords_are_the_articles_own_not_the_tag_cloud(db) -> None:
    chrome = _chrome_of(db)
    for story in STORIES:
        url = f"{BASE}spip.php?article{story.id}"
        alone = extract_article(article_page(story), url)
        assert set(alone.keywords) == set(CLOUD.values())  # what the template fixes
        learned = extract_article(article_page(story), url, chrome=chrome)
        assert learned.keywords == story.keyword_names


def test_a_keyword_block_away_from_the_title_is_found_once_the_template_is_known(db) -> None:
    chrome = _chrome_of(db)
    story = STORIES[0]
    own = "".join(f'<a href="spip.php?mot{k}" rel="tag">{CLOUD[k]}</a>' for k in story.keywords)
    html = article_page(replace(story, keywords=())).replace(
        '<div class="footer">', f'<div class="mots_article">{own}</div><div class="footer">'
    )
    url = f"{BASE}spip.php?article{story.id}"
    assert set(extract_article(html, url).keywords) == set(CLOUD.values())
    assert extract_article(html, url, chrome=chrome).keywords == story.keyword_names


def test_a_site_wide_meta_keyword_list_is_not_the_articles(db) -> None:
    meta = '<meta name="keywords" content="Vallées, Rivières, Forêts">'
    pages = [home_page()] + [article_page(s) for s in STORIES]
    _learn(db, BASE, "home", pages[0].replace("</head>", meta + "</head>"))
    for story, html in zip(STORIES, pages[1:], strict=True):
        url = f"{BASE}spip.php?article{story.id}"
        _learn(db, url, "article", html.replace("</head>", meta + "</head>"))
    chrome = refresh_chrome(db, SITE)
    bare = STORIES[6]  # no keywords of its own
    html = article_page(bare).replace("</head>", meta + "</head>")
    url = f"{BASE}spip.php?article{bare.id}"
    assert extract_article(html, url, chrome=frozenset()).keywords  # the list, taken as given
    assert extract_article(html, url, chrome=chrome).keywords == []


def test_no_block_holding_the_texte_is_chrome() -> None:
    html = article_page(STORIES[0])
    tree = _tree(html)
    everything = frozenset(b.fingerprint for b in page_blocks(tree, BASE))
    marks = PageChrome(tree, BASE, everything)
    texte = tree.xpath("//div[contains(@class, 'texte')]")[0]
    marks.keep(texte)
    assert not marks.holds(texte)
    assert marks.holds(tree.xpath("//div[@class='nuage']//a")[0])


@pytest.mark.parametrize(
    ("link", "keyword"),
    [
        ('<a href="+-Climat-+?lang=en">Climat</a>', True),
        ('<a href="+-Climat-+#top">Climat</a>', True),
        ('<a href="spip.php?mot3&amp;lang=fr">Climat</a>', True),
        ('<a href="-In-English-" rel="category tag">In English</a>', False),
        ('<a href="-Ecologie-" rel="tag">Écologie</a>', False),
        ('<a href="spip.php?rubrique2">Écologie</a>', False),
    ],
)
def test_keyword_links_by_their_shape(link: str, keyword: bool) -> None:
    story = STORIES[6]
    html = article_page(story).replace(
        '<div class="crayon', f'<p class="tags">{link}</p><div class="crayon', 1
    )
    html = html.replace("<h2>Mots-clés</h2>", "<h2>Nuage</h2>")  # the cloud unlabelled
    got = extract_article(html, f"{BASE}spip.php?article{story.id}").keywords
    assert bool(got) is keyword


GENERIC = (
    '<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    '<meta name="keywords" content="Rivers, Forests, Mountains"></head><body>'
    "<article><h1>{title}</h1>"
    + "<p>{title}: "
    + "the council met again on Tuesday. " * 30
    + "</p></article></body></html>"
)


def test_a_generic_sites_own_keyword_list_is_not_the_articles(db) -> None:
    for n in range(MIN_PAGES):
        url, kind = (BASE, "home") if n == 0 else (f"{BASE}story-{n}", "article")
        _learn(db, url, kind, GENERIC.format(title=f"Story {n}"))
    chrome = refresh_chrome(db, SITE)
    html = GENERIC.format(title="The bus line")
    assert extract_article(html, f"{BASE}bus-line").keywords == ["Rivers", "Forests", "Mountains"]
    assert extract_article(html, f"{BASE}bus-line", chrome=chrome).keywords == []
