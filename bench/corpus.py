"""A synthetic archive for benchmarks, built through the real storage path.

The text is made from the sample site's own articles (``data/sample-site/articles``, written by
us): SPIP shortcuts are stripped, the sentences feed an order-2 word Markov chain per language,
and each article mixes generated sentences with verbatim ones. Invented place and person names
drawn from a Zipf law give the long tail of rare words a real archive has. About 80 % of the
articles are French and 20 % English, in 12 sections, by ~400 authors, with ~60 keywords,
published 1995–2024.

Every article goes through ``article_archive.store.save_article``, so ``articles_fts`` and
``article_stems`` are exactly what a crawl writes. Archives are cached under ``bench/.cache/``
by size and a version stamp (generator version + the code that writes articles), built in a
``.partial`` file and renamed when complete. A cached archive is opened with ``open_archive``
before use, so schema migrations (new indexes…) upgrade it as they upgrade a user's archive,
instead of forcing a rebuild.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import random
import re
import sys
import time
import tomllib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample-site"
CACHE = Path(__file__).resolve().parent / ".cache"
STORE = ROOT / "src" / "article_archive" / "store"
STAMP_FILES = ("articles.py", "stemming.py")  # what writes the rows (schema.py migrates)
GENERATOR_VERSION = 1
SEED = 20240601
SITE = "bench.example.org"
BATCH = 500
CHUNK = 250  # articles generated per worker task

EXTRA_SECTIONS = ["International", "Économie", "Politique", "Europe", "Amériques"]
EXTRA_KEYWORDS = (  # noqa: SIM905
    "Grève, Salaires, Retraites, Santé, Éducation, Migrations, Racisme, Prisons, Police, "
    "Eau, Forêts, Pêche, Transports, Automobile, Textile, Plateformes, Chômage, Dette, "
    "Impôts, Banques, Privatisations, Services publics, Hôpital, Université, Presse, "
    "Censure, Répression, Guerre, Désarmement, Armement, Frontières, Douanes, Commerce, "
    "Inflation, Alimentation, Semences, Pesticides, Mines, Pétrole, Charbon, Solaire, "
    "Éolien, Typhons, Sécheresse, Inondations"
).split(", ")
SYLLABLES = (  # noqa: SIM905
    "ka ta na ma ra sa ha ya wa ki shi mi ri ni ko to no mo ro so yo ba da ga be de lu "
    "mar sel vin dor bel fan gor kel lin mon per quin tar zen ul an el ix or um"
).split()
SHORTCUTS = [
    (re.compile(r"\[\[.*?\]\]", re.S), ""),  # footnotes (kept apart, see _notes)
    (re.compile(r"\[([^\[\]]*?)->[^\]]*\]"), r"\1"),  # [text->url]
    (re.compile(r"<(?:img|doc|emb)\d+[^>]*>"), ""),
    (re.compile(r"</?(?:quote|poesie|code|cadre)>"), ""),
    (re.compile(r"\{\{\{\*?\s*|\}\}\}|\{\{|\}\}|\{|\}"), ""),
    (re.compile(r"^\s*(?:-[*#]+|_|-)\s*", re.M), ""),
    (re.compile(r"^\|.*\|\s*$|^-{4,}\s*$", re.M), ""),
]
SENTENCE_END = re.compile(r"(?<=[.!?»\"])\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")


@dataclass
class Model:
    """What the generator draws from: Markov chains, sentences, names, sections…"""

    chains: dict[str, dict[tuple[str, str], list[str]]]
    sentences: dict[str, list[str]]
    notes: dict[str, list[str]]
    names: list[str]
    name_weights: list[float]
    authors: list[str]
    author_weights: list[float]
    sections: list[str]
    keywords: list[str]


def strip_spip(text: str) -> str:
    """Plain text of SPIP shortcut markup (notes, links, headings, lists, images removed)."""
    for pattern, repl in SHORTCUTS:
        text = pattern.sub(repl, text)
    return text


def _read_sample() -> tuple[dict[str, list[str]], dict[str, list[str]], list[str], list[str]]:
    """Sentences and notes per language, rubric titles and keyword titles of the sample."""
    sentences: dict[str, list[str]] = {"fr": [], "en": []}
    notes: dict[str, list[str]] = {"fr": [], "en": []}
    for path in sorted((SAMPLE / "articles").glob("*.txt")):
        _, head, body = path.read_text(encoding="utf-8").split("+++", 2)
        meta = tomllib.loads(head)
        lang = "en" if meta.get("lang") == "en" else "fr"
        raw = "\n\n".join([meta.get("chapo") or "", body])
        notes[lang] += [strip_spip(n).strip() for n in re.findall(r"\[\[(.*?)\]\]", raw, re.S)]
        for para in re.split(r"\n\s*\n", strip_spip(raw)):
            para = " ".join(para.split())
            sentences[lang] += [s for s in SENTENCE_END.split(para) if len(s.split()) >= 4]
    site = tomllib.loads((SAMPLE / "site.toml").read_text(encoding="utf-8"))
    rubrics = [r["title"] for r in site["rubriques"]]
    keywords = [k["title"] for k in site["keywords"]]
    return sentences, notes, rubrics, keywords


def _chain(sentences: list[str]) -> dict[tuple[str, str], list[str]]:
    chain: dict[tuple[str, str], list[str]] = {}
    for sentence in sentences:
        words = ["", "", *sentence.split(), None]
        for a, b, c in zip(words, words[1:], words[2:], strict=False):
            chain.setdefault((a, b), []).append(c or "")
    return chain


def _invented(rng: random.Random, count: int, parts: tuple[int, int]) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault("".join(rng.choices(SYLLABLES, k=rng.randint(*parts))), None)
    return list(seen)


def build_model(seed: int = SEED) -> Model:
    """The generator's tables, the same for a given seed."""
    sentences, notes, rubrics, keywords = _read_sample()
    rng = random.Random(seed)
    names = [n.capitalize() for n in _invented(rng, 30_000, (2, 4))]
    families = _invented(rng, 400, (2, 3))
    givens = [n.capitalize() for n in _invented(rng, 200, (2, 3))]
    authors = [f"{f.upper()} {rng.choice(givens)}" for f in families]
    more = [k for k in EXTRA_KEYWORDS if k not in keywords]
    return Model(
        chains={lang: _chain(s) for lang, s in sentences.items()},
        sentences=sentences,
        notes=notes,
        names=names,
        name_weights=_zipf(len(names)),
        authors=authors,
        author_weights=_zipf(len(authors), 0.8),
        sections=[*rubrics, *EXTRA_SECTIONS][:12],
        keywords=[*keywords, *more][:60],
    )


def _zipf(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for ``random.choices(cum_weights=…)``."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        out.append(total)
    return out


def _markov(rng: random.Random, chain: dict[tuple[str, str], list[str]]) -> str:
    a, b, words = "", "", []
    while len(words) < 45:
        nxt = rng.choice(chain[(a, b)])
        if not nxt:
            break
        words.append(nxt)
        a, b = b, nxt
    return " ".join(words)


def _sentence(rng: random.Random, model: Model, lang: str) -> str:
    if rng.random() < 0.35:
        text = rng.choice(model.sentences[lang])
    else:
        text = _markov(rng, model.chains[lang])
    if rng.random() < 0.5:  # a name or place from the long tail
        words = text.split()
        name = rng.choices(model.names, cum_weights=model.name_weights)[0]
        words.insert(rng.randrange(1, len(words) + 1), name)
        text = " ".join(words)
    return text


def _date(rng: random.Random) -> str:
    year = 1995 + min(29, int(30 * rng.random() ** 0.7))  # more articles in recent years
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    return f"{year}-{month:02d}-{day:02d}T{rng.randint(6, 22):02d}:{rng.randrange(60):02d}:00"


def make_article(model: Model, number: int, seed: int = SEED) -> dict[str, Any]:
    """Synthetic article ``number`` (1-based), always the same for a given seed."""
    rng = random.Random(f"{seed}:{number}")
    lang = "en" if rng.random() < 0.2 else "fr"
    title = " ".join(_markov(rng, model.chains[lang]).split()[: rng.randint(5, 12)])
    title = title.rstrip(",;:.") or f"Article {number}"
    lead = " ".join(_sentence(rng, model, lang) for _ in range(rng.randint(1, 2)))
    target = max(150, int(rng.gauss(600, 150)))
    paragraphs, toc, parts, words = [], [], [], 0
    while words < target:
        para = " ".join(_sentence(rng, model, lang) for _ in range(rng.randint(2, 5)))
        if paragraphs and rng.random() < 0.12:
            heading = " ".join(_markov(rng, model.chains[lang]).split()[:7]).rstrip(",;:.")
            anchor = f"outil_sommaire_{len(toc)}"
            toc.append({"level": 2, "title": heading, "anchor": anchor})
            parts.append(f'<h2 id="{anchor}">{html.escape(heading)}</h2>')
            paragraphs.append(heading)
        paragraphs.append(para)
        parts.append(f"<p>{html.escape(para)}</p>")
        words += len(para.split())
    notes = [rng.choice(model.notes[lang]) for _ in range(rng.choice((0, 0, 1, 2, 3)))]
    authors = rng.choices(model.authors, cum_weights=model.author_weights, k=rng.choice((1, 1, 2)))
    section = rng.choice(model.sections) if lang == "fr" else rng.choice(model.sections[-6:])
    body_text = "\n\n".join(paragraphs)
    return {
        "url": f"https://{SITE}/spip.php?article{number}",
        "site": SITE,
        "spip_id": number,
        "lang": lang,
        "title": title[0].upper() + title[1:],
        "section": section,
        "section_path": [section],
        "authors": [
            {"name": a, "url": f"https://{SITE}/spip.php?auteur{model.authors.index(a) + 1}"}
            for a in dict.fromkeys(authors)
        ],
        "published": _date(rng),
        "lead": lead,
        "toc": toc,
        "body_html": "\n".join(parts),
        "body_text": body_text,
        "footnotes": [
            {"number": str(i), "text": n, "html": html.escape(n)} for i, n in enumerate(notes, 1)
        ],
        "keywords": rng.sample(model.keywords, rng.randint(1, 4)),
        "word_count": len(body_text.split()),
        "extractor": "bench-synthetic",
    }


_MODEL: Model | None = None


def _worker_init(seed: int) -> None:
    global _MODEL
    _MODEL = build_model(seed)


def _generate(task: tuple[int, int, int]) -> list[dict[str, Any]]:
    start, stop, seed = task
    assert _MODEL is not None
    return [make_article(_MODEL, i, seed) for i in range(start, stop)]


def generate(count: int, seed: int = SEED, workers: int = 1) -> Iterator[dict[str, Any]]:
    """Articles 1..count, generated in ``workers`` processes (in order)."""
    tasks = [(i, min(i + CHUNK, count + 1), seed) for i in range(1, count + 1, CHUNK)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(seed,)) as pool:
        pending: deque[Any] = deque()
        for task in tasks:  # a bounded window: generating outruns saving
            pending.append(pool.apply_async(_generate, (task,)))
            if len(pending) > 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def stamp(seed: int = SEED) -> str:
    """Version stamp of a cached archive: generator, seed and the code that writes articles."""
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{seed}".encode())
    for name in STAMP_FILES:
        digest.update((STORE / name).read_bytes())
    return digest.hexdigest()[:10]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(
    path: Path, count: int, seed: int = SEED, progress: Callable[[str], None] = _stderr
) -> dict[str, Any]:
    """Build an archive of ``count`` articles at ``path``; returns build statistics."""
    from article_archive.store import open_archive, save_article

    partial = path.with_name(path.name + ".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    db = open_archive(partial)
    db.execute("PRAGMA synchronous = OFF")  # durability only; the tables are the same
    started = last = time.perf_counter()
    saved = 0
    articles = generate(count, seed, workers=max(1, (multiprocessing.cpu_count() or 2) - 1))
    while saved < count:
        with db.atomic():
            for article in articles:
                save_article(db, article, fetched_at="2024-12-31T00:00:00+00:00")
                saved += 1
                if saved % BATCH == 0 or saved == count:
                    break
        now = time.perf_counter()
        if now - last > 5 or saved == count:
            rate = saved / (now - started)
            left = (count - saved) / rate if rate else 0
            progress(f"  built {saved:,}/{count:,} articles, {rate:,.0f}/s, ~{left:,.0f} s left")
            last = now
    seconds = time.perf_counter() - started
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    partial.rename(path)
    stats = {
        "articles": count,
        "seconds": round(seconds, 1),
        "rate": round(count / seconds, 1),
        "bytes": path.stat().st_size,
        "stamp": path.stem.rsplit("-", 1)[-1],
        "built": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    path.with_suffix(".json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def ensure_archive(
    count: int,
    *,
    rebuild: bool = False,
    seed: int = SEED,
    progress: Callable[[str], None] = _stderr,
) -> tuple[Path, dict[str, Any]]:
    """The cached archive of ``count`` articles (built when missing or stale) and its stats."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"archive-{count}-{stamp(seed)}.db"
    info = path.with_suffix(".json")
    if rebuild or not path.exists() or not info.exists():
        for old in CACHE.glob(f"archive-{count}-*"):
            old.unlink()
        progress(f"building a {count:,}-article archive at {path} …")
        return path, build(path, count, seed, progress)
    progress(f"reusing {path}")
    from article_archive.store import open_archive

    open_archive(path).close()  # runs any pending schema migration
    return path, json.loads(info.read_text(encoding="utf-8"))
