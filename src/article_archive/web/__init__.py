"""The Datasette side of article-archive: reader, search, lists, feeds and exports (plugin.py)."""
