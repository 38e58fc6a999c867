import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_ACTIONS, OPERATION_ACTIONS } from './actions.js';
import { INTEGRITY_ACTIONS, INTEGRITY_OPERATION_ACTIONS } from './integrity/actions.js';
import { ClientFactory } from './clients.js';
import { Caller } from './pacing/caller.js';
import { Metrics } from './pacing/metrics.js';
import { guardClient, isReadOnlyCommandName, MutatingCallRefused } from './read-only.js';

const here = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__fixtures__' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The object reads of `verify-logs` (src/integrity/) have their own table and policy. */
const INTEGRITY_DIR = join(here, 'integrity');
const isIntegrity = (file: string) => file.startsWith(`${INTEGRITY_DIR}/`);

/** Every `XxxCommand` value the shipped source imports from an AWS SDK client, with its package. */
function importedCommands(which: 'collector' | 'integrity' | 'all' = 'collector'): { name: string; from: string }[] {
  const out: { name: string; from: string }[] = [];
  for (const file of sourceFiles(here).filter((f) => which === 'all' || isIntegrity(f) === (which === 'integrity'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      for (const raw of m[1]!.split(',')) {
        const spec = raw.trim();
        if (!spec || spec.startsWith('type ')) continue;
        const name = spec.split(/\s+as\s+/)[0]!.trim();
        if (name.endsWith('Command')) out.push({ name, from: m[2]! });
      }
    }
  }
  return out;
}

describe('read-only by construction', () => {
  it('the source imports only Get/List/Describe commands and STS AssumeRole/GetCallerIdentity', () => {
    const commands = importedCommands('all');
    expect(commands.length).toBeGreaterThan(25);
    const bad = commands.filter((c) => !isReadOnlyCommandName(c.name));
    expect(bad).toEqual([]);
  });

  it('every imported command has its IAM action in the table and the shipped policy, and nothing more', () => {
    const policy = JSON.parse(readFileSync(join(here, '..', 'policy', 'trailwarden-collector-policy.json'), 'utf8')) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    const granted = policy.Statement.flatMap((s) => s.Action).sort();
    expect(granted).toEqual(COLLECTOR_ACTIONS);
    for (const s of policy.Statement) expect(s.Effect).toBe('Allow');
    const used = new Set<string>();
    for (const c of importedCommands()) {
      const op = c.name.replace(/Command$/, '');
      const key = c.from === '@aws-sdk/client-s3-control' ? `S3Control:${op}` : op;
      const action = OPERATION_ACTIONS[key];
      expect(action, `${c.name} from ${c.from}`).toBeDefined();
      used.add(action!);
    }
    expect([...used].sort()).toEqual(COLLECTOR_ACTIONS);
    // Only read actions (plus sts:AssumeRole, and LookupEvents, which reads Event History) are ever granted.
    for (const a of COLLECTOR_ACTIONS) expect(a).toMatch(/^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+$|^sts:AssumeRole$|^cloudtrail:LookupEvents$/);
  });

  it('verify-logs imports only its object reads, granted by its own policy and never by the collector policy', () => {
    const policy = JSON.parse(readFileSync(join(here, '..', 'policy', 'trailwarden-verify-logs-policy.json'), 'utf8')) as { Statement: { Effect: string; Action: string[] }[] };
    expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual(INTEGRITY_ACTIONS);
    const used = new Set<string>();
    for (const c of importedCommands('integrity')) {
      const op = c.name.replace(/Command$/, '');
      const action = INTEGRITY_OPERATION_ACTIONS[op] ?? OPERATION_ACTIONS[op];
      expect(action, `${c.name} from ${c.from}`).toBeDefined();
      used.add(action!);
    }
    expect([...used].sort()).toEqual(['cloudtrail:ListPublicKeys', 's3:GetObject', 's3:ListBucket', 'sts:GetCallerIdentity']);
    for (const a of ['s3:GetObject', 's3:ListBucket', 'kms:Decrypt', 'cloudtrail:ListPublicKeys']) expect(COLLECTOR_ACTIONS).not.toContain(a);
  });

  it('a client built by the collector refuses a mutating command before anything is sent', async () => {
    const factory = new ClientFactory('http://127.0.0.1:9');
    try {
      await factory.loadClientClasses();
      const s3 = factory.create('s3', 'us-east-1', { accessKeyId: 'a', secretAccessKey: 'b' });
      await expect(s3.send(new PutBucketPolicyCommand({ Bucket: 'b', Policy: '{}' }) as never)).rejects.toBeInstanceOf(MutatingCallRefused);
      const guarded = guardClient(new S3Client({ region: 'us-east-1' }));
      await expect(guarded.send(new PutBucketPolicyCommand({ Bucket: 'b', Policy: '{}' }))).rejects.toThrow(/read-only: refusing to send PutBucketPolicyCommand/);
    } finally {
      factory.close();
    }
  });

  it('the Caller refuses a mutating command and counts no call', async () => {
    const metrics = new Metrics();
    const caller = new Caller({ metrics });
    let sent = 0;
    const client = { send: async () => (sent += 1) };
    await expect(caller.send({ accountId: '111111111111', region: 'us-east-1', service: 'cloudtrail' }, client, new StopLoggingCommand({ Name: 't' }))).rejects.toBeInstanceOf(
      MutatingCallRefused,
    );
    expect(sent).toBe(0);
    expect(metrics.calls).toBe(0);
  });
});
