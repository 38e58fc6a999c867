import type { Snapshot } from '@trailwarden/core';
import type { ChainResult, TrailIntegrity } from '@trailwarden/integrity';
import { CheckTester, account, organization, runCheck, snapshot, trail } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const MGMT = '111111111111';
const ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/main`;
const counts = (valid: number, invalid = 0, error = 0) => ({ valid, invalid, unverified: 0, error });

function chain(over: Partial<ChainResult> = {}): ChainResult {
  return {
    accountId: MGMT,
    region: 'us-east-1',
    base: `AWSLogs/${MGMT}/`,
    digests: counts(24),
    backfillDigests: counts(0),
    logs: counts(48),
    windows: [{ start: '2026-11-20T00:00:00Z', end: '2026-11-21T00:00:00Z' }],
    gaps: [],
    links: [],
    unreferenced: [],
    files: [],
    notes: [],
    ...over,
  };
}

function integrity(chains: ChainResult[], errors: string[] = []): TrailIntegrity {
  return { trailArn: ARN, trailName: 'main', homeRegion: 'us-east-1', bucket: 'logs', from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', chains, errors };
}

const base = () => snapshot({ organization: organization({ managementAccountId: MGMT }), accounts: [account(MGMT, { trails: [trail({ name: 'main' })] })] });
const withIntegrity = (value: TrailIntegrity | { error: { code: string; message: string; operation: string } }): (() => Snapshot) => () => ({
  ...base(),
  logIntegrity: { [ARN]: 'error' in value ? value : { value: value as never } },
});
const gap = (label: 'chain-restart' | 'unexplained', start: string, end: string, hours: number) => ({ start, end, hours, label, explanation: 'x' });

new CheckTester().run(check, {
  valid: [
    { name: 'every digest and log verifies', snapshot: withIntegrity(integrity([chain()])) },
    {
      name: 'a chain restart (logging was off) is no FAIL by default',
      snapshot: withIntegrity(integrity([chain({ gaps: [gap('chain-restart', '2026-11-20T04:00:00Z', '2026-11-20T05:00:00Z', 1)] })])),
    },
    {
      name: 'validation off: not applicable (trail-log-file-validation fails it)',
      snapshot: () => ({ ...snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', logFileValidation: false })] })] }), logIntegrity: {} }),
    },
  ],
  invalid: [
    {
      name: 'a changed log file',
      snapshot: withIntegrity(
        integrity([chain({ logs: counts(47, 1), files: [{ kind: 'log', backfill: false, bucket: 'logs', key: 'AWSLogs/x.json.gz', status: 'INVALID', reason: "hash value doesn't match" }] })]),
      ),
      findings: [{ status: 'FAIL', messageId: 'tampered', data: { name: 'main', count: 1, example: "s3://logs/AWSLogs/x.json.gz (hash value doesn't match)" }, evidence: { invalidFiles: 1 } }],
    },
    {
      name: 'a chain link mismatch counts as tampering',
      snapshot: withIntegrity(integrity([chain({ links: [{ newer: 'a', older: 'b', field: 'previousDigestHashValue' }] })])),
      findings: [{ status: 'FAIL', messageId: 'tampered', data: { count: 1, example: 'a (chain link mismatch: previousDigestHashValue)' }, evidence: { linkIssues: 1 } }],
    },
    {
      name: 'an unexplained 2-hour gap',
      snapshot: withIntegrity(integrity([chain({ gaps: [gap('unexplained', '2026-11-20T06:00:00Z', '2026-11-20T08:00:00Z', 2)] })])),
      findings: [{ status: 'FAIL', messageId: 'gaps', data: { name: 'main', count: 1, hours: 2, example: '111111111111/us-east-1 2026-11-20T06:00:00Z to 2026-11-20T08:00:00Z' } }],
    },
    {
      name: 'an injected log file',
      snapshot: withIntegrity(integrity([chain({ unreferenced: [{ bucket: 'logs', key: 'AWSLogs/i.json.gz', time: '2026-11-20T06:30:00Z', likely: 'injected' }] })])),
      findings: [{ status: 'FAIL', messageId: 'unreferenced', data: { name: 'main', count: 1, example: 's3://logs/AWSLogs/i.json.gz (injected)' } }],
    },
    {
      name: 'no digest at all for an account/region',
      snapshot: withIntegrity(integrity([chain(), chain({ region: 'eu-west-1', digests: counts(0), logs: counts(0), windows: [] })])),
      findings: [{ status: 'FAIL', messageId: 'noDigests', data: { count: 1, example: '111111111111/eu-west-1' } }],
    },
    {
      name: 'chain restarts fail when asked to',
      snapshot: withIntegrity(integrity([chain({ gaps: [gap('chain-restart', '2026-11-20T04:00:00Z', '2026-11-20T05:00:00Z', 1)] })])),
      options: { failOnChainRestarts: true },
      findings: [{ status: 'FAIL', messageId: 'restarts', data: { count: 1, hours: 1, example: '111111111111/us-east-1 2026-11-20T04:00:00Z to 2026-11-20T05:00:00Z' }, evidence: { chainRestarts: 1 } }],
    },
    {
      name: 'log files that could not be read (kms:Decrypt) are an ERROR, never a PASS',
      snapshot: withIntegrity(
        integrity([chain({ logs: counts(47, 0, 1), files: [{ kind: 'log', backfill: false, bucket: 'logs', key: 'k', status: 'ERROR', reason: 'AccessDenied: kms:Decrypt' }] })]),
      ),
      findings: [{ status: 'ERROR', messageId: 'unreadFiles', data: { count: 1, example: 's3://logs/k (AccessDenied: kms:Decrypt)' }, evidence: { unreadable: 1 } }],
    },
    {
      name: 'a verification error beside readable files is an ERROR too',
      snapshot: withIntegrity(integrity([chain()], ['ListPublicKeys failed: AccessDenied'])),
      findings: [{ status: 'ERROR', messageId: 'unreadFiles', data: { count: 0, example: 'ListPublicKeys failed: AccessDenied' } }],
    },
    {
      name: 'not verified in this scan: an ERROR that says how',
      snapshot: base,
      // The wording matters: it is the command to run.
      findings: [{ status: 'ERROR', messageId: 'notVerified', message: /run `trailwarden scan --verify-logs`/ }],
    },
    {
      name: 'verified in this scan, but not this trail: an ERROR for the trail',
      snapshot: () => ({ ...base(), logIntegrity: {} }),
      findings: [{ status: 'ERROR', messageId: 'trailNotVerified', resource: 'main' }],
    },
    {
      name: 'verification could not start: the reason',
      snapshot: withIntegrity({ error: { code: 'VerifyLogsFailed', message: 'cannot identify the caller', operation: 'verify-logs' } }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'verify-logs', code: 'VerifyLogsFailed', reason: /cannot identify the caller/ } }],
    },
    {
      name: 'a malformed record is an ERROR naming the field',
      snapshot: () => ({ ...base(), logIntegrity: { [ARN]: { value: { trailArn: ARN } } } }),
      findings: [{ status: 'ERROR', messageId: 'invalidRecord', data: { problem: /^ .*required property/ } }],
    },
  ],
});

describe('trail-log-integrity messages that are not FAILs', () => {
  it('a verified trail passes with its counts and period in the data', async () => {
    const [f] = await runCheck(check, withIntegrity(integrity([chain(), chain({ region: 'eu-west-1' })]))());
    expect(f).toMatchObject({
      status: 'PASS',
      messageId: 'verified',
      data: { name: 'main', digests: 48, logs: 96, from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', chains: 2 },
    });
  });

  it('a trail with validation off is not applicable, naming the trail', async () => {
    const snap = { ...snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', logFileValidation: false })] })] }), logIntegrity: {} };
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'NOT_APPLICABLE', messageId: 'validationOff', data: { name: 'main' } });
  });
});
