import { SEVERITIES } from '../model/result.js';

const severity = { enum: [...SEVERITIES] };

const exceptionSchema = {
  type: 'object',
  required: ['check', 'reason', 'approver', 'expires'],
  properties: {
    id: { type: 'string', minLength: 1 },
    check: { type: 'string', minLength: 1 },
    accounts: { type: 'array', items: { type: 'string', pattern: '^(\\d{12}|\\*)$' } },
    resource: { type: 'string', minLength: 1 },
    reason: { type: 'string', minLength: 1 },
    approver: { type: 'string', minLength: 1 },
    expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' },
  },
  additionalProperties: false,
};

export const FAIL_ON_LEVELS = ['critical', 'high', 'medium', 'low', 'any', 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** JSON Schema of trailwarden.config.json / .yaml. */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://trailwarden.dev/schemas/config-1.json',
  title: 'Trailwarden configuration',
  type: 'object',
  properties: {
    $schema: { type: 'string' },
    plugins: { type: 'array', items: { type: 'string', minLength: 1 } },
    checks: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          { enum: ['on', 'off', true, false] },
          {
            type: 'object',
            properties: { enabled: { type: 'boolean' }, severity, options: { type: 'object' } },
            additionalProperties: false,
          },
        ],
      },
    },
    scope: {
      type: 'object',
      properties: {
        accounts: { type: 'array', items: { type: 'string', pattern: '^\\d{12}$' } },
        excludeAccounts: { type: 'array', items: { type: 'string', pattern: '^\\d{12}$' } },
        ous: { type: 'array', items: { type: 'string', pattern: '^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$' } },
        regions: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' } },
      },
      additionalProperties: false,
    },
    aws: {
      type: 'object',
      properties: {
        roleName: { type: 'string', minLength: 1 },
        managementRoleName: { type: 'string', minLength: 1 },
        externalId: { type: 'string', minLength: 1 },
        region: { type: 'string' },
        profile: { type: 'string' },
        concurrency: { type: 'integer', minimum: 1, maximum: 256 },
      },
      additionalProperties: false,
    },
    failOn: { enum: [...FAIL_ON_LEVELS] },
    output: {
      type: 'object',
      properties: { dir: { type: 'string' }, formats: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
    reporters: { type: 'object', additionalProperties: { type: 'object' } },
    exceptions: { type: 'array', items: exceptionSchema },
    timeoutMs: { type: 'integer', minimum: 1 },
    scanTimeout: { type: 'string', pattern: '^[1-9][0-9]*(s|m|h)?$' },
    collection: {
      type: 'object',
      properties: {
        allow: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]+:[A-Z][A-Za-z0-9]*$' } },
      },
      additionalProperties: false,
    },
    history: {
      type: 'object',
      description: 'Record every scan in this SQLite history file (like --history); relative to the config file.',
      properties: { file: { type: 'string', minLength: 1 } },
      required: ['file'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
