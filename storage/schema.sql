-- factwatch schema, version 7 (storage/db.py SCHEMA_VERSION; storage/migrations.py upgrades older files).
-- History is append-only; "latest" is a view. Ids come from sequences, and keys make the
-- database itself refuse a duplicate. Run once per schema version, not on every connect.

CREATE SEQUENCE IF NOT EXISTS article_ids START 1;
CREATE SEQUENCE IF NOT EXISTS version_ids START 1;
CREATE SEQUENCE IF NOT EXISTS claim_ids START 1;
CREATE SEQUENCE IF NOT EXISTS change_ids START 1;
CREATE SEQUENCE IF NOT EXISTS fetch_ids START 1;

CREATE TABLE IF NOT EXISTS schema_info (
    schema_version INTEGER NOT NULL
);

-- One row per watched or checked URL; never updated.
CREATE TABLE IF NOT EXISTS articles (
    article_id    BIGINT PRIMARY KEY,
    url           VARCHAR NOT NULL UNIQUE,
    first_seen_at TIMESTAMPTZ NOT NULL
);

-- One row per distinct article text.
CREATE TABLE IF NOT EXISTS versions (
    version_id     BIGINT PRIMARY KEY,
    article_id     BIGINT NOT NULL,
    version_no     INTEGER NOT NULL,       -- 1 for the baseline, then 2, 3, ...
    fetched_at     TIMESTAMPTZ NOT NULL,
    content_hash   VARCHAR NOT NULL,       -- sha256 of the normalised main text
    title          VARCHAR,
    published_at   DATE,                   -- from the page's metadata
    modified_at    DATE,
    canonical_url  VARCHAR,
    author         VARCHAR,
    text           VARCHAR NOT NULL,       -- trafilatura's main text
    raw_html_zlib  BLOB,                   -- the page as fetched, UTF-8, compressed: a zstd frame (version 7 on) or a zlib stream
    html_encoding  VARCHAR,
    extractor      VARCHAR NOT NULL,       -- which extractor and claims engine made the claims
    -- Schema version 7 (storage/migrations.py adds it to an older file, so it stays last):
    page_base_version_id BIGINT            -- raw_html_zlib was made against this version's page (NULL: whole)
);
CREATE UNIQUE INDEX IF NOT EXISTS versions_article_version_no ON versions (article_id, version_no);

-- Facts found in a version.
CREATE TABLE IF NOT EXISTS claims (
    claim_id       BIGINT PRIMARY KEY,
    version_id     BIGINT NOT NULL,
    claim_type     VARCHAR NOT NULL,       -- casualty | person | date | correction_notice
    key            VARCHAR NOT NULL,       -- what the claim is about; stable across versions
    value          VARCHAR NOT NULL,       -- what the article says about it
    text           VARCHAR NOT NULL,       -- the surface words
    sentence       VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    start_offset   INTEGER NOT NULL,       -- text = sentence[start_offset:end_offset]
    end_offset     INTEGER NOT NULL,
    qualifier      VARCHAR NOT NULL,       -- "at least", "more than", ... or ''
    attributes     JSON NOT NULL           -- outcome, group, role, attribution, ...
);

-- Flags: how a claim changed between two versions.
CREATE TABLE IF NOT EXISTS changes (
    change_id       BIGINT PRIMARY KEY,
    article_id      BIGINT NOT NULL,
    from_version_id BIGINT NOT NULL,
    to_version_id   BIGINT NOT NULL,
    detected_at     TIMESTAMPTZ NOT NULL,
    claim_type      VARCHAR NOT NULL,
    change_kind     VARCHAR NOT NULL,      -- update | correction | added | removed
    key             VARCHAR NOT NULL,
    old_value       VARCHAR,
    new_value       VARCHAR,
    old_text        VARCHAR,
    new_text        VARCHAR,
    old_sentence    VARCHAR,
    new_sentence    VARCHAR,
    confidence      DOUBLE NOT NULL,
    reason          VARCHAR NOT NULL,      -- plain words: "death toll rose from 13 to 17"
    notice          VARCHAR                -- correction notice in the new version, if any
);

-- Every fetch attempt, whatever its outcome.
CREATE TABLE IF NOT EXISTS fetches (
    fetch_id      BIGINT PRIMARY KEY,
    url           VARCHAR NOT NULL,
    article_id    BIGINT,
    fetched_at    TIMESTAMPTZ NOT NULL,
    http_status   INTEGER,
    outcome       VARCHAR NOT NULL,        -- new_version | unchanged | not_modified | error | refused
    error         VARCHAR,                 -- plain-words reason when outcome is error or refused
    version_id    BIGINT,                  -- the version this fetch created, if any
    final_url     VARCHAR,
    elapsed_ms    INTEGER,
    etag          VARCHAR,                 -- validators for the next conditional GET
    last_modified VARCHAR,
    html_hash     VARCHAR,                 -- hash of the raw page, to skip re-extraction
    run_id        VARCHAR
);

-- The watchlist: URLs the scheduled flow re-checks.
CREATE TABLE IF NOT EXISTS watches (
    url           VARCHAR NOT NULL,
    added_at      TIMESTAMPTZ NOT NULL,
    every_seconds INTEGER                  -- NULL: adaptive cadence
);

-- Stored versions that `reprocess` could not re-derive: they keep their claims and flags.
CREATE TABLE IF NOT EXISTS reprocess_failures (
    failed_at     TIMESTAMPTZ NOT NULL,
    article_id    BIGINT NOT NULL,
    version_id    BIGINT NOT NULL,
    url           VARCHAR NOT NULL,
    extractor     VARCHAR NOT NULL,        -- the extractor that failed on it
    reason        VARCHAR NOT NULL         -- plain words: "stored page could not be decompressed ..."
);

-- Alert rules (`factwatch alerts add`), evaluated on every flag in the transaction that writes it.
CREATE TABLE IF NOT EXISTS alert_rules (
    name           VARCHAR PRIMARY KEY,   -- events are factwatch.alert.<name>
    expression     VARCHAR NOT NULL,      -- the rule language: "casualty rises by >= 20%"
    url_like       VARCHAR,               -- only articles whose URL is LIKE this
    source         VARCHAR,               -- only articles on this site (host or its subdomains)
    notify         VARCHAR,               -- the Prefect notification block, as type-slug/name
    digest_minutes INTEGER,               -- at most one notification per this many minutes
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- Every flag a rule matched, with a copy of the flag (reprocess may renumber flags; alerts stay).
-- One row per rule and signature (article, claim key, new value): a flip-flop back to a value
-- already alerted on, or a re-run, never alerts twice.
CREATE TABLE IF NOT EXISTS alert_matches (
    rule            VARCHAR NOT NULL,
    signature       VARCHAR NOT NULL,
    change_id       BIGINT NOT NULL,
    matched_at      TIMESTAMPTZ NOT NULL,  -- when the flag was written
    url             VARCHAR NOT NULL,
    title           VARCHAR,
    claim_type      VARCHAR NOT NULL,
    change_kind     VARCHAR NOT NULL,
    key             VARCHAR NOT NULL,
    old_value       VARCHAR,
    new_value       VARCHAR,
    old_sentence    VARCHAR,
    new_sentence    VARCHAR,
    reason          VARCHAR NOT NULL,
    notice          VARCHAR,
    summary         VARCHAR NOT NULL,      -- "death toll at example.org rose from 13 to 17 (+31%)"
    detected_at     TIMESTAMPTZ NOT NULL,
    from_version_no INTEGER,
    to_version_no   INTEGER,
    digested_at     TIMESTAMPTZ,           -- digest rules: when the match went out in a digest
    PRIMARY KEY (rule, signature)
);

-- Schema version 4: sources that `discover` reads for new articles, what each read gave, and what it decided.
CREATE SEQUENCE IF NOT EXISTS source_ids START 1;
CREATE SEQUENCE IF NOT EXISTS source_check_ids START 1;

-- An outlet's feed, sitemap or section page; removing a source keeps its checks and discoveries.
CREATE TABLE IF NOT EXISTS sources (
    source_id       BIGINT PRIMARY KEY,
    url             VARCHAR NOT NULL UNIQUE,
    kind            VARCHAR NOT NULL,      -- auto | feed | sitemap | section (auto becomes one on the first read, but a home page stays auto)
    name            VARCHAR,
    allow_hosts     VARCHAR[] NOT NULL,    -- sites whose articles it may add (a site allows its subdomains)
    max_new         INTEGER,               -- new watches per run; NULL: FACTWATCH_DISCOVER_MAX_NEW
    max_age_seconds INTEGER,               -- older items are not watched; NULL: FACTWATCH_DISCOVER_MAX_AGE
    added_at        TIMESTAMPTZ NOT NULL,
    -- Schema version 5 (storage/migrations.py adds these to a version 4 file, so they stay last):
    include_pattern VARCHAR,               -- a regex an article URL must match (NULL: any)
    exclude_pattern VARCHAR,               -- a regex an article URL must not match (NULL: none)
    every_seconds   INTEGER                -- read when this long has passed since its last read; NULL: FACTWATCH_DISCOVER_EVERY
);

-- Every fetch of a source document (the source's own, or a child sitemap of its index).
CREATE TABLE IF NOT EXISTS source_checks (
    check_id      BIGINT PRIMARY KEY,
    source_id     BIGINT NOT NULL,
    url           VARCHAR NOT NULL,        -- the document
    checked_at    TIMESTAMPTZ NOT NULL,
    http_status   INTEGER,
    outcome       VARCHAR NOT NULL,        -- read | unchanged | not_modified | error | refused
    error         VARCHAR,                 -- why it failed, or what was cut short, in plain words
    doc_kind      VARCHAR,                 -- rss | atom | json_feed | sitemap | news_sitemap | sitemap_index | section | homepage
    links         INTEGER,                 -- links (or child sitemaps) it held
    added         INTEGER,                 -- watches this document's links added
    etag          VARCHAR,                 -- validators for the next conditional GET
    last_modified VARCHAR,
    body_hash     VARCHAR,
    elapsed_ms    INTEGER,
    run_id        VARCHAR
);

-- What discovery decided about each article URL, once per source.
CREATE TABLE IF NOT EXISTS discoveries (
    source_id     BIGINT NOT NULL,
    url           VARCHAR NOT NULL,        -- normalised (the link as found when rejected)
    discovered_at TIMESTAMPTZ NOT NULL,
    outcome       VARCHAR NOT NULL,        -- watched | known | too_old | undated | rejected
    reason        VARCHAR,                 -- plain words, for every outcome but watched
    published_at  TIMESTAMPTZ,             -- from the feed or sitemap
    title         VARCHAR,
    found_in      VARCHAR,                 -- the feed or sitemap it came from
    run_id        VARCHAR,
    PRIMARY KEY (source_id, url)
);

-- Versions whose article text shrank so much that extraction, not the story, changed (a redesign,
-- a consent wall): stored for the record, but no flags come from them and later versions are
-- compared with the last version before them.
CREATE TABLE IF NOT EXISTS shrunken_versions (
    version_id    BIGINT NOT NULL,
    article_id    BIGINT NOT NULL,
    detected_at   TIMESTAMPTZ NOT NULL,
    healthy_chars INTEGER NOT NULL,        -- length of the last healthy version's text
    chars         INTEGER NOT NULL         -- length of this version's text
);

-- Source events factwatch emitted (so a degraded source is announced once a day, not on every run).
CREATE TABLE IF NOT EXISTS source_events (
    source_id   BIGINT NOT NULL,
    emitted_at  TIMESTAMPTZ NOT NULL,
    event       VARCHAR NOT NULL,          -- degraded
    detail      VARCHAR NOT NULL           -- plain words
);

-- Schema version 6: story clusters (articles from several outlets reporting one event) and their toll flags.
CREATE SEQUENCE IF NOT EXISTS story_ids START 1;

-- One row per story; a story merged into another keeps its row, with merged_into set.
CREATE TABLE IF NOT EXISTS stories (
    story_id    BIGINT PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL,
    title       VARCHAR,                   -- the title of the article that opened it
    merged_into BIGINT                     -- NULL while the story stands on its own
);

-- Which story each article is in now (its history is in story_events).
CREATE TABLE IF NOT EXISTS story_articles (
    article_id  BIGINT PRIMARY KEY,
    story_id    BIGINT NOT NULL,
    url         VARCHAR NOT NULL,
    joined_at   TIMESTAMPTZ NOT NULL,
    method      VARCHAR NOT NULL,          -- opened | near_duplicate | same_event | merged | pinned
    score       DOUBLE,                    -- the similarity that placed it (NULL when opened or pinned)
    pinned      BOOLEAN NOT NULL,          -- a person put it here (`factwatch stories move`): clustering never moves it
    -- What clustering compared when the article was placed (factwatch/stories/features.py), kept so later
    -- articles are compared with it without re-reading its text:
    seen_at     TIMESTAMPTZ NOT NULL,      -- published, else first seen
    terms       JSON NOT NULL,             -- its most frequent content words with their counts
    sketch      BIGINT[] NOT NULL,         -- bottom-k hashes of its five-word runs
    entities    VARCHAR[] NOT NULL         -- people, places and toll kinds its claims name
);

-- Every clustering decision and manual move, append-only.
CREATE TABLE IF NOT EXISTS story_events (
    event_at    TIMESTAMPTZ NOT NULL,
    story_id    BIGINT NOT NULL,
    event       VARCHAR NOT NULL,          -- opened | joined | merged | moved
    article_id  BIGINT,
    from_story  BIGINT,                    -- merged: the story merged into this one; moved: where the article was
    detail      VARCHAR                    -- plain words
);

-- Toll flags on a story, raised once per divergence and closed when the outlets agree again.
CREATE TABLE IF NOT EXISTS story_flags (
    story_id     BIGINT NOT NULL,
    outcome      VARCHAR NOT NULL,
    victim_group VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,         -- disagreement | lagging
    raised_at    TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ,              -- NULL while it stands
    low          BIGINT,
    high         BIGINT,
    detail       VARCHAR NOT NULL          -- plain words: "outlets disagree: 13 (a.example) to 17 (b.example)"
);
