"""extract() on hostile input: it returns a result or raises ExtractionError, within a bound.

Time bounds are hypothesis deadlines (per example), generous enough for a slow CI machine;
what they catch is super-linear behaviour, which shows up as seconds, not milliseconds.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from article_archive.errors import ExtractionError
from article_archive.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "generic"
# A small SPIP-shaped page (dist 3.x markup, our own text), so the SPIP path is shaken too.
SPIP_PAGE = b"""<html lang="fr"><head><meta charset="utf-8"><title>Les quais - Site</title>
<meta name="generator" content="SPIP 3.2.7 [24473]"><link rel="canonical" href="spip.php?article7">
</head><body class="page_article"><div class="main"><div class="content hentry" id="content">
<p class="arbo"><a href="./">Accueil</a> &gt; <a href="spip.php?rubrique2">Ports</a></p>
<div class="cartouche"><h1 class="surlignable entry-title crayon article-titre-7">Les quais</h1>
<p class="info-publi"><abbr class="published" title="2021-05-03T08:00:00Z">lundi 3 mai 2021</abbr>
<span class="auteurs">par <span class="vcard author"><a class="url fn spip_in"
href="spip.php?auteur3">Jo Lebrun</a></span></span></p></div>
<div class="chapo surlignable crayon article-chapo-7"><p>Les dockers reprennent.</p></div>
<div class="texte surlignable crayon article-texte-7"><p>Le port rouvre ses quais aux navires
de commerce apr&#232;s six mois de travaux<span class="spip_note_ref">&nbsp;[<a href="#nb1"
class="spip_note" rel="appendix" id="nh1">1</a>]</span>.</p><h3 class="spip">Suite</h3>
<p>Les grues neuves sont &#233;lectriques et silencieuses.</p></div>
<div class="notes"><hr><div id="nb1"><p><span class="spip_note_ref">[<a href="#nh1"
class="spip_note" rev="appendix">1</a>]&nbsp;</span>Selon la capitainerie.</p></div></div>
</div></div></body></html>"""
PAGES = [path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))] + [SPIP_PAGE]
URL = "https://robust.example.org/page"

quick = settings(max_examples=60, deadline=timedelta(seconds=3))
slow = settings(
    max_examples=5, deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow]
)


def survives(data: str | bytes) -> dict | None:
    """The result of extract(), or None when it refused the page with ExtractionError."""
    try:
        result = extract(data, URL)
    except ExtractionError:
        return None
    assert isinstance(result, dict)
    assert isinstance(result["body_text"], str) and isinstance(result["title"], str)
    return result


@quick
@given(page=st.sampled_from(PAGES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_pages(page, cut):
    survives(page[: int(len(page) * cut)])


@quick
@given(page=st.sampled_from(PAGES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_text_pages(page, cut):
    text = page.decode("utf-8")
    survives(text[: int(len(text) * cut)])


@quick
@given(
    page=st.sampled_from(PAGES),
    junk=st.lists(st.tuples(st.floats(0.0, 1.0), st.binary(min_size=1, max_size=64)), max_size=8),
)
def test_binary_laced_bytes(page, junk):
    data = bytearray(page)
    for where, blob in junk:
        position = int(len(data) * where)
        data[position:position] = blob
    survives(bytes(data))


@quick
@given(page=st.sampled_from(PAGES), every=st.integers(min_value=1, max_value=200))
def test_nul_bytes_everywhere(page, every):
    data = b"\x00".join(page[i : i + every] for i in range(0, len(page), every))
    survives(data)


@quick
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    survives(data)


@quick
@given(st.text(max_size=4096))
def test_random_text(text):
    survives(text)


@quick
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div>",
                "</div>",
                "<a href='#'>",
                "<!--",
                "-->",
                "<",
                ">",
                "&amp;",
                "&#0;",
                "<script>",
                "</script>",
                "<h2>",
                "word ",
                "\x00",
            ]
        ),
        max_size=300,
    )
)
def test_tag_soup(parts):
    survives("".join(parts))


@slow
@given(tag=st.sampled_from(["div", "b", "span", "blockquote", "li", "table"]))
def test_ten_thousand_nested_tags(tag):
    depth = 10_000
    prose = "<p>" + "Une phrase assez longue pour compter comme du texte. " * 20 + "</p>"
    page = f"<html><body>{f'<{tag}>' * depth}{prose}{f'</{tag}>' * depth}</body></html>"
    survives(page)


@slow
@given(
    size_mb=st.integers(min_value=2, max_value=6),
    filler=st.sampled_from(["paragraphs", "script", "one-line"]),
)
def test_huge_pages(size_mb, filler):
    size = size_mb * 1_000_000
    sentence = "Le vent tourne sur la baie et les bateaux rentrent au port avant la nuit. "
    if filler == "paragraphs":
        body = ("<p>" + sentence * 8 + "</p>\n") * (size // (len(sentence) * 8 + 8))
    elif filler == "script":
        body = "<p>" + sentence * 10 + "</p><script>" + "var x = 1;" * (size // 10) + "</script>"
    else:
        body = "<p>" + "mot " * (size // 4) + "</p>"
    survives(f"<html><head><title>Grand</title></head><body>{body}</body></html>".encode())
