import type { Finding, ScanResult } from '@trailwarden/core';
import { HOSTILE_TEXT, sampleScan } from '@trailwarden/testing';

/** A scan started at `at`, with a continuity finding carrying one window. */
export async function scanAt(at: string, window?: { start: string; end: string | null; minutes: number }): Promise<ScanResult> {
  const r = await sampleScan({ startedAt: new Date(at) });
  if (!window) return r;
  const f: Finding = {
    ...r.findings[0]!,
    checkId: 'trail-logging-continuity',
    status: 'FAIL',
    fingerprint: 'continuity-fp',
    resource: { arn: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${HOSTILE_TEXT}`, type: 'AWS::CloudTrail::Trail', name: HOSTILE_TEXT },
    evidence: { windows: [{ kind: 'StopLogging', start: window.start, end: window.end, durationMinutes: window.minutes, actor: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/mallory', principalArn: 'arn:aws:iam::111111111111:user/mallory' } }], weakeningChanges: [] },
  };
  return { ...r, findings: [...r.findings, f] };
}
