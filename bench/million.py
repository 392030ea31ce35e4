"""A large synthetic archive (up to a million articles and more), built by bulk inserts.

``bench/corpus.py`` saves every article through the store's write path: 57 articles/s here, so
29 min for 100,000 and ~5 h for a million. This builder writes the same rows in bulk instead:
the schema is the store's own (``open_archive`` creates it), every ``articles`` row is made by
the store's own ``_row`` (content hash, UTC dates, author names…) and every ``article_stems``
row by the store's own stemming, each article has the ``pages`` row and the ``captures`` row a
crawl leaves (the page's HTML zlib-compressed at the store's level, ``pages.body`` and
``captures.body`` the same bytes, as ``save_page`` writes them), with its authors, keywords
and footnotes. What differs is only the order of the work: the secondary indexes, the FTS
triggers and both full-text indexes are dropped during the load and built once after it
(``rebuild`` for ``articles_fts``; ``article_stems`` filled from a side file), which is
what makes a million articles take minutes rather than hours. Per-article costs of the real
write path and of ``import`` are measured on a sample by ``bench/million_bench.py``.

The text: sentences drawn from a pool made once by ``corpus``'s Markov chains over the sample
site's articles (about 80 % French, 19 % English), with invented names from a Zipf law for the
long tail, ~600 words an article; about 1 % of the articles are Chinese or Japanese, made of
sentences written for this bench. Built in ``.cache/bench/`` (not in git), under a name that
carries the size and a stamp of the code that makes the rows; a ``.partial`` file renamed when
complete, so an interrupted build is never reused.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
STORE = ROOT / "src" / "article_archive" / "store"
# What makes the rows; schema.py is not here: a cached archive is opened with ``open_archive``
# before use, which brings its schema forward as it does a user's archive.
STAMP_FILES = ("articles.py", "stemming.py", "pages.py", "captures.py")
VERSION = 2
SEED = 20261204
SITE = "million.example.org"
FETCHED_AT = "2026-12-01T00:00:00+00:00"
POOL = {"fr": 40_000, "en": 15_000}
HEADERS = json.dumps({"content-type": "text/html; charset=utf-8"})

# Written for this bench (not taken from any site): a little Chinese and Japanese.
CJK_SENTENCES = {
    "zh": [
        "原子力发电站的安全问题再次引起了居民的关注。",
        "工人们在港口举行罢工，要求提高工资和改善条件。",
        "这座城市的图书馆保存着许多珍贵的旧报纸。",
        "农民担心干旱会影响今年秋天的收成。",
        "记者在边境地区采访了逃离战争的家庭。",
        "新的交通计划将把铁路延伸到山区的小镇。",
        "大学生们组织了一次关于气候变化的讨论会。",
        "政府宣布将对医院的预算进行重大调整。",
        "渔民说近年来河里的鱼越来越少了。",
        "这份档案记录了工会三十年来的斗争历史。",
        "雨季到来之前，村民们修好了堤坝。",
        "出版社决定把这些文章翻译成英文和法文。",
    ],
    "ja": [
        "原子力発電所の再稼働について住民の意見が分かれている。",
        "港の労働者たちは賃金の引き上げを求めてストライキを行った。",
        "この町の図書館には古い新聞がたくさん保存されている。",
        "農家の人々は日照りが秋の収穫に影響することを心配している。",
        "記者は国境の近くで避難してきた家族に話を聞いた。",
        "新しい鉄道の計画は山あいの小さな町まで線路を延ばすものだ。",
        "学生たちは気候変動について話し合う集会を開いた。",
        "政府は病院の予算を大きく見直すと発表した。",
        "漁師によると川の魚は年々少なくなっているという。",
        "この記録には労働組合の三十年にわたる闘いが残されている。",
        "梅雨の前に村の人たちは堤防を直した。",
        "出版社はこれらの記事を英語とフランス語に翻訳することにした。",
    ],
}
CJK_SECTIONS = {"zh": "亚洲", "ja": "アジア"}


# A sentence as its words and, word by word, their stems ('' for a word with no letter).
Piece = tuple[list[str], list[str]]


@dataclass
class Pools:
    """What the workers draw from: pre-stemmed sentence pools per language, the model's names.

    ``stem_text`` tokenizes within whitespace-separated words, so the stems of the words one
    by one, joined without the empty ones, are exactly the stemmed text of the whole: each
    pool sentence is stemmed once, and an article's stemmed text is a join of stems.
    """

    sentences: dict[str, list[Piece]]
    model: corpus.Model
    names: dict[tuple[str, str], str]  # (lang, name) -> stem, filled as names are drawn


@functools.cache
def _model() -> corpus.Model:
    return corpus.build_model(corpus.SEED)


def build_pools(seed: int = SEED, limit: int | None = None) -> Pools:
    """Sentence pools made by ``corpus``'s chains (verbatim sentences a third of the time).

    ``limit`` caps each pool (a small archive needs no 55,000 sentences).
    """
    from article_archive.store.stemming import stem_text

    model = _model()
    rng = random.Random(seed)
    cache: dict[tuple[str, str], str] = {}
    sentences: dict[str, list[Piece]] = {}
    for lang, size in POOL.items():
        size = min(size, limit or size)
        pool: list[Piece] = []
        while len(pool) < size:
            if rng.random() < 0.35:
                text = rng.choice(model.sentences[lang])
            else:
                text = corpus._markov(rng, model.chains[lang])
            words = text.split()
            if len(words) >= 4:
                stems = []
                for word in words:
                    if (lang, word) not in cache:
                        cache[(lang, word)] = stem_text(word, lang)
                    stems.append(cache[(lang, word)])
                pool.append((words, stems))
        sentences[lang] = pool
    return Pools(sentences, model, {})


def _date(rng: random.Random) -> str:
    year = 1995 + min(30, int(31 * rng.random() ** 0.7))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return f"{year}-{month:02d}-{day:02d}T{rng.randint(6, 22):02d}:{rng.randrange(60):02d}:00"


def _sentence(rng: random.Random, pools: Pools, lang: str) -> Piece:
    words, stems = rng.choice(pools.sentences[lang])
    if rng.random() < 0.5:  # a name or place from the long tail
        model = pools.model
        name = rng.choices(model.names, cum_weights=model.name_weights)[0]
        stem = pools.names.get((lang, name))
        if stem is None:
            from article_archive.store.stemming import stem_text

            stem = pools.names[(lang, name)] = stem_text(name, lang)
        at = rng.randrange(1, len(words) + 1)
        words, stems = [*words[:at], name, *words[at:]], [*stems[:at], stem, *stems[at:]]
    return words, stems


def _text(pieces: list[Piece]) -> tuple[str, str]:
    """The text of sentences and its stemmed text."""
    return (
        " ".join(" ".join(words) for words, _ in pieces),
        " ".join(filter(None, (s for _, stems in pieces for s in stems))),
    )


def _lang(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.005:
        return "zh"
    if draw < 0.01:
        return "ja"
    return "en" if draw < 0.2 else "fr"


def _latin(rng: random.Random, pools: Pools, lang: str) -> tuple[dict[str, Any], list[str]]:
    """Title, lead, body and toc of a French or English article, and their stemmed texts."""
    words, stems = _sentence(rng, pools, lang)
    cut = rng.randint(5, 12)
    title = " ".join(words[:cut]).rstrip(",;:.")
    title_stem = " ".join(filter(None, stems[:cut]))
    lead, lead_stem = _text([_sentence(rng, pools, lang) for _ in range(rng.randint(1, 2))])
    target = max(150, int(rng.gauss(600, 150)))
    paragraphs, body_stems, toc, parts, size = [], [], [], [], 0
    while size < target:
        pieces = [_sentence(rng, pools, lang) for _ in range(rng.randint(2, 5))]
        para, para_stem = _text(pieces)
        if paragraphs and rng.random() < 0.12:
            words, stems = _sentence(rng, pools, lang)
            heading = " ".join(words[:7]).rstrip(",;:.")
            anchor = f"outil_sommaire_{len(toc)}"
            toc.append({"level": 2, "title": heading, "anchor": anchor})
            parts.append(f'<h2 id="{anchor}">{html.escape(heading)}</h2>')
            paragraphs.append(heading)
            body_stems.append(" ".join(filter(None, stems[:7])))
        paragraphs.append(para)
        body_stems.append(para_stem)
        parts.append(f"<p>{html.escape(para)}</p>")
        size += sum(len(words) for words, _ in pieces)
    text = {"title": title[0].upper() + title[1:], "lead": lead, "toc": toc}
    text.update(body_html="\n".join(parts), body_text="\n\n".join(paragraphs))
    return text, [title_stem, lead_stem, " ".join(filter(None, body_stems))]


def _cjk(rng: random.Random, lang: str) -> dict[str, Any]:
    """Title, lead, body of a Chinese or Japanese article (~1,200 characters)."""
    sentences = CJK_SENTENCES[lang]
    title = rng.choice(sentences).rstrip("。")[: rng.randint(8, 16)]
    lead = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 2)))
    paragraphs: list[str] = []
    while sum(map(len, paragraphs)) < 2 * max(150, int(rng.gauss(600, 150))):
        paragraphs.append("".join(rng.choice(sentences) for _ in range(rng.randint(2, 5))))
    body_html = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return {
        "title": title,
        "lead": lead,
        "toc": [],
        "body_html": body_html,
        "body_text": "\n\n".join(paragraphs),
    }


def make_article(pools: Pools, number: int, seed: int = SEED) -> dict[str, Any]:
    """Synthetic article ``number`` (1-based): an extractor's record, the same for a seed."""
    return compose(pools, number, seed)[0]


def compose(pools: Pools, number: int, seed: int = SEED) -> tuple[dict[str, Any], list[str] | None]:
    """Article ``number`` and the stemmed title, lead and body (None: stem them whole)."""
    rng = random.Random(seed * 10_000_019 + number)
    lang = _lang(rng)
    if lang in CJK_SENTENCES:
        text, stems = _cjk(rng, lang), None
    else:
        text, stems = _latin(rng, pools, lang)
    body_text = text["body_text"]
    model = pools.model
    notes_lang = "en" if lang == "en" else "fr"
    notes = [rng.choice(model.notes[notes_lang]) for _ in range(rng.choice((0, 0, 1, 2, 3)))]
    picks = rng.choices(range(len(model.authors)), cum_weights=model.author_weights, k=2)
    authors = list(dict.fromkeys(picks[: rng.choice((1, 1, 2))]))
    if lang in CJK_SENTENCES:
        section = CJK_SECTIONS[lang]
    else:
        section = rng.choice(model.sections if lang == "fr" else model.sections[-6:])
    article = {
        "url": f"https://{SITE}/spip.php?article{number}",
        "site": SITE,
        "spip_id": number,
        "lang": lang,
        "title": text["title"],
        "section": section,
        "section_path": [section],
        "authors": [
            {"name": model.authors[i], "url": f"https://{SITE}/spip.php?auteur{i + 1}"}
            for i in authors
        ],
        "published": _date(rng),
        "lead": text["lead"],
        "toc": text["toc"],
        "body_html": text["body_html"],
        "body_text": body_text,
        "footnotes": [
            {"number": str(i), "text": n, "html": html.escape(n)} for i, n in enumerate(notes, 1)
        ],
        "keywords": rng.sample(model.keywords, rng.randint(1, 4)),
        "word_count": len(body_text.split()) if lang not in CJK_SENTENCES else len(body_text),
        "extractor": "bench-million",
    }
    return article, stems


def page_html(article: dict[str, Any]) -> str:
    """The page a SPIP site would have served for ``article`` (what ``import`` reads back)."""
    esc = html.escape
    authors = ", ".join(
        f'<a class="auteur" href="{esc(a["url"])}">{esc(a["name"])}</a>' for a in article["authors"]
    )
    notes = "".join(
        f'<p><a class="spip_note">[{n["number"]}]</a> {n["html"]}</p>' for n in article["footnotes"]
    )
    keywords = " ".join(f'<a rel="tag">{esc(k)}</a>' for k in article["keywords"])
    return (
        f'<!DOCTYPE html>\n<html lang="{article["lang"]}"><head><meta charset="utf-8">'
        f"<title>{esc(article['title'])} - Million</title>"
        f'<meta property="article:published_time" content="{article["published"]}">'
        f'<link rel="canonical" href="{article["url"]}"></head>\n<body><nav class="menu">'
        f'<a href="/">Accueil</a> &gt; <a href="/spip.php?rubrique1">{esc(article["section"])}'
        f'</a></nav>\n<article class="contenu-principal"><h1 class="titre">'
        f'{esc(article["title"])}</h1>\n<p class="info-publi">'
        f'<abbr class="published" title="{article["published"]}">{article["published"][:10]}'
        f'</abbr> par {authors}</p>\n<div class="chapo"><p>{esc(article["lead"])}</p></div>\n'
        f'<div class="texte">{article["body_html"]}</div>\n<div class="notes">{notes}</div>\n'
        f'<p class="mots">{keywords}</p></article>\n<footer>Million, archive de test</footer>'
        "</body></html>\n"
    )


def pool_limit(count: int) -> int | None:
    """The pool cap of an archive of ``count`` articles (None: the full pools)."""
    return 10 * count if 10 * count < max(POOL.values()) else None


def stamp(seed: int = SEED) -> str:
    """The version stamp of a cached archive: this builder's version, the seed, the store code.

    Raise ``VERSION`` when a change here makes other rows.
    """
    digest = hashlib.sha256(f"{VERSION}:{seed}".encode())
    for name in STAMP_FILES:
        digest.update((STORE / name).read_bytes())
    return digest.hexdigest()[:10]


def archive_path(count: int, seed: int = SEED) -> Path:
    """Where the archive of ``count`` articles is cached."""
    return CACHE / f"million-{count}-{stamp(seed)}.db"
