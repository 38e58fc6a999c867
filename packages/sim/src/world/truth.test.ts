import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorld } from './load.js';
import { generateWorld, generateWorldWithTruth, writeGeneratedWorld } from './generate.js';
import { type GroundTruth, SELECTOR_MEANING, TRUTH_CHECKS, truthFromPlan } from './truth.js';

/** The ground-truth end-to-end test (test/ground-truth.test.ts) scans this world: it must hold every defect. */
const EVERY_DEFECT_WORLD = { accounts: 200, regions: 3, seed: 11 };
const statuses = (truth: GroundTruth, checkId: string) => new Set(truth.entries.filter((e) => e.checkId === checkId).map((e) => e.status));

describe('generateWorldWithTruth', () => {
  it('is deterministic from its seed, world and truth alike', () => {
    const a = generateWorldWithTruth({ accounts: 60, seed: 4, orgTrail: 'stopped' });
    const again = generateWorldWithTruth({ accounts: 60, seed: 4, orgTrail: 'stopped' });
    expect(JSON.stringify(again.world)).toBe(JSON.stringify(a.world));
    expect(JSON.stringify(again.truth)).toBe(JSON.stringify(a.truth));
    const other = generateWorldWithTruth({ accounts: 60, seed: 5, orgTrail: 'stopped' });
    expect(JSON.stringify(other.world)).not.toBe(JSON.stringify(a.world));
    expect(JSON.stringify(other.truth)).not.toBe(JSON.stringify(a.truth));
    // generateWorld is the same world without the truth.
    expect(generateWorld({ accounts: 60, seed: 4, orgTrail: 'stopped' })).toEqual(a.world);
  });

  it('writes world.json and truth.json side by side', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tw-gen-')), 'out');
    const paths = writeGeneratedWorld(dir, { accounts: 20, seed: 3 });
    expect(paths).toEqual({ world: join(dir, 'world.json'), truth: join(dir, 'truth.json') });
    const world = JSON.parse(readFileSync(paths.world, 'utf8'));
    const truth = JSON.parse(readFileSync(paths.truth, 'utf8')) as GroundTruth;
    expect(() => validateWorld(world, paths.world)).not.toThrow();
    expect(truth).toEqual(generateWorldWithTruth({ accounts: 20, seed: 3 }).truth);
    expect(truth).toMatchObject({ version: 1, seed: 3, asOf: '2026-11-21T16:00:00Z', checks: [...TRUTH_CHECKS] });
  });

  it('gives one sorted verdict per (check, account, resource), only for scanned accounts', () => {
    const { world, truth } = generateWorldWithTruth({ accounts: 120, seed: 8 });
    const keys = truth.entries.map((e) => `${e.checkId}|${e.accountId}|${e.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
    const suspended = new Set(world.accounts.filter((a) => a.status === 'SUSPENDED').map((a) => a.id));
    expect(suspended.size).toBeGreaterThan(0);
    // Only a key an unscanned account owns is reported against that account (as unknown).
    expect(truth.entries.filter((e) => suspended.has(e.accountId)).map((e) => `${e.status} ${e.resource.split(':')[2]}`)).toEqual(['ERROR kms', 'ERROR kms']);
    for (const e of truth.entries) expect(e.why.length).toBeGreaterThan(0);
  });

  it('gives every check both a PASS and a FAIL in one 50-account world', () => {
    const { truth } = generateWorldWithTruth({ accounts: 50, regions: 3, seed: 7, orgTrail: 'stopped' });
    for (const id of TRUTH_CHECKS) expect({ id, statuses: [...statuses(truth, id)] }).toEqual({ id, statuses: expect.arrayContaining(['PASS', 'FAIL']) });
  });

  it('sometimes gives CloudTrail a delegated administrator with a second organization trail (in the seed-7 world the end-to-end test scans)', () => {
    const { plan, world } = generateWorldWithTruth({ accounts: 50, regions: 3, seed: 7, orgTrail: 'stopped' });
    const security = plan.accounts[2]!;
    expect(security.trails).toEqual([expect.objectContaining({ organization: true, multiRegion: false, ownerId: security.id })]);
    expect(world.organization?.delegatedAdministrators).toContainEqual({ accountId: security.id, servicePrincipal: 'cloudtrail.amazonaws.com' });
    expect(generateWorldWithTruth({ accounts: 50, regions: 3, seed: 1 }).plan.accounts[2]!.trails).toEqual([]);
  });

  it('injects every kind of defect into the 200-account world the end-to-end test scans, and combines them', () => {
    const { plan, truth } = generateWorldWithTruth(EVERY_DEFECT_WORLD);
    const trails = plan.accounts.flatMap((a) => a.trails);
    const buckets = plan.accounts.flatMap((a) => a.buckets);
    const seen = (values: unknown[]) => new Set(values.map((v) => String(v)));
    expect(seen(trails.map((t) => t.logging))).toEqual(seen(['active', 'stopped', 'delivery-error', 'stale', 'never-delivered']));
    expect(seen(trails.map((t) => t.validation))).toEqual(seen(['on', 'off', 'digest-error']));
    expect(seen(trails.map((t) => t.kms))).toEqual(seen(['none', 'good', 'no-cloudtrail-policy', 'deny-cloudtrail', 'disabled', 'pending-deletion', 'aws-managed', 'missing', 'outside']));
    expect(seen(trails.map((t) => t.cloudWatch))).toEqual(seen(['none', 'delivering', 'error', 'stale', 'never-delivered']));
    expect(seen(trails.map((t) => t.insights))).toEqual(seen(['none', 'partial', 'both']));
    expect(seen(trails.map((t) => t.selectors))).toEqual(seen(Object.keys(SELECTOR_MEANING).filter((s) => s !== 'org-write-only')));
    expect(seen(trails.map((t) => t.multiRegion))).toEqual(seen([true, false]));
    expect(trails.some((t) => t.regionDenied)).toBe(true);
    expect(trails.some((t) => t.keyPrefix === 'cloudtrail')).toBe(true);
    // The log archive's shared bucket: trails of other accounts, with and without a key prefix.
    const central = trails.filter((t) => t.bucket.startsWith('central-trail-logs-'));
    expect(seen(central.map((t) => t.keyPrefix === undefined))).toEqual(seen([true, false]));
    // A bucket and a key owned by an account outside the scan.
    expect(trails.some((t) => t.bucket.startsWith('legacy-trail-logs-'))).toBe(true);
    expect(plan.accounts.some((a) => a.keys.some((k) => k.rotationPeriodDays === 730))).toBe(true);
    expect(seen(buckets.map((b) => b.aclGrantee))).toEqual(seen([undefined, 'AllUsers', 'AuthenticatedUsers']));
    expect(seen(buckets.map((b) => b.policy))).toEqual(seen(['cloudtrail-only', 'public', 'public-any-ip', 'public-not-equals', 'org-pinned', 'vpce-pinned', 'aws-says-public']));
    expect(seen(buckets.map((b) => b.blockPublicAccess))).toEqual(seen(['none', 'full', 'partial']));
    expect(seen(buckets.map((b) => b.objectLock))).toEqual(seen(['none', 'enabled-no-retention', 'compliance-365', 'compliance-1y', 'governance-365', 'compliance-short', 'governance-short']));
    expect(seen(buckets.map((b) => b.accessLogging))).toEqual(seen(['none', 'other-bucket', 'itself']));
    expect(seen(buckets.map((b) => b.versioning))).toEqual(seen(['never', 'suspended', 'enabled', 'enabled-mfa']));
    expect(seen(buckets.map((b) => b.lifecycle))).toEqual(seen(['none', 'long', 'expires-early', 'noncurrent-early', 'scoped-away', 'disabled-rule', 'aws-logs-early']));
    expect(plan.accounts.some((a) => !a.readable && a.active)).toBe(true);
    expect(plan.accounts.some((a) => a.exempted.length > 3)).toBe(true);
    expect(plan.accounts.some((a) => a.trails.length === 2)).toBe(true);
    // Defects combine: a bucket public by ACL that also lacks Object Lock, a trail stopped and unvalidated.
    expect(buckets.some((b) => b.aclGrantee && b.objectLock === 'none')).toBe(true);
    expect(trails.some((t) => t.logging === 'stopped' && t.validation === 'off')).toBe(true);
    for (const id of TRUTH_CHECKS) expect({ id, has: statuses(truth, id).has('ERROR') }).toEqual({ id, has: true });
  });
});

describe('truthFromPlan', () => {
  const base = generateWorldWithTruth({ accounts: 3, seed: 1 }).plan;

  it('judges the organization trail in its owner and counts it as coverage everywhere', () => {
    const truth = truthFromPlan(base);
    const [mgmt, archive, security] = base.accounts.map((a) => a.id);
    const orgTrail = base.accounts[0]!.trails[0]!.arn;
    const verdict = (checkId: string, accountId: string, resource: string) => truth.entries.find((e) => e.checkId === checkId && e.accountId === accountId && e.resource === resource)?.status;
    expect(verdict('trail-logging-active', mgmt!, orgTrail)).toBe('PASS');
    expect(truth.entries.filter((e) => e.resource === orgTrail).every((e) => e.accountId === mgmt)).toBe(true);
    for (const id of [mgmt!, archive!, security!]) {
      expect(verdict('trail-multi-region', id, `arn:aws:iam::${id}:root`)).toBe('PASS');
      expect(verdict('org-trail-coverage', id, `arn:aws:iam::${id}:root`)).toBe('PASS');
    }
    expect(verdict('org-scp-trail-protection', mgmt!, `arn:aws:iam::${mgmt}:root`)).toBe('NOT_APPLICABLE');
    // The archive bucket: written by the organization trail's data selector, not read.
    const bucket = `arn:aws:s3:::${base.accounts[1]!.buckets[0]!.name}`;
    expect(verdict('trail-s3-data-events-write', archive!, bucket)).toBe('PASS');
    expect(verdict('trail-s3-data-events-read', archive!, bucket)).toBe('FAIL');
  });

  it('turns a stopped organization trail into uncovered accounts, and a write-only one into FAILs of trail-multi-region only', () => {
    const stopped = generateWorldWithTruth({ accounts: 3, seed: 1, orgTrail: 'stopped' }).truth;
    const writeOnly = generateWorldWithTruth({ accounts: 3, seed: 1, orgTrail: 'write-only' }).truth;
    const of = (t: GroundTruth, c: string) => t.entries.filter((e) => e.checkId === c).map((e) => e.status);
    expect(of(stopped, 'org-trail-coverage')).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(of(stopped, 'trail-multi-region')).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(of(writeOnly, 'org-trail-coverage')).toEqual(['PASS', 'PASS', 'PASS']);
    expect(of(writeOnly, 'trail-multi-region')).toEqual(['FAIL', 'FAIL', 'FAIL']);
  });

  it('refuses a plan that would give one resource two verdicts', () => {
    const plan = structuredClone(base);
    plan.accounts[1]!.keys.push({ ...plan.accounts[1]!.keys[0]!, rotation: false });
    expect(() => truthFromPlan(plan)).toThrow(/trail-kms-key-rotation\|.*is both PASS .* and FAIL/);
  });

  it('reports every check as ERROR on an account that cannot be read', () => {
    const plan = structuredClone(base);
    plan.accounts[2]!.readable = false;
    const id = plan.accounts[2]!.id;
    const entries = truthFromPlan(plan).entries.filter((e) => e.accountId === id);
    expect(entries.map((e) => e.checkId)).toEqual([...TRUTH_CHECKS]);
    expect(new Set(entries.map((e) => `${e.status} ${e.resource}`))).toEqual(new Set([`ERROR arn:aws:iam::${id}:root`]));
  });
});
