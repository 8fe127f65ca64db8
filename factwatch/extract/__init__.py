"""The one wrapper around trafilatura (article.py) and pure text normalisation (textnorm.py)."""
