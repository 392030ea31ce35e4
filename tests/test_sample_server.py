"""The sample SPIP site over real HTTP on 127.0.0.1 (article_archive_sample.server)."""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree
from lxml import html as lxml_html

from article_archive_sample import SampleSite, default_site_dir
from article_archive_sample.listings import pagination

MINI = Path(__file__).parent / "fixtures" / "mini-site"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(scope="module")
def served() -> Iterator[SampleSite]:
    with SampleSite(MINI) as site:
        yield site


@pytest.fixture
def client(served: SampleSite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.base_url) as c:
        yield c


def _big_site(root: Path, count: int = 12) -> Path:
    """A copy of the mini site plus ``count`` tiny articles in rubric 3 (for limits and pages)."""
    shutil.copytree(MINI, root)
    for i in range(count):
        n = 100 + i
        (root / "articles" / f"{n:04d}-gen.txt").write_text(
            f'+++\nid = {n}\nrubrique = 3\nslug = "genere-{n}"\ntitle = "Article généré {n}"\n'
            f'date = "2024-02-{i + 1:02d}T12:00:00"\nauthors = [2]\nkeywords = [2]\n+++\n'
            f"Texte numéro {n}.\n",
            encoding="utf-8",
        )
    return root


def test_base_url_and_default_dir(served):
    assert served.base_url.startswith("http://127.0.0.1:")
    assert served.base_url.endswith("/")
    assert (default_site_dir() / "site.toml").is_file()


def test_article_id_redirects_301_to_readable_url(client, served):
    for target in (
        "spip.php?article1",
        "article.php3?id_article=1",
        "spip.php?page=article&id_article=1",
        "article1.html",
    ):
        r = client.get(target)
        assert r.status_code == 301, target
        assert r.headers["location"] == served.base_url + "la-digue-et-le-port"
    r = client.get("spip.php?article1", follow_redirects=True)
    assert r.status_code == 200
    assert str(r.url) == served.base_url + "la-digue-et-le-port"


def test_other_objects_redirect(client, served):
    assert client.get("spip.php?rubrique2").headers["location"] == served.base_url + "-Japon-"
    assert client.get("spip.php?auteur1").headers["location"] == served.base_url + "_Nakamura-Aiko_"
    assert client.get("spip.php?mot1").headers["location"] == served.base_url + "+-Nucleaire-+"


@pytest.mark.parametrize("target", ["spip.php?article999", "spip.php?article5"])
def test_unknown_or_unpublished_id_gives_the_home_page(client, target):
    r = client.get(target)
    assert r.status_code == 200
    tree = lxml_html.fromstring(r.content)
    assert tree.xpath("//body/@class") == ["page_sommaire"]
    assert not tree.xpath('//*[contains(@class, "article-texte-")]')
    assert "un-brouillon" not in r.text


def test_unpublished_slug_is_404(client):
    assert client.get("un-brouillon").status_code == 404


def test_unknown_path_is_404_page(client):
    r = client.get("nowhere-at-all")
    assert r.status_code == 404
    assert "page_404" in r.text


def test_article_page_structure(client, served):
    r = client.get("la-digue-et-le-port")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["composed-by"].startswith("SPIP 3.2.7 @ www.spip.net + ")
    tree = lxml_html.fromstring(r.content)
    root = tree.getroottree().getroot()
    assert root.get("class") == "ltr fr no-js"
    assert tree.xpath("//meta[@name='generator']/@content") == ["SPIP 3.2.7 [24473]"]
    assert tree.xpath("//link[@rel='canonical']/@href") == [served.base_url + "la-digue-et-le-port"]
    assert tree.xpath("//body/@class") == ["page_article"]
    content = tree.xpath("//div[@class='main']/div[contains(@class,'wrapper')]/div[@id='content']")[
        0
    ]
    assert content.get("class") == "content hentry"
    assert content.xpath("string(p[@class='arbo'])").startswith("Accueil > Asie > Japon > ")
    h1 = content.xpath(".//h1")[0]
    assert h1.get("class") == "surlignable entry-title crayon article-titre-1"
    assert h1.xpath("./img[@class='spip_logo spip_logos']/@src") == ["IMG/arton1.png"]
    assert content.xpath(".//p[@class='surtitre crayon article-surtitre-1']")
    assert content.xpath(".//p[@class='soustitre crayon article-soustitre-1']")
    assert content.xpath(".//abbr[@class='published']/@title") == ["2023-10-12T07:30:00Z"]
    info = content.xpath("string(.//p[@class='info-publi'])")
    assert "jeudi 12 octobre 2023, par NAKAMURA Aiko, LEFEBVRE Martine" in info
    assert "(Date de rédaction antérieure\u00a0: 4 octobre 2023)." in info
    assert content.xpath(".//a[@class='url fn spip_in']/@href") == [
        "_Nakamura-Aiko_",
        "_Lefebvre-Martine_",
    ]
    trad = content.xpath(".//p[@class='traductions']")[0]
    assert trad.xpath(".//a[@hreflang='en']/@href") == ["the-seawall-and-the-harbour"]
    assert trad.xpath("string(.//span[@class='on'])") == "[français]"
    assert content.xpath(".//div[@class='surlignable crayon article-chapo-1 chapo']")
    assert content.xpath(".//div[@class='surlignable crayon article-texte-1 texte']")
    assert content.xpath(".//div[@class='ps surlignable']/div[@class='crayon article-ps-1']")
    assert len(content.xpath(".//div[@class='notes surlignable']/div[starts-with(@id,'nb')]")) == 2
    assert content.xpath(".//p[@class='repondre']/a/@href") == ["spip.php?page=forum&id_article=1"]
    aside = tree.xpath("//div[@class='aside']")[0]
    assert aside.xpath(".//a[@rel='tag']/@href") == ["+-Nucleaire-+", "+-Syndicalisme-+"]
    assert aside.xpath(".//div[contains(@class,'formulaire_spip')]//form")
    assert "Version imprimable" in aside.text_content()
    assert tree.xpath("//head/script[not(@src)]")  # an inline script the extractor must strip
    assert tree.xpath("//meta[@property='og:image']/@content") == [
        served.base_url + "IMG/arton1.png"
    ]


def test_english_article(client):
    tree = lxml_html.fromstring(client.get("the-seawall-and-the-harbour").content)
    assert tree.getroottree().getroot().get("lang") == "en"
    info = tree.xpath("string(//p[@class='info-publi'])")
    assert info.startswith("Friday 13 October 2023, by O’BRIEN Fiona")
    assert "(Date first published: 4 October 2023)." in info


def test_spip4_article(client):
    r = client.get("egalite-salariale")
    assert r.headers["composed-by"].startswith("SPIP 4.2.8 @ www.spip.net")
    tree = lxml_html.fromstring(r.content)
    assert tree.xpath("//meta[@charset='utf-8']")
    assert tree.xpath("//meta[@name='generator']/@content") == ["SPIP 4.2.8"]
    content = tree.xpath("//main[@class='main']//div[@id='content']")[0]
    assert content.xpath(".//h1[contains(@class,'article-titre-4')]")
    assert content.xpath(".//div[contains(@class,'nav-sommaire')]")
    assert content.xpath(".//figure[@class='spip_doc_inner']")


def test_iso_8859_1_rubric_pages(client):
    r = client.get("greve-a-l-atelier")
    assert r.headers["content-type"] == "text/html; charset=iso-8859-1"
    raw = r.content
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("latin-1")
    assert b"Gr\xe8ve" in raw and b"r\xe9clament" in raw
    assert "l&#8217;atelier" in text
    assert "&#339;uvre" in text  # œ is not in Latin-1
    assert "100 &#8364;" in text
    assert 'content="text/html; charset=iso-8859-1"' in text
    listing = client.get("-Mouvements-sociaux-")
    assert listing.headers["content-type"] == "text/html; charset=iso-8859-1"
    assert b"Gr\xe8ve" in listing.content


def test_backend_feed(client, served):
    r = client.get("spip.php?page=backend")
    assert r.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert "<pubDate>" not in r.text
    root = etree.fromstring(r.content)
    channel = root.find("channel")
    assert channel.findtext("generator") == "SPIP - www.spip.net"
    assert channel.findtext("language") == "fr"
    assert channel.find("atom:link", NS).get("rel") == "self"
    items = channel.findall("item")
    assert [i.findtext("link") for i in items][:2] == [
        served.base_url + "the-seawall-and-the-harbour",
        served.base_url + "la-digue-et-le-port",
    ]
    first_fr = items[1]
    assert first_fr.findtext("guid") == served.base_url + "la-digue-et-le-port"
    assert first_fr.find("guid").get("isPermaLink") == "true"
    assert first_fr.findtext("dc:date", namespaces=NS) == "2023-10-12T07:30:00Z"
    assert first_fr.findtext("dc:creator", namespaces=NS) == "NAKAMURA Aiko, LEFEBVRE Martine"
    assert [s.text for s in first_fr.findall("dc:subject", NS)] == ["Nucléaire", "Syndicalisme"]
    desc = first_fr.findtext("description")
    assert 'rel="directory">Japon</a>' in desc
    assert 'rel="tag">Nucléaire</a>' in desc
    assert "un-brouillon" not in r.text


def test_backend_filters(client, served):
    def links(query: str) -> list[str]:
        root = etree.fromstring(client.get("spip.php?page=backend" + query).content)
        return [i.findtext("link").removeprefix(served.base_url) for i in root.iter("item")]

    assert links("&id_rubrique=1") == ["la-digue-et-le-port"]  # the whole branch (Japon is in Asie)
    assert links("&id_rubrique=3") == ["greve-a-l-atelier"]
    assert links("&lang=en") == ["the-seawall-and-the-harbour"]
    assert links("&id_mot=2") == ["la-digue-et-le-port", "greve-a-l-atelier"]


def test_home_and_rubric_pages_announce_their_feeds(client):
    home = lxml_html.fromstring(client.get("").content)
    feeds = home.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert "spip.php?page=backend" in feeds
    rub = lxml_html.fromstring(client.get("-Asie-").content)
    feeds = rub.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert "spip.php?page=backend&id_rubrique=1" in feeds
    assert rub.xpath("//h1[contains(@class,'rubrique-titre-1')]")
    assert rub.xpath("//div[contains(@class,'rubriques')]//a/@href") == ["-Japon-"]


def test_feed_limit_and_pagination(tmp_path):
    root = _big_site(tmp_path / "site")
    with SampleSite(root) as served, httpx.Client(base_url=served.base_url) as client:
        feed = etree.fromstring(client.get("spip.php?page=backend").content)
        assert len(feed.findall("channel/item")) == 10
        page1 = client.get("-Mouvements-sociaux-")
        tree = lxml_html.fromstring(page1.content)
        assert tree.xpath("//a[@id='pagination_articles'][@name='pagination_articles']")
        assert len(tree.xpath("//li[contains(@class,'hentry')]")) == 10
        pag = tree.xpath("//p[@class='pagination']/span[@class='pages']")[0]
        assert pag.xpath("./strong[@class='on']/text()") == ["0"]
        link = pag.xpath("./a[@class='lien_pagination'][@rel='nofollow']")[0]
        assert link.text == "10"
        assert link.get("href") == "-Mouvements-sociaux-?debut_articles=10#pagination_articles"
        page2 = lxml_html.fromstring(client.get(link.get("href").split("#")[0]).content)
        assert len(page2.xpath("//li[contains(@class,'hentry')]")) == 3
        assert page2.xpath("//p[@class='pagination']//strong[@class='on']/text()") == ["10"]


def test_plan_lists_every_published_article(client):
    tree = lxml_html.fromstring(client.get("spip.php?page=plan").content)
    hrefs = tree.xpath("//div[@class='plan']//ul[@class='plan-articles']//a/@href")
    assert sorted(hrefs) == sorted(
        [
            "la-digue-et-le-port",
            "the-seawall-and-the-harbour",
            "greve-a-l-atelier",
            "egalite-salariale",
        ]
    )


def test_author_and_keyword_pages(client):
    author = lxml_html.fromstring(client.get("_Lefebvre-Martine_").content)
    assert author.xpath("//h1[contains(@class,'auteur-nom-2')]")
    assert len(author.xpath("//li[contains(@class,'hentry')]")) == 3
    mot = lxml_html.fromstring(client.get("+-Nucleaire-+").content)
    assert sorted(mot.xpath("//li[contains(@class,'hentry')]//h3/a/@href")) == [
        "la-digue-et-le-port",
        "the-seawall-and-the-harbour",
    ]


def test_sitemap(client, served):
    for target in ("sitemap.xml", "spip.php?page=sitemap.xml"):
        r = client.get(target)
        assert r.headers["content-type"] == "application/xml"
        root = etree.fromstring(r.content)
        locs = root.xpath("//sm:loc/text()", namespaces=NS)
        assert served.base_url in locs
        assert served.base_url + "-Japon-" in locs
        assert served.base_url + "egalite-salariale" in locs
        assert served.base_url + "un-brouillon" not in locs
        url = root.xpath(f"//sm:url[sm:loc='{served.base_url}la-digue-et-le-port']", namespaces=NS)[
            0
        ]
        assert url.findtext("sm:lastmod", namespaces=NS) == "2023-10-14T16:00:00Z"
        assert url.xpath("xhtml:link[@hreflang='en']/@href", namespaces=NS) == [
            served.base_url + "the-seawall-and-the-harbour"
        ]


def test_robots(client, served):
    r = client.get("robots.txt")
    assert r.headers["content-type"].startswith("text/plain")
    lines = r.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /ecrire/" in lines and "Disallow: /prive/" in lines
    assert f"Sitemap: {served.base_url}sitemap.xml" in lines


def test_conditional_get(client):
    first = client.get("la-digue-et-le-port")
    etag = first.headers["etag"]
    assert first.headers["last-modified"] == "Sat, 14 Oct 2023 16:00:00 GMT"
    assert client.get("la-digue-et-le-port", headers={"If-None-Match": etag}).status_code == 304
    since = {"If-Modified-Since": first.headers["last-modified"]}
    assert client.get("la-digue-et-le-port", headers=since).status_code == 304
    old = {"If-Modified-Since": "Sat, 14 Oct 2023 15:00:00 GMT"}
    assert client.get("la-digue-et-le-port", headers=old).status_code == 200
    assert (
        client.get("la-digue-et-le-port", headers={"If-None-Match": '"other"'}).status_code == 200
    )
    feed = client.get("spip.php?page=backend")
    assert (
        client.get(
            "spip.php?page=backend", headers={"If-None-Match": feed.headers["etag"]}
        ).status_code
        == 304
    )


def test_gzip_when_accepted(served):
    with httpx.Client(base_url=served.base_url, headers={"Accept-Encoding": "gzip"}) as c:
        r = c.get("la-digue-et-le-port")
        assert r.headers["content-encoding"] == "gzip"
        assert "article-texte-1" in r.text
    with httpx.Client(base_url=served.base_url, headers={"Accept-Encoding": "identity"}) as c:
        r = c.get("la-digue-et-le-port")
        assert "content-encoding" not in r.headers
        with pytest.raises(gzip.BadGzipFile):
            gzip.decompress(r.content)


def test_head_and_images(client):
    head = client.head("la-digue-et-le-port")
    assert head.status_code == 200 and head.content == b""
    img = client.get("IMG/digue.png")
    assert img.headers["content-type"] == "image/png"
    assert img.content.startswith(b"\x89PNG")
    assert client.get("IMG/../site.toml").status_code == 404


def test_request_log(served, client):
    client.get("robots.txt", headers={"User-Agent": "probe/1.0"})
    record = served.requests[-1]
    assert (record.method, record.path, record.status) == ("GET", "/robots.txt", 200)
    assert record.headers["User-Agent"] == "probe/1.0"
    assert record.time > 0


def test_edits_show_up_without_restart(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(MINI, root)
    with SampleSite(root) as served, httpx.Client(base_url=served.base_url) as client:
        assert "Texte final" in client.get("egalite-salariale").text
        path = next((root / "articles").glob("0004-*.txt"))
        path.write_text(path.read_text("utf-8").replace("Texte final", "Texte revu"), "utf-8")
        stat = path.stat()
        later = stat.st_mtime_ns + 2_000_000_000
        os.utime(path, ns=(later, later))
        assert "Texte revu" in client.get("egalite-salariale").text


def test_pagination_spip4_form():
    out = pagination("-Feminismes-", 25, 10, "spip4")
    tree = lxml_html.fromstring(out)
    assert tree.tag == "nav"
    assert "pagination" in tree.get("class").split()
    items = tree.xpath(
        "./ul[contains(@class,'pagination-items')]/li[contains(@class,'pagination-item')]"
    )
    assert [i.text_content() for i in items] == ["1", "2", "3", ">"]
    assert "on" in items[1].get("class").split()
    assert items[0].xpath("./a/@href") == ["-Feminismes-?debut_articles=0#pagination_articles"]
    assert pagination("-Feminismes-", 10, 0, "spip4") == ""
