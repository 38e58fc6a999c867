import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  paginateListTrails,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, clientsAs, DEMO, errorOf } from '../clients.test-util.js';
import { DEMO_WORLD_PATH, type SimServer, startSimulator, type World } from '../index.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH });
});
afterAll(() => sim.stop());

const names = (out: { trailList?: { Name?: string; HomeRegion?: string }[] }) => (out.trailList ?? []).map((t) => `${t.Name}@${t.HomeRegion}`).sort();

describe('CloudTrail in the owner account', () => {
  it('describes the organization trail in its home region with every setting', async () => {
    const out = await clients(sim).cloudtrail.send(new DescribeTrailsCommand({}));
    expect(out.trailList).toEqual([
      {
        Name: 'acme-org-trail',
        S3BucketName: 'acme-org-cloudtrail-logs-318273645501',
        S3KeyPrefix: 'org',
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: 'us-east-1',
        TrailARN: DEMO.orgTrailArn,
        LogFileValidationEnabled: true,
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:210987654321:log-group:aws-cloudtrail-org:*',
        CloudWatchLogsRoleArn: 'arn:aws:iam::210987654321:role/CloudTrailToCloudWatch',
        KmsKeyId: 'arn:aws:kms:us-east-1:318273645501:key/7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11',
        HasCustomEventSelectors: true,
        HasInsightSelectors: true,
        IsOrganizationTrail: true,
      },
    ]);
  });

  it('shows a multi-region trail as a shadow in every other region, unless includeShadowTrails is false', async () => {
    const west = clients(sim, { region: 'us-west-2' }).cloudtrail;
    expect(names(await west.send(new DescribeTrailsCommand({})))).toEqual(['acme-org-trail@us-east-1']);
    expect(names(await west.send(new DescribeTrailsCommand({ includeShadowTrails: false })))).toEqual([]);
  });

  it('reads a trail homed elsewhere only by ARN', async () => {
    const west = clients(sim, { region: 'us-west-2' }).cloudtrail;
    expect(await errorOf(west.send(new GetTrailStatusCommand({ Name: 'acme-org-trail' })))).toMatchObject({ name: 'TrailNotFoundException' });
    expect(await errorOf(west.send(new GetEventSelectorsCommand({ TrailName: 'acme-org-trail' })))).toMatchObject({ name: 'TrailNotFoundException' });
    expect(names(await west.send(new DescribeTrailsCommand({ trailNameList: ['acme-org-trail'] })))).toEqual([]);
    expect(names(await west.send(new DescribeTrailsCommand({ trailNameList: [DEMO.orgTrailArn] })))).toEqual(['acme-org-trail@us-east-1']);
    const status = await west.send(new GetTrailStatusCommand({ Name: DEMO.orgTrailArn }));
    expect(status.IsLogging).toBe(true);
    expect(status.LatestDeliveryTime).toEqual(new Date('2026-11-21T15:40:00Z'));
    expect(status.StartLoggingTime).toEqual(new Date('2019-03-04T10:30:00Z'));
  });

  it('returns classic and insight selectors to the owner', async () => {
    const ct = clients(sim).cloudtrail;
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: 'acme-org-trail' }));
    expect(selectors).toMatchObject({
      TrailARN: DEMO.orgTrailArn,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
    });
    expect(selectors.AdvancedEventSelectors).toBeUndefined();
    const insights = await ct.send(new GetInsightSelectorsCommand({ TrailName: DEMO.orgTrailArn }));
    expect(insights.InsightSelectors).toEqual([{ InsightType: 'ApiCallRateInsight' }]);
  });

  it('answers CloudTrailARNInvalidException for a malformed ARN', async () => {
    const err = await errorOf(clients(sim).cloudtrail.send(new GetTrailStatusCommand({ Name: 'arn:aws:cloudtrail:us-east-1:nope' })));
    expect(err.name).toBe('CloudTrailARNInvalidException');
  });
});

describe('CloudTrail from a member account', () => {
  it('sees the organization trail (and its own) in DescribeTrails, in every region', async () => {
    const east = (await clientsAs(sim, DEMO.payments)).cloudtrail;
    expect(names(await east.send(new DescribeTrailsCommand({})))).toEqual(['acme-org-trail@us-east-1', 'payments-audit@us-east-1']);
    const west = (await clientsAs(sim, DEMO.payments, 'us-west-2')).cloudtrail;
    expect(names(await west.send(new DescribeTrailsCommand({})))).toEqual(['acme-org-trail@us-east-1', 'payments-audit@us-east-1']);
    // An organization trail is a shadow in member accounts.
    expect(names(await east.send(new DescribeTrailsCommand({ includeShadowTrails: false })))).toEqual(['payments-audit@us-east-1']);
  });

  it('reads the organization trail status by ARN, but not its selectors', async () => {
    const ct = (await clientsAs(sim, DEMO.payments)).cloudtrail;
    expect((await ct.send(new GetTrailStatusCommand({ Name: DEMO.orgTrailArn }))).IsLogging).toBe(true);
    expect(await errorOf(ct.send(new GetTrailStatusCommand({ Name: 'acme-org-trail' })))).toMatchObject({ name: 'TrailNotFoundException' });
    expect(await errorOf(ct.send(new GetEventSelectorsCommand({ TrailName: DEMO.orgTrailArn })))).toMatchObject({ name: 'CloudTrailARNInvalidException' });
    expect(await errorOf(ct.send(new GetInsightSelectorsCommand({ TrailName: DEMO.orgTrailArn })))).toMatchObject({ name: 'CloudTrailARNInvalidException' });
  });

  it('reports a stopped trail and its advanced selectors', async () => {
    const ct = (await clientsAs(sim, DEMO.payments)).cloudtrail;
    const status = await ct.send(new GetTrailStatusCommand({ Name: 'payments-audit' }));
    expect(status).toMatchObject({ IsLogging: false, StopLoggingTime: new Date('2026-10-30T22:13:00Z') });
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: 'payments-audit' }));
    expect(selectors.EventSelectors).toBeUndefined();
    expect(selectors.AdvancedEventSelectors).toEqual([{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);
  });

  it("answers AWS's default event selector for a trail never configured, and InsightNotEnabledException", async () => {
    const ct = (await clientsAs(sim, DEMO.sandbox, 'us-west-2')).cloudtrail;
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: 'sandbox-trail' }));
    expect(selectors.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    const described = await ct.send(new DescribeTrailsCommand({ trailNameList: ['sandbox-trail'] }));
    expect(described.trailList?.[0]).toMatchObject({ HasCustomEventSelectors: false, HasInsightSelectors: false, IsMultiRegionTrail: false, LogFileValidationEnabled: false });
    expect(await errorOf(ct.send(new GetInsightSelectorsCommand({ TrailName: 'sandbox-trail' })))).toMatchObject({ name: 'InsightNotEnabledException' });
  });

  it('does not show a single-region trail outside its region, even by ARN', async () => {
    const east = (await clientsAs(sim, DEMO.sandbox, 'us-east-1')).cloudtrail;
    expect(names(await east.send(new DescribeTrailsCommand({})))).toEqual(['acme-org-trail@us-east-1']);
    const arn = 'arn:aws:cloudtrail:us-west-2:754093021605:trail/sandbox-trail';
    expect(await errorOf(east.send(new GetTrailStatusCommand({ Name: arn })))).toMatchObject({ name: 'TrailNotFoundException' });
  });
});

describe('regions', () => {
  it('refuses a region the account has not enabled with UnrecognizedClientException', async () => {
    const err = await errorOf(clients(sim, { region: 'af-south-1' }).cloudtrail.send(new DescribeTrailsCommand({})));
    expect(err).toMatchObject({ name: 'UnrecognizedClientException', status: 400 });
  });

  it('serves an opt-in region the account enabled', async () => {
    const ct = (await clientsAs(sim, DEMO.web, 'af-south-1')).cloudtrail;
    expect(names(await ct.send(new DescribeTrailsCommand({})))).toEqual(['acme-org-trail@us-east-1', 'web-trail@us-west-2']);
  });

  it('answers AccessDenied in a region an SCP denies', async () => {
    const ct = (await clientsAs(sim, DEMO.sandbox, 'eu-west-1')).cloudtrail;
    const err = await errorOf(ct.send(new DescribeTrailsCommand({})));
    expect(err.name).toBe('AccessDeniedException');
    // IAM's format: "User: <arn> is not authorized to perform: <action> with an explicit deny in a service control policy".
    expect(err.message).toBe(`User: arn:aws:sts::${DEMO.sandbox}:assumed-role/TrailwardenAudit/trailwarden-test is not authorized to perform: cloudtrail:DescribeTrails with an explicit deny in a service control policy`);
  });
});

describe('ListTrails', () => {
  it('pages through every trail of the account, whatever its home region', async () => {
    const trails = Array.from({ length: 12 }, (_, i) => ({ name: `trail-${String(i).padStart(2, '0')}`, homeRegion: i % 2 ? 'us-east-1' : 'us-west-2', bucket: 'some-logs' }));
    const world: World = { accounts: [{ id: '111111111111', name: 'many', trails }] };
    const many = await startSimulator({ world });
    try {
      const ct = clients(many).cloudtrail;
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateListTrails({ client: ct }, {})) {
        pages++;
        for (const t of page.Trails ?? []) seen.push(`${t.Name}@${t.HomeRegion}`);
      }
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(trails.map((t) => `${t.name}@${t.homeRegion}`).sort());
      expect(many.counters().byOperation['CloudTrail.ListTrails']).toBe(3);
    } finally {
      await many.stop();
    }
  });
});
