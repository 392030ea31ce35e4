"""A small SPIP site of our own whose every page carries the same template blocks.

Every page (home, articles) has a sidebar with a tag cloud labelled "Mots-clés" (every
keyword of the site, in a different order on each page, as a cloud "par hasard" is) and a
"Derniers articles" list; each article shows its own keywords under its title. Without a
learned template, the labelled cloud reads as the article's keywords.
"""

from __future__ import annotations

from dataclasses import dataclass

CLOUD = {
    1: "Rivières",
    2: "Forêts",
    3: "Montagne",
    4: "Littoral",
    5: "Agriculture",
    6: "Transports",
    7: "Énergie",
}


@dataclass(frozen=True)
class Story:
    """One article of the site and the keywords the editor gave it (ids of CLOUD)."""

    id: int
    title: str
    keywords: tuple[int, ...]

    @property
    def keyword_names(self) -> list[str]:
        return [CLOUD[k] for k in self.keywords]


STORIES = [
    Story(1, "Le débit de la Loire au plus bas depuis vingt ans", (1, 4)),
    Story(2, "Les hêtres des Vosges face aux étés secs", (2, 3)),
    Story(3, "Une ligne de car relie enfin les deux vallées", (6,)),
    Story(4, "Le marais salant reprend vie après la tempête", (4, 5)),
    Story(5, "Des panneaux solaires sur les toits de la coopérative", (5, 7)),
    Story(6, "Un refuge de haute montagne rénové par ses usagers", (3,)),
    Story(7, "La gare rouverte attire les cyclistes du dimanche", ()),
    Story(8, "Les digues du littoral à l'épreuve des grandes marées", (4, 1, 6)),
]

PARAGRAPH = (
    "Les habitants se sont réunis un samedi matin dans la salle communale pour en parler, "
    "cartes et relevés à l'appui, et ont décidé d'écrire ensemble à la préfecture."
)


def _cloud(seed: int) -> str:
    ids = sorted(CLOUD, key=lambda k: (k * (seed + 3)) % 11)  # another order on every page
    links = "".join(f'<li><a href="spip.php?mot{k}">{CLOUD[k]}</a></li>' for k in ids)
    return f'<div class="nuage"><h2>Mots-clés</h2><ul>{links}</ul></div>'


def _latest() -> str:
    links = "".join(
        f'<li><a href="spip.php?article{s.id}">{s.title}</a></li>' for s in reversed(STORIES)
    )
    return f'<div class="derniers"><h2>Derniers articles</h2><ul>{links}</ul></div>'


def _page(title: str, main: str, seed: int) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="generator" content="SPIP 4.4.0">'
        f"<title>{title} - Vallées vivantes</title>"
        '<link rel="alternate" type="application/rss+xml" href="spip.php?page=backend">'
        '</head><body class="page"><div class="page">'
        '<div class="header"><a href="./">Vallées vivantes</a></div>'
        f'<div class="main">{main}</div>'
        f'<div class="extra">{_cloud(seed)}{_latest()}</div>'
        '<div class="footer"><a href="spip.php?page=plan">Plan du site</a> '
        '<a href="spip.php?page=contact">Contact</a></div>'
        "</div></body></html>"
    )


def article_page(story: Story) -> str:
    """The article page of ``story``: its own keywords under the title, the template around."""
    own = "".join(f'<a href="spip.php?mot{k}" rel="tag">{CLOUD[k]}</a> ' for k in story.keywords)
    n = story.id
    main = (
        '<div class="hentry article">'
        f'<h1 class="crayon article-titre-{n} entry-title">{story.title}</h1>'
        '<p class="info-publi"><abbr class="published" title="2024-03-0'
        f'{n % 9 + 1}T10:00:00Z">{n % 9 + 1} mars 2024</abbr></p>'
        + (f'<p class="tags">{own}</p>' if own else "")
        + f'<div class="crayon article-texte-{n} texte entry-content">'
        f"<p>{PARAGRAPH}</p><p>{story.title}.</p></div></div>"
    )
    return _page(story.title, main, n)


def home_page() -> str:
    """The home page: the five latest articles' titles, the template around."""
    items = "".join(
        f'<li><h3><a href="spip.php?article{s.id}">{s.title}</a></h3></li>' for s in STORIES[-5:]
    )
    return _page("Accueil", f'<ul class="sommaire">{items}</ul>', 0)


def backend(base: str) -> str:
    """The site's RSS feed."""
    items = "".join(
        f"<item><title>{s.title}</title><link>{base}spip.php?article{s.id}</link>"
        "<pubDate>Sat, 02 Mar 2024 10:00:00 GMT</pubDate></item>"
        for s in STORIES
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Vallées vivantes</title>'
        f"{items}</channel></rss>"
    )
