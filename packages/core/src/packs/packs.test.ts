import { describe, expect, it } from 'vitest';
import { frameworkReports } from '../catalogue/catalogue.js';
import { MONITORING_CONTROLS, monitoringFrameworks } from '../monitoring/controls.js';
import type { CheckSummary, Finding } from '../model/result.js';
import { BUILTIN_PACKS, UNKNOWN_CONTROL_TITLE, findPack, frameworksOf, frameworksOfCheck, packProblems, resolvePacks } from './packs.js';
import { automationLine, packAutomation } from './types.js';

const pack = (id: string) => {
  const p = findPack(id, BUILTIN_PACKS);
  if (!p) throw new Error(`no pack ${id}`);
  return p;
};
const control = (fw: string, id: string) => pack(fw).controls.find((c) => c.id === id);

describe('built-in framework packs', () => {
  it('ship CIS AWS v1.2.0 to v6.0.0 and AWS FSBP, each control consistent (manual ⇔ no check; partial and manual say what is not covered)', () => {
    expect(BUILTIN_PACKS.map((p) => p.id)).toEqual([
      'cis-aws-1.2.0',
      'cis-aws-1.4.0',
      'cis-aws-1.5.0',
      'cis-aws-2.0.0',
      'cis-aws-3.0.0',
      'cis-aws-4.0.1',
      'cis-aws-5.0.0',
      'cis-aws-6.0.0',
      'aws-fsbp',
    ]);
    for (const p of BUILTIN_PACKS) expect(packProblems(p), p.id).toEqual([]);
  });

  it('follow each version’s numbering of the Logging section', () => {
    expect(control('cis-aws-1.2.0', '2.1')?.checks).toEqual(['trail-multi-region']);
    expect(control('cis-aws-1.2.0', '2.5')).toMatchObject({ title: 'Ensure AWS Config is enabled in all regions', automation: 'manual' });
    expect(control('cis-aws-1.4.0', '3.3')?.checks).toEqual(['trail-bucket-not-public']);
    expect(control('cis-aws-2.0.0', '3.10')).toMatchObject({ automation: 'partial', checks: ['trail-s3-data-events-write'] });
    // v3.0.0 dropped "bucket not public" and "CloudWatch Logs": 3.3 is AWS Config there.
    expect(control('cis-aws-3.0.0', '3.3')).toMatchObject({ automation: 'manual', checks: [] });
    expect(control('cis-aws-3.0.0', '3.4')?.checks).toEqual(['trail-bucket-access-logging']);
    expect(control('cis-aws-5.0.0', '3.9')?.checks).toEqual(['trail-s3-data-events-read']);
    expect(control('cis-aws-6.0.0', '4.1')?.checks).toEqual(['trail-multi-region']);
    expect(control('cis-aws-6.0.0', '4.7')).toMatchObject({ title: 'Ensure VPC flow logging is enabled in all VPCs', automation: 'manual' });
    expect(pack('cis-aws-3.0.0').controls.some((c) => c.checks.includes('trail-cloudwatch-logs'))).toBe(false);
  });

  it('follow each version’s numbering of the Monitoring section, Security Hub manual from v1.5.0 on', () => {
    expect(control('cis-aws-1.2.0', '3.14')?.checks).toEqual(['monitor-vpc-changes']);
    expect(control('cis-aws-1.2.0', '3.15')).toBeUndefined();
    expect(control('cis-aws-1.4.0', '4.15')?.checks).toEqual(['monitor-organizations-changes']);
    expect(control('cis-aws-1.4.0', '4.16')).toBeUndefined();
    expect(control('cis-aws-1.5.0', '4.16')).toMatchObject({ title: 'Ensure AWS Security Hub is enabled', automation: 'manual' });
    expect(control('cis-aws-6.0.0', '5.16')).toMatchObject({ automation: 'manual' });
    expect(control('cis-aws-6.0.0', '5.5')?.checks).toEqual(['monitor-cloudtrail-changes']);
  });

  it('map each monitor check as the (deprecated) per-check monitoringFrameworks did', () => {
    for (const c of MONITORING_CONTROLS) expect(frameworksOfCheck(`monitor-${c.topic}`, BUILTIN_PACKS), c.topic).toEqual(monitoringFrameworks(c.cisNumber));
  });

  it('say what partial automation leaves out: object-level logging is judged on trail buckets only', () => {
    expect(control('cis-aws-4.0.1', '3.8')?.gap).toMatch(/buckets that receive CloudTrail logs only/);
    expect(control('cis-aws-4.0.1', '3.6')).toMatchObject({ automation: 'partial', gap: expect.stringMatching(/keys that encrypt trails only/) });
  });

  it('count "N of M controls in scope automated"', () => {
    const a = packAutomation(pack('cis-aws-3.0.0').controls);
    expect(a).toEqual({ total: 25, automated: 19, partial: 3, manual: 3 });
    expect(automationLine(a)).toBe('22 of 25 controls in scope automated (3 partly), 3 manual');
  });

  it('give a built-in check the controls that map it, in pack order', () => {
    expect(frameworksOfCheck('trail-log-file-validation', BUILTIN_PACKS)).toEqual({
      'cis-aws-1.2.0': ['2.2'],
      'cis-aws-1.4.0': ['3.2'],
      'cis-aws-1.5.0': ['3.2'],
      'cis-aws-2.0.0': ['3.2'],
      'cis-aws-3.0.0': ['3.2'],
      'cis-aws-4.0.1': ['3.2'],
      'cis-aws-5.0.0': ['3.2'],
      'cis-aws-6.0.0': ['4.2'],
      'aws-fsbp': ['CloudTrail.4'],
    });
    expect(frameworksOfCheck('trail-logging-active', BUILTIN_PACKS)).toEqual({ 'aws-fsbp': ['CloudTrail.3'] });
    expect(frameworksOfCheck('nobody', BUILTIN_PACKS)).toEqual({});
  });
});

describe('plugin API v1: meta.frameworks on a third-party check', () => {
  const v1 = { id: 'acme-config', meta: { frameworks: { 'cis-aws-3.0.0': ['3.3'], 'acme-policy': ['LOG-3'], 'aws-fsbp': ['CloudTrail.99'] } }, plugin: { name: 'acme' } };
  const packs = resolvePacks([v1]);

  it('is accepted: its controls join the packs on the plugin’s word, an unknown framework becomes a pack of its own', () => {
    expect(packs.find((p) => p.id === 'cis-aws-3.0.0')?.controls.find((c) => c.id === '3.3')).toMatchObject({
      automation: 'automated',
      checks: ['acme-config'],
      gap: expect.stringMatching(/plugin acme/),
    });
    expect(packs.find((p) => p.id === 'acme-policy')).toMatchObject({ provider: 'acme', controls: [{ id: 'LOG-3', checks: ['acme-config'], automation: 'automated' }] });
    expect(packs.find((p) => p.id === 'aws-fsbp')?.controls.at(-1)).toMatchObject({ id: 'CloudTrail.99', title: UNKNOWN_CONTROL_TITLE });
    // The built-in packs themselves are left as they were.
    expect(control('cis-aws-3.0.0', '3.3')).toMatchObject({ automation: 'manual', checks: [] });
  });

  it('keeps its findings’ frameworks exactly as declared', () => {
    expect(frameworksOf(v1, packs)).toBe(v1.meta.frameworks);
    expect(frameworksOf({ id: 'trail-log-file-validation', meta: {} }, packs)['aws-fsbp']).toEqual(['CloudTrail.4']);
  });
});

describe('framework reports', () => {
  const summary = (id: string, frameworks: Record<string, string[]>): CheckSummary => ({
    id,
    title: id,
    description: '',
    severity: 'medium',
    resourceType: 'AWS::CloudTrail::Trail',
    frameworks,
    remediation: { text: 'fix' },
    plugin: { name: 'builtin' },
    options: {},
    counts: { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 },
  });
  const finding = (checkId: string, status: Finding['status']): Finding => ({
    checkId,
    status,
    severity: 'medium',
    accountId: '111111111111',
    region: 'us-east-1',
    resource: { arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t', type: 'AWS::CloudTrail::Trail', name: 't' },
    message: 'm',
    evidence: {},
    frameworks: {},
    fingerprint: checkId,
  });

  it('list manual controls as MANUAL and controls whose checks did not run as NOT_RUN, never as a pass', () => {
    const checks = [summary('trail-log-file-validation', frameworksOfCheck('trail-log-file-validation', BUILTIN_PACKS))];
    const [fsbp] = frameworkReports(checks, [finding('trail-log-file-validation', 'PASS')], BUILTIN_PACKS).filter((f) => f.id === 'aws-fsbp');
    expect(fsbp?.controls.find((c) => c.id === 'CloudTrail.4')).toMatchObject({ status: 'PASS', checks: ['trail-log-file-validation'], automation: 'automated' });
    expect(fsbp?.controls.find((c) => c.id === 'CloudTrail.1')).toMatchObject({ status: 'NOT_RUN', checks: [] });
    expect(fsbp?.controls.find((c) => c.id === 'KMS.4')).toMatchObject({ status: 'MANUAL', automation: 'manual' });
    expect(fsbp?.automation).toEqual(packAutomation(pack('aws-fsbp').controls));
    expect(fsbp?.controls.filter((c) => c.status === 'PASS').every((c) => c.automation !== 'manual')).toBe(true);
  });
});
