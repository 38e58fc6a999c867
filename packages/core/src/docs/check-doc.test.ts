import { describe, expect, it } from 'vitest';
import { defineCheck } from '../plugin/api.js';
import { checkDocFileName, renderCheckDoc, renderCheckIndex, schemaType } from './check-doc.js';

const objectLock = defineCheck({
  id: 'trail-bucket-object-lock',
  meta: {
    title: 'Trail buckets have Object Lock in compliance mode',
    description: 'Object Lock with a default retention keeps log files from being deleted | overwritten.',
    severity: 'high',
    resource: 'AWS::S3::Bucket',
    frameworks: { 'cis-aws-3.0.0': ['3.2'], 'acme-policy': ['LOG-1'] },
    remediation: {
      text: 'Enable Object Lock.',
      cli: 'aws s3api put-object-lock-configuration --bucket <bucket> --object-lock-configuration ...',
      terraform: 'resource "aws_s3_bucket_object_lock_configuration" "logs" {\n  bucket = "<bucket>"\n}',
    },
    docs: 'README.md',
    messages: { locked: 'Bucket {{name}} is locked for {{days}} days.', unlocked: 'Bucket {{name}} has no Object Lock.' },
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        minimumRetentionDays: { type: 'integer', minimum: 1, description: 'Shortest acceptable default retention.' },
        allowGovernance: { type: 'boolean', description: 'Accept GOVERNANCE mode.' },
        mode: { enum: ['COMPLIANCE', 'GOVERNANCE'] },
        exempt: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9.-]+$' } },
      },
      required: ['minimumRetentionDays'],
      additionalProperties: false,
    },
    defaults: { minimumRetentionDays: 365, allowGovernance: false, mode: 'COMPLIANCE', exempt: [] as string[] },
  },
  requires: ['buckets'],
  evaluate() {},
});

const bare = defineCheck({
  id: '@acme/tags',
  meta: { title: 'Tagged', description: 'Trails are tagged.', severity: 'low', resource: 'AWS::CloudTrail::Trail', remediation: { text: 'Tag it.' }, messages: { ok: 'ok' } },
  requires: ['trails'],
  evaluate() {},
});

describe('renderCheckDoc', () => {
  const doc = renderCheckDoc(objectLock, { pluginName: '@trailwarden/check-object-lock' });

  it('has the title, id, severity, resource, plugin and the description', () => {
    expect(doc.startsWith('# Trail buckets have Object Lock in compliance mode\n')).toBe(true);
    expect(doc).toContain('| Check id | `trail-bucket-object-lock` |');
    expect(doc).toContain('| Severity | high |');
    expect(doc).toContain('| Resource type | `AWS::S3::Bucket` |');
    expect(doc).toContain('| Plugin | `@trailwarden/check-object-lock` |');
    expect(doc).toContain('| Snapshot sections read | `buckets` |');
    expect(doc).toContain('deleted | overwritten.');
  });

  it('lists frameworks with control titles from the catalogue (and unknown frameworks by id)', () => {
    expect(doc).toContain('| CIS Amazon Web Services Foundations Benchmark v3.0.0 | 3.2 | Ensure CloudTrail log file validation is enabled |');
    expect(doc).toContain('| acme-policy | LOG-1 |  |');
  });

  it('documents options with types, defaults and descriptions from the schema', () => {
    expect(doc).toContain('| `minimumRetentionDays` (required) | integer (≥ 1) | `365` | Shortest acceptable default retention. |');
    expect(doc).toContain('| `allowGovernance` | boolean | `false` | Accept GOVERNANCE mode. |');
    expect(doc).toContain('| `mode` | "COMPLIANCE" \\| "GOVERNANCE" | `"COMPLIANCE"` |  |');
    expect(doc).toContain('| `exempt` | string[] (each pattern `^[a-z0-9.-]+$`) | `[]` |  |');
  });

  it('has remediation text, CLI and Terraform blocks, the messages, and an enable snippet with the defaults', () => {
    expect(doc).toContain('## Remediation\n\nEnable Object Lock.\n\nAWS CLI:\n\n```sh\naws s3api put-object-lock-configuration');
    expect(doc).toContain('```hcl\nresource "aws_s3_bucket_object_lock_configuration" "logs" {\n  bucket = "<bucket>"\n}\n```');
    expect(doc).toContain('| `locked` | Bucket {{name}} is locked for {{days}} days. |');
    expect(doc).toContain(
      '```yaml\n# trailwarden.config.yaml\nplugins:\n  - "@trailwarden/check-object-lock"\nchecks:\n  trail-bucket-object-lock:\n    options:\n      minimumRetentionDays: 365\n      allowGovernance: false\n      mode: "COMPLIANCE"\n      exempt: []\n```',
    );
    expect(doc).not.toMatch(/\n{3}/);
  });

  it('says so when a check has no options and no frameworks', () => {
    const d = renderCheckDoc(bare, { pluginName: './checks/tags.js' });
    expect(d).toContain('This check takes no options.');
    expect(d).toContain('Not mapped to any compliance framework.');
    expect(d).toContain('plugins:\n  - ./checks/tags.js\nchecks:\n  "@acme/tags": on');
  });
});

describe('renderCheckDoc for built-in checks', () => {
  it('shows how to configure or turn off the check instead of loading a plugin', () => {
    const withOptions = renderCheckDoc(objectLock, { pluginName: '@trailwarden/check-object-lock', builtin: true });
    expect(withOptions).toContain('## Configure\n\nBuilt into Trailwarden and enabled by default.');
    expect(withOptions).toContain('checks:\n  trail-bucket-object-lock:\n    options:   # the defaults\n      minimumRetentionDays: 365');
    expect(withOptions).not.toContain('plugins:');
    expect(renderCheckDoc(bare, { pluginName: 'x', builtin: true })).toContain('checks:\n  "@acme/tags": off   # to turn it off');
  });
});

describe('renderCheckIndex', () => {
  it('lists checks sorted by id, linked to their pages', () => {
    const index = renderCheckIndex([{ check: objectLock, pluginName: '@trailwarden/check-object-lock' }, bare]);
    const rows = index.split('\n').filter((l) => l.startsWith('| ['));
    expect(rows).toEqual([
      '| [`@acme/tags`](acme__tags.md) | Tagged | low | `AWS::CloudTrail::Trail` | — | — |',
      '| [`trail-bucket-object-lock`](trail-bucket-object-lock.md) | Trail buckets have Object Lock in compliance mode | high | `AWS::S3::Bucket` | acme-policy, cis-aws-3.0.0 | `@trailwarden/check-object-lock` |',
    ]);
    expect(index).toContain('2 checks.');
  });
});

describe('helpers', () => {
  it('names pages after check ids', () => {
    expect(checkDocFileName('trail-multi-region')).toBe('trail-multi-region.md');
    expect(checkDocFileName('@acme/tags')).toBe('acme__tags.md');
  });
  it('describes schema types briefly', () => {
    expect(schemaType({ type: 'array', items: { type: 'string', pattern: '^arn:' } })).toBe('string[] (each pattern `^arn:`)');
    expect(schemaType({ type: 'array', items: { enum: ['a', 'b'] }, minItems: 1, uniqueItems: true })).toBe('("a" | "b")[] (at least 1, unique)');
    expect(schemaType({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaType({ anyOf: [{ type: 'integer' }, { const: 'all' }] })).toBe('integer | "all"');
    expect(schemaType({})).toBe('any');
  });
});
