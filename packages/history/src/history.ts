import { existsSync } from 'node:fs';
import { InputError, type Finding, type ScanResult, type Severity, type Status } from '@trailwarden/core';
import type { DiffFinding } from './diff.js';
import { HISTORY_SCHEMA_VERSION, MIGRATIONS } from './schema.js';
import { type Database, type SqlValue, loadSqlite } from './sqlite.js';

/** One recorded scan, as `trailwarden history` lists it. */
export interface ScanRecord {
  id: number;
  recordedAt: string;
  startedAt: string;
  finishedAt: string;
  collectedAt: string;
  partition: string;
  mode: string;
  organizationId?: string;
  accounts: { id: string; name?: string }[];
  regions: string[];
  tool: { name: string; version: string };
  plugins: { name: string; version?: string }[];
  snapshotDigest: string;
  /** Every account and region read, and no ERROR finding. */
  complete: boolean;
  coverageComplete: boolean;
  counts: Record<Status, number>;
  excepted: number;
}

/** A check's counts in one scan (the HTML report's trend). */
export interface CheckCounts {
  scanId: number;
  startedAt: string;
  checkId: string;
  counts: Record<Status, number>;
  error?: string;
}

/** A framework control's status in one scan (the evidence report). */
export interface ControlRecord {
  scanId: number;
  frameworkId: string;
  controlId: string;
  title: string;
  checks: string[];
  status: string;
}

export interface ExceptionRecord {
  scanId: number;
  id: string;
  check: string;
  accounts: string[];
  resource: string;
  reason: string;
  approver: string;
  expires: string;
  state: string;
  matched: number;
}

export interface RecordInput {
  result: ScanResult;
  /** sha256 of the snapshot the result was evaluated from. */
  snapshotDigest: string;
  plugins: { name: string; version?: string }[];
  recordedAt?: Date;
}

const BUSY_TIMEOUT_MS = 15_000;

/**
 * The scan history: one SQLite file (WAL journal), written one scan per transaction. A scan is
 * recorded after it finished, in a single `BEGIN IMMEDIATE … COMMIT`, so a process killed at any
 * point leaves either the whole scan or none of it; a second writer waits (busy timeout) instead
 * of failing or corrupting the file.
 */
export class History {
  private constructor(
    private readonly db: Database,
    readonly file: string,
  ) {}

  /** Open (creating it if need be) and migrate a history file. Bad files are InputErrors naming the file. */
  static async open(file: string, options: { create?: boolean } = {}): Promise<History> {
    const { DatabaseSync } = await loadSqlite();
    if (options.create === false && !existsSync(file)) throw new InputError(`no history file at ${file}`, '--history');
    let db: Database;
    try {
      db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (e) {
      throw new InputError(`cannot open the history file ${file}: ${(e as Error).message}`, '--history');
    }
    try {
      db.exec('PRAGMA foreign_keys = ON');
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      migrate(db, file);
    } catch (e) {
      db.close();
      if (e instanceof InputError) throw e;
      throw new InputError(`${file} is not a Trailwarden history file (SQLite says: ${(e as Error).message})`, '--history');
    }
    return new History(db, file);
  }

  close(): void {
    this.db.close();
  }

  get schemaVersion(): number {
    return Number(this.db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  }

  /** Record a finished scan; returns its id. All or nothing. */
  record(input: RecordInput): number {
    const { result } = input;
    const counts = countStatuses(result.findings);
    const excepted = result.findings.filter((f) => f.exception).length;
    const complete = result.coverage.complete && counts.ERROR === 0;
    return this.transaction(() => {
      const scan = this.db
        .prepare(
          `INSERT INTO scans (recorded_at, started_at, finished_at, collected_at, partition, mode, organization_id, accounts_json, regions_json, notes_json,
             tool_name, tool_version, plugins_json, snapshot_digest, coverage_complete, coverage_json, complete, pass_count, fail_count, error_count, na_count, excepted_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          (input.recordedAt ?? new Date()).toISOString(),
          result.scan.startedAt,
          result.scan.finishedAt,
          result.scan.collectedAt,
          result.scan.partition,
          result.scan.mode,
          result.scan.organizationId ?? null,
          JSON.stringify(result.scan.accounts.map((a) => (a.name ? { id: a.id, name: a.name } : { id: a.id }))),
          JSON.stringify(result.scan.regions),
          JSON.stringify(result.scan.notes),
          result.tool.name,
          result.tool.version,
          JSON.stringify(input.plugins),
          input.snapshotDigest,
          result.coverage.complete ? 1 : 0,
          JSON.stringify(result.coverage),
          complete ? 1 : 0,
          counts.PASS,
          counts.FAIL,
          counts.ERROR,
          counts.NOT_APPLICABLE,
          excepted,
        );
      const scanId = Number(scan.lastInsertRowid);
      const insertFinding = this.db.prepare(
        `INSERT INTO findings (scan_id, seq, fingerprint, check_id, status, severity, account_id, region, resource_arn, resource_type, resource_name,
           message, message_id, data_json, evidence_json, frameworks_json, exception_id, exception_reason, exception_approver, exception_expires)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      result.findings.forEach((f, seq) => {
        insertFinding.run(
          scanId,
          seq,
          f.fingerprint,
          f.checkId,
          f.status,
          f.severity,
          f.accountId,
          f.region,
          f.resource.arn,
          f.resource.type,
          f.resource.name,
          f.message,
          f.messageId ?? null,
          f.data ? JSON.stringify(f.data) : null,
          JSON.stringify(f.evidence),
          JSON.stringify(f.frameworks),
          f.exception?.id ?? null,
          f.exception?.reason ?? null,
          f.exception?.approver ?? null,
          f.exception?.expires ?? null,
        );
      });
      const insertCheck = this.db.prepare(
        'INSERT INTO checks (scan_id, check_id, title, severity, plugin_name, plugin_version, pass_count, fail_count, error_count, na_count, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of result.checks) {
        insertCheck.run(scanId, c.id, c.title, c.severity, c.plugin.name, c.plugin.version ?? null, c.counts.PASS, c.counts.FAIL, c.counts.ERROR, c.counts.NOT_APPLICABLE, c.error ?? null);
      }
      const insertControl = this.db.prepare('INSERT OR REPLACE INTO controls (scan_id, framework_id, control_id, title, checks_json, status) VALUES (?, ?, ?, ?, ?, ?)');
      for (const fw of result.frameworks) {
        for (const c of fw.controls) insertControl.run(scanId, fw.id, c.id, c.title, JSON.stringify(c.checks), c.status);
      }
      const insertException = this.db.prepare(
        'INSERT OR REPLACE INTO exceptions (scan_id, exception_id, check_id, accounts_json, resource, reason, approver, expires, state, matched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of result.exceptions) insertException.run(scanId, e.id, e.check, JSON.stringify(e.accounts), e.resource, e.reason, e.approver, e.expires, e.state, e.matched);
      return scanId;
    });
  }

  /** Every recorded scan, oldest first. */
  scans(): ScanRecord[] {
    return this.db.prepare('SELECT * FROM scans ORDER BY started_at, id').all().map(toScanRecord);
  }

  scan(id: number): ScanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM scans WHERE id = ?').get(id);
    return row ? toScanRecord(row) : undefined;
  }

  /** The most recently started scan. */
  latest(): ScanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM scans ORDER BY started_at DESC, id DESC LIMIT 1').get();
    return row ? toScanRecord(row) : undefined;
  }

  /** Scans that started in [from, to) (ISO times), oldest first. */
  scansBetween(from: string, to: string): ScanRecord[] {
    return this.db.prepare('SELECT * FROM scans WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id').all(from, to).map(toScanRecord);
  }

  /** A scan's findings in the order the scan reported them. */
  findings(scanId: number): Finding[] {
    return this.db.prepare('SELECT * FROM findings WHERE scan_id = ? ORDER BY seq').all(scanId).map(toFinding);
  }

  /** A scan's findings with only the fields a diff or a baseline needs (no evidence to parse: faster). */
  diffFindings(scanId: number): DiffFinding[] {
    return this.db
      .prepare('SELECT fingerprint, check_id, status, severity, account_id, region, resource_arn, resource_type, resource_name, message, exception_id FROM findings WHERE scan_id = ? ORDER BY seq')
      .all(scanId)
      .map((r) => ({
        fingerprint: String(r.fingerprint),
        checkId: String(r.check_id),
        status: String(r.status) as Status,
        severity: String(r.severity) as Severity,
        accountId: String(r.account_id),
        region: String(r.region),
        resource: { arn: String(r.resource_arn), type: String(r.resource_type), name: String(r.resource_name) },
        message: String(r.message),
        ...(r.exception_id !== null ? { excepted: true } : {}),
      }));
  }

  /** Findings of one check in these scans (e.g. every blind window a continuity check reported). */
  findingsOfCheck(checkId: string, scanIds: number[]): (Finding & { scanId: number })[] {
    if (scanIds.length === 0) return [];
    const stmt = this.db.prepare('SELECT * FROM findings WHERE check_id = ? AND scan_id = ? ORDER BY seq');
    return scanIds.flatMap((id) => stmt.all(checkId, id).map((r) => ({ ...toFinding(r), scanId: id })));
  }

  checkCounts(scanIds: number[]): CheckCounts[] {
    const stmt = this.db.prepare('SELECT c.*, s.started_at FROM checks c JOIN scans s ON s.id = c.scan_id WHERE c.scan_id = ? ORDER BY c.check_id');
    return scanIds.flatMap((id) =>
      stmt.all(id).map((r) => {
        const out: CheckCounts = {
          scanId: Number(r.scan_id),
          startedAt: String(r.started_at),
          checkId: String(r.check_id),
          counts: { PASS: Number(r.pass_count), FAIL: Number(r.fail_count), ERROR: Number(r.error_count), NOT_APPLICABLE: Number(r.na_count) },
        };
        if (r.error !== null) out.error = String(r.error);
        return out;
      }),
    );
  }

  controls(scanIds: number[]): ControlRecord[] {
    const stmt = this.db.prepare('SELECT * FROM controls WHERE scan_id = ? ORDER BY framework_id, control_id');
    return scanIds.flatMap((id) =>
      stmt.all(id).map((r) => ({
        scanId: Number(r.scan_id),
        frameworkId: String(r.framework_id),
        controlId: String(r.control_id),
        title: String(r.title),
        checks: JSON.parse(String(r.checks_json)) as string[],
        status: String(r.status),
      })),
    );
  }

  exceptions(scanIds: number[]): ExceptionRecord[] {
    const stmt = this.db.prepare('SELECT * FROM exceptions WHERE scan_id = ? ORDER BY exception_id');
    return scanIds.flatMap((id) =>
      stmt.all(id).map((r) => ({
        scanId: Number(r.scan_id),
        id: String(r.exception_id),
        check: String(r.check_id),
        accounts: JSON.parse(String(r.accounts_json)) as string[],
        resource: String(r.resource),
        reason: String(r.reason),
        approver: String(r.approver),
        expires: String(r.expires),
        state: String(r.state),
        matched: Number(r.matched),
      })),
    );
  }

  /** SQLite's own consistency check: `ok`, or what is wrong. */
  integrityCheck(): string {
    return String(this.db.prepare('PRAGMA integrity_check').get()?.integrity_check ?? '');
  }

  private transaction<T>(run: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = run();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }
}

function migrate(db: Database, file: string): void {
  const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  if (version > HISTORY_SCHEMA_VERSION) {
    throw new InputError(`${file} has history schema version ${version}, newer than this Trailwarden knows (${HISTORY_SCHEMA_VERSION}); upgrade Trailwarden to read it`, '--history');
  }
  if (version === 0) {
    // A version-0 file must be empty: never adopt someone else's SQLite database.
    const tables = Number(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()?.n ?? 0);
    if (tables > 0) throw new InputError(`${file} is an SQLite database but not a Trailwarden history file (it has tables and no history schema version)`, '--history');
  }
  for (let v = version; v < HISTORY_SCHEMA_VERSION; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated while we waited for the write lock.
      const now = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
      if (now <= v) {
        db.exec(MIGRATIONS[v]!);
        db.exec(`PRAGMA user_version = ${v + 1}`);
      }
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
}

export function countStatuses(findings: readonly { status: Status }[]): Record<Status, number> {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

function toScanRecord(r: Record<string, SqlValue>): ScanRecord {
  const out: ScanRecord = {
    id: Number(r.id),
    recordedAt: String(r.recorded_at),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    collectedAt: String(r.collected_at),
    partition: String(r.partition),
    mode: String(r.mode),
    accounts: JSON.parse(String(r.accounts_json)) as ScanRecord['accounts'],
    regions: JSON.parse(String(r.regions_json)) as string[],
    tool: { name: String(r.tool_name), version: String(r.tool_version) },
    plugins: JSON.parse(String(r.plugins_json)) as ScanRecord['plugins'],
    snapshotDigest: String(r.snapshot_digest),
    complete: Number(r.complete) === 1,
    coverageComplete: Number(r.coverage_complete) === 1,
    counts: { PASS: Number(r.pass_count), FAIL: Number(r.fail_count), ERROR: Number(r.error_count), NOT_APPLICABLE: Number(r.na_count) },
    excepted: Number(r.excepted_count),
  };
  if (r.organization_id !== null) out.organizationId = String(r.organization_id);
  return out;
}

function toFinding(r: Record<string, SqlValue>): Finding {
  const f: Finding = {
    checkId: String(r.check_id),
    status: String(r.status) as Status,
    severity: String(r.severity) as Severity,
    accountId: String(r.account_id),
    region: String(r.region),
    resource: { arn: String(r.resource_arn), type: String(r.resource_type), name: String(r.resource_name) },
    message: String(r.message),
    evidence: JSON.parse(String(r.evidence_json)) as Finding['evidence'],
    frameworks: JSON.parse(String(r.frameworks_json)) as Finding['frameworks'],
    fingerprint: String(r.fingerprint),
  };
  if (r.message_id !== null) f.messageId = String(r.message_id);
  if (r.data_json !== null && r.data_json !== undefined) f.data = JSON.parse(String(r.data_json)) as Finding['data'];
  if (r.exception_id !== null) {
    f.exception = { id: String(r.exception_id), reason: String(r.exception_reason), approver: String(r.exception_approver), expires: String(r.exception_expires) };
  }
  return f;
}

