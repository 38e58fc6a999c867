import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Snapshot, shardOf, validateSnapshot } from '@trailwarden/core';
import { type SimServer, generateWorld, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, NOW, run, tmp } from './helpers.js';

/**
 * Sharded collection end to end, through the built CLI against the simulator: a generated
 * organization scanned in one process and as 3 shards (`collect --shard K/3`, `merge`, `evaluate`)
 * gives the same findings; the parts name a missing shard; `--shard auto` reads each engine's variables.
 */
let sim: SimServer;
const SHARDS = 3;

beforeAll(async () => {
  // 30 accounts: the log archive's shared bucket used by trails of other shards, keys owned in other
  // accounts, a bucket and key owned outside the organization's active accounts.
  sim = await startSimulator({ world: generateWorld({ accounts: 30, regions: 3, seed: 1515 }), port: 0 });
});
afterAll(async () => {
  await sim?.stop();
});

function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_ACCESS_KEY_ID: sim.callerCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sim.callerCredentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: '',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        JOB_COMPLETION_INDEX: '',
        AWS_BATCH_JOB_ARRAY_INDEX: '',
        AWS_BATCH_JOB_ARRAY_SIZE: '',
        TRAILWARDEN_SHARD_INDEX: '',
        TRAILWARDEN_SHARD_COUNT: '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const read = (cwd: string, file: string) => JSON.parse(readFileSync(join(cwd, file), 'utf8'));
const findings = (cwd: string, dir: string) =>
  read(cwd, join(dir, 'trailwarden-report.json'))
    .findings.map((f: { fingerprint: string; status: string; checkId: string }) => `${f.checkId} ${f.fingerprint} ${f.status}`)
    .sort();

describe('collect --shard K/N, merge, evaluate', () => {
  const cwd = tmp();
  let single: Snapshot;
  const parts: Snapshot[] = [];

  it('collects the whole organization once, and as 3 shards that split the accounts by hash', async () => {
    const one = await cli(['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--all', '-o', 'single.json', '--quiet'], cwd);
    expect(one.stderr).not.toMatch(/internal error/);
    expect(one.code).toBe(0);
    single = validateSnapshot(read(cwd, 'single.json'));
    expect(single.shard).toBeUndefined();
    const runs = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) => cli(['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--all', '--shard', `${i + 1}/${SHARDS}`, '-o', `part-${i + 1}.json`, '--quiet'], cwd)),
    );
    for (const [i, r] of runs.entries()) {
      expect(r.stderr, r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`trailwarden: shard ${i + 1}/${SHARDS} (--shard ${i + 1}/${SHARDS})`);
      expect(r.stdout).toMatch(new RegExp(`Wrote .*part-${i + 1}\\.json \\(\\d+ account\\(s\\) of ${single.scope.accounts.length}, shard ${i + 1}/${SHARDS}`));
      parts.push(validateSnapshot(read(cwd, `part-${i + 1}.json`)));
    }
    const all = parts.flatMap((p) => p.scope.accounts).sort();
    expect(all).toEqual([...single.scope.accounts].sort());
    for (const [i, p] of parts.entries()) {
      expect(p.shard?.index).toBe(i + 1);
      expect(p.scope.accounts.length).toBeGreaterThan(0);
      for (const id of p.scope.accounts) expect(shardOf(id, SHARDS)).toBe(i + 1);
    }
    // A key owned in another shard (the log archive's), read for this shard's trails: merge moves it to its owner.
    expect(parts.some((p) => Object.keys(p.shard?.foreignKeys ?? {}).length > 0)).toBe(true);
    // The log archive's shared bucket is used by trails of other shards and read by its owner's shard only.
    const shared = Object.entries(single.accounts).flatMap(([id, a]) => Object.keys(a.buckets ?? {}).map((b) => [id, b] as const));
    for (const [owner, bucket] of shared) {
      const holders = parts.filter((p) => p.accounts[owner]?.buckets?.[bucket]);
      expect(holders.map((p) => p.shard?.index), `${bucket} of ${owner}`).toEqual([shardOf(owner, SHARDS)]);
    }
  });

  it('merges the parts into a snapshot whose evaluation equals the single scan (fingerprint and status)', async () => {
    const merged = await cli(['merge', 'part-3.json', 'part-1.json', 'part-2.json', '-o', 'merged.json'], cwd);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/Wrote .*merged\.json \(\d+ account\(s\) from 3 shard\(s\)\)/);
    const snapshot = validateSnapshot(read(cwd, 'merged.json'));
    expect(Object.keys(snapshot.accounts).sort()).toEqual(Object.keys(single.accounts).sort());
    expect(snapshot.scope.accounts).toEqual(single.scope.accounts);
    expect(snapshot.shard?.parts?.map((p) => p.index)).toEqual([1, 2, 3]);
    for (const id of single.scope.accounts) expect(snapshot.shard?.readBy?.accounts?.[id]).toBe(shardOf(id, SHARDS));
    expect(snapshot.unresolved).toEqual(single.unresolved ? expect.objectContaining({}) : undefined);
    expect(Object.keys(snapshot.unresolved?.buckets ?? {}).sort()).toEqual(Object.keys(single.unresolved?.buckets ?? {}).sort());
    expect(Object.keys(snapshot.unresolved?.keys ?? {}).sort()).toEqual(Object.keys(single.unresolved?.keys ?? {}).sort());
    // Each bucket and key once, where the single scan has it.
    for (const [id, a] of Object.entries(single.accounts)) {
      expect(Object.keys(snapshot.accounts[id]?.buckets ?? {}), `buckets of ${id}`).toEqual(Object.keys(a.buckets ?? {}));
      expect(Object.keys(snapshot.accounts[id]?.keys ?? {}).sort(), `keys of ${id}`).toEqual(Object.keys(a.keys ?? {}).sort());
    }
    const a = await cli(['evaluate', 'single.json', '--format', 'json', '--now', NOW, '-o', 'out-single', '--quiet'], cwd);
    const b = await cli(['evaluate', 'merged.json', '--format', 'json', '--now', NOW, '-o', 'out-merged', '--quiet'], cwd);
    expect(b.code).toBe(a.code);
    const expected = findings(cwd, 'out-single');
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.some((f: string) => f.endsWith(' FAIL'))).toBe(true);
    expect(expected.filter((f: string) => f.endsWith(' PASS')).length).toBeGreaterThan(100);
    expect(Object.values(single.accounts).filter((x) => x.access.error).length).toBeLessThan(3);
    expect(findings(cwd, 'out-merged')).toEqual(expected);
  });

  it('as 6 shards: the log archive shared bucket, used only by trails of other shards, is read by its own shard (its policy lets CloudTrail write)', async () => {
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cli(['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--all', '--shard', `${i + 1}/6`, '-o', `six-${i + 1}.json`, '--quiet'], cwd),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const six = Array.from({ length: 6 }, (_, i) => validateSnapshot(read(cwd, `six-${i + 1}.json`)));
    const central = Object.entries(single.accounts).flatMap(([id, a]) => Object.keys(a.buckets ?? {}).filter((b) => b.startsWith('central-')).map((b) => [id, b] as const));
    expect(central).toHaveLength(1);
    const [owner, bucket] = central[0]!;
    const users = Object.entries(single.accounts).filter(([, a]) => (a.trails?.value ?? []).some((t) => t.s3BucketName === bucket)).map(([id]) => id);
    // The world as generated: no user of the shared bucket is in its owner's shard (else the probe is not needed).
    expect(users.map((u) => shardOf(u, 6))).not.toContain(shardOf(owner, 6));
    expect(six[shardOf(owner, 6) - 1]!.shard?.probedBuckets).toContain(bucket);
    const merged = await cli(['merge', ...six.map((_, i) => `six-${i + 1}.json`), '-o', 'merged-6.json'], cwd);
    expect(merged.code, merged.stderr).toBe(0);
    const snapshot = validateSnapshot(read(cwd, 'merged-6.json'));
    expect(snapshot.shard?.readBy?.buckets?.[bucket]).toBe(shardOf(owner, 6));
    for (const [id, a] of Object.entries(single.accounts)) expect(Object.keys(snapshot.accounts[id]?.buckets ?? {}), `buckets of ${id}`).toEqual(Object.keys(a.buckets ?? {}));
    const a = await cli(['evaluate', 'merged-6.json', '--format', 'json', '--now', NOW, '-o', 'out-6', '--quiet'], cwd);
    expect(a.code).toBeLessThan(4);
    expect(findings(cwd, 'out-6')).toEqual(findings(cwd, 'out-single'));
  });

  it('refuses a missing shard by name, and with --allow-partial marks its accounts as not read', async () => {
    const missing = await cli(['merge', 'part-1.json', 'part-3.json', '-o', 'partial.json'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^trailwarden: shard 2\/3 \(\d+ account\(s\): \d{12}.*\) is missing; merge every part, or pass --allow-partial/);
    const partial = await cli(['merge', 'part-1.json', 'part-3.json', '-o', 'partial.json', '--allow-partial'], cwd);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/shard 2 is missing \(--allow-partial\)/);
    const snapshot = validateSnapshot(read(cwd, 'partial.json'));
    expect(snapshot.shard?.missing).toEqual([2]);
    for (const id of parts[1]!.scope.accounts) expect(snapshot.accounts[id]?.access.error?.code).toBe('ShardNotMerged');
    // FAILs elsewhere would win the exit code (1); without the gate, the scan is incomplete: 3.
    const evaluated = await cli(['evaluate', 'partial.json', '--format', 'json', '--now', NOW, '-o', 'out-partial', '--quiet', '--fail-on', 'none'], cwd);
    expect(evaluated.code).toBe(3);
    const report = read(cwd, 'out-partial/trailwarden-report.json');
    const errored = new Set(report.findings.filter((f: { status: string }) => f.status === 'ERROR').map((f: { accountId: string }) => f.accountId));
    for (const id of parts[1]!.scope.accounts) expect(errored.has(id)).toBe(true);
    // Nothing of the missing accounts PASSes, except an organization trail they own whose details
    // another shard read from a member account (as a single scan does when its owner is unreadable).
    const readElsewhere = new Set([parts[0]!, parts[2]!].flatMap((p) => Object.values(p.accounts).flatMap((a) => (a.trails?.value ?? []).filter((t) => t.status).map((t) => t.arn))));
    const passed = report.findings.filter(
      (f: { status: string; accountId: string; resource: { arn: string } }) => f.status === 'PASS' && parts[1]!.scope.accounts.includes(f.accountId) && !readElsewhere.has(f.resource.arn),
    );
    expect(passed).toEqual([]);
  });

  it('refuses parts of different scans, a shard twice, and a snapshot that is not a part', async () => {
    const twice = await cli(['merge', 'part-1.json', 'part-1.json', 'part-2.json', '-o', 'x.json'], cwd);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/part-1\.json: is shard 1\/3 again/);
    const notPart = await cli(['merge', 'single.json', 'part-1.json', '-o', 'x.json'], cwd);
    expect(notPart.code).toBe(2);
    expect(notPart.stderr).toMatch(/single\.json: is not a shard of a scan \(collect it with --shard K\/N\)/);
    const other = await cli(['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--all', '--shard', '2/3', '--regions', 'us-east-1', '-o', 'other-2.json', '--quiet'], cwd);
    expect(other.code).toBe(0);
    const mixed = await cli(['merge', 'part-1.json', 'other-2.json', 'part-3.json', '-o', 'x.json'], cwd);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/other-2\.json: scope\.regions is \["us-east-1"\], but \[\] in .*part-1\.json/);
  });
});

describe('collect --shard auto', () => {
  const cases: [string, Record<string, string>, string[], string][] = [
    ['Kubernetes Indexed Job', { JOB_COMPLETION_INDEX: '1' }, ['--shard-count', '3'], 'shard 2/3 (Kubernetes Indexed Job: JOB_COMPLETION_INDEX=1, --shard-count 3)'],
    ['Kubernetes with the count in the environment', { JOB_COMPLETION_INDEX: '0', TRAILWARDEN_SHARD_COUNT: '3' }, [], 'shard 1/3 (Kubernetes Indexed Job: JOB_COMPLETION_INDEX=0, TRAILWARDEN_SHARD_COUNT=3)'],
    ['AWS Batch array job', { AWS_BATCH_JOB_ARRAY_INDEX: '2', AWS_BATCH_JOB_ARRAY_SIZE: '3' }, [], 'shard 3/3 (AWS Batch array job: AWS_BATCH_JOB_ARRAY_INDEX=2, AWS_BATCH_JOB_ARRAY_SIZE=3)'],
    ['GitHub Actions matrix / Step Functions Map', { TRAILWARDEN_SHARD_INDEX: '1', TRAILWARDEN_SHARD_COUNT: '3' }, [], 'shard 2/3 (TRAILWARDEN_SHARD_INDEX: TRAILWARDEN_SHARD_INDEX=1, TRAILWARDEN_SHARD_COUNT=3)'],
  ];
  for (const [engine, env, flags, line] of cases) {
    it(`reads the shard from a ${engine}'s environment`, async () => {
      const cwd = tmp();
      const r = await cli(['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--shard', 'auto', ...flags, '-o', 'part.json', '--quiet'], cwd, env);
      expect(r.stderr).toContain(`trailwarden: ${line}\n`);
      expect(r.code).toBe(0);
      const part = validateSnapshot(read(cwd, 'part.json'));
      const [k, n] = /shard (\d+)\/(\d+)/.exec(line)!.slice(1).map(Number);
      expect(part.shard).toMatchObject({ index: k, count: n });
      for (const id of part.scope.accounts) expect(shardOf(id, n!)).toBe(k);
    });
  }

  const bad: [string, Record<string, string>, string[], RegExp][] = [
    ['no engine', {}, [], /^trailwarden: --shard auto: no shard index in the environment \(JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or TRAILWARDEN_SHARD_INDEX\)/],
    ['Kubernetes without a count', { JOB_COMPLETION_INDEX: '0' }, [], /JOB_COMPLETION_INDEX is set but not the shard count \(Kubernetes passes the index, not the Job’s completions\); give --shard-count N/],
    ['an index past the count', { AWS_BATCH_JOB_ARRAY_INDEX: '3', AWS_BATCH_JOB_ARRAY_SIZE: '3' }, [], /AWS_BATCH_JOB_ARRAY_INDEX=3 is not below the shard count 3/],
    ['two engines', { JOB_COMPLETION_INDEX: '0', AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ARRAY_SIZE: '2' }, [], /both JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX are set/],
    ['a non-number', { TRAILWARDEN_SHARD_INDEX: 'one', TRAILWARDEN_SHARD_COUNT: '3' }, [], /TRAILWARDEN_SHARD_INDEX is "one", not a whole number/],
    ['a bad K/N', {}, ['--shard', '4/3'], /--shard: shard 4 of 3 does not exist; shards run from 1 to 3/],
    ['a malformed K/N', {}, ['--shard', '1-3'], /--shard: "1-3" is not K\/N \(like 2\/8\) or auto/],
  ];
  for (const [what, env, flags, message] of bad) {
    it(`refuses ${what} in one line, exit 2`, async () => {
      const args = flags[0] === '--shard' ? flags : ['--shard', 'auto', ...flags];
      const r = await cli(['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', ...args, '-o', 'part.json', '--quiet'], tmp(), env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('merge usage', () => {
  it('has --help, and refuses no parts or writing over a part, in one line', () => {
    const help = run(['merge', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: trailwarden merge <part\.json>\.\.\. \[--output snapshot\.json\] \[--allow-partial\]/);
    const none = run(['merge']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('trailwarden: merge needs the part files: trailwarden merge part-1.json part-2.json … -o snapshot.json\n');
    const over = run(['merge', 'a.json', 'b.json', '-o', 'a.json']);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/^trailwarden: --output: .*a\.json is one of the parts; write the merged snapshot to another file\n$/);
    const missing = run(['merge', 'nope.json', '-o', 'x.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^trailwarden: .*nope\.json: cannot read the snapshot file \(ENOENT\)\n$/);
  });
});
