import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeIntegrityMirror } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMetadataFile, loadPublicKeyFiles, MirrorSource } from './mirror.js';
import type { TrailIntegrity } from './result.js';
import { FROM, observed, ROWS, TAMPER_WORLD, TO } from '../../../test/integrity-matrix.js';
import { resultText } from './text.js';
import { exitCodeOf, summarize } from './totals.js';
import { Verifier } from './verify.js';

const ORG_TRAIL = { trailArn: 'arn:aws:cloudtrail:us-east-1:100000000001:trail/org-trail', trailName: 'org-trail', homeRegion: 'us-east-1', bucket: 'org-trail-logs', organizationId: 'o-integrity1' };
let dir: string;

async function verify(withMetadata: boolean): Promise<TrailIntegrity> {
  const source = new MirrorSource({
    root: dir,
    publicKeys: await loadPublicKeyFiles([`us-east-1=${join(dir, 'public-keys/us-east-1.json')}`]),
    ...(withMetadata ? { metadata: await loadMetadataFile(join(dir, 'metadata.json')) } : {}),
  });
  return new Verifier(source, { from: new Date(FROM), to: new Date(TO) }).verifyTrail(ORG_TRAIL);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tw-integrity-'));
  await writeIntegrityMirror(TAMPER_WORLD, dir);
});

describe('the tamper matrix, offline with captured metadata', () => {
  let trail: TrailIntegrity;
  beforeAll(async () => {
    trail = await verify(true);
  });

  it('finds the chain of every account of the organization', () => {
    expect(trail.chains.map((c) => c.accountId)).toEqual(['100000000001', '100000000002', ...ROWS.map((r) => r.account), '300000000001']);
  });

  for (const row of ROWS) {
    it(`${row.name}: ${row.invalid.join('; ') || 'no INVALID'}`, () => {
      const chain = trail.chains.find((c) => c.accountId === row.account)!;
      expect(observed(chain)).toEqual({ invalid: row.invalid, gaps: row.gaps, unreferenced: row.unreferenced });
    });
  }

  it('the clean chain: every digest, the backfill digest and every log valid, across a key rotation', () => {
    const chain = trail.chains.find((c) => c.accountId === '200000000001')!;
    expect(chain.digests).toEqual({ valid: 8, invalid: 0, unverified: 0, error: 0 });
    expect(chain.backfillDigests).toEqual({ valid: 1, invalid: 0, unverified: 0, error: 0 });
    expect(chain.logs).toEqual({ valid: 14, invalid: 0, unverified: 0, error: 0 });
    expect(chain.links).toEqual([]);
    expect(chain.windows).toEqual([
      { start: '2026-11-20T00:00:00Z', end: '2026-11-20T04:00:00Z' },
      { start: '2026-11-20T05:00:00Z', end: '2026-11-20T09:00:00Z' },
    ]);
  });

  it('an injected log file inside a verified hour is called likely injected', () => {
    const chain = trail.chains.find((c) => c.accountId === '200000000013')!;
    expect(chain.unreferenced).toEqual([expect.objectContaining({ likely: 'injected', time: '2026-11-20T06:30:00Z' })]);
  });

  it('prints aws-cli lines and exits 1', () => {
    const result = summarize('mirror', FROM, TO, [trail]);
    const text = resultText(result);
    expect(text.stderr).toContain(
      'Log file\ts3://org-trail-logs/AWSLogs/o-integrity1/200000000004/CloudTrail/us-east-1/2026/11/20/' +
        trail.chains.find((c) => c.accountId === '200000000004')!.files[0]!.key.split('/').pop() +
        '\tINVALID: unexpected data after end of compressed stream',
    );
    expect(text.stderr).toContain('No log files were delivered by CloudTrail between 2026-11-20T04:00:00Z and 2026-11-20T05:00:00Z');
    expect(text.stdout).toContain('Results found for 2026-11-20T00:00:00Z to 2026-11-20T09:00:00Z:');
    expect(exitCodeOf(result)).toBe(1);
  });
});

describe('offline without metadata', () => {
  it('verifies older digests through the newer digest’s previousDigestSignature; the newest of each segment is UNVERIFIED', async () => {
    const trail = await verify(false);
    const clean = trail.chains.find((c) => c.accountId === '200000000001')!;
    expect(clean.digests).toEqual({ valid: 6, invalid: 0, unverified: 2, error: 0 });
    expect(clean.files.filter((f) => f.status === 'UNVERIFIED' && !f.backfill).map((f) => f.key.slice(-24))).toEqual(['20261120T090000Z.json.gz', '20261120T040000Z.json.gz']);
    // The gaps are the same as with metadata: an UNVERIFIED digest still covers its hour.
    for (const row of ROWS.filter((r) => r.account !== '200000000012')) {
      expect(observed(trail.chains.find((c) => c.accountId === row.account)!).gaps, row.name).toEqual(row.gaps);
    }
  });
});
