import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ScanResult } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, engineScan } from './__fixtures__/scan.js';
import reporter, { escapeAttr, escapeText, renderJunit, stripIllegalXmlChars } from './index.js';

interface Case {
  classname: string;
  name: string;
  failure?: { message: string; type: string; '#text': string };
  error?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  properties?: { property: { name: string; value: string }[] };
  testcase?: Case[];
}
interface Doc {
  testsuites: { name: string; tests: string; failures: string; errors: string; skipped: string; testsuite: Suite[] };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Decode numeric character references (&#10;) as any XML parser must.
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function parse(xml: string): Doc {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  return parser.parse(xml) as Doc;
}

/** What an XML parser should read back for a string we wrote. */
const readBack = (s: string) => stripIllegalXmlChars(s);

let scan: ScanResult;
let xml: string;
let doc: Doc;
beforeAll(async () => {
  scan = await engineScan();
  xml = renderJunit(scan);
  doc = parse(xml);
});

const suite = (name: string) => doc.testsuites.testsuite.find((s) => s.name === name)!;
const caseNamed = (s: Suite, name: string) => s.testcase!.find((c) => c.name === name)!;

describe('JUnit XML', () => {
  it('is well-formed, with one suite per check (plus coverage) and counts that match the cases', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual([
      'multi-region-trail',
      'trail-insights',
      'trail-kms-encryption',
      'trail-log-file-validation',
      'trailwarden.coverage',
    ]);
    const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const s of suites) {
      const cases = s.testcase ?? [];
      const counted = {
        tests: cases.length,
        failures: cases.filter((c) => c.failure).length,
        errors: cases.filter((c) => c.error).length,
        skipped: cases.filter((c) => c.skipped).length,
      };
      expect({ tests: +s.tests, failures: +s.failures, errors: +s.errors, skipped: +s.skipped }).toEqual(counted);
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += counted[k];
      if (s.name !== 'trailwarden.coverage') expect(cases.every((c) => c.classname === s.name)).toBe(true);
    }
    const root = doc.testsuites;
    expect({ tests: +root.tests, failures: +root.failures, errors: +root.errors, skipped: +root.skipped }).toEqual(totals);
    // Every finding is a test case; the coverage suite adds one per collection error.
    expect(totals.tests).toBe(scan.findings.length + scan.coverage.errors.length);
  });

  it('maps statuses: FAIL → failure, ERROR → error, excepted and NOT_APPLICABLE → skipped, PASS → passing', () => {
    const kms = suite('trail-kms-encryption');
    expect({ tests: kms.tests, failures: kms.failures, errors: kms.errors, skipped: kms.skipped }).toEqual({ tests: '4', failures: '1', errors: '1', skipped: '1' });
    const passed = caseNamed(kms, '111111111111/us-east-1/org-trail');
    expect(passed.failure ?? passed.error ?? passed.skipped).toBeUndefined();

    const excepted = caseNamed(kms, '222222222222/us-east-1/b-trail');
    expect(excepted.skipped!.message).toBe(
      readBack(`Excepted (legacy-b): Legacy trail ${HOSTILE} — approved by security@example.com, expires 2027-03-31. Trail b-trail has no KMS key.`),
    );

    const error = caseNamed(kms, '333333333333/global/acct-3');
    expect(error.error!.type).toBe('ERROR');
    expect(error.error!.message).toMatch(/AccessDenied/);
    expect(error.error!['#text']).toMatch(/"operation": "DescribeTrails"/);

    const na = caseNamed(suite('trail-insights'), '222222222222/us-east-1/b-trail');
    expect(na.skipped!.message).toBe('Not applicable: Trail b-trail is not an organization trail.');
  });

  it('puts the message, evidence and remediation in the failure', () => {
    const c = caseNamed(suite('trail-log-file-validation'), '222222222222/us-east-1/b-trail');
    expect(c.failure!.message).toBe('Trail b-trail does not validate log files.');
    expect(c.failure!.type).toBe('medium');
    const body = c.failure!['#text'];
    expect(body).toContain('Resource: arn:aws:cloudtrail:us-east-1:222222222222:trail/b-trail (AWS::CloudTrail::Trail)');
    expect(body).toContain('"logFileValidationEnabled": false');
    expect(body).toContain('Remediation: Turn on log file validation.');
    expect(body).toContain('aws cloudtrail update-trail --name <trail> --enable-log-file-validation');
    expect(body).toContain('enable_log_file_validation = true');
    expect(body).toContain('Compliance: aws-fsbp CloudTrail.4; cis-aws-3.0.0 3.2');
  });

  it('escapes hostile names in attributes and text, and drops characters XML 1.0 cannot hold', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toMatch(/[\u0001\u0008\u001b\uFFFE]/);
    expect(xml).not.toMatch(/[\uD800-\uDFFF]/);
    const c = caseNamed(suite('trail-log-file-validation'), readBack(`111111111111/us-east-1/${HOSTILE}`));
    expect(c).toBeDefined();
    expect(c.failure!.message).toBe(readBack(`Trail ${HOSTILE} does not validate log files.`));
    // Evidence is JSON inside the text: the name is JSON-escaped there, then XML-escaped.
    expect(c.failure!['#text']).toContain('"trailName": "evil<script>alert(\\"x\\")</script>]]>\'&');
  });

  it('escape helpers', () => {
    expect(escapeText('a<b>&]]>')).toBe('a&lt;b&gt;&amp;]]&gt;');
    expect(escapeAttr(`"'\t\n\r<&`)).toBe('&quot;&apos;&#9;&#10;&#13;&lt;&amp;');
    expect(stripIllegalXmlChars('a\u0000b\u0007c\uFFFFd\uD83D\uDE00e\uDC00')).toBe('abcd\uD83D\uDE00e');
  });

  it('lists the collection errors of an incomplete scan as errors of a coverage suite', () => {
    const s = suite('trailwarden.coverage');
    expect(s.testcase).toHaveLength(scan.coverage.errors.length);
    expect(s.testcase![0]!.error!.message).toMatch(/DescribeTrails failed: AccessDenied/);
    expect(renderJunit(scan, { includeCoverage: false })).not.toContain('trailwarden.coverage');
  });

  it('leaves passing cases out with includePassed: false, and recounts', () => {
    const d = parse(renderJunit(scan, { includePassed: false }));
    const passes = scan.findings.filter((f) => f.status === 'PASS').length;
    expect(passes).toBeGreaterThan(0);
    expect(+d.testsuites.tests).toBe(+doc.testsuites.tests - passes);
    for (const s of d.testsuites.testsuite) {
      expect((s.testcase ?? []).every((c) => c.failure || c.error || c.skipped)).toBe(true);
      expect(+s.tests).toBe((s.testcase ?? []).length);
    }
  });

  it('is byte-identical for two evaluations of the same snapshot', async () => {
    const again = await engineScan(new Date('2026-11-21T08:30:00Z'));
    expect(renderJunit(again)).toBe(xml);
  });

  it('does not depend on the order of checks and findings in the input', () => {
    const shuffled: ScanResult = { ...scan, checks: [...scan.checks].reverse(), findings: [...scan.findings].reverse() };
    expect(renderJunit(shuffled)).toBe(xml);
  });

  it('writes an empty suite for a check without findings', () => {
    const empty: ScanResult = { ...scan, findings: [], coverage: { ...scan.coverage, complete: true, errors: [] } };
    const d = parse(renderJunit(empty));
    expect(d.testsuites.testsuite).toHaveLength(4);
    expect(d.testsuites.testsuite.every((s) => s.tests === '0' && s.testcase === undefined)).toBe(true);
    expect(d.testsuites.tests).toBe('0');
  });

  it('refuses unknown or mistyped options with a message naming the option', () => {
    expect(() => renderJunit(scan, { includePassed: 'no' } as never)).toThrow(/^junit reporter options: includePassed must be true or false, got "no"$/);
    expect(() => renderJunit(scan, { includePass: false } as never)).toThrow(/unknown option "includePass" \(did you mean "includePassed"\?\)/);
  });

  it('the default export is the junit reporter', async () => {
    expect(reporter).toMatchObject({ kind: 'trailwarden-reporter', id: 'junit', extension: '.junit.xml' });
    expect(await reporter.render(scan, {})).toBe(xml);
  });
});
