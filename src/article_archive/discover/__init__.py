"""Discovery: pure functions over fetched text (feeds, sitemaps, SPIP archives, links)."""
