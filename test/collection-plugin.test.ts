import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ROOT, run, runWithSimulator, tmp, writePluginPackage } from './helpers.js';

/** A plugin check that collects each trail's tags (`cloudtrail:ListTags`) and fails an untagged trail. */
const pluginSource = (command: string) => `
import { defineCheck } from '${join(ROOT, 'packages/core/dist/index.js')}';

export default defineCheck({
  id: 'acme-trail-tagged',
  meta: {
    title: 'Trails carry an owner tag',
    description: 'Each trail is tagged with its owner.',
    severity: 'low',
    resource: 'AWS::CloudTrail::Trail',
    remediation: { text: 'Tag the trail.' },
    messages: { tagged: 'Trail {{name}} has an owner tag.', untagged: 'Trail {{name}} has no owner tag.' },
  },
  requires: ['trails'],
  collect: { tags: { command: '${command}', per: 'trail', input: { ResourceIdList: ['{{trail.arn}}'] }, select: ['ResourceTagList'] } },
  evaluate(ctx) {
    ctx.forEachTrail((trail) => {
      const tags = ctx.extension('tags', { trail });
      if (tags.error) return ctx.error(trail.resource, tags.error);
      const list = tags.value.ResourceTagList?.[0]?.TagsList ?? [];
      if (list.some((t) => t.Key === 'owner')) ctx.pass(trail.resource, 'tagged', { name: trail.trail.name });
      else ctx.fail(trail.resource, 'untagged', { name: trail.trail.name });
    });
  },
});
`;

function project(command: string, name = 'trailwarden-plugin-trail-tags'): string {
  const cwd = tmp();
  writePluginPackage(join(cwd, 'p'), pluginSource(command), name);
  writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./p]\n');
  return cwd;
}

describe('a plugin that declares a mutating collect command', () => {
  it('is refused at load time: exit 2, one line naming the plugin, the check, the entry and the command', () => {
    const r = run(['evaluate', DEMO], project('cloudtrail:StopLogging', 'bad-plugin'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'trailwarden: plugin bad-plugin: check "acme-trail-tagged", collect entry "tags": command "cloudtrail:StopLogging" is not a read-only operation (Trailwarden collects only Get*, List* and Describe* operations)\n',
    );
  });
});

describe('a plugin that collects extra data', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
  });
  afterAll(async () => {
    await sim?.stop();
  });


  const findings = (cwd: string) =>
    (JSON.parse(readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8')).findings as { checkId: string; status: string; message: string }[]).filter(
      (f) => f.checkId === 'acme-trail-tagged',
    );

  it('collect stores what the endpoint answered under the plugin; evaluate judges it offline, never PASSing on an error', async () => {
    const cwd = project('cloudtrail:ListTags');
    sim.resetCounters();
    const collected = await runWithSimulator(sim, ['collect', '--endpoint-url', sim.url, '--checks', 'acme-trail-tagged', '-o', 'snap.json', '--quiet'], cwd);
    expect(collected.stderr).toMatch(/^trailwarden: config: .*\ntrailwarden: plugin: trailwarden-plugin-trail-tags .*\ntrailwarden: plugin collection needs these IAM actions beyond the collector's own: cloudtrail:ListTags \(built-in allow-list\)\n$/);
    expect(collected.code).toBe(0);
    expect(sim.counters().mutations).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(cwd, 'snap.json'), 'utf8'));
    const stored = Object.entries(snapshot.extensions['trailwarden-plugin-trail-tags'] as Record<string, { error?: { code: string } }>);
    expect(stored.length).toBeGreaterThan(0);
    // The simulator serves no ListTags: each trail's value is that answer, where it was asked.
    expect(new Set(stored.map(([k, v]) => `${k.split('/')[0]} ${v.error?.code}`))).toEqual(new Set(['tags UnknownOperationException']));

    const evaluated = run(['evaluate', 'snap.json', '--format', 'json', '--checks', 'acme-trail-tagged'], cwd);
    expect(evaluated.stderr).toMatch(/^trailwarden: config: .*\ntrailwarden: plugin: trailwarden-plugin-trail-tags .*\n$/);
    const judged = findings(cwd);
    expect(judged.every((f) => f.status === 'ERROR')).toBe(true);
    const perTrail = judged.filter((f) => f.message.includes('ListTags failed') && f.message.includes('UnknownOperationException'));
    expect(perTrail.length).toBe(stored.length);
    // The rest: the demo world's SCP-denied region, where no trail could be listed (and so none judged).
    expect(judged.filter((f) => !perTrail.includes(f)).every((f) => f.message.includes('DescribeTrails failed'))).toBe(true);
  });

  it('a snapshot collected without the check gives NotCollected, asking to collect again', () => {
    const cwd = project('cloudtrail:ListTags');
    run(['evaluate', DEMO, '--format', 'json', '--checks', 'acme-trail-tagged'], cwd);
    const judged = findings(cwd);
    expect(judged.every((f) => f.status === 'ERROR')).toBe(true);
    // One per trail (the fixture's unreadable account is an ERROR of its own).
    const perTrail = judged.filter((f) => f.message.includes('ListTags'));
    expect(perTrail.length).toBe(3);
    expect(perTrail.every((f) => f.message.includes('NotCollected') && f.message.includes('collect again with this check enabled'))).toBe(true);
  });
});
