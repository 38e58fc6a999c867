/**
 * The shipped read-only policy against what the collector sends: the policy is generated from the
 * action table, and a full scan of the demo organization through the real SDK and the simulator
 * sends no operation the policy does not grant (a new reader without its table entry fails here
 * and in read-only.test.ts, whichever partition or role name the policy is written for).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_SECTIONS } from '@trailwarden/core';
import { DEMO_WORLD_PATH, startSimulator } from '@trailwarden/sim';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_ACTIONS, OPERATION_ACTIONS } from './actions.js';
import { collect } from './collect.js';
import { INTEGRITY_ACTIONS } from './integrity/actions.js';
import { collectorPolicy, isRoleName, POLICY_PARTITIONS } from './policy.js';

const here = dirname(fileURLToPath(import.meta.url));
const granted = (p: ReturnType<typeof collectorPolicy>) => new Set(p.Statement.flatMap((s) => s.Action));

describe('the collector policy', () => {
  it('with the defaults is the shipped policy file', () => {
    const shipped = JSON.parse(readFileSync(join(here, '..', 'policy', 'trailwarden-collector-policy.json'), 'utf8')) as ReturnType<typeof collectorPolicy>;
    const sorted = (p: ReturnType<typeof collectorPolicy>) => ({ ...p, Statement: p.Statement.map((s) => ({ ...s, Action: [...s.Action].sort() })) });
    expect(sorted(collectorPolicy())).toEqual(sorted(shipped));
  });

  it('grants every collector action in every partition, sts:AssumeRole only on the scan roles, nothing of verify-logs unless asked', () => {
    for (const partition of POLICY_PARTITIONS) {
      const p = collectorPolicy({ partition, roleName: 'audit/Scanner', managementRoleName: 'MgmtScanner' });
      expect([...granted(p)].sort()).toEqual(COLLECTOR_ACTIONS);
      const assume = p.Statement.filter((s) => s.Action.includes('sts:AssumeRole'));
      expect(assume).toEqual([
        { Sid: 'TrailwardenAssumeScanRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [`arn:${partition}:iam::*:role/audit/Scanner`, `arn:${partition}:iam::*:role/MgmtScanner`] },
      ]);
      for (const a of INTEGRITY_ACTIONS) expect(granted(p).has(a)).toBe(false);
    }
    expect([...granted(collectorPolicy({ verifyLogs: true }))].sort()).toEqual([...new Set([...COLLECTOR_ACTIONS, ...INTEGRITY_ACTIONS])].sort());
  });

  it("adds plugins' actions in a statement of their own, once", () => {
    const p = collectorPolicy({ pluginActions: ['dynamodb:DescribeTable', 'cloudtrail:ListTags', 'cloudtrail:DescribeTrails', 'cloudtrail:ListTags'] });
    expect(p.Statement.at(-1)).toEqual({ Sid: 'TrailwardenPluginReads', Effect: 'Allow', Action: ['cloudtrail:ListTags', 'dynamodb:DescribeTable'], Resource: '*' });
  });

  it('knows an IAM role name', () => {
    for (const ok of ['OrganizationAccountAccessRole', 'audit/Scanner', 'a+b=c,d.e@f-g_h']) expect(isRoleName(ok)).toBe(true);
    for (const bad of ['', 'bad role', '/lead', 'a//b', 'x'.repeat(65)]) expect(isRoleName(bad)).toBe(false);
  });

  it('grants every operation a full scan sends (derived from the calls the simulator received)', async () => {
    const sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
    try {
      await collect({ sections: [...SNAPSHOT_SECTIONS], endpointUrl: sim.url, credentials: sim.callerCredentials, region: 'us-east-1', roleName: 'TrailwardenAudit' });
      const sent = Object.keys(sim.counters().byOperation);
      expect(sent.length).toBeGreaterThan(25);
      const policy = granted(collectorPolicy({ roleName: 'TrailwardenAudit' }));
      for (const label of sent) {
        const [service, operation] = label.split('.') as [string, string];
        const action = OPERATION_ACTIONS[service === 'S3Control' ? `S3Control:${operation}` : operation];
        expect(action, `${label} has no IAM action in actions.ts`).toBeDefined();
        expect(policy.has(action!), `${label} → ${action} is not in the policy`).toBe(true);
      }
    } finally {
      await sim.stop();
    }
  }, 60_000);
});
