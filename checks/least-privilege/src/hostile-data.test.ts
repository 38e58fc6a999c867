// Hostile and odd data (issue 12): a pathological wildcard and a schema-valid but unusual role
// must not cost the check its findings for the rest of the organization.
import { readFileSync } from 'node:fs';
import { type Finding, type Snapshot, validateSnapshot } from '@trailwarden/core';
import { runCheck } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const BUCKET = 'acme-org-cloudtrail-logs';
const raw = () => JSON.parse(readFileSync(new URL('../../../test/fixtures/org-snapshot.json', import.meta.url), 'utf8'));
const run = async (mutate: (s: ReturnType<typeof raw>) => void = () => {}) => {
  const data = raw();
  mutate(data);
  return runCheck(check, validateSnapshot(data, 'org-snapshot.json') as Snapshot, { now: NOW });
};
const line = (f: Finding) => `${f.status} ${f.accountId} ${f.resource.arn}`;

describe('trail-api-least-privilege on hostile data', () => {
  it('a bucket policy Resource of *?*?... Q is judged in linear time and keeps every FAIL', async () => {
    const clean = await run();
    expect(clean.filter((f) => f.status === 'FAIL').length).toBeGreaterThan(5);
    // The pattern that took 112 s (and, past the check's budget, replaced every FAIL by ERRORs);
    // then one 40 pairs long, which no backtracking matcher would finish.
    for (const resource of [`arn:aws:s3:::${BUCKET}/*?*?*?*?*?*?*?*Q`, `arn:aws:s3:::${BUCKET}/${'*?'.repeat(40)}Q`]) {
      const attacked = await run((s) => {
        s.accounts['222222222222'].buckets[BUCKET].policy.value.Statement.push({ Sid: 'Odd', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: resource });
      });
      expect(attacked.map(line)).toEqual(clean.map(line));
    }
  });

  it('a role without path is an ERROR for that role; every other finding stands', async () => {
    const clean = await run();
    const role = 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole';
    const odd = await run((s) => {
      const r = s.accounts['222222222222'].iam.value.roles.find((x: { arn: string }) => x.arn === role);
      delete r.path;
    });
    const hit = odd.find((f) => f.resource.arn === role);
    expect(hit?.status).toBe('ERROR');
    expect(hit?.message).toMatch(/^Cannot decide whether arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole can tamper with CloudTrail logging: .*IAM record.* could not be read \(TypeError: /);
    expect(odd.filter((f) => f.resource.arn !== role).map(line)).toEqual(clean.filter((f) => f.resource.arn !== role).map(line));
    // The account's PASS is withheld when one of its principals could not be judged.
    expect(odd.some((f) => f.accountId === '222222222222' && f.status === 'PASS')).toBe(false);
  });

  it('odd but schema-valid records (no tags, empty names, a user in a missing group) never cost the other accounts their FAILs', async () => {
    const clean = await run();
    const odd = await run((s) => {
      const iam = s.accounts['444444444444'].iam.value;
      for (const r of iam.roles) delete r.tags;
      iam.users.push({ arn: 'arn:aws:iam::444444444444:user/', name: '', groups: ['no-such-group'], attachedPolicies: [], inlinePolicies: [] });
    });
    const others = (fs: Finding[]) => fs.filter((f) => f.accountId !== '444444444444').map(line);
    expect(others(odd)).toEqual(others(clean));
    expect(odd.filter((f) => f.accountId === '444444444444' && f.status === 'FAIL').length).toBeGreaterThan(0);
  });
});
