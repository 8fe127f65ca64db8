"""A large history database for the benchmark, generated from real page shapes (no fetching).

    .venv/bin/python benchmarks/history.py PATH [--articles 100000]

Each corpus page is extracted once through the real pipeline (text, compressed
page, claims); the database is then filled in bulk by SQL from those shapes:
`articles` articles on 50 sites, five versions each, six claims per version,
one flag per later version, two fetches per version (the one that stored it
and a 304), a watch per article, a source per site with its discoveries, and
some alert matches. Timestamps spread over the last 180 days, so a day holds
about 1/180 of the flags, as a long-running install would.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

VERSIONS_PER_ARTICLE = 5
CLAIMS_PER_VERSION = 6
SITES = 50
DAYS = 180


def page_shapes(pages: list[str]) -> tuple[dict, dict]:
    """Column buffers of extracted shapes and of their claims, from real pages."""
    import json

    from factwatch.extract.article import NoArticle
    from factwatch.runtime.pipeline import extract_page

    now = datetime.now(timezone.utc)
    shapes = {"shape_id": [], "title": [], "text": [], "raw": [], "published": [], "author": []}
    claims = {name: [] for name in ("shape_id", "ordinal", "claim_type", "key", "value", "text", "sentence",
                                    "sentence_index", "start_offset", "end_offset", "qualifier", "attributes")}
    for html in pages:
        try:
            ex = extract_page(html, "https://shape.example/", now)
        except NoArticle:
            continue
        if not ex.claims:
            continue
        sid = len(shapes["shape_id"])
        for name, value in (("shape_id", sid), ("title", ex.title), ("text", ex.text), ("raw", ex.raw_html_zlib),
                            ("published", ex.published), ("author", ex.author)):
            shapes[name].append(value)
        for n, c in enumerate(ex.claims):
            for name, value in (("shape_id", sid), ("ordinal", n), ("claim_type", c.claim_type), ("key", c.key),
                                ("value", c.value), ("text", c.text), ("sentence", c.sentence),
                                ("sentence_index", c.sentence_index), ("start_offset", c.start),
                                ("end_offset", c.end), ("qualifier", c.qualifier),
                                ("attributes", json.dumps(dict(c.attributes), ensure_ascii=False))):
                claims[name].append(value)
    return shapes, claims


CHUNK = 10_000  # articles per transaction: the versions' pages make a chunk about 2 GB


def _sql(statement: str, **params) -> str:
    for name, value in params.items():
        statement = statement.replace(f"${name}", str(value))
    return statement


def _fill(con, articles: int) -> None:
    """Every table from the registered shapes, in bulk, one chunk of articles per transaction."""
    from factwatch.storage import transaction

    n_versions = articles * VERSIONS_PER_ARTICLE
    p = {"a": articles, "v": VERSIONS_PER_ARTICLE, "sites": SITES, "days": DAYS}
    setup = [
        # an article belongs to a site and keeps one page shape; its versions spread over its lifetime
        """CREATE TEMP TABLE gen_articles AS
           SELECT i + 1 AS article_id, 'https://site' || (i % $sites) || '.example/news/' || i AS url,
                  now() - to_seconds(($days * 86400.0 * (i + 1) / $a)::BIGINT) AS born,
                  i % (SELECT count(*) FROM shapes) AS shape_id, i % $sites AS site
           FROM range($a) t(i)""",
        "INSERT INTO articles SELECT article_id, url, born FROM gen_articles",
        """CREATE TEMP TABLE gen_versions AS
           SELECT (a.article_id - 1) * $v + n + 1 AS version_id, a.article_id, n + 1 AS version_no,
                  least(a.born + to_seconds(n * 3600 * (1 + a.article_id % 7)), now() - INTERVAL 10 MINUTE)
                    AS fetched_at, a.shape_id, a.url
           FROM gen_articles a, range($v) t(n)""",
        "INSERT INTO watches SELECT url, born, NULL FROM gen_articles",
        """INSERT INTO sources SELECT s + 1, 'https://site' || s || '.example/rss.xml', 'feed', NULL,
                  ['site' || s || '.example'], NULL, NULL, now() - INTERVAL 200 DAY, NULL, NULL, NULL
           FROM range($sites) t(s)""",
        """INSERT INTO discoveries SELECT site + 1, url, born, 'watched', NULL, born, NULL,
                  'https://site' || site || '.example/rss.xml', 'generated' FROM gen_articles""",
    ]
    chunked = [
        """INSERT INTO versions
           SELECT g.version_id, g.article_id, g.version_no, g.fetched_at, sha256(g.version_id::VARCHAR),
                  s.title, s.published, NULL, g.url, s.author,
                  s.text || ' (' || g.version_no || ')', s.raw, 'utf-8', 'generated'
           FROM gen_versions g JOIN shapes s USING (shape_id) WHERE g.article_id BETWEEN $lo AND $hi""",
        f"""INSERT INTO claims
           SELECT (g.version_id - 1) * {CLAIMS_PER_VERSION} + k + 1, g.version_id, c.claim_type, c.key,
                  CASE WHEN c.claim_type = 'casualty' THEN (g.version_no * 3 + k)::VARCHAR ELSE c.value END,
                  c.text, c.sentence, c.sentence_index, c.start_offset, c.end_offset, c.qualifier, c.attributes
           FROM gen_versions g, range({CLAIMS_PER_VERSION}) t(k),
                (SELECT shape_id, count(*) AS n FROM shape_claims GROUP BY shape_id) m,
                shape_claims c
           WHERE m.shape_id = g.shape_id AND c.shape_id = g.shape_id AND c.ordinal = k % m.n
             AND g.article_id BETWEEN $lo AND $hi""",
        """INSERT INTO changes
           SELECT g.version_id, g.article_id, g.version_id - 1, g.version_id, g.fetched_at, c.claim_type,
                  CASE WHEN g.version_id % 5 = 0 THEN 'correction' ELSE 'update' END, c.key,
                  (g.version_no * 3 - 3)::VARCHAR, (g.version_no * 3)::VARCHAR, c.text, c.text,
                  c.sentence, c.sentence, 0.9, 'death toll rose', NULL
           FROM gen_versions g JOIN shape_claims c ON c.shape_id = g.shape_id AND c.ordinal = 0
           WHERE g.version_no > 1 AND g.article_id BETWEEN $lo AND $hi""",
        # two fetches per version: the one that stored it, and a 304 an hour later
        """INSERT INTO fetches
           SELECT g.version_id * 2 - 1 + n, g.url, g.article_id,
                  least(g.fetched_at + to_seconds(n * 3600), now() - INTERVAL 5 MINUTE), 200 + n * 104,
                  CASE WHEN n = 0 THEN 'new_version' ELSE 'not_modified' END, NULL,
                  CASE WHEN n = 0 THEN g.version_id END, g.url, 40, '"' || g.version_id || '"', NULL,
                  sha256(g.url || g.version_id), 'generated'
           FROM gen_versions g, range(2) t(n) WHERE g.article_id BETWEEN $lo AND $hi""",
    ]
    with transaction(con):
        for statement in setup:
            con.execute(_sql(statement, **p))
    for lo in range(1, articles + 1, CHUNK):
        with transaction(con):
            for statement in chunked:
                con.execute(_sql(statement, lo=lo, hi=lo + CHUNK - 1, **p))
    con.execute(_sql("""INSERT INTO alert_matches
           SELECT 'toll', 'sig' || change_id, change_id, detected_at, 'generated', NULL, claim_type, change_kind, key,
                  old_value, new_value, old_sentence, new_sentence, reason, notice, reason, detected_at, 1, 2, NULL
           FROM changes WHERE change_id % 40 = 0"""))
    # the sequences hand out ids past the generated ones
    for sequence, start in (("article_ids", articles), ("version_ids", n_versions),
                            ("claim_ids", n_versions * CLAIMS_PER_VERSION), ("change_ids", n_versions),
                            ("fetch_ids", n_versions * 2), ("source_ids", SITES)):
        con.execute(f"CREATE OR REPLACE SEQUENCE {sequence} START {start + 1}")


def build_history(path: Path, pages: list[str], articles: int = 100_000) -> dict:
    """Create the history database at `path` (which must not exist) and return its table sizes."""
    import pyarrow as pa

    from factwatch.storage import connect

    shapes, claims = page_shapes(pages)
    with connect(str(path)) as con:
        con.register("shapes", pa.table(shapes))
        con.register("shape_claims", pa.table(claims))
        con.execute("SET memory_limit = '4GB'")
        _fill(con, articles)
        con.execute("CHECKPOINT")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("articles", "versions", "claims", "changes", "fetches", "watches")}


def ensure_history(path: Path, pages: list[str], articles: int = 100_000) -> dict:
    """Build the history database once; later runs reuse it."""
    if path.exists():
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                    for t in ("articles", "versions", "claims", "changes", "fetches", "watches")}
        finally:
            con.close()
    started = time.perf_counter()
    sizes = build_history(path, pages, articles)
    print(f"built {path} in {time.perf_counter() - started:.0f} s: {sizes}", flush=True)
    return sizes


def main() -> None:
    from pages import corpus_pages, generated_pages

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    print(ensure_history(args.path, corpus_pages() or generated_pages(), args.articles))


if __name__ == "__main__":
    main()
