import { gunzipSync, gzipSync } from 'node:zlib';
import { type ScanResult, compareFindings, isInputError } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, engineScan, syntheticScan } from './__fixtures__/scan.js';
import { sarifSchemaErrors } from './__fixtures__/schema.js';
import reporter, { GITHUB_MAX_RESULTS, type SarifLog, type SarifOptions, type SarifResult, renderSarif } from './index.js';

const parse = (text: string): SarifLog => JSON.parse(text) as SarifLog;
const resultsOf = (log: SarifLog): SarifResult[] => log.runs[0]!.results;
const notificationIds = (log: SarifLog) => log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.descriptor.id);

let scan: ScanResult;
beforeAll(async () => {
  scan = await engineScan();
});

describe('SARIF document', () => {
  it('is valid against the OASIS SARIF 2.1.0 schema, with and without the options', () => {
    for (const options of [{}, { includeErrors: true, includeExcepted: true }, { maxResults: 1 }]) {
      expect(sarifSchemaErrors(parse(renderSarif(scan, options)))).toEqual([]);
    }
  });

  it('the schema check can fail: a result without a message is refused', () => {
    const log = parse(renderSarif(scan));
    delete (resultsOf(log)[0] as Partial<SarifResult>).message;
    expect(sarifSchemaErrors(log).join('\n')).toMatch(/message/);
  });

  it('names the tool, its version and a v4 automation GUID', () => {
    const log = parse(renderSarif(scan));
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/^https:\/\/docs\.oasis-open\.org\/sarif\//);
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'Trailwarden', version: '1.2.3' });
    expect(run.automationDetails.id).toBe('trailwarden/o-abc123defg/');
    expect(run.automationDetails.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is byte-identical for two evaluations of the same snapshot (no clocks, no random ids)', async () => {
    const again = await engineScan(new Date('2026-11-21T08:30:00Z'));
    expect(again.scan.startedAt).not.toBe(scan.scan.startedAt);
    for (const options of [{}, { includeErrors: true, includeExcepted: true }]) {
      expect(renderSarif(again, options)).toBe(renderSarif(scan, options));
    }
  });

  it('does not depend on the order of checks, findings or evidence keys in the input', () => {
    const shuffled: ScanResult = {
      ...scan,
      checks: [...scan.checks].reverse(),
      findings: [...scan.findings].reverse().map((f) => ({ ...f, evidence: Object.fromEntries(Object.entries(f.evidence).reverse()) })),
      scan: { ...scan.scan, regions: [...scan.scan.regions].reverse() },
    };
    for (const options of [{}, { includeErrors: true, includeExcepted: true }]) {
      expect(renderSarif(shuffled, options)).toBe(renderSarif(scan, options));
    }
  });

  it('changes the automation GUID when the results change', () => {
    const a = parse(renderSarif(scan)).runs[0]!.automationDetails.guid;
    const b = parse(renderSarif(scan, { includeErrors: false })).runs[0]!.automationDetails.guid;
    expect(a).not.toBe(b);
  });

  it('has one rule per check with help, remediation, helpUri, precision and security-severity', () => {
    const rules = parse(renderSarif(scan)).runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(['multi-region-trail', 'trail-insights', 'trail-kms-encryption', 'trail-log-file-validation']);
    const validation = rules.find((r) => r.id === 'trail-log-file-validation')!;
    expect(validation.shortDescription.text).toBe('Trails validate log files');
    expect(validation.fullDescription.text).toMatch(/prove that delivered log files/);
    expect(validation.help.text).toMatch(/Turn on log file validation/);
    expect(validation.help.markdown).toContain('```sh\naws cloudtrail update-trail --name <trail> --enable-log-file-validation\n```');
    expect(validation.help.markdown).toContain('```hcl\nenable_log_file_validation = true\n```');
    expect(validation.helpUri).toBeUndefined();
    const linked = parse(renderSarif(scan, { helpBaseUri: 'https://wiki.example.com/trailwarden/' })).runs[0]!.tool.driver.rules;
    expect(linked.find((r) => r.id === 'trail-log-file-validation')?.helpUri).toBe('https://wiki.example.com/trailwarden/trail-log-file-validation.md');
    expect(() => renderSarif(scan, { helpBaseUri: 'wiki/trailwarden' })).toThrow(/helpBaseUri must be an http\(s\) URL ending in "\/"/);
    expect(validation.properties).toMatchObject({ precision: 'high', 'security-severity': '5.5', tags: ['security', 'medium', 'aws-fsbp/CloudTrail.4', 'cis-aws-3.0.0/3.2'] });
    expect(validation.defaultConfiguration.level).toBe('warning');
    const kms = rules.find((r) => r.id === 'trail-kms-encryption')!;
    expect(kms.helpUri).toBe('https://example.com/docs/trail-kms-encryption');
    // Backticks in the remediation cannot close the fence early.
    expect(kms.help.markdown).toContain('````sh\naws cloudtrail update-trail --kms-key-id ```alias```\n````');
  });

  it('maps severities to level and security-severity as documented', () => {
    const rules = parse(renderSarif(scan)).runs[0]!.tool.driver.rules;
    const by = Object.fromEntries(rules.map((r) => [r.properties.severity, [r.defaultConfiguration.level, r.properties['security-severity']]]));
    expect(by).toEqual({ critical: ['error', '9.5'], high: ['error', '8.0'], medium: ['warning', '5.5'], low: ['note', '2.0'] });
  });

  it('reports FAIL findings only with includeErrors false, highest severity first, with their evidence', () => {
    const log = parse(renderSarif(scan, { includeErrors: false }));
    const results = resultsOf(log);
    const fails = scan.findings.filter((f) => f.status === 'FAIL' && !f.exception);
    expect(results).toHaveLength(fails.length);
    expect(results.every((r) => r.properties.status === 'FAIL')).toBe(true);
    expect(results.map((r) => r.ruleId)).toEqual([
      'trail-kms-encryption',
      'multi-region-trail',
      'trail-log-file-validation',
      'trail-log-file-validation',
      'trail-insights',
    ]);
    const hostile = results.find((r) => r.ruleId === 'trail-log-file-validation' && r.properties.resourceName === HOSTILE)!;
    // SARIF §3.11.6: brackets in message.text would be link syntax; they are escaped with a backslash.
    expect(hostile.message.text).toBe(`Trail ${HOSTILE.replace(/[[\]]/g, '\\$&')} does not validate log files.`);
    expect(hostile.level).toBe('warning');
    expect(hostile.properties).toMatchObject({
      accountId: '111111111111',
      region: 'us-east-1',
      resourceType: 'AWS::CloudTrail::Trail',
      arn: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${HOSTILE}`,
      evidence: { logFileValidationEnabled: false, trailName: HOSTILE },
    });
  });

  it('leaves excepted findings out by default and says so; includes them with a suppression on request', () => {
    const excepted = scan.findings.find((f) => f.exception)!;
    const byDefault = parse(renderSarif(scan));
    expect(resultsOf(byDefault).some((r) => r.properties.fingerprint === excepted.fingerprint)).toBe(false);
    expect(notificationIds(byDefault)).toContain('trailwarden/excepted-omitted');
    expect(byDefault.runs[0]!.properties).toMatchObject({ leftOut: { excepted: 1 } });

    const included = resultsOf(parse(renderSarif(scan, { includeExcepted: true }))).find((r) => r.properties.fingerprint === excepted.fingerprint)!;
    expect(included.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Legacy trail, replaced in Q1',
        properties: { exceptionId: 'legacy-b', approver: 'security@example.com', expires: '2027-03-31' },
      },
    ]);
  });

  it('escapes [text](url) link syntax and lone surrogates in message text, and survives them in URIs', () => {
    const f = scan.findings.find((x) => x.status === 'FAIL' && !x.exception)!;
    const forged = { ...f, message: 'See [the fix](https://evil.example/) \\[x] \uD800 end', resource: { ...f.resource, name: `bad\uDC00name` } };
    const log = parse(renderSarif({ ...scan, findings: [forged] }));
    const r = resultsOf(log)[0]!;
    expect(r.message.text).toBe('See \\[the fix\\](https://evil.example/) \\\\\\[x\\] \uFFFD end');
    expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/bad%EF%BF%BDname$/);
  });

  it('keeps an unjudged resource open by default: ERROR findings are results with the FAIL fingerprint, at warning', () => {
    const errors = scan.findings.filter((f) => f.status === 'ERROR');
    expect(errors.length).toBe(4);
    const byDefault = resultsOf(parse(renderSarif(scan)));
    const reported = byDefault.filter((r) => r.properties.status === 'ERROR');
    expect(reported.map((r) => r.properties.fingerprint).sort()).toEqual(errors.map((f) => f.fingerprint).sort());
    for (const r of reported) {
      // The same fingerprint a FAIL of this resource would have had: the open alert stays open.
      const f = errors.find((e) => e.fingerprint === r.properties.fingerprint)!;
      expect(r.partialFingerprints['trailwarden/v1']).toBe(f.fingerprint);
      expect(r.level).toBe('warning');
      expect(r.message.text).toMatch(/^Not evaluated: .*this is not a confirmed violation\.$/);
    }
    expect(reported[0]!.message.text).toMatch(/AccessDenied/);
    expect(byDefault.some((r) => r.properties.status === 'PASS' || r.properties.status === 'NOT_APPLICABLE')).toBe(false);
    const optedOut = parse(renderSarif(scan, { includeErrors: false }));
    expect(resultsOf(optedOut).some((r) => r.properties.status === 'ERROR')).toBe(false);
    expect(notificationIds(optedOut)).toContain('trailwarden/errors-omitted');
  });

  it('reports incomplete coverage as a run notification', () => {
    const log = parse(renderSarif(scan));
    const note = log.runs[0]!.invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor.id === 'trailwarden/coverage-incomplete');
    expect(note?.message.text).toMatch(/333333333333/);
  });

  it('reports a check that could not run as an error notification tied to its rule', () => {
    const broken: ScanResult = {
      ...scan,
      checks: scan.checks.map((c) => (c.id === 'trail-insights' ? { ...c, error: 'it threw TypeError: boom' } : c)),
    };
    const log = parse(renderSarif(broken));
    const notes = log.runs[0]!.invocations[0]!.toolExecutionNotifications.filter((n) => n.descriptor.id === 'trailwarden/check-not-evaluated');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'error', associatedRule: { id: 'trail-insights', index: 1 } });
    expect(notes[0]!.message.text).toMatch(/Check trail-insights could not be evaluated: it threw TypeError: boom/);
    expect(log.runs[0]!.tool.driver.rules[1]!.id).toBe('trail-insights');
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('chains logical locations organization → account → region → resource, with the ARN', () => {
    const run = parse(renderSarif(scan)).runs[0]!;
    for (const r of run.results) {
      const ref = r.locations[0]!.logicalLocations[0]!;
      expect(ref.fullyQualifiedName).toBe(r.properties.arn);
      const chain = [];
      for (let i: number | undefined = ref.index; i !== undefined; i = run.logicalLocations[i]!.parentIndex) chain.push(run.logicalLocations[i]!);
      expect(chain.map((l) => l.kind)).toEqual(['resource', 'region', 'account', 'organization']);
      expect(chain.map((l) => l.name).slice(1)).toEqual([r.properties.region, r.properties.accountId, 'o-abc123defg']);
      expect(chain[0]!.fullyQualifiedName).toBe(r.properties.arn);
    }
  });

  it('the default export is the sarif reporter', async () => {
    expect(reporter).toMatchObject({ kind: 'trailwarden-reporter', id: 'sarif', extension: '.sarif' });
    expect(await reporter.render(scan, {})).toBe(renderSarif(scan));
  });

  it('refuses bad options with a one-line message naming the option', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ maxResults: -1 }, /maxResults must be an integer from 0 to 25000/],
      [{ maxResults: 1.5 }, /maxResults/],
      [{ maxResults: GITHUB_MAX_RESULTS + 1 }, /maxResults/],
      [{ maxGzipBytes: 0 }, /maxGzipBytes/],
      [{ includeErrors: 'yes' }, /includeErrors must be true or false, got "yes"/],
      [{ includeExcepted: 1 }, /includeExcepted/],
      [{ includeError: true }, /unknown option "includeError" \(did you mean "includeErrors"\?\)/],
    ];
    for (const [options, message] of cases) {
      let caught: unknown;
      try {
        renderSarif(scan, options as SarifOptions);
      } catch (e) {
        caught = e;
      }
      expect(isInputError(caught)).toBe(true);
      expect((caught as Error).message).toMatch(/^sarif reporter options: /);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).not.toContain('\n');
    }
  });
});

describe("GitHub code scanning's rules", () => {
  const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

  it('every result has a relative physical location with no scheme, line 1, and our fingerprint', () => {
    const log = parse(renderSarif(scan, { includeErrors: true, includeExcepted: true }));
    const byFingerprint = new Map(scan.findings.map((f) => [f.fingerprint, f]));
    expect(resultsOf(log).length).toBeGreaterThan(0);
    for (const r of resultsOf(log)) {
      const loc = r.locations[0]!.physicalLocation;
      const uri = loc.artifactLocation.uri;
      expect(uri).not.toMatch(SCHEME);
      expect(uri.startsWith('/')).toBe(false);
      expect(uri).toMatch(/^aws\/\d{12}\/[a-z0-9-]+\/[a-z0-9]+\/[a-z0-9]+\/[^/]+$/);
      expect(uri).not.toMatch(/[\s<>"]/);
      expect(loc.region.startLine).toBe(1);
      const finding = byFingerprint.get(r.properties.fingerprint as string)!;
      expect(r.partialFingerprints.primaryLocationLineHash).toBe(`${finding.fingerprint}:1`);
      expect(decodeURIComponent(uri.split('/').at(-1)!)).toBe(finding.resource.name);
      expect(log.runs[0]!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    }
  });

  it('encodes hostile resource names into one path segment', () => {
    const r = resultsOf(parse(renderSarif(scan))).find((x) => x.properties.resourceName === HOSTILE)!;
    const uri = r.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri.split('/')).toHaveLength(6);
    expect(uri.startsWith('aws/111111111111/us-east-1/cloudtrail/trail/')).toBe(true);
    const account = resultsOf(parse(renderSarif(scan))).find((x) => x.ruleId === 'multi-region-trail')!;
    expect(account.locations[0]!.physicalLocation.artifactLocation.uri).toBe('aws/222222222222/global/iam/account/acct-2');
  });

  it('every rule has security first, at most 10 tags, and a numeric security-severity string', () => {
    const rules = parse(renderSarif(scan)).runs[0]!.tool.driver.rules;
    for (const rule of rules) {
      expect(rule.properties.tags.length).toBeLessThanOrEqual(10);
      expect(rule.properties.tags[0]).toBe('security');
      expect(typeof rule.properties['security-severity']).toBe('string');
      const n = Number(rule.properties['security-severity']);
      expect(n > 0 && n <= 10).toBe(true);
    }
    const kms = rules.find((r) => r.id === 'trail-kms-encryption')!;
    expect(kms.properties.tags).toHaveLength(10);
    // Every framework is represented even when the tags run out; the full mapping is kept.
    for (const fw of ['aws-fsbp', 'cis-aws-3.0.0', 'nist-800-53-r5', 'pci-dss-4.0']) {
      expect(kms.properties.tags.some((t) => t.startsWith(`${fw}/`))).toBe(true);
    }
    expect(kms.properties.frameworks['nist-800-53-r5']).toHaveLength(7);
  });

  it('truncates to maxResults, keeping the most severe results, and says how many were left out', () => {
    const big = syntheticScan(40);
    const log = parse(renderSarif(big, { maxResults: 15 }));
    const results = resultsOf(log);
    expect(results).toHaveLength(15);
    expect(results.slice(0, 10).every((r) => r.properties.severity === 'critical')).toBe(true);
    expect(results.slice(10).every((r) => r.properties.severity === 'high')).toBe(true);
    const note = log.runs[0]!.invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor.id === 'trailwarden/results-truncated')!;
    expect(note.level).toBe('warning');
    expect(note.message.text).toMatch(/25 of 40 results were left out/);
    expect(note.properties).toMatchObject({ omitted: 25, eligible: 40, kept: 15, reason: 'maxResults' });
    expect(sarifSchemaErrors(log)).toEqual([]);
    // A truncated file refers only to logical locations of the results it kept.
    expect(log.runs[0]!.logicalLocations.filter((l) => l.kind === 'resource')).toHaveLength(15);
  });

  it(`keeps GitHub's ${GITHUB_MAX_RESULTS} results of ${GITHUB_MAX_RESULTS + 1}, dropping the least severe`, () => {
    const big = syntheticScan(GITHUB_MAX_RESULTS + 1);
    const log = parse(renderSarif(big));
    const results = resultsOf(log);
    expect(results).toHaveLength(GITHUB_MAX_RESULTS);
    const lows = big.findings.filter((f) => f.severity === 'low');
    const keptFingerprints = new Set(results.map((r) => r.properties.fingerprint));
    const dropped = big.findings.filter((f) => !keptFingerprints.has(f.fingerprint));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.severity).toBe('low');
    expect(dropped[0]!.fingerprint).toBe([...lows].sort(compareFindings).at(-1)!.fingerprint);
    expect(log.runs[0]!.properties).toMatchObject({ results: { eligible: GITHUB_MAX_RESULTS + 1, reported: GITHUB_MAX_RESULTS, truncated: 1 } });
    expect(notificationIds(log)).toContain('trailwarden/results-truncated');
    // Not schema-validated here: the schema's uniqueItems makes ajv quadratic on 25,000 results.
  });

  it('keeps the file under the gzipped size limit, dropping the least severe results', () => {
    const big = syntheticScan(400, 2_000);
    const limit = 300_000;
    const full = renderSarif(big);
    expect(gzipSync(full).length).toBeGreaterThan(limit);
    const text = renderSarif(big, { maxGzipBytes: limit });
    const gz = gzipSync(text);
    expect(gz.length).toBeLessThanOrEqual(limit);
    expect(gunzipSync(gz).toString()).toBe(text);
    const log = parse(text);
    const note = log.runs[0]!.invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor.id === 'trailwarden/results-truncated')!;
    expect(note.properties).toMatchObject({ reason: 'maxGzipBytes', eligible: 400 });
    const kept = resultsOf(log).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(400);
    expect(note.properties!.omitted).toBe(400 - kept);
    expect(resultsOf(log)[0]!.properties.severity).toBe('critical');
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('writes no result when there are no failures, and still a valid run', () => {
    const clean = syntheticScan(0);
    const log = parse(renderSarif(clean));
    expect(resultsOf(log)).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(4);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });
});
