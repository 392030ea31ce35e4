"""What the site loader's modules share: the format error and SPIP's propres slug rule.

Kept apart from ``site`` so that ``extras`` (forum, syndicated sites, agenda) can raise the same
error and build the same slugs without importing the loader that imports it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SiteFormatError", "propre_slug"]


class SiteFormatError(ValueError):
    """A sample-site file that does not follow FORMAT.md."""


def propre_slug(text: str, limit: int = 80) -> str:
    """Transliterate ``text`` the way SPIP's propres URLs do: ASCII words joined by '-'."""
    folded = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].rstrip("-")
