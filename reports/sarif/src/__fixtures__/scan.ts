/**
 * ScanResults for tests: the test kit's sample scan from the real engine, and a synthetic one of any
 * size for the limits.
 */
import { type Finding, type ScanResult, type Severity, fingerprint } from '@trailwarden/core';
import { HOSTILE_TEXT, sampleScan } from '@trailwarden/testing';

export const HOSTILE = HOSTILE_TEXT;

export function engineScan(startedAt?: Date): Promise<ScanResult> {
  return sampleScan({ exceptionReason: 'Legacy trail, replaced in Q1', ...(startedAt ? { startedAt } : {}) });
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * A synthetic ScanResult with `count` FAIL findings spread over four checks (one per severity)
 * and many accounts, in the engine's order. `evidenceBytes` pads each finding's evidence.
 */
export function syntheticScan(count: number, evidenceBytes = 0): ScanResult {
  const checks = SEVERITIES.map((severity) => ({
    id: `synthetic-${severity}`,
    title: `Synthetic ${severity} check`,
    description: `A ${severity} check for size tests.`,
    severity,
    resourceType: 'AWS::S3::Bucket',
    frameworks: { 'cis-aws-3.0.0': ['3.6'] },
    remediation: { text: 'Fix it.' },
    plugin: { name: 'synthetic' },
    options: {},
    counts: { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 },
  }));
  const findings: Finding[] = [];
  const pad = 'x'.repeat(evidenceBytes);
  for (let i = 0; i < count; i++) {
    const check = checks[i % checks.length]!;
    check.counts.FAIL++;
    const accountId = String(100000000000 + (i % 997));
    const name = `bucket-${i.toString(36)}`;
    const arn = `arn:aws:s3:::${name}`;
    findings.push({
      checkId: check.id,
      status: 'FAIL',
      severity: check.severity,
      accountId,
      region: 'eu-west-1',
      resource: { arn, type: 'AWS::S3::Bucket', name },
      message: `Bucket ${name} is not configured as required.`,
      evidence: evidenceBytes > 0 ? { pad: `${pad}${randomish(i, evidenceBytes)}` } : { index: i },
      frameworks: check.frameworks,
      fingerprint: fingerprint(check.id, accountId, 'eu-west-1', arn),
    });
  }
  findings.sort((a, b) => (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return {
    tool: { name: 'trailwarden', version: '0.9.0' },
    scan: {
      startedAt: '2026-11-20T12:00:00.000Z',
      finishedAt: '2026-11-20T12:00:01.000Z',
      collectedAt: '2026-11-20T10:00:00.000Z',
      partition: 'aws',
      mode: 'single-account',
      accounts: [{ id: '100000000000' }],
      regions: ['eu-west-1'],
      notes: [],
    },
    coverage: { accounts: [], errors: [], complete: true },
    checks,
    findings,
    exceptions: [],
    frameworks: [],
  };
}

/** Incompressible-ish filler, deterministic. */
function randomish(seed: number, length: number): string {
  let x = (seed + 1) * 2654435761;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += String.fromCharCode(33 + (x % 90));
  }
  return out;
}
