import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { paginateListAccounts } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { clients, clientsAs } from '../clients.test-util.js';
import { generateWorld, startSimulator, validateWorld } from '../index.js';

describe('generateWorld', () => {
  it('is deterministic from its seed and valid at any size', () => {
    const a = generateWorld({ accounts: 250, regions: 4, seed: 9 });
    expect(generateWorld({ accounts: 250, regions: 4, seed: 9 })).toEqual(a);
    expect(generateWorld({ accounts: 250, regions: 4, seed: 10 })).not.toEqual(a);
    expect(() => validateWorld(a, 'generated')).not.toThrow();
    expect(a.accounts).toHaveLength(250);
    expect(a.regions).toEqual(['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1']);
    expect(() => validateWorld(generateWorld({ accounts: 3 }), 'tiny')).not.toThrow();
    expect(() => validateWorld(generateWorld({ accounts: 40, regions: ['us-east-1', 'af-south-1'], seed: 3 }), 'opt-in')).not.toThrow();
  });

  it('mixes good and broken configurations', () => {
    const world = generateWorld({ accounts: 400, seed: 5 });
    const trails = world.accounts.flatMap((a) => a.trails ?? []);
    const buckets = world.accounts.flatMap((a) => a.buckets ?? []);
    expect(trails.some((t) => t.logFileValidation === false)).toBe(true);
    expect(trails.some((t) => t.logFileValidation === true)).toBe(true);
    expect(trails.some((t) => t.status?.isLogging === false)).toBe(true);
    expect(trails.some((t) => t.multiRegion === false)).toBe(true);
    expect(buckets.some((b) => b.publicAccessBlock === null)).toBe(true);
    expect(buckets.some((b) => b.acl !== undefined)).toBe(true);
    expect(world.accounts.some((a) => (a.deniedRegions?.length ?? 0) > 0)).toBe(true);
  });

  it('serves a 1,000-account organization', async () => {
    const world = generateWorld({ accounts: 1000, seed: 1 });
    const sim = await startSimulator({ world });
    try {
      let count = 0;
      for await (const page of paginateListAccounts({ client: clients(sim).organizations }, {})) count += page.Accounts!.length;
      expect(count).toBe(1000);
      const member = world.accounts[500]!;
      const trails = await (await clientsAs(sim, member.id)).cloudtrail.send(new DescribeTrailsCommand({}));
      expect(trails.trailList?.some((t) => t.IsOrganizationTrail)).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
