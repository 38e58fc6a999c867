import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type CheckSummary, type Finding, InputError, type JsonValue, type ScanResult, automationLine, compareStrings, didYouMean, wellFormed } from '@trailwarden/core';
import { guidFromHash } from './guid.js';
import { LogicalLocations, artifactUri } from './locations.js';
import { LEVEL, buildRule } from './rules.js';
import type { SarifLog, SarifNotification, SarifResult, SarifRule, SarifRun } from './sarif-types.js';
import { selectFindings } from './select.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** GitHub code scanning keeps at most 25,000 results per run. */
export const GITHUB_MAX_RESULTS = 25_000;
/** GitHub refuses SARIF uploads over 10 MB gzipped; counted in decimal megabytes to stay clear of it. */
export const GITHUB_MAX_GZIP_BYTES = 10_000_000;

export interface SarifOptions {
  /**
   * Report ERROR findings (a resource that could not be judged) as results. Default true: left out,
   * GitHub would close the resource's open alert as fixed when it merely became unreadable.
   */
  includeErrors?: boolean;
  /** Also report excepted findings, with a `suppressions` entry. Default false: GitHub ignores suppressions. */
  includeExcepted?: boolean;
  /** At most this many results (0–25,000). Default 25,000, GitHub's limit. */
  maxResults?: number;
  /** Largest gzipped size of the file in bytes. Default 10,000,000 (GitHub's 10 MB limit). */
  maxGzipBytes?: number;
  /**
   * Where the pages of `trailwarden docs` are published (e.g. `https://wiki.example.com/trailwarden/`):
   * each rule without a helpUri of its own links to `<base><check page>`. Default: none, and such
   * rules carry no helpUri rather than a link to nowhere (their help text holds the remediation).
   */
  helpBaseUri?: string;
}

interface ResolvedOptions {
  includeErrors: boolean;
  includeExcepted: boolean;
  maxResults: number;
  maxGzipBytes: number;
  helpBaseUri?: string;
}

const OPTION_NAMES = ['includeErrors', 'includeExcepted', 'maxResults', 'maxGzipBytes', 'helpBaseUri'] as const;
const WHERE = 'sarif reporter options';

export function resolveOptions(options: Partial<SarifOptions> = {}): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key)) {
      throw new InputError(`unknown option "${key}"${didYouMean(key, OPTION_NAMES)}; known: ${OPTION_NAMES.join(', ')}`, WHERE);
    }
  }
  for (const key of ['includeErrors', 'includeExcepted'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new InputError(`${key} must be true or false, got ${JSON.stringify(options[key])}`, WHERE);
    }
  }
  const maxResults = options.maxResults ?? GITHUB_MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > GITHUB_MAX_RESULTS) {
    throw new InputError(`maxResults must be an integer from 0 to ${GITHUB_MAX_RESULTS} (GitHub's limit), got ${JSON.stringify(maxResults)}`, WHERE);
  }
  const maxGzipBytes = options.maxGzipBytes ?? GITHUB_MAX_GZIP_BYTES;
  if (!Number.isInteger(maxGzipBytes) || maxGzipBytes < 1 || maxGzipBytes > GITHUB_MAX_GZIP_BYTES) {
    throw new InputError(`maxGzipBytes must be an integer from 1 to ${GITHUB_MAX_GZIP_BYTES}, got ${JSON.stringify(maxGzipBytes)}`, WHERE);
  }
  const helpBaseUri = options.helpBaseUri;
  if (helpBaseUri !== undefined && (typeof helpBaseUri !== 'string' || !/^https?:\/\/\S+\/$/.test(helpBaseUri))) {
    throw new InputError(`helpBaseUri must be an http(s) URL ending in "/", got ${JSON.stringify(helpBaseUri)}`, WHERE);
  }
  return {
    includeErrors: options.includeErrors !== false,
    includeExcepted: options.includeExcepted === true,
    maxResults,
    maxGzipBytes,
    ...(helpBaseUri ? { helpBaseUri } : {}),
  };
}

/**
 * Render a ScanResult as one SARIF 2.1.0 run. The output holds no wall-clock time and no random
 * ids, so rendering the same scan twice gives the same bytes.
 */
export function renderSarif(scan: ScanResult, options: Partial<SarifOptions> = {}): string {
  const opts = resolveOptions(options);
  const checks = [...scan.checks].sort((a, b) => compareStrings(a.id, b.id));
  const rules = checks.map((c) => buildRule(c, opts.helpBaseUri));
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
  const { eligible, leftOut } = selectFindings(scan.findings, opts);
  for (const f of eligible) {
    if (!ruleIndex.has(f.checkId)) {
      throw new InputError(`finding ${f.fingerprint} names check ${f.checkId}, which is not among the result's checks`, 'scan result');
    }
  }

  let kept = Math.min(eligible.length, opts.maxResults);
  let sizeLimited = false;
  for (;;) {
    const text = serialize(scan, checks, rules, ruleIndex, eligible, kept, leftOut, opts, sizeLimited);
    const bytes = Buffer.byteLength(text);
    // Gzip adds at most ~0.1% plus a header to incompressible input: skip measuring small files.
    if (bytes + bytes / 500 + 1024 <= opts.maxGzipBytes) return text;
    const gz = gzipSync(text).length;
    if (gz <= opts.maxGzipBytes) return text;
    if (kept === 0) {
      throw new InputError(`the SARIF file is ${gz} bytes gzipped even with no results, over the limit of ${opts.maxGzipBytes}`, 'sarif reporter');
    }
    sizeLimited = true;
    // Shrink in proportion with a margin; the loop re-measures, so this converges in a few rounds.
    kept = Math.min(kept - 1, Math.floor(kept * (opts.maxGzipBytes / gz) * 0.95));
    kept = Math.max(0, kept);
  }
}

function serialize(
  scan: ScanResult,
  checks: CheckSummary[],
  rules: SarifRule[],
  ruleIndex: Map<string, number>,
  eligible: Finding[],
  kept: number,
  leftOut: { excepted: number; errors: number },
  opts: ResolvedOptions,
  sizeLimited: boolean,
): string {
  const locations = new LogicalLocations(scan.scan.organizationId);
  const hash = createHash('sha256');
  const results: SarifResult[] = [];
  for (let i = 0; i < kept; i++) {
    const f = eligible[i]!;
    const r = toResult(f, ruleIndex.get(f.checkId)!, locations);
    hash.update(JSON.stringify(r));
    results.push(r);
  }
  const omitted = eligible.length - kept;
  const scope = scanScope(scan);
  const properties = runProperties(scan, eligible.length, kept, leftOut, opts);
  hash.update(JSON.stringify({ tool: scan.tool, scope, rules: checks.map((c) => c.id), properties }));

  const run: SarifRun = {
    tool: {
      driver: {
        name: 'Trailwarden',
        ...(isSemver(scan.tool.version) ? { semanticVersion: scan.tool.version } : {}),
        version: scan.tool.version,
        rules,
      },
    },
    automationDetails: {
      id: `trailwarden/${scope}/`,
      guid: guidFromHash(hash),
      description: { text: describeScope(scan) },
    },
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          ...checkFailures(checks),
          ...notifications(scan, eligible.length, omitted, leftOut, opts, sizeLimited),
          ...exceptionNotifications(scan),
        ],
      },
    ],
    logicalLocations: locations.all,
    results,
    columnKind: 'utf16CodeUnits',
    properties,
  };
  const log: SarifLog = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function toResult(f: Finding, ruleIndex: number, locations: LogicalLocations): SarifResult {
  const result: SarifResult = {
    ruleId: f.checkId,
    ruleIndex,
    // An unjudged resource keeps its alert (same fingerprint as its FAIL), at `warning`: not a confirmed violation.
    level: f.status === 'ERROR' ? 'warning' : LEVEL[f.severity],
    message: { text: messageText(f.status === 'ERROR' ? notEvaluatedMessage(f.message) : f.message) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: artifactUri(f) }, region: { startLine: 1 } },
        logicalLocations: [locations.resource(f)],
      },
    ],
    // Our own fingerprint: there is no source line for GitHub's tooling to hash.
    partialFingerprints: { primaryLocationLineHash: `${f.fingerprint}:1`, 'trailwarden/v1': f.fingerprint },
    properties: {
      status: f.status,
      severity: f.severity,
      arn: f.resource.arn,
      accountId: f.accountId,
      region: f.region,
      resourceType: f.resource.type,
      resourceName: f.resource.name,
      fingerprint: f.fingerprint,
      ...(f.messageId ? { messageId: f.messageId } : {}),
      evidence: sortKeys(f.evidence),
    },
  };
  if (f.exception) {
    result.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: f.exception.reason,
        properties: { exceptionId: f.exception.id, approver: f.exception.approver, expires: f.exception.expires },
      },
    ];
  }
  return result;
}

/**
 * SARIF `message.text` is plain text in which `[text](target)` is an embedded link (SARIF 2.1.0
 * §3.11.6): brackets from AWS strings are escaped with a backslash so a resource name cannot
 * forge a link; lone surrogates become U+FFFD.
 */
export function messageText(text: string): string {
  return wellFormed(text).replace(/\\(?=[[\]])/g, '\\\\').replace(/[[\]]/g, '\\$&');
}

function notEvaluatedMessage(reason: string): string {
  return `Not evaluated: ${reason}. Trailwarden could not read what it needs to judge this resource, so its alert stays open until it can; this is not a confirmed violation.`;
}

/** `trailwarden/<scope>/`: the organization id, else the account id(s), so GitHub keeps one analysis per scope. */
function scanScope(scan: ScanResult): string {
  if (scan.scan.organizationId) return scan.scan.organizationId;
  const ids = scan.scan.accounts.map((a) => a.id).sort(compareStrings);
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0) return scan.scan.mode;
  return `accounts-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 12)}`;
}

function describeScope(scan: ScanResult): string {
  const s = scan.scan;
  const who = s.organizationId ? `organization ${s.organizationId}` : `${s.accounts.length} account(s)`;
  return `Trailwarden ${s.mode} scan of ${who} in partition ${s.partition}, snapshot collected ${s.collectedAt}.`;
}

function runProperties(
  scan: ScanResult,
  eligible: number,
  kept: number,
  leftOut: { excepted: number; errors: number },
  opts: ResolvedOptions,
): Record<string, unknown> {
  return {
    partition: scan.scan.partition,
    mode: scan.scan.mode,
    ...(scan.scan.organizationId ? { organizationId: scan.scan.organizationId } : {}),
    collectedAt: scan.scan.collectedAt,
    accounts: scan.scan.accounts.map((a) => a.id).sort(compareStrings),
    regions: [...scan.scan.regions].sort(compareStrings),
    coverageComplete: scan.coverage.complete,
    collectionErrors: scan.coverage.errors.length,
    results: { eligible, reported: kept, truncated: eligible - kept },
    leftOut: {
      excepted: leftOut.excepted,
      errors: leftOut.errors,
    },
    options: { includeErrors: opts.includeErrors, includeExcepted: opts.includeExcepted },
    // Manual controls have no result here (SARIF results are findings); they are named so nobody reads them as passed.
    ...(scan.frameworks.length
      ? {
          frameworks: scan.frameworks.map((f) => ({
            id: f.id,
            ...(f.automation ? { automation: automationLine(f.automation) } : {}),
            manualControls: f.controls.filter((c) => c.automation === 'manual').map((c) => c.id),
          })),
        }
      : {}),
    ...(scan.provenance ? { provenance: scan.provenance } : {}),
    ...(scan.limits ? { limits: scan.limits } : {}),
    exceptions: {
      expired: scan.exceptions.filter((e) => e.state === 'expired').map((e) => e.id),
      expiringSoon: scan.exceptions.filter((e) => e.expiresSoon).map((e) => e.id),
    },
  };
}

/** Expired exceptions no longer apply (their findings are results again); ones expiring within 30 days are warned about. */
function exceptionNotifications(scan: ScanResult): SarifNotification[] {
  const out: SarifNotification[] = [];
  for (const e of scan.exceptions) {
    const what = `Exception ${e.id} (check ${e.check}, resource ${e.resource}, approver ${e.approver})`;
    if (e.state === 'expired') {
      out.push({
        descriptor: { id: 'trailwarden/exception-expired' },
        level: 'warning',
        message: { text: messageText(`${what} expired on ${e.expires}: it no longer applies, and the ${e.matched} finding(s) it covered are reported again.`) },
        properties: { exceptionId: e.id, expires: e.expires, matched: e.matched },
      });
    } else if (e.expiresSoon) {
      out.push({
        descriptor: { id: 'trailwarden/exception-expiring' },
        level: 'note',
        message: { text: messageText(`${what} expires on ${e.expires}, in ${e.daysLeft} day(s).`) },
        properties: { exceptionId: e.id, expires: e.expires, daysLeft: e.daysLeft ?? 0, matched: e.matched },
      });
    }
  }
  return out;
}

/** A check that threw, timed out or lacked data: its rule has ERROR findings, not verdicts. */
function checkFailures(checks: CheckSummary[]): SarifNotification[] {
  const out: SarifNotification[] = [];
  checks.forEach((c, index) => {
    if (c.error === undefined) return;
    out.push({
      descriptor: { id: 'trailwarden/check-not-evaluated' },
      associatedRule: { id: c.id, index },
      level: 'error',
      message: { text: messageText(`Check ${c.id} could not be evaluated: ${c.error}. It has no FAIL results in this run, which does not mean it passed.`) },
    });
  });
  return out;
}

function notifications(
  scan: ScanResult,
  eligible: number,
  omitted: number,
  leftOut: { excepted: number; errors: number },
  opts: ResolvedOptions,
  sizeLimited: boolean,
): SarifNotification[] {
  const out: SarifNotification[] = [];
  if (omitted > 0) {
    const why = sizeLimited
      ? `the file must stay under ${opts.maxGzipBytes} bytes gzipped (GitHub's upload limit is 10 MB)`
      : `at most ${opts.maxResults} results are kept per run (GitHub code scanning's limit is ${GITHUB_MAX_RESULTS})`;
    out.push({
      descriptor: { id: 'trailwarden/results-truncated' },
      level: 'warning',
      message: {
        text: `Results truncated: ${omitted} of ${eligible} results were left out because ${why}. The lowest-severity results went first; the JSON or HTML report has every finding.`,
      },
      properties: { omitted, eligible, kept: eligible - omitted, reason: sizeLimited ? 'maxGzipBytes' : 'maxResults' },
    });
  }
  if (leftOut.excepted > 0) {
    out.push({
      descriptor: { id: 'trailwarden/excepted-omitted' },
      level: 'note',
      message: {
        text: `${leftOut.excepted} failed finding(s) covered by an active exception were left out (GitHub ignores SARIF suppressions and would raise alerts); use the includeExcepted option to include them.`,
      },
      properties: { omitted: leftOut.excepted },
    });
  }
  if (leftOut.errors > 0) {
    out.push({
      descriptor: { id: 'trailwarden/errors-omitted' },
      level: 'warning',
      message: {
        text: `${leftOut.errors} ERROR finding(s), where a check could not decide for a resource, are not listed as results (includeErrors is false): GitHub closes the alerts of those resources as if fixed.`,
      },
      properties: { omitted: leftOut.errors },
    });
  }
  if (!scan.coverage.complete) {
    const failed = scan.coverage.accounts.filter((a) => a.status !== 'read').map((a) => `${a.accountId} (${a.status})`);
    out.push({
      descriptor: { id: 'trailwarden/coverage-incomplete' },
      level: 'warning',
      message: {
        text: messageText(
          `The scan is incomplete: ${scan.coverage.errors.length} collection error(s)${failed.length > 0 ? `; accounts not fully read: ${failed.join(', ')}` : ''}. Resources whose data could not be read are results with status ERROR; resources that could not even be listed have no results here.`,
        ),
      },
      properties: { collectionErrors: scan.coverage.errors.length },
    });
  }
  return out;
}

function isSemver(v: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v);
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort(compareStrings)) {
      const v = value[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
