"""The search page: the query language, stemming, ranking, facets, dates, paging, bad input."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

SINGULAR = "Le débat revient au Parlement"
FUKUSHIMA = "Fukushima : douze ans après, l’eau contaminée rejetée dans l’océan"
FUKUSHIMA_EN = "Fukushima: twelve years on, contaminated water released into the ocean"


async def _page(ds: Datasette, query: str) -> BeautifulSoup:
    response = await ds.client.get("/archive/search?" + query)
    assert response.status_code == 200, response.text[:1000]
    return BeautifulSoup(response.text, "html.parser")


async def _titles(ds: Datasette, q: str, extra: str = "") -> list[str]:
    doc = await _page(ds, "q=" + q.replace("&", "%26").replace("#", "%23") + extra)
    return [a.get_text() for a in doc.select(".aa-card-title a")]


# ---------------------------------------------------------------------------- semantics


async def test_stemming_finds_singular_from_plural_and_back(ds: Datasette) -> None:
    assert SINGULAR in await _titles(ds, "nucléaires")
    assert FUKUSHIMA in await _titles(ds, "nucléaire")  # the text says "nucléaires"


async def test_english_stemming(ds: Datasette) -> None:
    assert "Climate strikes spread across Europe" in await _titles(ds, "strike")
    assert "Workers organising at the warehouse" in await _titles(ds, "organise")


async def test_accents_are_folded(ds: Datasette) -> None:
    assert set(await _titles(ds, "nucleaire")) == set(await _titles(ds, "nucléaire"))
    assert "Le prix de l’électricité s’envole" in await _titles(ds, "ELECTRICITE")
    assert "Le prix de l’électricité s’envole" in await _titles(ds, "électricité")


async def test_phrase_matches_exact_order(ds: Datasette) -> None:
    assert await _titles(ds, '"nucléaire civil"') == [SINGULAR]
    assert await _titles(ds, '"civil nucléaire"') == []
    assert await _titles(ds, '"centrales nucleaires"') == [FUKUSHIMA]


async def test_exclusion(ds: Datasette) -> None:
    assert await _titles(ds, "nucléaire -Fukushima") == [SINGULAR]
    assert await _titles(ds, "nucléaire NOT Fukushima") == [SINGULAR]
    assert await _titles(ds, 'nucléaire -"centrales nucléaires"') == [SINGULAR]


async def test_or(ds: Datasette) -> None:
    assert set(await _titles(ds, "retraites OR plastic")) == {
        "Retraites : la mobilisation continue",
        "The ocean and the plastic",
    }
    assert set(await _titles(ds, 'plastic OR "nucléaire civil"')) == {
        "The ocean and the plastic",
        SINGULAR,
    }


async def test_prefix(ds: Datasette) -> None:
    assert "The ocean and the plastic" in await _titles(ds, "plast*")
    assert {SINGULAR, FUKUSHIMA} <= set(await _titles(ds, "nucl*"))


async def test_title_outranks_lead(ds: Datasette) -> None:
    titles = await _titles(ds, "grève")
    assert titles[:2] == ["Grève générale en Grèce", "Retraites : la mobilisation continue"]


async def test_snippets_are_highlighted(ds: Datasette) -> None:
    doc = await _page(ds, "q=nucléaires")
    marks = [m.get_text() for m in doc.select(".aa-snippet mark")]
    assert "nucléaire" in marks and "nucléaires" in marks


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"unbalanced quote',
        'a"b"c"',
        "AND(",
        "*",
        "-",
        "-*",
        "*foo",
        "foo**",
        "OR",
        "NOT",
        "OR OR nucléaire OR",
        "!!! ??? ...",
        "x" * 2000,
        " ".join(["nucléaire"] * 400),
        "') DROP TABLE articles; --",
        "NEAR(a b, 2)",
        "title:fukushima",
        "^fukushima",
        "{title lead}: fukushima",
        '"" OR ""',
        "😀 🔥",
        "%00",
        "日本 原発",
    ],
)
async def test_any_input_gives_a_page(ds: Datasette, q: str) -> None:
    response = await ds.client.get("/archive/search?" + urlencode({"q": q}))
    assert response.status_code == 200
    assert "Traceback" not in response.text


async def test_nothing_to_search_is_explained(ds: Datasette) -> None:
    doc = await _page(ds, "q=%2A")
    assert "Nothing to search for" in doc.get_text()
    assert not doc.select(".aa-card")


async def test_no_match_is_explained(ds: Datasette) -> None:
    doc = await _page(ds, "q=zzzyyyxxx")
    assert "No article matches" in doc.get_text()


# ---------------------------------------------------------------------------- facets, dates, pages


async def test_facet_counts_and_links(ds: Datasette) -> None:
    doc = await _page(ds, "q=nucléaire")
    facets = {}
    for section in doc.select(".aa-facets section"):
        title = section.select_one(".aa-section-title").get_text()
        facets[title] = {
            li.select_one("a").get_text(): int(li.select_one("span").get_text())
            for li in section.select("li")
            if li.select_one("span")
        }
    assert facets["Section"] == {"ÉTATS NUCLÉAIRES": 1, "Énergie": 1}
    assert facets["Author"] == {"ROUSSET Pierre": 2, "HAYASHI Noriko": 1}
    assert facets["Language"] == {"Français": 2}
    assert facets["Year"] == {"2023": 2}
    link = doc.select_one(".aa-facets a[href*='section=']")["href"]
    narrowed = BeautifulSoup((await ds.client.get(link)).text, "html.parser")
    assert len(narrowed.select(".aa-card")) == 1
    assert narrowed.select(".aa-active .aa-chip")  # the filter shows, with a remove link


async def test_filters_by_language_author_and_year(ds: Datasette) -> None:
    assert await _titles(ds, "fukushima", "&lang=en") == [FUKUSHIMA_EN]
    assert set(await _titles(ds, "", "&author=2&year=2022")) == {
        "Workers organising at the warehouse",
        "Le prix de l’électricité s’envole",
    }


async def test_date_range(ds: Datasette) -> None:
    titles = await _titles(ds, "", "&from=2023&to=2023-06")
    assert set(titles) == {SINGULAR, "Retraites : la mobilisation continue"}
    doc = await _page(ds, "q=&from=yesterday")
    assert "Ignored the date" in doc.get_text()


async def test_sort_by_date(ds: Datasette) -> None:
    newest = await _titles(ds, "fukushima OR plastic", "&sort=newest")
    assert newest == [FUKUSHIMA, FUKUSHIMA_EN, "The ocean and the plastic"]
    oldest = await _titles(ds, "fukushima OR plastic", "&sort=oldest")
    assert oldest == list(reversed(newest))


async def test_total_and_pagination(ds: Datasette) -> None:
    doc = await _page(ds, "q=")
    assert doc.select_one(".aa-total").get_text() == "32"
    assert len(doc.select(".aa-card")) == 20
    next_href = doc.select_one(".aa-pager a[rel=next]")["href"]
    assert "page=2" in next_href
    page2 = BeautifulSoup((await ds.client.get(next_href)).text, "html.parser")
    assert len(page2.select(".aa-card")) == 12
    seen = {a["href"] for a in doc.select(".aa-card-title a")}
    assert not seen & {a["href"] for a in page2.select(".aa-card-title a")}
    far = await _page(ds, "q=&page=99")
    assert not far.select(".aa-card")
    assert (await ds.client.get("/archive/search?page=-1")).status_code == 200


async def test_search_is_quick(ds: Datasette) -> None:
    doc = await _page(ds, "q=nucléaires")
    ms = float(re.search(r"([\d.]+) ms", doc.select_one(".aa-timing").get_text()).group(1))
    assert ms < 500
