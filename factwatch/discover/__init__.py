"""Finding new articles on an outlet: feeds, sitemaps and section pages -> candidate article URLs."""
