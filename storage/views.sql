-- Public views, recreated when the schema version changes (bump SCHEMA_VERSION in db.py after editing).

-- Every flag factwatch raised, with its evidence.
CREATE OR REPLACE VIEW change_flags AS
SELECT a.url, c.detected_at, c.claim_type, c.change_kind, c.key,
       c.old_value, c.new_value, c.old_text, c.new_text,
       c.old_sentence, c.new_sentence, c.confidence, c.reason, c.notice,
       c.from_version_id, c.to_version_id, pv.version_no AS from_version_no, v.version_no AS to_version_no,
       c.article_id, c.change_id, v.title
FROM changes c
JOIN articles a USING (article_id)
JOIN versions v ON v.version_id = c.to_version_id
JOIN versions pv ON pv.version_id = c.from_version_id;

-- Every fetch attempt and what came of it.
CREATE OR REPLACE VIEW fetch_log AS
SELECT url, fetched_at, http_status, outcome, error, version_id, final_url, elapsed_ms, run_id, fetch_id
FROM fetches;

-- Each article's newest version.
CREATE OR REPLACE VIEW latest_versions AS
SELECT a.url, v.*
FROM versions v JOIN articles a USING (article_id)
QUALIFY row_number() OVER (PARTITION BY v.article_id ORDER BY v.version_no DESC) = 1;

-- Each article's current claims.
CREATE OR REPLACE VIEW latest_claims AS
SELECT lv.url, lv.article_id, lv.version_no, lv.fetched_at, c.*
FROM latest_versions lv JOIN claims c USING (version_id);

-- Corrections that no correction notice explains (possible stealth edits). The diff links a
-- correction to a notice in the new version that mentions the old or new value, or to a notice
-- added in that version; a notice carried over from earlier that says nothing of it does not count.
CREATE OR REPLACE VIEW silent_corrections AS
SELECT * FROM change_flags
WHERE change_kind = 'correction' AND notice IS NULL;

-- Each toll's value at each version over time.
CREATE OR REPLACE VIEW casualty_timeline AS
SELECT a.url, c.key, v.version_no, v.fetched_at, c.value, c.qualifier,
       c.attributes->>'outcome' AS outcome, c.attributes->>'group' AS victim_group,
       c.sentence, v.version_id
FROM claims c
JOIN versions v USING (version_id)
JOIN articles a USING (article_id)
WHERE c.claim_type = 'casualty';

-- Versions, flags and checks per article.
CREATE OR REPLACE VIEW article_activity AS
SELECT a.url, a.first_seen_at,
       (SELECT count(*) FROM versions v WHERE v.article_id = a.article_id) AS versions,
       (SELECT max(fetched_at) FROM versions v WHERE v.article_id = a.article_id) AS last_new_version_at,
       (SELECT count(*) FROM changes c WHERE c.article_id = a.article_id) AS flags,
       (SELECT count(*) FROM changes c WHERE c.article_id = a.article_id
                                        AND c.change_kind = 'correction') AS corrections,
       (SELECT max(fetched_at) FROM fetches f WHERE f.url = a.url) AS last_checked_at,
       a.article_id
FROM articles a;

-- Each flag an alert rule matched, newest first by detected_at when ordered so.
CREATE OR REPLACE VIEW alerts_fired AS
SELECT rule, url, claim_type, change_kind, old_value, new_value, summary, new_sentence, old_sentence,
       notice, reason, detected_at, matched_at, title, key, from_version_no, to_version_no, change_id, digested_at
FROM alert_matches;

-- Internal: what the next conditional GET needs, from the last successful fetch.
CREATE OR REPLACE VIEW article_state AS
SELECT url, article_id, etag, last_modified, html_hash, fetched_at
FROM fetches
WHERE outcome IN ('new_version', 'unchanged', 'not_modified')
QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, fetch_id DESC) = 1;

-- Per source, over the last day: how many of its articles were checked, and how many of those came out
-- broken (a version that shrank, or no article text at all). Most of them at once (3 or more, and at least
-- half) means the outlet changed its pages and extraction no longer fits: the source is degraded.
CREATE OR REPLACE VIEW source_health AS
WITH recent AS (
    SELECT d.source_id, f.article_id,
           bool_or(f.error = 'no article text found on the page') AS no_text,
           bool_or(f.version_id IN (SELECT version_id FROM shrunken_versions)) AS shrank
    FROM discoveries d
    JOIN articles a ON a.url = d.url AND d.outcome = 'watched'
    JOIN fetches f ON f.article_id = a.article_id AND f.fetched_at >= now() - INTERVAL 1 DAY
    GROUP BY d.source_id, f.article_id
)
SELECT source_id, count(*) AS articles_checked, count(*) FILTER (WHERE shrank) AS shrunken,
       count(*) FILTER (WHERE no_text) AS without_text,
       count(*) FILTER (WHERE shrank OR no_text) >= 3
         AND count(*) FILTER (WHERE shrank OR no_text) * 2 >= count(*) AS degraded
FROM recent GROUP BY source_id;

-- Per source: when it was last read and how, and what its articles came to.
CREATE OR REPLACE VIEW source_activity AS
WITH last_check AS (  -- the last fetch of the source's own document
    SELECT c.* FROM source_checks c JOIN sources s ON s.source_id = c.source_id AND s.url = c.url
    QUALIFY row_number() OVER (PARTITION BY c.source_id ORDER BY c.checked_at DESC, c.check_id DESC) = 1
), found AS (
    SELECT d.source_id, count(*) FILTER (WHERE d.outcome = 'watched') AS watched,
           count(*) FILTER (WHERE d.outcome = 'rejected') AS rejected,
           count(*) FILTER (WHERE d.outcome IN ('too_old', 'undated')) AS too_old,
           max(d.discovered_at) FILTER (WHERE d.outcome = 'watched') AS last_watched_at
    FROM discoveries d GROUP BY d.source_id
), articles_of AS (  -- changed: a stated fact took a new value (an update or a correction flag)
    -- Versions and flags are counted per article first, then summed per source: joining the source's
    -- discoveries to every version and every flag at once multiplied the rows (2M for 100,000 articles).
    SELECT d.source_id, sum(coalesce(v.versions, 0))::BIGINT AS versions, sum(coalesce(c.flags, 0))::BIGINT AS flags,
           count(*) FILTER (WHERE c.changed) AS changed, count(*) FILTER (WHERE c.corrected) AS corrected
    FROM discoveries d
    JOIN articles a ON a.url = d.url AND d.outcome = 'watched'
    LEFT JOIN (SELECT article_id, count(*) AS versions FROM versions GROUP BY article_id) v
           ON v.article_id = a.article_id
    LEFT JOIN (SELECT article_id, count(*) AS flags,
                      bool_or(change_kind IN ('update', 'correction')) AS changed,
                      bool_or(change_kind = 'correction') AS corrected
               FROM changes GROUP BY article_id) c ON c.article_id = a.article_id
    GROUP BY d.source_id
)
SELECT s.url, s.kind, s.name, s.added_at,
       lc.checked_at AS last_checked_at, lc.outcome AS last_outcome, lc.error AS last_error,
       coalesce(f.watched, 0) AS watched, coalesce(f.rejected, 0) AS rejected, coalesce(f.too_old, 0) AS too_old,
       f.last_watched_at, coalesce(ao.versions, 0) AS versions, coalesce(ao.flags, 0) AS flags,
       coalesce(ao.changed, 0) AS changed, coalesce(ao.corrected, 0) AS corrected,
       CASE WHEN h.degraded THEN 'degraded' ELSE 'ok' END AS extraction, s.source_id
FROM sources s
LEFT JOIN last_check lc ON lc.source_id = s.source_id
LEFT JOIN found f ON f.source_id = s.source_id
LEFT JOIN articles_of ao ON ao.source_id = s.source_id
LEFT JOIN source_health h ON h.source_id = s.source_id;

-- Internal: validators for the next conditional GET of each source document.
CREATE OR REPLACE VIEW source_document_state AS
SELECT source_id, url, etag, last_modified, body_hash
FROM source_checks
WHERE outcome IN ('read', 'unchanged', 'not_modified')
QUALIFY row_number() OVER (PARTITION BY source_id, url ORDER BY checked_at DESC, check_id DESC) = 1;
