import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { evaluate } from '../engine/evaluate.js';
import type { Known } from '../model/known.js';
import type { JsonValue, Snapshot } from '../model/snapshot.js';
import { validateSnapshot } from '../snapshot/io.js';
import { type CollectDeclaration, defineCheck } from './api.js';
import { collectRequests, declarationHash, extensionKey, fillInput, variablesOf } from './collect-declaration.js';
import { registerPluginModule } from './loader.js';

const PLUGIN = '@acme/trailwarden-check-tags';
const fixture = (): Snapshot =>
  validateSnapshot(JSON.parse(readFileSync(new URL('../__fixtures__/org-snapshot.json', import.meta.url), 'utf8')), 'org-snapshot.json');
const NOW = new Date('2026-11-21T12:00:00Z');

const TAGS: CollectDeclaration = { command: 's3:GetBucketTagging', per: 'bucket', input: { Bucket: '{{bucket.name}}' }, select: ['TagSet'], notConfigured: ['NoSuchTagSet'] };

/** A check that reads the log buckets' tags and fails a bucket without a `data-classification` tag. */
const bucketTags = defineCheck({
  id: '@acme/log-bucket-tagged',
  meta: {
    title: 'Log buckets are tagged',
    description: 'Each trail bucket carries a data-classification tag.',
    severity: 'low',
    resource: 'AWS::S3::Bucket',
    remediation: { text: 'Tag the bucket.' },
    messages: { tagged: 'Bucket {{name}} is classified.', untagged: 'Bucket {{name}} has no data-classification tag.' },
  },
  requires: ['buckets'],
  collect: { tags: TAGS },
  evaluate(ctx) {
    ctx.forEachBucket((bucket) => {
      const tags = ctx.extension<{ TagSet?: { Key: string; Value: string }[] } | null>('tags', { bucket });
      if (tags.error) return ctx.error(bucket.resource, tags.error);
      const ok = tags.value?.TagSet?.some((t) => t.Key === 'data-classification');
      if (ok) ctx.pass(bucket.resource, 'tagged', { name: bucket.bucket.name });
      else ctx.fail(bucket.resource, 'untagged', { name: bucket.bucket.name });
    });
  },
});

function checkWith(collect: unknown, requires: string[] = ['buckets', 'trails', 'regions']): unknown {
  return { ...bucketTags, requires, collect };
}

function load(check: unknown): void {
  registerPluginModule({ default: check }, { name: PLUGIN, specifier: PLUGIN });
}

describe('collect declarations at load time', () => {
  it('accepts a read-only declaration', () => {
    expect(() => load(bucketTags)).not.toThrow();
  });

  it.each([
    ['s3:PutBucketTagging', 'bucket', 'is not a read-only operation'],
    ['cloudtrail:StopLogging', 'trail', 'is not a read-only operation'],
    ['s3:DeleteBucketTagging', 'bucket', 'is not a read-only operation'],
    ['cloudtrail:Getaway', 'trail', 'is not a read-only operation'],
  ])('refuses the mutating command %s, naming the plugin, the check and the entry', (command, per, what) => {
    expect(() => load(checkWith({ tags: { command, per } }))).toThrow(
      `plugin ${PLUGIN}: check "@acme/log-bucket-tagged", collect entry "tags": command "${command}" ${what}`,
    );
  });

  it.each([
    ['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue'],
    // The attack: the SDK package is `secrets-manager`, the IAM action `secretsmanager:`.
    ['secrets-manager:GetSecretValue', 'secretsmanager:GetSecretValue'],
    ['ssm:GetParametersByPath', 'ssm:GetParameter*'],
    ['s3:GetObject', 's3:GetObject*'],
    ['s3:GetObjectAcl', 's3:GetObject*'],
    ['sts:GetSessionToken', 'sts:*'],
    ['lambda:GetFunction', 'lambda:GetFunction'],
    ['lambda:GetFunctionConfiguration', 'lambda:GetFunctionConfiguration'],
    ['ec2:GetPasswordData', 'ec2:GetPasswordData'],
    ['ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeLaunchTemplateVersions'],
    ['ec2:DescribeInstanceAttribute', 'ec2:DescribeInstanceAttribute'],
    ['glue:GetConnection', 'glue:GetConnection'],
    ['glue:GetConnections', 'glue:GetConnections'],
    ['codeartifact:GetAuthorizationToken', 'codeartifact:GetAuthorizationToken'],
    ['dynamodb:GetItem', 'dynamodb:GetItem'],
    ['cloudwatch-logs:GetLogEvents', 'logs:GetLogEvents'],
    ['redshift:GetClusterCredentials', 'redshift:GetClusterCredentials'],
    ['redshift:GetClusterCredentialsWithIAM', 'redshift:GetClusterCredentialsWithIAM'],
  ])('refuses %s, a read that returns secrets or customer data', (command, rule) => {
    expect(() => load(checkWith({ data: { command, per: 'account' } }))).toThrow(
      `collect entry "data": command "${command}" is refused: it reads secrets, credentials or customer data (${rule}), not configuration`,
    );
  });

  it('allows reads that only resemble refused ones', () => {
    expect(() => load(checkWith({ fn: { command: 'lambda:GetPolicy', per: 'account' } }))).not.toThrow();
    expect(() => load(checkWith({ fn: { command: 'ec2:DescribeLaunchTemplates', per: 'account' } }))).not.toThrow();
  });

  it('refuses a command that is not <client>:<Operation>', () => {
    expect(() => load(checkWith({ tags: { command: 'GetBucketTagging', per: 'bucket' } }))).toThrow('collect entry "tags": command "GetBucketTagging" must be "<client>:<Operation>"');
  });

  it('refuses an unknown placement, listing the known ones', () => {
    expect(() => load(checkWith({ alarms: { command: 'cloudwatch:DescribeAlarms', per: 'organization' } }))).toThrow(
      'collect entry "alarms": per "organization" is not a placement (use one of account, region, trail, bucket, key)',
    );
  });

  it('refuses a variable the placement does not provide', () => {
    expect(() => load(checkWith({ tags: { command: 's3:GetBucketTagging', per: 'trail', input: { Bucket: '{{bucket.name}}' } } }))).toThrow(
      'collect entry "tags": input uses {{bucket.name}}, which per "trail" does not provide (it provides {{accountId}}, {{region}}, {{partition}}, {{trail.arn}}, {{trail.name}}, {{trail.homeRegion}})',
    );
  });

  it('refuses a placement whose section the check does not require', () => {
    expect(() => load(checkWith({ tags: TAGS }, ['trails']))).toThrow(`collect entry "tags": per "bucket" walks the buckets section: add 'buckets' to the check's requires`);
  });

  it('refuses unknown fields and bad entry names through the metadata schema', () => {
    expect(() => load(checkWith({ tags: { ...TAGS, paginate: true } }))).toThrow(`plugin ${PLUGIN}: check "@acme/log-bucket-tagged".collect.tags`);
    expect(() => load(checkWith({ 'bad-name': TAGS }))).toThrow(`plugin ${PLUGIN}:`);
    expect(() => load(checkWith({ tags: { ...TAGS, select: [] } }))).toThrow('collect.tags.select');
  });
});

describe('declaration helpers', () => {
  it('fills variables, recursively, and lists them', () => {
    const input = { Bucket: '{{bucket.name}}', Ids: ['{{ accountId }}/x'], n: 3 };
    expect(variablesOf(input)).toEqual(['accountId', 'bucket.name']);
    expect(fillInput(input, { 'bucket.name': 'logs', accountId: '1' })).toEqual({ Bucket: 'logs', Ids: ['1/x'], n: 3 });
  });

  it('keys values by placement', () => {
    expect(extensionKey('tags', { per: 'bucket', name: 'logs' })).toBe('tags/bucket/logs');
    expect(extensionKey('alarms', { per: 'region', accountId: '1', region: 'eu-west-1' })).toBe('alarms/1/eu-west-1');
    expect(extensionKey('x', { per: 'account', accountId: '1' })).toBe('x/1');
  });

  it('hashes a declaration independently of key order', () => {
    expect(declarationHash({ per: 'bucket', command: 's3:GetBucketTagging' })).toBe(declarationHash({ command: 's3:GetBucketTagging', per: 'bucket' }));
    expect(declarationHash(TAGS)).not.toBe(declarationHash({ ...TAGS, select: ['TagSet', 'Other'] }));
  });

  it('types ctx.extension entry names from collect', () => {
    defineCheck({
      id: 'typed',
      meta: { title: 't', description: 'd', severity: 'low', resource: 'AWS::S3::Bucket', remediation: { text: 'r' }, messages: { m: 'm' } },
      requires: ['buckets'],
      collect: { tags: TAGS },
      evaluate(ctx) {
        ctx.forEachBucket((bucket) => {
          expectTypeOf(ctx.extension('tags', { bucket })).toEqualTypeOf<Known<JsonValue>>();
          // @ts-expect-error: not an entry of this check
          ctx.extension('other', { bucket });
        });
      },
    });
  });
});

describe('ctx.extension', () => {
  const BUCKET = 'acme-org-cloudtrail-logs';
  const withTags = (tags: Record<string, Known<JsonValue>>, hash = declarationHash(TAGS)): Snapshot => {
    const s = fixture();
    s.extensions = { [PLUGIN]: tags };
    s.extensionsRequested = { [PLUGIN]: { tags: hash } };
    return validateSnapshot(JSON.parse(JSON.stringify(s)), 'with-extensions.json');
  };
  const run = async (snapshot: Snapshot, plugin = PLUGIN) => {
    const result = await evaluate(snapshot, { checks: [{ check: bucketTags, plugin: { name: plugin }, options: {} }], now: NOW });
    return result.findings.filter((f) => f.resource.name === BUCKET || f.resource.arn.endsWith(`:::${BUCKET}`));
  };

  it("reads the check's own plugin namespace: value, none, and AWS's error", async () => {
    const tagged = await run(withTags({ [`tags/bucket/${BUCKET}`]: { value: { TagSet: [{ Key: 'data-classification', Value: 'logs' }] } } }));
    expect(tagged.map((f) => f.status)).toEqual(['PASS']);

    const none = await run(withTags({ [`tags/bucket/${BUCKET}`]: { value: null } }));
    expect(none.map((f) => f.status)).toEqual(['FAIL']);

    const denied = await run(withTags({ [`tags/bucket/${BUCKET}`]: { error: { code: 'AccessDenied', message: 'no', operation: 'GetBucketTagging', accountId: '222222222222', region: 'us-east-1' } } }));
    expect(denied.map((f) => [f.status, f.message])).toEqual([['ERROR', 'Cannot decide: GetBucketTagging failed in account 222222222222, region us-east-1: AccessDenied — no.']]);
  });

  it('is NotCollected when the snapshot lacks the entry, asking to collect again', async () => {
    const [f] = await run(fixture());
    expect(f?.status).toBe('ERROR');
    expect(f?.message).toContain('NotCollected');
    expect(f?.message).toContain('collect again with this check enabled');
  });

  it('is NotCollected when another plugin collected it (namespaces do not mix)', async () => {
    const [f] = await run(withTags({ [`tags/bucket/${BUCKET}`]: { value: null } }), '@other/plugin');
    expect(f?.message).toContain('NotCollected');
  });

  it('is NotCollected when the declaration changed since collection', async () => {
    const [f] = await run(withTags({ [`tags/bucket/${BUCKET}`]: { value: null } }, '0000000000000000'));
    expect(f?.message).toContain('the plugin changed what it collects');
  });

  it('is NotCollected for a placement the collector did not read', async () => {
    const [f] = await run(withTags({}));
    expect(f?.message).toContain('was not read for this bucket');
  });

  it('a wrong placement is a bug in the check: its ERROR says how to call it', async () => {
    const wrong = defineCheck({ ...bucketTags, id: 'wrong-place', evaluate: (ctx) => void ctx.extension('tags', { accountId: '1' }) });
    const result = await evaluate(withTags({}), { checks: [{ check: wrong, plugin: { name: PLUGIN }, options: {} }], now: NOW });
    expect(result.checks[0]?.error).toContain('ctx.extension("tags") is collected per bucket: pass { bucket } (a BucketView)');
  });
});

describe('entries of one plugin', () => {
  it('refuses two checks declaring one entry name differently', () => {
    const other = { ...bucketTags, id: '@acme/other', collect: { tags: { ...TAGS, select: ['TagSet', 'x'] } } };
    expect(() => registerPluginModule({ default: [bucketTags, other] }, { name: PLUGIN, specifier: PLUGIN })).toThrow(
      `plugin ${PLUGIN}: checks "@acme/log-bucket-tagged" and "@acme/other" declare collect entry "tags" differently`,
    );
    expect(() => registerPluginModule({ default: [bucketTags, { ...bucketTags, id: '@acme/same' }] }, { name: PLUGIN, specifier: PLUGIN })).not.toThrow();
  });

  it('groups the entries of the checks to run by plugin', () => {
    const plain = { ...bucketTags, id: 'plain', collect: undefined };
    expect(
      collectRequests([
        { check: bucketTags, plugin: { name: PLUGIN } },
        { check: plain, plugin: { name: 'builtin' } },
        { check: { collect: { b: TAGS, a: TAGS } }, plugin: { name: '@a/first' } },
      ]),
    ).toEqual([
      { plugin: '@a/first', entries: { a: TAGS, b: TAGS } },
      { plugin: PLUGIN, entries: { tags: TAGS } },
    ]);
  });
});
