-- Eyes schema, version 1. Timestamps are UTC RFC 3339 with microseconds ("2026-11-28T01:40:34.123456Z"),
-- so text order is time order. Names follow the original (reference §10) where it has them.

-- AI assessments (one per analysed candidate)
CREATE TABLE assessments (
    id                      INTEGER PRIMARY KEY,
    assessed_at             TEXT    NOT NULL,
    summary                 TEXT    NOT NULL,
    root_cause              TEXT,
    severity                TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    observation_confidence  TEXT    NOT NULL,
    diagnosis_confidence    TEXT    NOT NULL,
    backend                 TEXT,
    model                   TEXT,
    latency_ms              INTEGER,
    attempts                INTEGER NOT NULL DEFAULT 1,
    redaction_count         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE assessment_recommendations (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    text          TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, position)
);

CREATE TABLE assessment_evidence (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    text          TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, position)
);

CREATE TABLE assessment_limitations (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    text          TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, position)
);

-- Silences (Alertmanager-style): matchers that keep alerts from being delivered while active.
CREATE TABLE silences (
    id               INTEGER PRIMARY KEY,
    created_at       TEXT NOT NULL,
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    comment          TEXT NOT NULL DEFAULT '',
    rule             TEXT,
    source           TEXT,
    process          TEXT,
    subsystem        TEXT,
    minimum_severity TEXT CHECK (minimum_severity IS NULL OR minimum_severity IN ('info', 'warning', 'critical')),
    message_regex    TEXT,
    expired_at       TEXT
);
CREATE INDEX silences_ends_at ON silences (ends_at);

-- Notifications built from assessments.
CREATE TABLE alerts (
    id                    INTEGER PRIMARY KEY,
    assessment_id         INTEGER NOT NULL UNIQUE REFERENCES assessments (id) ON DELETE CASCADE,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL,
    notification_title    TEXT    NOT NULL,
    notification_body     TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('pending', 'suppressed', 'silenced', 'queued',
                                                             'delivered', 'delivery_failed', 'dropped')),
    status_reason         TEXT,
    silence_id            INTEGER REFERENCES silences (id) ON DELETE SET NULL,
    delivery_attempted_at TEXT,
    delivered_at          TEXT,
    failure_message       TEXT
);
CREATE INDEX alerts_status_created ON alerts (status, created_at);
CREATE INDEX alerts_silence ON alerts (silence_id);

-- Each delivery attempt, per notifier.
CREATE TABLE alert_deliveries (
    id           INTEGER PRIMARY KEY,
    alert_id     INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    notifier     TEXT    NOT NULL,
    attempted_at TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('delivered', 'failed')),
    error        TEXT
);
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id, id);

-- Triggers, stored before anything else happens to them.
CREATE TABLE alert_candidates (
    id                   INTEGER PRIMARY KEY,
    triggered_at         TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    trigger_rule         TEXT    NOT NULL,
    trigger_source       TEXT,
    trigger_reason       TEXT    NOT NULL,
    expected_severity    TEXT    NOT NULL CHECK (expected_severity IN ('info', 'warning', 'critical')),
    analysis_status      TEXT    NOT NULL CHECK (analysis_status IN ('pending', 'analyzed', 'failed', 'not_done')),
    analysis_failure     TEXT,
    analysis_attempts    INTEGER NOT NULL DEFAULT 0,
    assessment_id        INTEGER UNIQUE REFERENCES assessments (id) ON DELETE SET NULL,
    alert_id             INTEGER UNIQUE REFERENCES alerts (id) ON DELETE SET NULL,
    log_event_count      INTEGER NOT NULL DEFAULT 0 CHECK (log_event_count >= 0),
    metrics_event_count  INTEGER NOT NULL DEFAULT 0 CHECK (metrics_event_count >= 0),
    disk_event_count     INTEGER NOT NULL DEFAULT 0 CHECK (disk_event_count >= 0),
    group_parent_id      INTEGER REFERENCES alert_candidates (id) ON DELETE SET NULL,
    resolution_status    TEXT    NOT NULL DEFAULT 'open' CHECK (resolution_status IN ('open', 'resolved')),
    resolved_at          TEXT,
    acknowledged_at      TEXT,
    acknowledged_by      TEXT,
    acknowledgement_note TEXT
);
CREATE INDEX alert_candidates_status_triggered ON alert_candidates (analysis_status, triggered_at);
CREATE INDEX alert_candidates_severity_triggered ON alert_candidates (expected_severity, triggered_at);
CREATE INDEX alert_candidates_group_parent ON alert_candidates (group_parent_id);
CREATE INDEX alert_candidates_resolution_triggered ON alert_candidates (resolution_status, triggered_at);
CREATE INDEX alert_candidates_rule_source ON alert_candidates (trigger_rule, trigger_source, triggered_at);
CREATE INDEX alert_candidates_updated ON alert_candidates (updated_at);

-- The evidence of each candidate, as JSON payloads in the original's serde shapes.
CREATE TABLE alert_candidate_context_events (
    candidate_id INTEGER NOT NULL REFERENCES alert_candidates (id) ON DELETE CASCADE,
    event_kind   TEXT    NOT NULL CHECK (event_kind IN ('log', 'metrics', 'disk')),
    position     INTEGER NOT NULL CHECK (position >= 0),
    payload      TEXT    NOT NULL,
    PRIMARY KEY (candidate_id, event_kind, position)
);

-- Every state a candidate passes through, with its reason (analysis, alert, resolution, acknowledgement, group).
CREATE TABLE alert_candidate_transitions (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES alert_candidates (id) ON DELETE CASCADE,
    at           TEXT    NOT NULL,
    aspect       TEXT    NOT NULL CHECK (aspect IN ('analysis', 'alert', 'resolution', 'acknowledgement', 'group')),
    from_status  TEXT,
    to_status    TEXT    NOT NULL,
    reason       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX alert_candidate_transitions_candidate ON alert_candidate_transitions (candidate_id, id);

CREATE TABLE alert_agent_reviews (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES alert_candidates (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    agent_name   TEXT    NOT NULL,
    review_type  TEXT    NOT NULL CHECK (review_type IN ('review', 'resolution', 'acknowledgement')),
    body         TEXT    NOT NULL
);
CREATE INDEX alert_agent_reviews_candidate ON alert_agent_reviews (candidate_id, created_at, id);

CREATE TABLE auto_group_rules (
    id              INTEGER PRIMARY KEY,
    created_at      TEXT    NOT NULL,
    target_alert_id INTEGER NOT NULL REFERENCES alert_candidates (id) ON DELETE CASCADE,
    process         TEXT,
    subsystem       TEXT,
    trigger_source  TEXT,
    triggered_by    TEXT,
    message_regex   TEXT    NOT NULL
);
CREATE INDEX auto_group_rules_target ON auto_group_rules (target_alert_id);

-- Where each source resumes: journald cursor, file identity and offset.
CREATE TABLE source_checkpoints (
    source_id  TEXT PRIMARY KEY,
    position   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- When each (rule, source) last fired, in event time, so a restart never fires it again within the cooldown.
CREATE TABLE rule_cooldowns (
    cooldown_key TEXT PRIMARY KEY,
    fired_at     TEXT NOT NULL
);

-- Manual analysis requests from other processes (dashboard, MCP) for the running observer to pick up.
CREATE TABLE analysis_requests (
    id           INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES alert_candidates (id) ON DELETE CASCADE,
    requested_at TEXT    NOT NULL,
    requested_by TEXT    NOT NULL
);

-- The running observer's heartbeat (one row), read by `eyes mcp` get_health.
CREATE TABLE observer_heartbeat (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    at      TEXT    NOT NULL,
    pid     INTEGER NOT NULL,
    payload TEXT    NOT NULL
);
