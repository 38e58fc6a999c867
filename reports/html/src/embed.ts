import { type JsonValue, SEVERITIES, STATUSES, type ScanResult, compareStrings } from '@trailwarden/core';
import { safeHttpUrl } from './format.js';

/**
 * The findings as the page script reads them: columnar rows with repeated strings (checks,
 * accounts, regions, types, exceptions) interned into tables, so 100,000 findings stay a few MB.
 * Per-finding frameworks and remediation come from the check table instead of being repeated.
 */
export interface ClientData {
  v: 1;
  statuses: readonly string[];
  severities: readonly string[];
  checks: {
    id: string;
    title: string;
    frameworks: string[];
    remediation: { text: string; cli?: string; terraform?: string };
    /** http(s) documentation link, already vetted. */
    url?: string;
  }[];
  accounts: [id: string, name: string][];
  regions: string[];
  types: string[];
  exceptions: { id: string; reason: string; approver: string; expires: string }[];
  /** One row per finding, in the ScanResult's (sorted) order; see FIELDS. */
  rows: Row[];
}

type Row = [
  check: number,
  status: number,
  severity: number,
  account: number,
  region: number,
  type: number,
  name: string,
  arn: string,
  message: string,
  evidence: JsonValue,
  fingerprint: string,
  exception: number,
];

class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(initial: Iterable<string> = []) {
    for (const v of initial) this.id(v);
  }
  id(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

export function clientData(result: ScanResult): ClientData {
  const checks = new Interner(result.checks.map((c) => c.id));
  const accountIds = new Interner(result.scan.accounts.map((a) => a.id));
  const regions = new Interner();
  const types = new Interner();
  const exceptions = new Interner();
  const exceptionRecords: ClientData['exceptions'] = [];
  const statusIndex = new Map<string, number>(STATUSES.map((s, i) => [s, i]));
  const severityIndex = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

  const rows: Row[] = result.findings.map((f) => {
    let exception = -1;
    if (f.exception) {
      const e = f.exception;
      const before = exceptions.values.length;
      exception = exceptions.id(JSON.stringify([e.id, e.reason, e.approver, e.expires]));
      if (exceptions.values.length > before) exceptionRecords.push({ id: e.id, reason: e.reason, approver: e.approver, expires: e.expires });
    }
    return [
      checks.id(f.checkId),
      statusIndex.get(f.status) ?? 0,
      severityIndex.get(f.severity) ?? 0,
      accountIds.id(f.accountId),
      regions.id(f.region),
      types.id(f.resource.type),
      f.resource.name,
      f.resource.arn,
      f.message,
      // As the check gave it: key order is the check's, so the same result gives the same bytes.
      f.evidence,
      f.fingerprint,
      exception,
    ];
  });

  const summaries = new Map(result.checks.map((c) => [c.id, c]));
  const names = new Map(result.scan.accounts.map((a) => [a.id, a.name ?? '']));
  for (const a of result.coverage.accounts) if (a.name && !names.get(a.accountId)) names.set(a.accountId, a.name);
  return {
    v: 1,
    statuses: STATUSES,
    severities: SEVERITIES,
    checks: checks.values.map((id) => {
      const c = summaries.get(id);
      if (!c) return { id, title: id, frameworks: [], remediation: { text: '' } };
      const url = safeHttpUrl(c.helpUri) ?? safeHttpUrl(c.docs);
      return {
        id,
        title: c.title,
        frameworks: Object.entries(c.frameworks)
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([fw, controls]) => `${fw}: ${controls.join(', ')}`),
        remediation: {
          text: c.remediation.text,
          ...(c.remediation.cli ? { cli: c.remediation.cli } : {}),
          ...(c.remediation.terraform ? { terraform: c.remediation.terraform } : {}),
        },
        ...(url ? { url } : {}),
      };
    }),
    accounts: accountIds.values.map((id) => [id, names.get(id) ?? '']),
    regions: regions.values,
    types: types.values,
    exceptions: exceptionRecords,
    rows,
  };
}

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes
 * (so no `</script>` or `<!--` can end or confuse the element), and so do U+2028/2029.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_SCRIPT, (c) => ESCAPES[c] as string);
}
