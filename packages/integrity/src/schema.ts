/** JSON Schema (2020-12) of `trailwarden verify-logs --format json` (VerifyLogsResult). */
type S = Record<string, unknown>;

const str: S = { type: 'string' };
const time: S = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' };
const count: S = { type: 'integer', minimum: 0 };
const counts: S = {
  type: 'object',
  required: ['valid', 'invalid', 'unverified', 'error'],
  properties: { valid: count, invalid: count, unverified: count, error: count },
  additionalProperties: false,
};
const window: S = { type: 'object', required: ['start', 'end'], properties: { start: time, end: time }, additionalProperties: false };
const file: S = {
  type: 'object',
  required: ['kind', 'backfill', 'bucket', 'key', 'status'],
  properties: { kind: { enum: ['digest', 'log'] }, backfill: { type: 'boolean' }, bucket: str, key: str, status: { enum: ['valid', 'INVALID', 'UNVERIFIED', 'ERROR'] }, reason: str },
  additionalProperties: false,
};
const gap: S = {
  type: 'object',
  required: ['start', 'end', 'hours', 'label', 'explanation'],
  properties: { start: time, end: time, hours: { type: 'number', minimum: 0 }, label: { enum: ['chain-restart', 'unexplained'] }, explanation: str },
  additionalProperties: false,
};
const chain: S = {
  type: 'object',
  required: ['accountId', 'region', 'base', 'digests', 'backfillDigests', 'logs', 'windows', 'gaps', 'links', 'unreferenced', 'files', 'notes'],
  properties: {
    accountId: { type: 'string', pattern: '^\\d{12}$' },
    region: str,
    base: str,
    digests: counts,
    backfillDigests: counts,
    logs: counts,
    windows: { type: 'array', items: window },
    gaps: { type: 'array', items: gap },
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: ['newer', 'older', 'field'],
        properties: { newer: str, older: str, field: { enum: ['previousDigestHashValue', 'previousDigestSignature', 'digestStartTime'] } },
        additionalProperties: false,
      },
    },
    unreferenced: {
      type: 'array',
      items: {
        type: 'object',
        required: ['bucket', 'key', 'time', 'likely'],
        properties: { bucket: str, key: str, time, likely: { enum: ['injected', 'in-gap'] } },
        additionalProperties: false,
      },
    },
    files: { type: 'array', items: file },
    found: window,
    notes: { type: 'array', items: str },
  },
  additionalProperties: false,
};
export const trailIntegritySchema: S = {
  type: 'object',
  required: ['trailArn', 'trailName', 'homeRegion', 'bucket', 'from', 'to', 'chains', 'errors'],
  properties: {
    trailArn: str,
    trailName: str,
    homeRegion: str,
    bucket: str,
    prefix: str,
    organizationId: str,
    from: time,
    to: time,
    chains: { type: 'array', items: chain },
    errors: { type: 'array', items: str },
  },
  additionalProperties: false,
};

export const verifyLogsResultSchema: S = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://trailwarden.dev/schemas/verify-logs-result.json',
  title: 'trailwarden verify-logs result',
  type: 'object',
  required: ['schemaVersion', 'source', 'from', 'to', 'trails', 'totals'],
  properties: {
    schemaVersion: { const: '1' },
    source: str,
    from: time,
    to: time,
    trails: { type: 'array', items: trailIntegritySchema },
    totals: {
      type: 'object',
      required: ['digests', 'backfillDigests', 'logs', 'gaps', 'unexplainedGaps', 'linkIssues', 'unreferenced', 'errors'],
      properties: { digests: counts, backfillDigests: counts, logs: counts, gaps: count, unexplainedGaps: count, linkIssues: count, unreferenced: count, errors: count },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
