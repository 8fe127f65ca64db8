"""Every SQL example in the README runs against a real database holding the demo story."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from factwatch.flows.check import check_articles
from factwatch.cli.storyserver import StoryServer, demo_story_versions

README = Path(__file__).resolve().parents[1] / "README.md"
QUERIES = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def story_db(tmp_path_factory, prefect_harness):
    db = str(tmp_path_factory.mktemp("readme") / "factwatch.duckdb")
    with StoryServer({"/story": demo_story_versions()}) as server:
        for version in range(4):
            server.set_version("/story", version)
            check_articles([server.url("/story")], db, timeout=5, allow_private_networks=True, host_delay=0)
        check_articles([server.url("/missing")], db, timeout=5, allow_private_networks=True, host_delay=0)
    return db


def test_readme_has_at_least_five_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("sql", QUERIES, ids=[q.strip().splitlines()[-1][:40] for q in QUERIES])
def test_readme_query_runs_and_answers(story_db, sql):
    con = duckdb.connect(story_db, read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, "each README example should answer something on the demo story"
