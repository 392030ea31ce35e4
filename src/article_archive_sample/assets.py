"""Inline theme assets of the sample site's pages: CSS, script configuration, SVG icons.

Written for the sample site (a plain theme over SPIP dist); they only give the pages the
weight and the clutter real SPIP themes put in every page.
"""

from __future__ import annotations

__all__ = ["ICONS", "INLINE_CONFIG", "STATS_SCRIPT", "THEME_CSS", "svg_sprite"]

THEME_CSS = """
:root{--ssr-ink:#1d1d1b;--ssr-paper:#fbfaf7;--ssr-accent:#b3261e;--ssr-muted:#6b6b66;
--ssr-line:#deddd6;--ssr-soft:#f1efe8;--ssr-radius:3px;--ssr-gap:1.25rem;--ssr-wide:72rem}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;background:var(--ssr-paper);color:var(--ssr-ink);
font:1rem/1.55 "Source Serif Pro",Georgia,"Times New Roman",serif}
a{color:var(--ssr-accent);text-decoration:none}a:hover,a:focus{text-decoration:underline}
.page{max-width:var(--ssr-wide);margin:0 auto;padding:0 var(--ssr-gap)}
.header,.header.clearfix{display:flex;flex-wrap:wrap;align-items:center;
justify-content:space-between;padding:1rem 0;border-bottom:4px solid var(--ssr-ink)}
.header .accueil a{color:var(--ssr-ink);font:700 2rem/1.1 "Source Sans Pro",Arial,sans-serif}
.header .slogan{display:block;color:var(--ssr-muted);font-style:italic;font-size:.95rem}
.header .logo_site{width:56px;height:56px;margin-right:.75rem;vertical-align:middle}
.bandeau-outils{display:flex;gap:1rem;align-items:center;font-size:.85rem}
.formulaire_menu_lang select{font-size:.85rem;padding:.1rem .25rem}
.formulaire_recherche{position:relative}
.formulaire_recherche .search{width:14rem;padding:.35rem .5rem;border:1px solid var(--ssr-line)}
.formulaire_recherche .submit{position:absolute;right:0;top:0;bottom:0;border:0;background:none}
.nav{margin:0 0 var(--ssr-gap);border-bottom:1px solid var(--ssr-line)}
.nav .menu-items{display:flex;flex-wrap:wrap;list-style:none;margin:0;padding:0}
.nav .menu-entree{position:relative;margin:0 1.25rem 0 0;padding:.6rem 0}
.nav .menu-entree>a{font:600 .95rem/1 "Source Sans Pro",Arial,sans-serif;color:var(--ssr-ink)}
.nav .menu-entree>a.on{color:var(--ssr-accent);box-shadow:inset 0 -3px var(--ssr-accent)}
.nav .sous-menu{display:none;position:absolute;z-index:20;left:0;top:100%;min-width:22rem;
padding:1rem;background:#fff;border:1px solid var(--ssr-line);
box-shadow:0 6px 18px rgba(0,0,0,.12)}
.nav .menu-entree:hover .sous-menu,.nav .menu-entree:focus-within .sous-menu{display:block}
.nav .sous-menu ul{list-style:none;margin:0 0 .5rem;padding:0}
.nav .sous-menu li{padding:.2rem 0;border-bottom:1px dotted var(--ssr-line)}
.nav .sous-menu .descriptif{color:var(--ssr-muted);font-size:.85rem}
.main{display:grid;grid-template-columns:minmax(0,1fr) 19rem;gap:2.5rem}
.wrapper{min-width:0}.content{max-width:42rem}
.arbo{font-size:.85rem;color:var(--ssr-muted)}
.cartouche h1{font:700 2.2rem/1.15 "Source Sans Pro",Arial,sans-serif;margin:.5rem 0}
.cartouche .surtitre,.cartouche .soustitre{font-size:1.1rem;color:var(--ssr-muted)}
.info-publi{font-size:.9rem;color:var(--ssr-muted)}
.chapo{font-weight:600;font-size:1.1rem}
.texte h2.spip,.texte h3.spip{font-family:"Source Sans Pro",Arial,sans-serif;margin-top:2rem}
.texte blockquote.spip{margin:1.5rem 0;padding:.25rem 1.25rem;border-left:4px solid
var(--ssr-accent);background:var(--ssr-soft)}
.texte table.spip{border-collapse:collapse;width:100%}
.texte table.spip td,.texte table.spip th{padding:.3rem .5rem;border:1px solid var(--ssr-line)}
.spip_documents_center{display:block;text-align:center;margin:1rem auto}
.notes{font-size:.85rem}.ps{font-size:.9rem;color:var(--ssr-muted)}
.comments{margin:2.5rem 0;border-top:2px solid var(--ssr-ink)}
.comments-items{list-style:none;margin:0;padding:0}
.comments-items .comments-items{margin-left:2rem;border-left:2px solid var(--ssr-line)}
.comment-item{padding:1rem 0 1rem 1rem;border-bottom:1px solid var(--ssr-line)}
.comment-meta{font-size:.85rem;color:var(--ssr-muted)}
.comment-meta .permalink{margin-left:.3rem;color:var(--ssr-line)}
.comment-content{margin:.4rem 0}.comment-reply a{font-size:.85rem}
.formulaire_spip{margin:1.5rem 0;padding:1rem;background:var(--ssr-soft);
border-radius:var(--ssr-radius)}
.formulaire_spip fieldset{border:0;margin:0;padding:0}
.formulaire_spip .editer{margin:0 0 .75rem}.formulaire_spip label{display:block;font-weight:600}
.formulaire_spip .explication{font-size:.8rem;color:var(--ssr-muted)}
.formulaire_spip input.text,.formulaire_spip textarea{width:100%;box-sizing:border-box;
padding:.4rem;border:1px solid var(--ssr-line)}
.formulaire_spip .boutons{text-align:right}
.formulaire_spip .submit{padding:.45rem 1rem;border:0;background:var(--ssr-ink);color:#fff}
.aside .menu,.aside .box{margin:0 0 2rem;font-size:.9rem}
.aside h2,.aside .box-title{font:700 .8rem/1 "Source Sans Pro",Arial,sans-serif;
letter-spacing:.08em;text-transform:uppercase;border-bottom:2px solid var(--ssr-ink);
padding-bottom:.35rem}
.aside ul{list-style:none;margin:0;padding:0}
.aside li{padding:.35rem 0;border-bottom:1px solid var(--ssr-line)}
.aside .intro{display:block;color:var(--ssr-muted);font-size:.8rem}
.aside .groupe_mots{margin:.75rem 0 .25rem;font-size:.8rem;color:var(--ssr-muted)}
.syndic .site_syndic{font-weight:600}.syndic .syndic_articles li{border:0;padding:.1rem 0}
.agenda .calendrier{width:100%;border-collapse:collapse;text-align:center;font-size:.75rem}
.agenda .calendrier td,.agenda .calendrier th{padding:.2rem}
.agenda .calendrier .evenement{background:var(--ssr-accent);color:#fff;border-radius:50%}
.agenda .calendrier .hors_mois{color:var(--ssr-line)}
.agenda .lieu{color:var(--ssr-muted);font-size:.8rem}
.partage .icon{width:1.1rem;height:1.1rem;vertical-align:-.2rem;fill:currentColor}
.partage ul{display:flex;gap:.75rem}.partage li{border:0}
.don{padding:1rem;background:var(--ssr-ink);color:#fff}.don a.bouton{display:inline-block;
margin-top:.5rem;padding:.4rem .9rem;background:var(--ssr-accent);color:#fff}
.footer{margin-top:3rem;padding:2rem 0;border-top:4px solid var(--ssr-ink);font-size:.85rem}
.footer .colonnes{display:grid;grid-template-columns:repeat(3,1fr);gap:var(--ssr-gap)}
.footer ul{list-style:none;margin:0;padding:0}.footer .generator{color:var(--ssr-muted)}
.invisible{position:absolute;left:-9999px}.clearfix:after{content:"";display:table;clear:both}
@media (max-width:52em){.main{display:block}.nav .sous-menu{position:static;box-shadow:none}
.footer .colonnes{display:block}.header .accueil a{font-size:1.5rem}}
@media print{.nav,.aside,.footer,.comments,.formulaire_spip,.partage,.don{display:none}}
""".strip()

INLINE_CONFIG = """/*<![CDATA[*/
var ssr_config = {
  "site": {"racine": "./", "lang": "%(lang)s", "page": "%(page)s", "objet": "%(objet)s"},
  "mediabox": {
    "auto_detect": true, "ns": "box", "tt_img": true,
    "sel_g": "#documents_portfolio a[type='image/jpeg'],#documents_portfolio a[type='image/png']",
    "trans": "fade", "speed": 350, "maxWidth": "90%%", "maxHeight": "90%%", "minWidth": "400px",
    "slideshow_speed": 2500, "opacite": 0.9, "str_close": "Fermer", "str_next": "Suivant",
    "str_prev": "Pr\\u00e9c\\u00e9dent", "str_slideshowStart": "Lancer le diaporama",
    "str_slideshowStop": "Arr\\u00eater le diaporama"
  },
  "ajax": {
    "url": "spip.php?page=ajax", "bloc_loading": "<div class=\\"loading_icone\\"></div>",
    "confirm_leave": "Vos modifications seront perdues."
  },
  "menu": {"delay": 250, "selecteur": ".nav .menu-entree", "ouvert": "menu-ouvert"}
};
var ajax_image_searching = '<img src="prive/images/loader.svg" alt="" />';
var url_chargement = 'spip.php?action=charger&var_ajax=1';
var spip_puce_args = {"dir": "ltr", "arg": "%(objet)s"};
(function (w, d) {
  w.ssrMenu = function (root) {
    var entries = (root || d).querySelectorAll(w.ssr_config.menu.selecteur);
    for (var i = 0; i < entries.length; i++) {
      entries[i].addEventListener('mouseenter', function () {
        this.classList.add('menu-ouvert');
      });
      entries[i].addEventListener('mouseleave', function () {
        this.classList.remove('menu-ouvert');
      });
    }
  };
  if (d.readyState !== 'loading') { w.ssrMenu(d); }
  else { d.addEventListener('DOMContentLoaded', function () { w.ssrMenu(d); }); }
})(window, document);
if (window.jQuery) jQuery(function () { jQuery('#outil_sommaire').addClass('js'); });
/*]]>*/"""

STATS_SCRIPT = """var _mesure = window._mesure = window._mesure || [];
_mesure.push(['setDocumentTitle', document.title]);
_mesure.push(['setCustomDimension', 1, '%(page)s']);
_mesure.push(['trackPageView']);
_mesure.push(['enableLinkTracking']);
(function () {
  var u = 'stats/';
  _mesure.push(['setTrackerUrl', u + 'compteur.php']);
  _mesure.push(['setSiteId', '3']);
  var d = document, g = d.createElement('script'), s = d.getElementsByTagName('script')[0];
  g.async = true; g.src = u + 'compteur.js'; s.parentNode.insertBefore(g, s);
})();"""

# name: path data (24×24 view box) — simple glyphs drawn for the sample theme
ICONS = {
    "facebook": """M14 8h3V4h-3c-2.8 0-4 1.7-4 4.2V10H7v4h3v8h4v-8h3l1-4h-4V8.6c0-.4.3-.6.6-.6z""",
    "mastodon": """M21 8.2c0-4.1-2.7-5.3-2.7-5.3C16.9 2.3 14.6 2 12 2h-.1c-2.6 0-4.9.3-6.3.9 0
        0-2.6 1.2-2.6 5.3 0 3.2-.2 8.7 4.4 9.9 1.7.5 3.2.6 4.4.5 2.2-.1 3.4-.8 3.4-.8l-.1-1.6s-1.5.5
        -3.2.4c-1.7-.1-3.5-.2-3.8-2.3v-.5s1.7.4 3.8.5c1.3.1 2.5-.1 3.7-.2 2.4-.3 4.4-1.7 4.6-3
        .4-2.1.4-5.1.4-5.1zm-3.2 5.4h-2V8.7c0-1-.4-1.6-1.3-1.6-1 0-1.5.6-1.5 1.9v2.7h-2V9c0-1.3
        -.5-1.9-1.5-1.9-.9 0-1.3.5-1.3 1.6v4.9h-2V8.5c0-1 .3-1.9.8-2.5.5-.6 1.2-.9 2.1-.9 1 0 1.8.4
        2.3 1.2l.5.8.5-.8c.5-.8 1.3-1.2 2.3-1.2.9 0 1.6.3 2.1.9.5.6.8 1.4.8 2.5v5.1z""",
    "mail": """M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1
        2.4V17h16V7.4l-8 5.3-8-5.3zM5.2 7l6.8 4.5L18.8 7H5.2z""",
    "print": """M6 2h12v5H6V2zm-2 6h16a2 2 0 0 1 2 2v7h-4v5H6v-5H2v-7a2 2 0 0 1 2-2zm4
        8v4h8v-4H8zm10-5.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2z""",
    "rss": """M4 4a16 16 0 0 1 16 16h-3A13 13 0 0 0 4 7V4zm0 6a10 10 0 0 1 10 10h-3a7 7 0 0
        0-7-7v-3zm2 6.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z""",
    "search": """M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1
        0 0 10 5 5 0 0 0 0-10z""",
    "calendar": """M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0
        1 1-1h3V2zm12 8H5v9h14v-9zM5 6v2h14V6H5z""",
    "heart": """M12 21s-7.5-4.6-9.5-9.2C1.2 8.6 3.3 5 6.8 5c2 0 3.5 1.1 4.2 2.4h2C13.7 6.1
        15.2 5 17.2 5c3.5 0 5.6 3.6 4.3 6.8C19.5 16.4 12 21 12 21z""",
}


def svg_sprite() -> str:
    """The hidden SVG sprite at the top of the body; icons are drawn with ``<use>``."""
    symbols = "".join(
        f'<symbol id="icon-{name}" viewBox="0 0 24 24"><title>{name}</title>'
        f'<path d="{" ".join(d.split())}"/></symbol>'
        for name, d in ICONS.items()
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" style="position:absolute;'
        f'width:0;height:0;overflow:hidden" class="svg-sprite">{symbols}</svg>'
    )
