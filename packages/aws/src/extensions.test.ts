import { ListTagsCommand, ListTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { type CollectDeclaration, declarationHash, validateSnapshot } from '@trailwarden/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ARCHIVE_BUCKET,
  awsError,
  CALLER_CREDENTIALS,
  DENIED,
  defaultWorld,
  LOCAL_BUCKET,
  LOCAL_TRAIL_ARN,
  LOGS,
  MEMBER,
  MGMT,
  type Mocks,
  mockWorld,
  ORG_KEY_ARN,
  ORG_TRAIL_ARN,
} from './__fixtures__/mock-world.js';
import { ClientFactory } from './clients.js';
import { CollectorError } from './errors.js';
import { resolveExtensions } from './extensions.js';
import { type CollectOptions, collect } from './index.js';
import { DEFAULT_QUOTA, PACE_FRACTION, paceFor } from './pacing/quotas.js';
import { MutatingCallRefused } from './read-only.js';

const PLUGIN = '@acme/trailwarden-check-tags';
const NOW = () => new Date('2026-11-21T12:00:00Z');
const TAGS: CollectDeclaration = { command: 's3:GetBucketTagging', per: 'bucket', input: { Bucket: '{{bucket.name}}' }, select: ['TagSet'], notConfigured: ['NoSuchTagSet'] };

let mocks: Mocks | undefined;
afterEach(() => {
  mocks?.restore();
  mocks = undefined;
});

function run(entries: Record<string, CollectDeclaration>, setup: (m: Mocks) => void = () => {}, extra: Partial<CollectOptions> = {}) {
  mocks = mockWorld(defaultWorld());
  setup(mocks);
  return collect({ sections: [], credentials: CALLER_CREDENTIALS, now: NOW, endpointUrl: 'http://127.0.0.1:1', extensions: [{ plugin: PLUGIN, entries }], ...extra });
}

/** The account (from the request's credentials) and region a stubbed call was made in. */
async function where(getClient: () => unknown): Promise<string> {
  const config = (getClient() as { config: { region: () => Promise<string>; credentials: () => Promise<{ accessKeyId: string }> } }).config;
  const [region, creds] = await Promise.all([config.region(), config.credentials()]);
  return `${creds.accessKeyId.replace(/^AK/, '')}/${region}`;
}

describe('collect() — plugin collect entries', () => {
  it('reads each trail bucket in its owner account and region, keeps the selected fields, and records the request', async () => {
    const seen: string[] = [];
    const snapshot = await run({ tags: TAGS }, (m) => {
      m.s3.on(GetBucketTaggingCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
        seen.push(`${input.Bucket}@${await where(gc)}`);
        if (input.Bucket === LOCAL_BUCKET) throw awsError('NoSuchTagSet', 404);
        return { TagSet: [{ Key: 'data-classification', Value: 'logs' }], $metadata: { httpStatusCode: 200 } };
      });
    });
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
    // The bucket placement walks the buckets section, so it was collected without being asked.
    expect(snapshot.sections).toEqual(expect.arrayContaining(['regions', 'trails', 'buckets']));
    expect(seen.sort()).toEqual([`${ARCHIVE_BUCKET}@${LOGS}/eu-west-1`, `${LOCAL_BUCKET}@${MEMBER}/us-east-1`].sort());
    expect(snapshot.extensions).toEqual({
      [PLUGIN]: {
        [`tags/bucket/${LOCAL_BUCKET}`]: { value: null },
        [`tags/bucket/${ARCHIVE_BUCKET}`]: { value: { TagSet: [{ Key: 'data-classification', Value: 'logs' }] } },
      },
    });
    expect(Object.keys(snapshot.extensions?.[PLUGIN] ?? {})).toEqual([`tags/bucket/${LOCAL_BUCKET}`, `tags/bucket/${ARCHIVE_BUCKET}`]); // sorted: deterministic output
    expect(snapshot.extensionsRequested).toEqual({ [PLUGIN]: { tags: declarationHash(TAGS) } });
  });

  it('stores AWS errors as Known errors naming code, operation, account and region; retries throttling', async () => {
    let throttled = false;
    const snapshot = await run({ tags: TAGS }, (m) => {
      m.s3.on(GetBucketTaggingCommand as never).callsFake(async (input: { Bucket: string }) => {
        if (input.Bucket === LOCAL_BUCKET) throw awsError('AccessDenied', 403, 'not allowed');
        if (!throttled) {
          throttled = true;
          throw awsError('SlowDown', 503);
        }
        return { TagSet: [] };
      });
    });
    const stored = snapshot.extensions?.[PLUGIN] ?? {};
    expect(stored[`tags/bucket/${LOCAL_BUCKET}`]).toEqual({ error: { code: 'AccessDenied', message: 'not allowed', operation: 'GetBucketTagging', accountId: MEMBER, region: 'us-east-1' } });
    expect(stored[`tags/bucket/${ARCHIVE_BUCKET}`]).toEqual({ value: { TagSet: [] } });
    expect(throttled).toBe(true);
  });

  it('reads per trail in the owner account and home region, filling {{trail.arn}}; never the unreadable account', async () => {
    const calls: string[] = [];
    const snapshot = await run({ trailTags: { command: 'cloudtrail:ListTags', per: 'trail', input: { ResourceIdList: ['{{trail.arn}}'] } } }, (m) => {
      m.cloudtrail.on(ListTagsCommand as never).callsFake(async (input: { ResourceIdList: string[] }, gc: () => unknown) => {
        calls.push(`${input.ResourceIdList.join(',')}@${await where(gc)}`);
        return { ResourceTagList: [{ ResourceId: input.ResourceIdList[0], TagsList: [] }] };
      });
    });
    expect(calls.sort()).toEqual([`${ORG_TRAIL_ARN}@${MGMT}/us-east-1`, `${LOCAL_TRAIL_ARN}@${MEMBER}/eu-west-1`, `arn:aws:cloudtrail:eu-west-1:${LOGS}:trail/to-foreign@${LOGS}/eu-west-1`].sort());
    expect(snapshot.extensions?.[PLUGIN]?.[`trailTags/trail/${ORG_TRAIL_ARN}`]).toEqual({ value: { ResourceTagList: [{ ResourceId: ORG_TRAIL_ARN, TagsList: [] }] } });
    expect(calls.some((c) => c.includes(DENIED))).toBe(false);
  });

  it('reads per key and per account', async () => {
    const snapshot = await run(
      {
        keyTags: { command: 'kms:ListResourceTags', per: 'key', input: { KeyId: '{{key.arn}}' }, select: ['Tags'] },
        accountTrails: { command: 'cloudtrail:ListTrails', per: 'account', select: ['Trails'] },
      },
      (m) => {
        m.kms.on(ListResourceTagsCommand as never).resolves({ Tags: [{ TagKey: 'owner', TagValue: 'sec' }], Truncated: false } as never);
        m.cloudtrail.on(ListTrailsCommand as never).resolves({ Trails: [] } as never);
      },
    );
    const stored = snapshot.extensions?.[PLUGIN] ?? {};
    expect(stored[`keyTags/key/${ORG_KEY_ARN}`]).toEqual({ value: { Tags: [{ TagKey: 'owner', TagValue: 'sec' }] } });
    expect(Object.keys(stored).filter((k) => k.startsWith('accountTrails/'))).toEqual([`accountTrails/${MGMT}`, `accountTrails/${LOGS}`, `accountTrails/${MEMBER}`].sort());
  });

  it('never stores a first page as the whole answer', async () => {
    const snapshot = await run({ trails: { command: 'cloudtrail:ListTrails', per: 'region' } }, (m) => {
      m.cloudtrail.on(ListTrailsCommand as never).resolves({ Trails: [{ Name: 'a' }], NextToken: 'page-2' } as never);
    });
    const stored = snapshot.extensions?.[PLUGIN] ?? {};
    expect(Object.keys(stored)).toContain(`trails/${MEMBER}/eu-west-1`);
    expect(stored[`trails/${MEMBER}/eu-west-1`]?.error).toMatchObject({ code: 'ExtensionMorePages', operation: 'ListTrails', accountId: MEMBER, region: 'eu-west-1' });
  });

  it('refuses a mutating command given to collect() directly, before any AWS call', async () => {
    const attempt = run({ stop: { command: 'cloudtrail:StopLogging', per: 'trail', input: { Name: '{{trail.arn}}' } } });
    await expect(attempt).rejects.toThrow(`plugin ${PLUGIN}, collect entry "stop": command "cloudtrail:StopLogging" is not a read-only operation`);
    expect(mocks?.sts.calls()).toHaveLength(0);
  });

  it('names the SDK package to install when it is missing, before any AWS call', async () => {
    const attempt = run({ alarms: { command: 'trailwarden-no-such-service:DescribeAlarms', per: 'region' } });
    await expect(attempt).rejects.toThrow(CollectorError);
    await expect(attempt).rejects.toThrow(
      `plugin ${PLUGIN}, collect entry "alarms" (trailwarden-no-such-service:DescribeAlarms) needs the AWS SDK package @aws-sdk/client-trailwarden-no-such-service, which is not installed: npm install @aws-sdk/client-trailwarden-no-such-service`,
    );
    expect(mocks?.sts.calls()).toHaveLength(0);
  });

  it('names a misspelt operation', async () => {
    await expect(run({ tags: { ...TAGS, command: 's3:GetBucketTags' } })).rejects.toThrow('@aws-sdk/client-s3 has no GetBucketTagsCommand');
  });
});

describe('clients for services only plugins read', () => {
  class FakeClient {
    constructor(readonly config: object) {}
    async send(command: object) {
      return { sent: command.constructor.name };
    }
  }
  class DescribeAlarmsCommand {
    constructor(readonly input: object) {}
  }
  class PutMetricAlarmCommand {
    constructor(readonly input: object) {}
  }

  it('resolves the client class and command of any @aws-sdk/client-* package', async () => {
    const mod = { CloudWatchClient: FakeClient, DescribeAlarmsCommand, PutMetricAlarmCommand };
    const [entry] = await resolveExtensions([{ plugin: PLUGIN, entries: { alarms: { command: 'cloudwatch:DescribeAlarms', per: 'region' } } }], async (s) => {
      expect(s).toBe('@aws-sdk/client-cloudwatch');
      return mod;
    });
    expect(entry).toMatchObject({ client: 'cloudwatch', operation: 'DescribeAlarms', Command: DescribeAlarmsCommand, Client: FakeClient });
    expect(entry?.builtin).toBeUndefined();
  });

  it('builds them with the collector settings and the read-only guard', async () => {
    const factory = new ClientFactory('http://127.0.0.1:1');
    try {
      const client = factory.getCustom('cloudwatch', 'eu-west-1', FakeClient as never);
      expect(factory.getCustom('cloudwatch', 'eu-west-1', FakeClient as never)).toBe(client);
      expect((client as unknown as FakeClient).config).toMatchObject({ region: 'eu-west-1', maxAttempts: 1, endpoint: 'http://127.0.0.1:1' });
      await expect(client.send(new DescribeAlarmsCommand({}))).resolves.toEqual({ sent: 'DescribeAlarmsCommand' });
      await expect(client.send(new PutMetricAlarmCommand({}))).rejects.toThrow(MutatingCallRefused);
    } finally {
      factory.close();
    }
  });

  it('paces a service it has no quota for conservatively', () => {
    expect(paceFor('securityhub').rate).toBe(DEFAULT_QUOTA.rps * PACE_FRACTION);
    expect(paceFor('securityhub').rate).toBeLessThan(paceFor('cloudtrail').rate);
  });
});

describe('the collection allow-list, by IAM action from the client service id', () => {
  /** A client class like the SDK's: its config names the service it talks to. */
  function sdkLike(serviceId: string) {
    return class {
      readonly config: { serviceId: string };
      constructor(config: object) {
        this.config = { ...config, serviceId };
      }
      async send() {
        throw new Error('no call may be made');
      }
      destroy() {}
    };
  }
  const commands = (...ops: string[]) => Object.fromEntries(ops.map((op) => [`${op}Command`, class {}]));
  const resolve = (command: string, serviceId: string, allow: string[] = []) => {
    const op = command.split(':')[1] as string;
    return resolveExtensions([{ plugin: PLUGIN, entries: { x: { command, per: 'account' } } }], async () => ({ AcmeClient: sdkLike(serviceId), ...commands(op) }), allow);
  };

  it.each([
    ['secrets-manager:GetSecretValue', 'Secrets Manager', 'secretsmanager:GetSecretValue'],
    // A package whose name hides the service: the client's service id decides.
    ['acme-vault:GetSecretValue', 'Secrets Manager', 'secretsmanager:GetSecretValue'],
    ['lambda:GetFunctionConfiguration', 'Lambda', 'lambda:GetFunctionConfiguration'],
    ['glue:GetConnection', 'Glue', 'glue:GetConnection'],
    ['codeartifact:GetAuthorizationToken', 'codeartifact', 'codeartifact:GetAuthorizationToken'],
    ['dynamodb:GetItem', 'DynamoDB', 'dynamodb:GetItem'],
    ['cloudwatch-logs:GetLogEvents', 'CloudWatch Logs', 'logs:GetLogEvents'],
    ['redshift:GetClusterCredentials', 'Redshift', 'redshift:GetClusterCredentials'],
  ])('refuses %s (%s) even when collection.allow names it', async (command, serviceId, action) => {
    const attempt = resolve(command, serviceId, [action]);
    await expect(attempt).rejects.toThrow(CollectorError);
    await expect(attempt).rejects.toThrow(/is refused: it reads secrets, credentials or customer data/);
    await expect(attempt).rejects.toThrow(`(${action})`);
  });

  it('refuses the built-in EC2 reads that return user data', async () => {
    for (const command of ['ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeInstanceAttribute']) {
      await expect(resolveExtensions([{ plugin: PLUGIN, entries: { x: { command, per: 'region', input: {} } } }])).rejects.toThrow('is refused');
    }
  });

  it('needs collection.allow for an action off the allow-list, and records who allowed it', async () => {
    await expect(resolve('dynamodb:DescribeTable', 'DynamoDB')).rejects.toThrow(
      'dynamodb:DescribeTable is not on Trailwarden\'s read-only metadata allow-list; if it returns only configuration, add "dynamodb:DescribeTable" to collection.allow',
    );
    const [entry] = await resolve('dynamodb:DescribeTable', 'DynamoDB', ['dynamodb:DescribeTable']);
    expect(entry).toMatchObject({ action: 'dynamodb:DescribeTable', allowedBy: 'config' });
  });

  it('allows read-only metadata actions without configuration', async () => {
    const [entry] = await resolve('cloudwatch-logs:DescribeMetricFilters', 'CloudWatch Logs');
    expect(entry).toMatchObject({ action: 'logs:DescribeMetricFilters', allowedBy: 'built-in' });
    const [tags] = await resolveExtensions([{ plugin: PLUGIN, entries: { tags: TAGS } }]);
    expect(tags).toMatchObject({ action: 's3:GetBucketTagging', allowedBy: 'built-in' });
  });
});
