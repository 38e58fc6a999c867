import { type CheckSummary, type Finding, InputError, type JsonValue, type ScanResult, automationLine, compareStrings, didYouMean, stableStringify } from '@trailwarden/core';
import { escapeText, openTag } from './xml.js';

export interface JunitOptions {
  /** Write PASS findings as passing test cases. Default true (CI views show what was checked). */
  includePassed?: boolean;
  /** Add a `trailwarden.coverage` suite with one error per collection error when the scan is incomplete. Default true. */
  includeCoverage?: boolean;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

const COVERAGE_SUITE = 'trailwarden.coverage';
/** What produced the run (properties) and its exceptions that expired (failures) or expire soon (passing, with a warning). */
const RUN_SUITE = 'trailwarden.run';
const OPTION_NAMES = ['includePassed', 'includeCoverage'] as const;

function checkOptions(options: Partial<JunitOptions>): void {
  const where = 'junit reporter options';
  for (const [key, value] of Object.entries(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key)) {
      throw new InputError(`unknown option "${key}"${didYouMean(key, OPTION_NAMES)}; known: ${OPTION_NAMES.join(', ')}`, where);
    }
    if (value !== undefined && typeof value !== 'boolean') throw new InputError(`${key} must be true or false, got ${JSON.stringify(value)}`, where);
  }
}

/**
 * JUnit XML: one `<testsuite>` per check, one `<testcase>` per (account, region, resource).
 * FAIL → `<failure>`, ERROR → `<error>`, excepted or NOT_APPLICABLE → `<skipped>`, PASS → a
 * passing case. No timestamps or host names, so the same scan renders the same bytes.
 */
export function renderJunit(scan: ScanResult, options: Partial<JunitOptions> = {}): string {
  checkOptions(options);
  const includePassed = options.includePassed !== false;
  const includeCoverage = options.includeCoverage !== false;

  const checks = new Map<string, CheckSummary | undefined>(scan.checks.map((c) => [c.id, c]));
  const byCheck = new Map<string, Finding[]>();
  for (const id of checks.keys()) byCheck.set(id, []);
  for (const f of scan.findings) {
    if (f.status === 'PASS' && !includePassed) continue;
    const list = byCheck.get(f.checkId) ?? [];
    byCheck.set(f.checkId, list);
    list.push(f);
  }

  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites: string[] = [];
  for (const id of [...byCheck.keys()].sort(compareStrings)) {
    const findings = byCheck.get(id)!.sort(compareCases);
    const counts = countsOf(findings);
    add(total, counts);
    suites.push(suiteXml(id, checks.get(id), findings, counts));
  }
  if (includeCoverage && !scan.coverage.complete && scan.coverage.errors.length > 0) {
    const counts: Counts = { tests: scan.coverage.errors.length, failures: 0, errors: scan.coverage.errors.length, skipped: 0 };
    add(total, counts);
    suites.push(coverageSuiteXml(scan, counts));
  }

  const expired = scan.exceptions.filter((e) => e.state === 'expired');
  const expiring = scan.exceptions.filter((e) => e.expiresSoon);
  if (scan.provenance || scan.limits?.truncatedStrings || expired.length || expiring.length) {
    const counts: Counts = { tests: expired.length + expiring.length, failures: expired.length, errors: 0, skipped: 0 };
    add(total, counts);
    suites.push(runSuiteXml(scan, counts));
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    openTag('testsuites', { name: 'Trailwarden', ...total }),
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function suiteXml(id: string, check: CheckSummary | undefined, findings: Finding[], counts: Counts): string {
  const lines = [`  ${openTag('testsuite', { name: id, ...counts })}`];
  if (check) {
    lines.push('    <properties>');
    const props: [string, string][] = [
      ['title', check.title],
      ['severity', check.severity],
      ['resourceType', check.resourceType],
      ['plugin', check.plugin.version ? `${check.plugin.name}@${check.plugin.version}` : check.plugin.name],
    ];
    const frameworks = frameworkText(check.frameworks);
    if (frameworks) props.push(['frameworks', frameworks]);
    if (check.helpUri) props.push(['helpUri', check.helpUri]);
    if (check.error) props.push(['checkError', check.error]);
    for (const [name, value] of props) lines.push(`      ${openTag('property', { name, value }, true)}`);
    lines.push('    </properties>');
  }
  for (const f of findings) lines.push(caseXml(f, check));
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function caseXml(f: Finding, check: CheckSummary | undefined): string {
  const attrs = { classname: f.checkId, name: `${f.accountId}/${f.region}/${f.resource.name}` };
  if (f.exception) {
    const e = f.exception;
    const message = `Excepted (${e.id}): ${e.reason} — approved by ${e.approver}, expires ${e.expires}. ${f.message}`;
    return withChild(attrs, openTag('skipped', { message }, true));
  }
  switch (f.status) {
    case 'PASS':
      return `    ${openTag('testcase', attrs, true)}`;
    case 'NOT_APPLICABLE':
      return withChild(attrs, openTag('skipped', { message: `Not applicable: ${f.message}` }, true));
    case 'FAIL':
      return withChild(attrs, `${openTag('failure', { message: f.message, type: f.severity })}${escapeText(failureBody(f, check))}</failure>`);
    case 'ERROR':
      return withChild(attrs, `${openTag('error', { message: f.message, type: 'ERROR' })}${escapeText(errorBody(f))}</error>`);
  }
}

function withChild(attrs: Record<string, string>, child: string): string {
  return `    ${openTag('testcase', attrs)}\n      ${child}\n    </testcase>`;
}

function failureBody(f: Finding, check: CheckSummary | undefined): string {
  const lines = [f.message, '', ...resourceLines(f), `Severity: ${f.severity}`];
  const frameworks = frameworkText(f.frameworks);
  if (frameworks) lines.push(`Compliance: ${frameworks}`);
  lines.push('', 'Evidence:', evidenceText(f.evidence));
  if (check) {
    lines.push('', `Remediation: ${check.remediation.text}`);
    if (check.remediation.cli) lines.push('', 'AWS CLI:', check.remediation.cli);
    if (check.remediation.terraform) lines.push('', 'Terraform:', check.remediation.terraform);
  }
  return `\n${lines.join('\n')}\n`;
}

function errorBody(f: Finding): string {
  const lines = [
    f.message,
    '',
    ...resourceLines(f),
    '',
    'The check could not decide for this resource; it is neither passed nor failed. Fix the access or collection problem and scan again.',
    '',
    'Evidence:',
    evidenceText(f.evidence),
  ];
  return `\n${lines.join('\n')}\n`;
}

function resourceLines(f: Finding): string[] {
  return [`Resource: ${f.resource.arn} (${f.resource.type})`, `Account: ${f.accountId}`, `Region: ${f.region}`, `Fingerprint: ${f.fingerprint}`];
}

function evidenceText(evidence: Record<string, JsonValue>): string {
  return stableStringify(evidence);
}

function coverageSuiteXml(scan: ScanResult, counts: Counts): string {
  const lines = [`  ${openTag('testsuite', { name: COVERAGE_SUITE, ...counts })}`];
  const errors = [...scan.coverage.errors].sort(
    (a, b) => compareStrings(a.accountId, b.accountId) || compareStrings(a.path, b.path) || compareStrings(a.operation, b.operation),
  );
  for (const e of errors) {
    const message = `${e.operation} failed${e.region ? ` in ${e.region}` : ''}: ${e.code}${e.message ? ` — ${e.message}` : ''}`;
    lines.push(
      withChild(
        { classname: COVERAGE_SUITE, name: `${e.accountId}/${e.region ?? 'global'}/${e.path}` },
        `${openTag('error', { message, type: e.code })}${escapeText(`\n${message}\nSnapshot path: ${e.path}\nWhat depends on it was not evaluated.\n`)}</error>`,
      ),
    );
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function runSuiteXml(scan: ScanResult, counts: Counts): string {
  const lines = [`  ${openTag('testsuite', { name: RUN_SUITE, ...counts })}`];
  const p = scan.provenance;
  const props: [string, string][] = [];
  if (p) {
    if (p.endpoint) props.push(['endpoint', p.endpoint]);
    if (p.configPath) props.push(['configPath', p.configPath]);
    props.push(['configDigest', p.configDigest], ['snapshotDigest', p.snapshotDigest]);
    props.push(['plugins', p.plugins.map((x) => `${x.name}@${x.version ?? '?'}${x.builtin ? '' : ` (${x.path})`}`).join(', ')]);
    if (p.collectionAllow?.length) props.push(['collectionAllow', p.collectionAllow.join(', ')]);
    if (p.stopped) props.push(['stopped', p.stopped]);
  }
  // Manual controls are not test cases (nothing was tested); they are named so nobody reads them as passed.
  for (const f of scan.frameworks) {
    if (!f.automation) continue;
    const manual = f.controls.filter((c) => c.automation === 'manual').map((c) => c.id);
    props.push([`framework.${f.id}`, `${automationLine(f.automation)}${manual.length ? `; manual: ${manual.join(', ')}` : ''}`]);
  }
  if (scan.limits?.truncatedStrings) props.push(['truncatedStrings', `${scan.limits.truncatedStrings} string(s) cut at ${scan.limits.maxStringChars} characters`]);
  if (props.length) {
    lines.push('    <properties>');
    for (const [name, value] of props) lines.push(`      ${openTag('property', { name, value }, true)}`);
    lines.push('    </properties>');
  }
  for (const e of scan.exceptions) {
    const attrs = { classname: RUN_SUITE, name: `exception ${e.id}` };
    const what = `Exception ${e.id} (check ${e.check}, resource ${e.resource}, approver ${e.approver})`;
    if (e.state === 'expired') {
      const message = `${what} expired on ${e.expires}: it no longer applies, and the ${e.matched} finding(s) it covered count again.`;
      lines.push(withChild(attrs, `${openTag('failure', { message, type: 'ExceptionExpired' })}${escapeText(message)}</failure>`));
    } else if (e.expiresSoon) {
      const message = `${what} expires on ${e.expires}, in ${e.daysLeft} day(s).`;
      lines.push(withChild(attrs, `<system-out>${escapeText(`warning: ${message}`)}</system-out>`));
    }
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function frameworkText(frameworks: Record<string, string[]>): string {
  return Object.keys(frameworks)
    .sort(compareStrings)
    .map((fw) => `${fw} ${(frameworks[fw] ?? []).join(', ')}`)
    .join('; ');
}

function countsOf(findings: Finding[]): Counts {
  const c: Counts = { tests: findings.length, failures: 0, errors: 0, skipped: 0 };
  for (const f of findings) {
    if (f.exception || f.status === 'NOT_APPLICABLE') c.skipped++;
    else if (f.status === 'FAIL') c.failures++;
    else if (f.status === 'ERROR') c.errors++;
  }
  return c;
}

function add(total: Counts, c: Counts): void {
  total.tests += c.tests;
  total.failures += c.failures;
  total.errors += c.errors;
  total.skipped += c.skipped;
}

function compareCases(a: Finding, b: Finding): number {
  return (
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.resource.name, b.resource.name) ||
    compareStrings(a.resource.arn, b.resource.arn) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}
