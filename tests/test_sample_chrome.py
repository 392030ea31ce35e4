"""The chrome around the sample pages: weight, forum threads, head/header/aside/footer blocks."""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

import pytest
from lxml import html as lxml_html

from article_archive.extract import extract
from article_archive_sample import SiteFormatError, default_site_dir, load_site
from article_archive_sample.server import route
from article_archive_sample.site import ArticleSource, Site
from sample_truth import norm

BASE = "http://127.0.0.1:8000/"
MINI = Path(__file__).parent / "fixtures" / "mini-site"
SITE = load_site(default_site_dir())
PUBLISHED = SITE.published()


def _page(site: Site, target: str) -> tuple[bytes, lxml_html.HtmlElement]:
    page = route(site, BASE, target)
    assert page.status == 200, target
    body = page.body.encode(page.charset, "xmlcharrefreplace")
    return body, lxml_html.fromstring(body)


@pytest.fixture(scope="module")
def pages() -> dict[int, tuple[bytes, lxml_html.HtmlElement]]:
    return {a.id: _page(SITE, a.url) for a in PUBLISHED}


def _has_class(tree, tag: str, name: str) -> list:
    return tree.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def test_article_pages_weigh_like_real_spip_pages(pages):
    sizes = [len(body) for body, _ in pages.values()]
    assert min(sizes) >= 40_000
    assert max(sizes) <= 80_000
    assert 40_000 <= statistics.median(sizes) <= 80_000


def test_listing_pages_carry_the_chrome_too():
    targets = ["", "spip.php?page=plan"] + [r.url for r in SITE.rubriques.values()]
    for target in targets:
        body, tree = _page(SITE, target)
        assert len(body) >= 25_000, target
        assert _has_class(tree, "div", "formulaire_recherche"), target
        assert _has_class(tree, "*", "syndic"), target
        assert b"<!-- SPIP-CRON -->" in body, target


def test_rendering_is_deterministic():
    art = PUBLISHED[0]
    first = route(SITE, BASE, art.url).body
    assert route(SITE, BASE, art.url).body == first
    assert route(SITE, BASE, "").body == route(SITE, BASE, "").body


def test_the_sample_site_has_forum_threads_syndicated_sites_and_events():
    threads = [a for a in PUBLISHED if SITE.forum.get(a.id)]
    assert len(threads) >= 6
    assert any(SITE.template_of(a.rubrique) == "spip4" for a in threads)
    assert any(SITE.charset_of(a.rubrique) == "iso-8859-1" for a in threads)
    assert any(m.parent for a in threads for m in SITE.forum[a.id])  # replies are nested
    assert len(SITE.syndic) >= 3 and all(s.latest for s in SITE.syndic)
    assert len(SITE.agenda) >= 10


@pytest.mark.parametrize("art", PUBLISHED, ids=lambda a: f"article{a.id}")
def test_forum_thread_and_form(art: ArticleSource, pages):
    _, tree = pages[art.id]
    content = tree.xpath("//div[@id='content']")[0]
    assert content.xpath(".//a[@id='forum'][@name='forum']")
    form = content.xpath(".//div[contains(@class,'formulaire_forum')]//form")
    assert form and form[0].xpath(".//input[@name='id_article']/@value") == [str(art.id)]
    messages = SITE.forum.get(art.id, [])
    comments = content.xpath(".//div[@class='comments']")
    if not messages:
        assert not comments
        return
    thread = comments[0]
    items = thread.xpath(".//li[contains(@class,'comment-item')]")
    assert len(items) == len(messages)
    reviews = thread.xpath(".//*[contains(@class,'comment') and contains(@class,'hreview')]")
    assert len(reviews) == len(messages)
    assert len(thread.xpath(".//abbr[@class='dtreviewed'][@title]")) == len(messages)
    assert len(thread.xpath(".//span[@class='vcard reviewer']")) == len(messages)
    assert len(thread.xpath(".//div[contains(@class,'comment-content')]")) == len(messages)
    replies = thread.xpath(".//p[@class='comment-reply']/a/@href")
    assert replies == [
        f"spip.php?page=forum&id_article={art.id}&id_forum={m.id}"
        for m in _thread_order(messages, 0)
    ]
    nested = [m for m in messages if m.parent]
    assert len(thread.xpath(".//li//ul[@class='comments-items']/li")) == len(nested)


def _thread_order(messages, parent):
    out = []
    for m in (m for m in messages if m.parent == parent):
        out += [m, *_thread_order(messages, m.id)]
    return out


@pytest.mark.parametrize(
    "art", [a for a in PUBLISHED if SITE.forum.get(a.id)], ids=lambda a: f"article{a.id}"
)
def test_the_extractor_keeps_the_forum_out(art: ArticleSource, pages):
    body, _ = pages[art.id]
    data = extract(body, BASE + art.url, {})
    for msg in SITE.forum[art.id]:
        words = msg.text.split(".")[0][:40]
        for field in ("body_text", "lead", "postscript"):
            assert words not in (data[field] or ""), (field, msg.id)
    assert "Répondre à ce message" not in data["body_text"]
    names = [norm(SITE.authors[i].name) for i in art.authors]
    assert [norm(a["name"]) for a in data["authors"]] == names


@pytest.mark.parametrize("template", ["spip3", "spip4"])
def test_head_header_aside_and_footer(template, pages):
    art = next(a for a in PUBLISHED if SITE.template_of(a.rubrique) == template)
    body, tree = pages[art.id]
    head = tree.xpath("//head")[0]
    assert len(head.xpath("link[@rel='stylesheet']")) >= 5
    style = head.xpath("style/text()")
    assert style and len(style[0]) > 3000
    assert len(head.xpath("script[@src]")) >= 5
    assert head.xpath("script[not(@src)]")
    for prop in ("og:site_name", "og:type", "og:url", "og:title", "og:description"):
        assert len(head.xpath(f"meta[@property='{prop}']")) == 1, prop
    assert head.xpath("meta[@name='twitter:card']")
    assert head.xpath("link[@rel='icon']") and head.xpath("link[@rel='apple-touch-icon']")
    # header: logo and name, language menu, search form, the whole rubric tree
    assert tree.xpath("//span[@class='nom_site_spip']")
    assert tree.xpath("//div[contains(@class,'formulaire_menu_lang')]//select/option")
    assert tree.xpath("//div[@class='formulaire_spip formulaire_recherche']//input[@type='search']")
    menu = tree.xpath("//*[contains(@class,'nav')]/ul[contains(@class,'menu-items')]")[0]
    hrefs = menu.xpath(".//a/@href")
    assert all(r.url in hrefs for r in SITE.rubriques.values())
    assert menu.xpath(".//li//ul[contains(@class,'menu-items')]//a/@href")  # nested rubrics
    # aside
    aside_path = "//div[@class='aside']" if template == "spip3" else "//aside[@class='aside']"
    aside = tree.xpath(aside_path)[0]
    latest = aside.xpath(".//*[contains(@class,'menu_derniers')]//li")
    assert len(latest) == 10
    assert any("(...)" in li.text_content() for li in latest)
    assert aside.xpath(".//*[contains(@class,'syndic')]//a[@rel='external']")
    assert aside.xpath(".//*[contains(@class,'agenda')]//table[@class='calendrier']")
    shares = " ".join(aside.xpath(".//*[contains(@class,'partage')]//a/@href"))
    assert "facebook" in shares and "mastodon" in shares and "mailto:" in shares
    assert "page=imprimer" in shares
    assert aside.xpath(".//*[contains(@class,'don')]//a[@class='bouton']")
    assert aside.xpath(".//div[contains(@class,'formulaire_newsletter')]//form")
    groups = aside.xpath(".//*[contains(@class,'menu_mots')]//h3[@class='groupe_mots']/text()")
    assert groups == list(dict.fromkeys(SITE.keywords[k].group for k in art.keywords))
    if template == "spip4":
        assert tree.xpath("//main[@class='main']") and tree.xpath("//footer[@class='footer']")
        assert aside.xpath("./section[contains(@class,'box')]/h2[@class='box-title']")
    else:
        assert tree.xpath("//div[@class='main']") and tree.xpath("//div[@id='footer']")
        assert aside.xpath("./div[starts-with(@class,'menu ')]/h2")
    # footer
    footer = " ".join(tree.xpath("//*[contains(@class,'footer')]//a/@href"))
    for target in ("page=plan", "page=contact", "page=mentions", "www.spip.net"):
        assert target in footer, target
    assert b"<!-- SPIP-CRON -->" in body
    assert tree.xpath("//script[contains(text(), 'trackPageView')]")


def test_translations_get_hreflang_links_in_the_head(pages):
    art = next(a for a in PUBLISHED if a.translation_of)
    _, tree = pages[art.id]
    hreflang = tree.xpath("//head/link[@rel='alternate'][@hreflang]/@hreflang")
    assert sorted(hreflang) == sorted(o.lang for o in SITE.translations(art))


def test_only_the_site_feed_is_announced_in_article_heads(pages):
    # per-rubric feeds are footer links: autodiscovery must find one feed on an article
    for _, tree in pages.values():
        feeds = tree.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href")
        assert feeds == ["spip.php?page=backend"]
        assert tree.xpath("//*[contains(@class,'abonnements')]//a[contains(@href,'id_rubrique')]")


def test_mini_site_forum_syndic_and_agenda():
    site = load_site(MINI)
    assert [m.id for m in site.forum[1]] == [1, 2]
    assert site.syndic[0].latest[1] == ("Marée haute", "https://journal-du-quai.example.org/maree")
    assert site.syndic[0].latest[0][1].startswith("https://journal-du-quai.example.org/")
    _, tree = _page(site, site.articles[1].url)
    assert len(tree.xpath("//li[contains(@class,'comment-item')]")) == 2
    assert tree.xpath("//span[@class='vcard reviewer']/a[@rel='external nofollow']/@href") == [
        "https://gazette.example.org/"
    ]
    cal = tree.xpath("//table[@class='calendrier']")[0]
    assert cal.xpath(".//td[@class='evenement']/a/text()") == ["20"]
    assert "octobre 2023" in cal.xpath("string(caption)")


def test_forum_reply_to_another_article_is_a_format_error(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(MINI, root)
    toml = root / "site.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[forum]]\nid = 9\narticle = 3\nparent = 1\ndate = "2024-01-01"\n'
        'author = "X"\ntext = "Y"\n',
        encoding="utf-8",
    )
    with pytest.raises(SiteFormatError, match="forum 9"):
        load_site(root)
