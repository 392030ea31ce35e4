"""Sanitizing article HTML and rendering it as plain text."""

from __future__ import annotations

import lxml.html

from article_archive.extract.html import html_to_text, sanitize_html, word_count

BASE = "https://site.example.org/dossier/page.html"


def test_sanitize_removes_scripts_forms_and_handlers():
    html = (
        "<p onclick='x()'>Texte<script>alert(1)</script></p><style>p{}</style>"
        "<form><input name='q'>Chercher</form><iframe src='x'>y</iframe>"
    )
    assert sanitize_html(html, BASE) == "<p>Texte</p>"


def test_sanitize_makes_urls_absolute_and_keeps_fragments():
    html = (
        "<p><a href='spip.php?article3'>a</a> <a href='#nb1' class='spip_note' id='nh1'>1</a>"
        " <img src='/IMG/a.png' alt='A' width='10' onerror='x'></p>"
    )
    assert sanitize_html(html, BASE) == (
        '<p><a href="https://site.example.org/dossier/spip.php?article3">a</a> '
        '<a href="#nb1" class="spip_note" id="nh1">1</a> '
        '<img src="https://site.example.org/IMG/a.png" alt="A" width="10"></p>'
    )


def test_sanitize_drops_javascript_links_and_useless_classes():
    html = "<h3 class='spip' id='t1'>T</h3><a href='javascript:alert(1)' class='spip_out'>x</a>"
    assert sanitize_html(html, BASE) == '<h3 id="t1">T</h3><a>x</a>'


def test_sanitize_keeps_text_that_reads_like_an_empty_class():
    html = (
        '<p>Écrire <code>class=""</code> ou <span class="x">a class="" b &gt; c</span>'
        '<a class="spip_out" title="1 > 0" href="/x">z</a></p>'
    )
    assert sanitize_html(html, BASE) == (
        '<p>Écrire <code>class=""</code> ou <span>a class="" b &gt; c</span>'
        '<a title="1 &gt; 0" href="https://site.example.org/x">z</a></p>'
    )


def test_sanitize_empty():
    assert sanitize_html("", None) == ""


def test_text_blocks_lines_and_note_calls():
    el = lxml.html.fromstring(
        "<div><h3>Titre&nbsp;: un</h3><p>Un   texte<span class='spip_note_ref'>&nbsp;[<a"
        " href='#nb1'>1</a>]</span>. Suite<br>ligne&#8217;2</p><ul><li>un</li><li>deux"
        " <b>gras</b></li></ul><!-- note --><script>x()</script></div>"
    )
    assert html_to_text(el) == (
        "Titre\u00a0: un\n\nUn texte\u00a0[1]. Suite\nligne’2\n\nun\ndeux gras"
    )


def test_text_parenthesis_calls_become_brackets():
    el = lxml.html.fromstring(
        "<div><p>Roman<span class='spip_note_ref'>&nbsp;(<a href='#nb1'>1</a>)</span>.</p></div>"
    )
    assert html_to_text(el) == "Roman\u00a0[1]."


def test_text_keeps_narrow_no_break_space_and_fine_spaces():
    el = lxml.html.fromstring(
        "<div><p>«<small class='fine'> </small>mot<small class='fine'> </small>»"
        " 80\u202f%</p></div>"
    )
    assert html_to_text(el) == "«\u00a0mot\u00a0» 80\u202f%"


def test_text_puce_and_tables():
    el = lxml.html.fromstring(
        "<div><p><img class='puce' alt='-' src='p.gif'>\u00a0point</p>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></div>"
    )
    assert html_to_text(el) == "-\u00a0point\n\nA | B\n1 | 2"


def test_word_count():
    assert word_count("L’AG a réuni 80 collègues, aujourd’hui [1].") == 7
    assert word_count("") == 0


def test_word_count_is_the_count_of_word_regex_matches():
    import random
    import re

    word = re.compile(r"\w+(?:[’'\-]\w+)*")
    alphabet = "ab_1é’'- ,.«»\u00a0-\n\t²½٣\x1c\u2028あ、—\u202fß"
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(
            chr(rng.randint(0, 0x3000)) if rng.random() < 0.1 else rng.choice(alphabet)
            for _ in range(rng.randint(0, 16))
        )
        assert word_count(text) == len(word.findall(text)), repr(text)


def test_text_of_table_cells_holding_paragraphs_stays_on_the_row():
    el = lxml.html.fromstring(
        "<div><p>Avant.</p><table class='spip'><tr class='row_first'><th>Nom</th>"
        "<th>Valeur</th></tr><tr><td><p>Un paragraphe.</p><p>Un autre.</p></td><td>12</td></tr>"
        "<tr><td>Simple<br>ligne</td><td><p>34</p></td></tr></table><p>Après.</p></div>"
    )
    assert html_to_text(el) == (
        "Avant.\n\nNom | Valeur\nUn paragraphe. Un autre. | 12\nSimple ligne | 34\n\nAprès."
    )
