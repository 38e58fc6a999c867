import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORLD_PATH, loadWorld, startSimulator, validateWorld } from '../index.js';
import type { World } from './types.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-world-'));
});

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const minimal = (): World => ({ accounts: [{ id: '111111111111', name: 'solo' }] });

describe('loadWorld', () => {
  it('loads the demo world', async () => {
    const world = await loadWorld(DEMO_WORLD_PATH);
    expect(world.organization?.managementAccountId).toBe('210987654321');
    expect(world.accounts.length).toBeGreaterThanOrEqual(6);
  });

  it('names the file and the field path of a schema error', async () => {
    const path = await fileWith(
      'bad-region.yaml',
      'accounts:\n  - id: "111111111111"\n    name: a\n    trails:\n      - { name: trail-1, homeRegion: "Mars", bucket: b-logs }\n',
    );
    await expect(loadWorld(path)).rejects.toThrow(`${path}: accounts[0].trails[0].homeRegion: must match pattern`);
  });

  it('names an unknown field (a typo) with its path', async () => {
    const path = await fileWith('typo.json', JSON.stringify({ accounts: [{ id: '111111111111', name: 'a', trials: [] }] }));
    await expect(loadWorld(path)).rejects.toThrow(`${path}: accounts[0].trials: unknown field`);
  });

  it('names the precise field inside an optional (nullable) setting', () => {
    const world = minimal();
    world.accounts[0]!.buckets = [{ name: 'some-bucket', region: 'us-east-1', objectLock: { mode: 'FOREVER' as 'GOVERNANCE' } }];
    expect(() => validateWorld(world, 'w.yaml')).toThrow('w.yaml: accounts[0].buckets[0].objectLock.mode: must be one of "GOVERNANCE", "COMPLIANCE"');
    const region = minimal();
    region.accounts[0]!.buckets = [{ name: 'some-bucket', region: 'mars' }];
    expect(() => validateWorld(region, 'w.yaml')).toThrow('w.yaml: accounts[0].buckets[0].region: must match pattern');
  });

  it('names a missing required field', async () => {
    const path = await fileWith('missing.yaml', 'accounts:\n  - id: "111111111111"\n');
    await expect(loadWorld(path)).rejects.toThrow(`${path}: accounts[0].name: is required`);
  });

  it('reports a broken cross-reference by path', async () => {
    const path = await fileWith(
      'xref.yaml',
      'regions: [us-east-1]\naccounts:\n  - id: "111111111111"\n    name: a\n    kmsKeys:\n      - { id: 7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11, region: eu-west-1 }\n',
    );
    await expect(loadWorld(path)).rejects.toThrow(`${path}: accounts[0].kmsKeys[0].region: region eu-west-1 is not one of the world's regions (us-east-1)`);
  });

  it('refuses an organization trail outside the management account', () => {
    const world: World = {
      organization: { id: 'o-abcdefghij', managementAccountId: '111111111111' },
      accounts: [
        { id: '111111111111', name: 'mgmt' },
        { id: '222222222222', name: 'member', trails: [{ name: 'org', homeRegion: 'us-east-1', bucket: 'logs-bucket', organization: true }] },
      ],
    };
    expect(() => validateWorld(world, 'w.yaml')).toThrow('w.yaml: accounts[1].trails[0].organization: only the management account');
  });

  it('refuses unknown policy targets, groups and managed policies', () => {
    const world: World = {
      organization: { id: 'o-abcdefghij', managementAccountId: '111111111111', policies: [{ name: 'p', type: 'SERVICE_CONTROL_POLICY', document: {}, targets: ['Nowhere'] }] },
      accounts: [{ id: '111111111111', name: 'mgmt' }],
    };
    expect(() => validateWorld(world, 'w')).toThrow('w: organization.policies[0].targets[0]: unknown target Nowhere');
    const iam = minimal();
    iam.accounts[0]!.iam = { users: [{ name: 'u', groups: ['ghosts'] }] };
    expect(() => validateWorld(iam, 'w')).toThrow('w: accounts[0].iam.users[0].groups[0]: unknown group ghosts');
    const mp = minimal();
    mp.accounts[0]!.iam = { roles: [{ name: 'r', trustPolicy: {}, managedPolicies: ['Missing'] }] };
    expect(() => validateWorld(mp, 'w')).toThrow('w: accounts[0].iam.roles[0].managedPolicies[0]: unknown customer managed policy Missing');
  });

  it('refuses duplicate account ids and bucket names', () => {
    expect(() => validateWorld({ accounts: [{ id: '111111111111', name: 'a' }, { id: '111111111111', name: 'b' }] }, 'w')).toThrow('w: accounts[1].id: duplicate account id');
    expect(() =>
      validateWorld(
        {
          accounts: [
            { id: '111111111111', name: 'a', buckets: [{ name: 'same-name', region: 'us-east-1' }] },
            { id: '222222222222', name: 'b', buckets: [{ name: 'same-name', region: 'us-east-1' }] },
          ],
        },
        'w',
      ),
    ).toThrow('w: accounts[1].buckets[0].name: bucket name same-name is already used');
  });

  it('refuses an access point name used twice in one account and region (S3: unique per account and region)', () => {
    const world = (second: string) => ({
      accounts: [
        {
          id: '111111111111',
          name: 'a',
          buckets: [
            { name: 'first-bucket', region: 'us-east-1', accessPoints: [{ name: 'reader' }] },
            { name: 'second-bucket', region: second, accessPoints: [{ name: 'reader' }] },
          ],
        },
      ],
    });
    expect(() => validateWorld(world('us-east-1'), 'w')).toThrow('w: accounts[0].buckets[1].accessPoints[0].name: access point reader already exists in account 111111111111, us-east-1');
    expect(() => validateWorld(world('us-west-2'), 'w')).not.toThrow();
  });

  it('reports unparsable YAML and JSON and a missing file with the path', async () => {
    const yamlPath = await fileWith('broken.yaml', 'accounts: [\n  - id: ');
    await expect(loadWorld(yamlPath)).rejects.toThrow(`${yamlPath}: not valid YAML`);
    const jsonPath = await fileWith('broken.json', '{"accounts": [');
    await expect(loadWorld(jsonPath)).rejects.toThrow(`${jsonPath}: not valid JSON`);
    await expect(loadWorld(join(dir, 'absent.yaml'))).rejects.toThrow(`${join(dir, 'absent.yaml')}: cannot read world file`);
  });

  it('startSimulator refuses a bad inline world before listening', async () => {
    await expect(startSimulator({ world: { accounts: [] } as World })).rejects.toThrow('<inline world>: accounts: must NOT have fewer than 1 items');
  });
});
