import { GetEventDataStoreCommand, ListEventDataStoresCommand, paginateListEventDataStores } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, errorOf } from '../clients.test-util.js';
import { type SimServer, startSimulator, type World } from '../index.js';

const MGMT = '100000000001';
const ADMIN = '100000000002';
const MEMBER = '100000000003';
const KEY = `arn:aws:kms:us-east-1:${MGMT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const trusting = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'sts:AssumeRole' }] };
const audit = { name: 'TrailwardenAudit', trustPolicy: trusting, managedPolicies: ['arn:aws:iam::aws:policy/SecurityAudit'] };

const world: World = {
  regions: ['us-east-1', 'eu-west-1'],
  organization: { id: 'o-lake000001', managementAccountId: MGMT, delegatedAdministrators: [{ accountId: ADMIN, servicePrincipal: 'cloudtrail.amazonaws.com' }] },
  caller: { accountId: MGMT },
  accounts: [
    {
      id: MGMT,
      name: 'management',
      eventDataStores: [
        { name: 'org-eds', region: 'us-east-1', organization: true, kmsKeyId: KEY },
        ...Array.from({ length: 7 }, (_, i) => ({ name: `eds-${i}`, region: 'us-east-1', status: 'STOPPED_INGESTION' as const, terminationProtection: false })),
        { name: 'eu-eds', region: 'eu-west-1', multiRegion: false },
      ],
      iam: { roles: [audit] },
    },
    { id: ADMIN, name: 'security', iam: { roles: [audit] } },
    { id: MEMBER, name: 'workload', eventDataStores: [{ name: 'own', region: 'us-east-1' }], iam: { roles: [audit] } },
  ],
} as World;

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ world, port: 0 });
});
afterAll(() => sim.stop());

async function as(accountId: string, region = 'us-east-1') {
  if (accountId === MGMT) return clients(sim, { region }).cloudtrail;
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const out = await clients(sim).sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/TrailwardenAudit`, RoleSessionName: 'trailwarden-test' }));
  const c = out.Credentials!;
  return clients(sim, { region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }).cloudtrail;
}

const listAll = async (accountId: string, region = 'us-east-1') => {
  const out: { EventDataStoreArn?: string; Name?: string }[] = [];
  for await (const page of paginateListEventDataStores({ client: await as(accountId, region) }, {})) out.push(...(page.EventDataStores ?? []));
  return out;
};

describe('CloudTrail Lake event data stores', () => {
  it('ListEventDataStores is regional and pages; each entry has only the ARN and name (its other members are deprecated)', async () => {
    const east = await listAll(MGMT);
    expect(east.map((s) => s.Name).sort()).toEqual(['eds-0', 'eds-1', 'eds-2', 'eds-3', 'eds-4', 'eds-5', 'eds-6', 'org-eds']);
    for (const s of east) expect(Object.keys(s).sort()).toEqual(['EventDataStoreArn', 'Name']);
    expect((await listAll(MGMT, 'eu-west-1')).map((s) => s.Name)).toEqual(['eu-eds']);
    const first = await (await as(MGMT)).send(new ListEventDataStoresCommand({}));
    expect(first.EventDataStores).toHaveLength(5);
    expect(first.NextToken).toBeDefined();
    expect(await errorOf((await as(MGMT)).send(new ListEventDataStoresCommand({ MaxResults: 1001 })))).toMatchObject({ name: 'InvalidMaxResultsException' });
  });

  it('GetEventDataStore answers the details, KmsKeyId only for a customer managed key', async () => {
    const [org] = (await listAll(MGMT)).filter((s) => s.Name === 'org-eds');
    const got = await (await as(MGMT)).send(new GetEventDataStoreCommand({ EventDataStore: org!.EventDataStoreArn }));
    expect(got).toMatchObject({
      Name: 'org-eds',
      Status: 'ENABLED',
      OrganizationEnabled: true,
      MultiRegionEnabled: true,
      TerminationProtectionEnabled: true,
      KmsKeyId: KEY,
      AdvancedEventSelectors: [{ Name: 'Default management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
    });
    const [eu] = await listAll(MGMT, 'eu-west-1');
    const plain = await (await as(MGMT, 'eu-west-1')).send(new GetEventDataStoreCommand({ EventDataStore: eu!.EventDataStoreArn!.split('/').pop() }));
    expect(plain.KmsKeyId).toBeUndefined();
    expect(plain.MultiRegionEnabled).toBe(false);
    // The store lives in eu-west-1: asked in us-east-1 it is not found.
    expect(await errorOf((await as(MGMT)).send(new GetEventDataStoreCommand({ EventDataStore: eu!.EventDataStoreArn })))).toMatchObject({ name: 'EventDataStoreNotFoundException' });
  });

  it('the CloudTrail delegated administrator lists and reads the organization store (it lives in the management account); a member sees neither', async () => {
    const org = (await listAll(MGMT)).find((s) => s.Name === 'org-eds')!;
    expect(org.EventDataStoreArn).toMatch(new RegExp(`^arn:aws:cloudtrail:us-east-1:${MGMT}:eventdatastore/`));
    expect((await listAll(ADMIN)).map((s) => s.EventDataStoreArn)).toEqual([org.EventDataStoreArn]);
    expect((await (await as(ADMIN)).send(new GetEventDataStoreCommand({ EventDataStore: org.EventDataStoreArn }))).OrganizationEnabled).toBe(true);
    expect((await listAll(MEMBER)).map((s) => s.Name)).toEqual(['own']);
    expect(await errorOf((await as(MEMBER)).send(new GetEventDataStoreCommand({ EventDataStore: org.EventDataStoreArn })))).toMatchObject({ name: 'EventDataStoreARNInvalidException', status: 400 });
  });
});
