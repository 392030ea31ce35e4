"""``python -m article_archive.sample [PORT] [SITE_DIR]``: the bundled sample site, by hand.

The same as ``python -m article_archive_sample``, under the product's own name; the sample
site is loaded through ``demo``, the one module that imports it.
"""

from __future__ import annotations

from article_archive.demo import sample_site_main

if __name__ == "__main__":
    sample_site_main()
