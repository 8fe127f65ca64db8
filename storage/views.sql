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

-- Schema version 6: stories. An outlet is an article URL's host with its port (the netloc), lower-cased.
CREATE OR REPLACE MACRO url_outlet(u) AS lower(regexp_extract(u, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#]*)', 1));
-- A casualty value is a count ('17') or a range ('2-6'): its lower and upper bound.
CREATE OR REPLACE MACRO toll_low(v) AS TRY_CAST(split_part(v, '-', 1) AS BIGINT);
CREATE OR REPLACE MACRO toll_high(v) AS coalesce(TRY_CAST(nullif(split_part(v, '-', 2), '') AS BIGINT),
                                                TRY_CAST(split_part(v, '-', 1) AS BIGINT));

-- Internal: each story article's headline toll per outcome and victim group at each version (the highest
-- total it states: breakdowns and comparisons are parts of a total, not tolls of their own).
CREATE OR REPLACE VIEW story_toll_versions AS
SELECT sa.story_id, sa.article_id, sa.url, url_outlet(sa.url) AS outlet, v.version_id, v.version_no, v.fetched_at,
       c.attributes->>'outcome' AS outcome, coalesce(c.attributes->>'group', 'people') AS victim_group,
       c.value, c.qualifier, toll_low(c.value) AS low, toll_high(c.value) AS high, c.sentence
FROM story_articles sa
JOIN stories s ON s.story_id = sa.story_id AND s.merged_into IS NULL
JOIN versions v ON v.article_id = sa.article_id
JOIN claims c ON c.version_id = v.version_id
WHERE c.claim_type = 'casualty' AND coalesce(c.attributes->>'role', 'total') = 'total'
  AND toll_high(c.value) IS NOT NULL
  AND v.version_id NOT IN (SELECT version_id FROM shrunken_versions)
QUALIFY row_number() OVER (PARTITION BY sa.story_id, v.version_id, outcome, victim_group ORDER BY high DESC, low DESC) = 1;

-- Each outlet's current toll in a story, per outcome and victim group: the value its newest article states
-- now, with its qualifier, since when it has said so (`reported_at`), how often it was revised (`revisions`,
-- `revised_down`), when factwatch last read it (`checked_at`), and, when another outlet's current figure is
-- higher than anything this one allows, since when (`behind_since`); `lagging` when it was read again more
-- than 6 hours after that and still said less ("still 13 while four outlets say 17").
CREATE OR REPLACE VIEW story_outlet_tolls AS
WITH steps AS (
    SELECT *, coalesce(value <> lag(value) OVER w, false) AS revised,
              coalesce(high < lag(high) OVER w, false) AS down
    FROM story_toll_versions WINDOW w AS (PARTITION BY story_id, article_id, outcome, victim_group ORDER BY version_no)
), runs AS (
    SELECT *, sum(revised::INTEGER) OVER (PARTITION BY story_id, article_id, outcome, victim_group ORDER BY version_no) AS run
    FROM steps
), per_article AS (
    SELECT story_id, article_id, url, outlet, outcome, victim_group,
           arg_max(value, version_no) AS value, arg_max(qualifier, version_no) AS qualifier,
           arg_max(low, version_no) AS low, arg_max(high, version_no) AS high,
           arg_max(sentence, version_no) AS sentence, max(version_no) AS version_no,
           sum(revised::INTEGER) AS revisions, sum(down::INTEGER) AS revised_down, max(run) AS current_run
    FROM runs GROUP BY ALL
), current AS (  -- the article's newest version must still state the toll
    SELECT p.*, (SELECT min(r.fetched_at) FROM runs r WHERE r.article_id = p.article_id AND r.outcome = p.outcome
                   AND r.victim_group = p.victim_group AND r.run = p.current_run) AS reported_at,
           (SELECT max(f.fetched_at) FROM fetches f WHERE f.article_id = p.article_id
              AND f.outcome IN ('new_version', 'unchanged', 'not_modified')) AS checked_at
    FROM per_article p
    WHERE p.version_no = (SELECT max(v.version_no) FROM versions v WHERE v.article_id = p.article_id
                            AND v.version_id NOT IN (SELECT version_id FROM shrunken_versions))
), per_outlet AS (  -- an outlet with several articles in the story speaks through the one read last
    SELECT * FROM current
    QUALIFY row_number() OVER (PARTITION BY story_id, outcome, victim_group, outlet
                               ORDER BY checked_at DESC, reported_at DESC, article_id DESC) = 1
), behind AS (
    SELECT o.*, (SELECT min(p.reported_at) FROM per_outlet p WHERE p.story_id = o.story_id AND p.outcome = o.outcome
                   AND p.victim_group = o.victim_group AND p.low > o.high) AS behind_since
    FROM per_outlet o
)
SELECT story_id, outcome, victim_group, outlet, url, value, qualifier, low, high,
       reported_at, checked_at, revisions, revised_down, sentence, behind_since,
       coalesce(checked_at - behind_since > INTERVAL 6 HOUR, false) AS lagging, article_id
FROM behind;

-- One row per story, outcome and victim group: how many outlets report a toll, the range of their current
-- figures and how they reconcile. `low` is the most conservative current figure (as ACLED records the most
-- conservative reported figure); `high` the highest; `best` the median of the outlets' current figures (a
-- range counts as its midpoint), in the spirit of UCDP's best estimate between its low and high; `latest` the
-- figure reported most recently. `disagree` when the outlets' current figures cannot all be true within 10%
-- (the highest lower bound exceeds the lowest upper bound by more than 10%); `lagging_outlets` counts outlets
-- still behind the others 6 hours after a higher figure stood. `sources` lists each outlet's figure.
CREATE OR REPLACE VIEW story_tolls AS
SELECT story_id, outcome, victim_group, count(*) AS outlets, min(low) AS low, max(high) AS high,
       CAST(floor(median((low + high) / 2)) AS BIGINT) AS best,
       first(value ORDER BY reported_at DESC, high DESC) AS latest, max(reported_at) AS latest_at,
       count(*) >= 2 AND max(low) > min(high) * 1.1 AS disagree,
       count(*) FILTER (WHERE lagging) AS lagging_outlets,
       string_agg(outlet || ': ' || trim(qualifier || ' ' || value), '; ' ORDER BY high DESC, outlet) AS sources
FROM story_outlet_tolls
GROUP BY story_id, outcome, victim_group;

-- Newsroom analytics per outlet (host and port): how long its articles take to be corrected, how many of
-- its corrections carry no notice, and how often its tolls are revised down.
CREATE OR REPLACE VIEW outlet_corrections AS
WITH per_article AS (
    SELECT url_outlet(a.url) AS outlet, a.article_id,
           (SELECT min(v.fetched_at) FROM versions v WHERE v.article_id = a.article_id) AS first_version_at,
           (SELECT min(c.detected_at) FROM changes c WHERE c.article_id = a.article_id
              AND c.change_kind = 'correction') AS first_correction_at
    FROM articles a
), flags AS (
    SELECT url_outlet(a.url) AS outlet,
           count(*) FILTER (WHERE c.change_kind = 'correction') AS corrections,
           count(*) FILTER (WHERE c.change_kind = 'correction' AND c.notice IS NULL) AS silent_corrections,
           count(*) FILTER (WHERE c.claim_type = 'casualty' AND c.change_kind IN ('update', 'correction')) AS toll_revisions,
           count(*) FILTER (WHERE c.claim_type = 'casualty' AND c.change_kind IN ('update', 'correction')
                              AND toll_high(c.new_value) < toll_high(c.old_value)) AS tolls_revised_down
    FROM changes c JOIN articles a USING (article_id) GROUP BY ALL
)
SELECT p.outlet, count(*) FILTER (WHERE p.first_version_at IS NOT NULL) AS articles,
       count(p.first_correction_at) AS corrected_articles,
       round(median(epoch(p.first_correction_at - p.first_version_at)) / 3600, 2) AS median_hours_to_first_correction,
       coalesce(any_value(f.corrections), 0) AS corrections,
       round(any_value(f.silent_corrections) / nullif(any_value(f.corrections), 0), 3) AS silent_share,
       coalesce(any_value(f.toll_revisions), 0) AS toll_revisions,
       round(any_value(f.tolls_revised_down) / nullif(any_value(f.toll_revisions), 0), 3) AS revised_down_share
FROM per_article p LEFT JOIN flags f USING (outlet)
GROUP BY p.outlet;
