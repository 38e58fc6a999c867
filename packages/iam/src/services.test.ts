import { type LoadedCheck, createCheck, evaluate } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { A, MGMT, iam, snapshot, user } from './__fixtures__/snapshot.js';
import { iamModelService, tamperCatalogService } from './services.js';

describe('the IAM services of plugin API v2', () => {
  it('give every check of one evaluation the same model, and each evaluation its own', async () => {
    const models: unknown[] = [];
    const judge = (id: string) =>
      createCheck({
        id,
        meta: { title: 'T', description: 'D', severity: 'low', resource: 'AWS::::Account', remediation: { text: 'r' }, messages: { principals: '{{n}} principal(s)' } },
        requires: ['iam'],
        async evaluate(ctx) {
          const model = await ctx.services.use(iamModelService);
          models.push(model);
          const catalog = await ctx.services.use(tamperCatalogService);
          expect(catalog.has('cloudtrail:StopLogging')).toBe(true);
          for (const a of ctx.accounts()) {
            const p = model.principals(a.id);
            if (p.value) ctx.report({ status: 'PASS', resource: a.resource, messageId: 'principals', data: { n: p.value.length } });
          }
        },
      });
    const checks: LoadedCheck[] = [judge('test-a'), judge('test-b')].map((check) => ({ check, plugin: { name: 'test' }, options: {} }));
    const snap = snapshot({ iam: { [MGMT]: iam({ users: [user(MGMT, 'admin')] }), [A]: iam({ users: [user(A, 'alice')] }) } });
    const first = await evaluate(snap, { checks, now: new Date(snap.collectedAt) });
    expect(first.findings.filter((f) => f.status === 'PASS').length).toBeGreaterThan(0);
    await evaluate(snap, { checks, now: new Date(snap.collectedAt) });
    expect(models).toHaveLength(4);
    expect(models[0]).toBe(models[1]);
    expect(models[2]).toBe(models[3]);
    expect(models[0]).not.toBe(models[2]);
  });
});
