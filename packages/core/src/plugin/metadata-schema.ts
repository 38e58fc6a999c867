import { SEVERITIES } from '../model/result.js';
import { SNAPSHOT_SECTIONS } from '../model/snapshot.js';
import { COLLECT_PLACEMENTS } from './collect-declaration.js';

/** Check ids: lower-case words joined by dashes, optionally scoped like npm (`@acme/tag-policy`). */
export const CHECK_ID_PATTERN = '^(@[a-z0-9-]+/)?[a-z0-9]+(-[a-z0-9]+)*$';

export const checkMetadataSchema = {
  type: 'object',
  required: ['id', 'meta', 'requires'],
  properties: {
    id: { type: 'string', pattern: CHECK_ID_PATTERN, maxLength: 100 },
    meta: {
      type: 'object',
      required: ['title', 'description', 'severity', 'resource', 'remediation', 'messages'],
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 200 },
        description: { type: 'string', minLength: 1 },
        severity: { enum: [...SEVERITIES] },
        resource: { type: 'string', pattern: '^[A-Za-z0-9]+::[A-Za-z0-9]*::[A-Za-z0-9]+$' },
        frameworks: {
          type: 'object',
          propertyNames: { pattern: '^[a-z0-9][a-z0-9.-]*$' },
          additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        },
        remediation: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string', minLength: 1 }, cli: { type: 'string' }, terraform: { type: 'string' } },
          additionalProperties: false,
        },
        docs: { type: 'string' },
        helpUri: { type: 'string', format: 'uri' },
        messages: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
          additionalProperties: { type: 'string', minLength: 1 },
        },
      },
      additionalProperties: false,
    },
    options: {
      type: 'object',
      required: ['schema', 'defaults'],
      properties: { schema: { type: 'object' }, defaults: { type: 'object' } },
      additionalProperties: false,
    },
    requires: { type: 'array', items: { enum: [...SNAPSHOT_SECTIONS] }, uniqueItems: true },
    uses: { type: 'array', items: { enum: [...SNAPSHOT_SECTIONS] }, uniqueItems: true },
    collect: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 64 },
      additionalProperties: {
        type: 'object',
        required: ['command', 'per'],
        properties: {
          command: { type: 'string' },
          per: { enum: [...COLLECT_PLACEMENTS] },
          input: { type: 'object' },
          select: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true },
          notConfigured: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        },
        additionalProperties: false,
      },
    },
    timeoutMs: { type: 'integer', minimum: 1 },
    optIn: { type: 'boolean' },
    kind: { const: 'trailwarden-check' },
    apiVersion: { type: 'integer' },
    evaluate: {},
  },
  additionalProperties: false,
} as const;

export const reporterMetadataSchema = {
  type: 'object',
  required: ['id', 'extension'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    extension: { type: 'string', pattern: '^\\.[a-z0-9.]+$' },
    description: { type: 'string' },
    options: { type: 'object', required: ['schema'], properties: { schema: { type: 'object' } }, additionalProperties: false },
    kind: { const: 'trailwarden-reporter' },
    apiVersion: { type: 'integer' },
    render: {},
  },
  additionalProperties: false,
} as const;
