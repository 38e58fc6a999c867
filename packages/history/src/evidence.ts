import { type Finding, type JsonValue, STATUS_ORDER } from '@trailwarden/core';
import type { History, ScanRecord } from './history.js';

export const EVIDENCE_SCHEMA_VERSION = '1.0';
export const EVIDENCE_SCHEMA_ID = 'https://trailwarden.dev/schemas/evidence-1.0.json';
/** The check whose findings carry blind windows and weakening changes (checks/logging-continuity). */
export const CONTINUITY_CHECK_ID = 'trail-logging-continuity';

export interface EvidenceScan {
  id: number;
  startedAt: string;
  complete: boolean;
  mode: string;
  organizationId?: string;
  accounts: number;
  counts: ScanRecord['counts'];
  snapshotDigest: string;
  tool: string;
}

export interface EvidenceControl {
  id: string;
  title: string;
  checks: string[];
  /** The control's status in each scan of the period, oldest first. */
  scans: { scanId: number; startedAt: string; status: string }[];
  /** Worst status over the period (FAIL > ERROR > PASS > NOT_APPLICABLE > NO_FINDINGS > NOT_RUN > MANUAL). */
  worst: string;
}

export interface EvidenceWindow {
  accountId: string;
  region: string;
  resource: string;
  kind: string;
  start: string;
  end: string | null;
  durationMinutes: number | null;
  actor: JsonValue;
  /** Scans that reported it. */
  scanIds: number[];
}

export interface EvidenceException {
  id: string;
  check: string;
  accounts: string[];
  resource: string;
  reason: string;
  approver: string;
  expires: string;
  /** State in the last scan of the period that listed it. */
  state: string;
  firstSeen: string;
  lastSeen: string;
}

export interface EvidenceReport {
  $schema: string;
  schemaVersion: string;
  generatedAt: string;
  history: string;
  period: { from: string; to: string; days: number };
  scans: EvidenceScan[];
  /** UTC days (YYYY-MM-DD) of the period, and those on which no scan started. */
  days: { covered: string[]; gaps: string[]; incomplete: string[] };
  frameworks: { id: string; controls: EvidenceControl[] }[];
  blindWindows: EvidenceWindow[];
  weakeningChanges: EvidenceWindow[];
  exceptions: EvidenceException[];
}

const DAY_MS = 86_400_000;
/** Worst first: core's status order, then a control with no finding, one whose checks did not run, a manual one (never a pass). */
const WORST_FIRST: readonly string[] = [...STATUS_ORDER, 'NO_FINDINGS', 'NOT_RUN', 'MANUAL'];
const rank = (s: string) => (WORST_FIRST.includes(s) ? WORST_FIRST.indexOf(s) : WORST_FIRST.length);

/** A UTC date `YYYY-MM-DD` (a whole day) or an ISO time → epoch ms; NaN when neither. */
export function parsePeriodBound(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return Number.NaN;
  return Date.parse(text);
}

/**
 * The auditor's period report, from the history alone: every scan in [from, to), per framework
 * control its status in each scan, the UTC days on which no scan ran, the blind windows and
 * weakening changes the continuity check reported, and the exceptions in force.
 */
export function buildEvidence(history: History, from: Date, to: Date, options: { frameworks?: string[]; now?: Date } = {}): EvidenceReport {
  const scans = history.scansBetween(from.toISOString(), to.toISOString());
  const ids = scans.map((s) => s.id);
  const startedOf = new Map(scans.map((s) => [s.id, s.startedAt]));

  const allDays: string[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += DAY_MS) allDays.push(new Date(t).toISOString().slice(0, 10));
  const scanDays = new Map<string, boolean>();
  for (const s of scans) {
    const day = s.startedAt.slice(0, 10);
    scanDays.set(day, (scanDays.get(day) ?? false) || s.complete);
  }

  const frameworks = new Map<string, Map<string, EvidenceControl>>();
  for (const c of history.controls(ids)) {
    if (options.frameworks?.length && !options.frameworks.includes(c.frameworkId)) continue;
    let controls = frameworks.get(c.frameworkId);
    if (!controls) {
      controls = new Map();
      frameworks.set(c.frameworkId, controls);
    }
    let control = controls.get(c.controlId);
    if (!control) {
      control = { id: c.controlId, title: c.title, checks: c.checks, scans: [], worst: c.status };
      controls.set(c.controlId, control);
    }
    control.scans.push({ scanId: c.scanId, startedAt: startedOf.get(c.scanId) ?? '', status: c.status });
    if (rank(c.status) < rank(control.worst)) control.worst = c.status;
  }

  const windows = new Map<string, EvidenceWindow>();
  const changes = new Map<string, EvidenceWindow>();
  for (const f of history.findingsOfCheck(CONTINUITY_CHECK_ID, ids)) {
    for (const w of listOf(f.evidence.windows)) collectWindow(windows, f, w, 'window');
    for (const w of listOf(f.evidence.weakeningChanges)) collectWindow(changes, f, w, 'change');
  }

  const exceptions = new Map<string, EvidenceException>();
  for (const e of history.exceptions(ids)) {
    const at = startedOf.get(e.scanId) ?? '';
    const known = exceptions.get(e.id);
    if (!known) exceptions.set(e.id, { id: e.id, check: e.check, accounts: e.accounts, resource: e.resource, reason: e.reason, approver: e.approver, expires: e.expires, state: e.state, firstSeen: at, lastSeen: at });
    else {
      known.lastSeen = at;
      known.state = e.state;
      known.expires = e.expires;
      known.approver = e.approver;
    }
  }

  const byStart = (a: EvidenceWindow, b: EvidenceWindow) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.resource < b.resource ? -1 : 1);
  return {
    $schema: EVIDENCE_SCHEMA_ID,
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    history: history.file,
    period: { from: from.toISOString(), to: to.toISOString(), days: allDays.length },
    scans: scans.map((s) => ({
      id: s.id,
      startedAt: s.startedAt,
      complete: s.complete,
      mode: s.mode,
      ...(s.organizationId ? { organizationId: s.organizationId } : {}),
      accounts: s.accounts.length,
      counts: s.counts,
      snapshotDigest: s.snapshotDigest,
      tool: `${s.tool.name} ${s.tool.version}`,
    })),
    days: {
      covered: allDays.filter((d) => scanDays.has(d)),
      gaps: allDays.filter((d) => !scanDays.has(d)),
      incomplete: allDays.filter((d) => scanDays.get(d) === false),
    },
    frameworks: [...frameworks].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, controls]) => ({ id, controls: [...controls.values()] })),
    blindWindows: [...windows.values()].sort(byStart),
    weakeningChanges: [...changes.values()].sort(byStart),
    exceptions: [...exceptions.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

function listOf(v: JsonValue | undefined): Record<string, JsonValue>[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object' && !Array.isArray(x)) as Record<string, JsonValue>[]) : [];
}

function collectWindow(into: Map<string, EvidenceWindow>, f: Finding & { scanId: number }, w: Record<string, JsonValue>, kind: 'window' | 'change'): void {
  const start = typeof w.start === 'string' ? w.start : typeof w.eventTime === 'string' ? w.eventTime : undefined;
  if (!start) return;
  const key = `${f.resource.arn}\u0000${start}\u0000${String(w.eventName ?? w.kind ?? '')}`;
  const known = into.get(key);
  if (known) {
    if (!known.scanIds.includes(f.scanId)) known.scanIds.push(f.scanId);
    // A later scan may have seen the window close.
    if (known.end === null && typeof w.end === 'string') {
      known.end = w.end;
      known.durationMinutes = typeof w.durationMinutes === 'number' ? w.durationMinutes : null;
    }
    return;
  }
  into.set(key, {
    accountId: f.accountId,
    region: f.region,
    resource: f.resource.arn,
    kind: String(w.kind ?? w.eventName ?? kind),
    start,
    end: typeof w.end === 'string' ? w.end : null,
    durationMinutes: typeof w.durationMinutes === 'number' ? w.durationMinutes : null,
    actor: w.actor ?? null,
    scanIds: [f.scanId],
  });
}
