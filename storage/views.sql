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
