/**
 * The history file's schema, as numbered migrations. `PRAGMA user_version` holds the number of the
 * last one applied; opening a file applies the missing ones, each in its own transaction. A file
 * written by a newer Trailwarden (a higher version than this list knows) is refused, never altered.
 * Documented in README.md ("Schema"); keep the two in step.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: scans, their findings, per-check counts, framework control statuses, exceptions.
  `
  CREATE TABLE scans (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at       TEXT    NOT NULL,
    started_at        TEXT    NOT NULL,
    finished_at       TEXT    NOT NULL,
    collected_at      TEXT    NOT NULL,
    partition         TEXT    NOT NULL,
    mode              TEXT    NOT NULL,
    organization_id   TEXT,
    accounts_json     TEXT    NOT NULL,
    regions_json      TEXT    NOT NULL,
    notes_json        TEXT    NOT NULL,
    tool_name         TEXT    NOT NULL,
    tool_version      TEXT    NOT NULL,
    plugins_json      TEXT    NOT NULL,
    snapshot_digest   TEXT    NOT NULL,
    coverage_complete INTEGER NOT NULL,
    coverage_json     TEXT    NOT NULL,
    complete          INTEGER NOT NULL,
    pass_count        INTEGER NOT NULL,
    fail_count        INTEGER NOT NULL,
    error_count       INTEGER NOT NULL,
    na_count          INTEGER NOT NULL,
    excepted_count    INTEGER NOT NULL
  );
  CREATE INDEX scans_by_time ON scans (started_at);
  CREATE TABLE findings (
    scan_id            INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    seq                INTEGER NOT NULL,
    fingerprint        TEXT    NOT NULL,
    check_id           TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE')),
    severity           TEXT    NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    account_id         TEXT    NOT NULL,
    region             TEXT    NOT NULL,
    resource_arn       TEXT    NOT NULL,
    resource_type      TEXT    NOT NULL,
    resource_name      TEXT    NOT NULL,
    message            TEXT    NOT NULL,
    message_id         TEXT,
    evidence_json      TEXT    NOT NULL,
    frameworks_json    TEXT    NOT NULL,
    exception_id       TEXT,
    exception_reason   TEXT,
    exception_approver TEXT,
    exception_expires  TEXT,
    PRIMARY KEY (scan_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX findings_by_fingerprint ON findings (fingerprint, scan_id);
  CREATE INDEX findings_by_check ON findings (check_id, status, scan_id);
  CREATE TABLE checks (
    scan_id        INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    check_id       TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    severity       TEXT    NOT NULL,
    plugin_name    TEXT    NOT NULL,
    plugin_version TEXT,
    pass_count     INTEGER NOT NULL,
    fail_count     INTEGER NOT NULL,
    error_count    INTEGER NOT NULL,
    na_count       INTEGER NOT NULL,
    error          TEXT,
    PRIMARY KEY (scan_id, check_id)
  ) WITHOUT ROWID;
  CREATE TABLE controls (
    scan_id      INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    framework_id TEXT    NOT NULL,
    control_id   TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    checks_json  TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    PRIMARY KEY (scan_id, framework_id, control_id)
  ) WITHOUT ROWID;
  CREATE TABLE exceptions (
    scan_id      INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    exception_id TEXT    NOT NULL,
    check_id     TEXT    NOT NULL,
    accounts_json TEXT   NOT NULL,
    resource     TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    approver     TEXT    NOT NULL,
    expires      TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    matched      INTEGER NOT NULL,
    PRIMARY KEY (scan_id, exception_id)
  ) WITHOUT ROWID;
  `,
  // 2: each finding's message data (plugin API v2 keeps it in the finding; NULL for older scans).
  `
  ALTER TABLE findings ADD COLUMN data_json TEXT;
  `,
];

export const HISTORY_SCHEMA_VERSION = MIGRATIONS.length;
