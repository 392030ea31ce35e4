"""The bundled sample SPIP site: loader, typographer, templates and a loopback server.

``SampleSite`` serves ``data/sample-site`` (or any folder in the same format, see its
FORMAT.md) on 127.0.0.1 the way a SPIP 3.2 site with Couteau Suisse would;
``python -m article_archive_sample`` serves it by hand.

This is not part of the product: it ships in the same wheel so that ``article-archive demo``
has a site to crawl, needs only the standard library and imports nothing from
``article_archive`` (tests/test_imports.py holds it to that).
"""

from __future__ import annotations

from article_archive_sample.server import RequestRecord, SampleSite, default_site_dir, serve_forever
from article_archive_sample.site import Site, SiteFormatError, load_site

__all__ = [
    "RequestRecord",
    "SampleSite",
    "Site",
    "SiteFormatError",
    "default_site_dir",
    "load_site",
    "serve_forever",
]
