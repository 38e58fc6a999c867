import { SNAPSHOT_SCHEMA_VERSION, SNAPSHOT_SECTIONS } from '../model/snapshot.js';
import { shardSchema } from './shard-schema.js';

/** JSON Schema (2020-12) of the Snapshot. Strict where a typo would silently change a verdict. */
type S = Record<string, unknown>;

const str: S = { type: 'string' };
const bool: S = { type: 'boolean' };
const strList: S = { type: 'array', items: str };
const accountId: S = { type: 'string', pattern: '^\\d{12}$' };

export const knownErrorSchema: S = {
  type: 'object',
  required: ['code', 'message', 'operation'],
  properties: { code: str, message: str, operation: str, accountId: str, region: str },
  additionalProperties: false,
};

/** Known<T>: exactly one of `value` and `error`. */
export function knownSchema(value: S): S {
  return {
    type: 'object',
    oneOf: [
      { required: ['value'], properties: { value }, not: { required: ['error'] } },
      { required: ['error'], properties: { error: { $ref: '#/$defs/knownError' } }, not: { required: ['value'] } },
    ],
  };
}

const nullable = (s: S): S => ({ anyOf: [s, { type: 'null' }] });

const policyDocument: S = {}; // any JSON: parsed, or the raw text if it did not parse

const fieldSelector: S = {
  type: 'object',
  required: ['field'],
  properties: {
    field: str,
    equals: strList,
    notEquals: strList,
    startsWith: strList,
    notStartsWith: strList,
    endsWith: strList,
    notEndsWith: strList,
  },
  additionalProperties: false,
};

const eventSelectors: S = {
  type: 'object',
  properties: {
    eventSelectors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          readWriteType: { enum: ['All', 'ReadOnly', 'WriteOnly'] },
          includeManagementEvents: bool,
          excludeManagementEventSources: strList,
          dataResources: {
            type: 'array',
            items: { type: 'object', required: ['type', 'values'], properties: { type: str, values: strList }, additionalProperties: false },
          },
        },
        additionalProperties: false,
      },
    },
    advancedEventSelectors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fieldSelectors'],
        properties: { name: str, fieldSelectors: { type: 'array', items: fieldSelector } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

const trailStatus: S = {
  type: 'object',
  required: ['isLogging'],
  properties: {
    isLogging: bool,
    latestDeliveryError: str,
    latestDeliveryTime: str,
    latestDigestDeliveryError: str,
    latestDigestDeliveryTime: str,
    latestCloudWatchLogsDeliveryError: str,
    latestCloudWatchLogsDeliveryTime: str,
    latestNotificationError: str,
    startLoggingTime: str,
    stopLoggingTime: str,
  },
  additionalProperties: false,
};

const trail: S = {
  type: 'object',
  required: ['arn', 'name', 'homeRegion', 'ownerAccountId', 'isOrganizationTrail', 'isMultiRegionTrail', 'includeGlobalServiceEvents', 'logFileValidationEnabled'],
  properties: {
    arn: str,
    name: str,
    homeRegion: str,
    ownerAccountId: accountId,
    isOrganizationTrail: bool,
    isMultiRegionTrail: bool,
    includeGlobalServiceEvents: bool,
    logFileValidationEnabled: bool,
    s3BucketName: str,
    s3KeyPrefix: str,
    snsTopicArn: str,
    kmsKeyId: str,
    cloudWatchLogsLogGroupArn: str,
    cloudWatchLogsRoleArn: str,
    hasCustomEventSelectors: bool,
    hasInsightSelectors: bool,
    status: knownSchema(trailStatus),
    regionStatus: { type: 'object', additionalProperties: knownSchema(trailStatus) },
    eventSelectors: knownSchema(eventSelectors),
    insightSelectors: knownSchema({ type: 'array', items: { type: 'object', required: ['insightType'], properties: { insightType: str } } }),
  },
  additionalProperties: false,
};

const publicAccessBlock: S = {
  type: 'object',
  required: ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'],
  properties: { blockPublicAcls: bool, ignorePublicAcls: bool, blockPublicPolicy: bool, restrictPublicBuckets: bool },
  additionalProperties: false,
};

const bucket: S = {
  type: 'object',
  required: ['name', 'arn', 'ownerAccountId', 'region'],
  properties: {
    name: str,
    arn: str,
    ownerAccountId: accountId,
    region: knownSchema(str),
    policy: knownSchema(policyDocument),
    policyStatus: knownSchema(nullable({ type: 'object', required: ['isPublic'], properties: { isPublic: bool } })),
    acl: knownSchema({
      type: 'object',
      required: ['grants'],
      properties: {
        ownerId: str,
        grants: {
          type: 'array',
          items: {
            type: 'object',
            required: ['grantee', 'permission'],
            properties: {
              grantee: {
                type: 'object',
                required: ['type'],
                properties: { type: { enum: ['CanonicalUser', 'Group', 'AmazonCustomerByEmail'] }, id: str, uri: str, displayName: str, emailAddress: str },
              },
              permission: { enum: ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'] },
            },
          },
        },
      },
    }),
    publicAccessBlock: knownSchema(nullable(publicAccessBlock)),
    ownershipControls: knownSchema({ enum: ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter', null] }),
    objectLock: knownSchema(
      nullable({
        type: 'object',
        required: ['enabled'],
        properties: {
          enabled: bool,
          defaultRetention: {
            type: 'object',
            required: ['mode'],
            properties: { mode: { enum: ['COMPLIANCE', 'GOVERNANCE'] }, days: { type: 'integer' }, years: { type: 'integer' } },
          },
        },
      }),
    ),
    encryption: knownSchema(nullable({ type: 'array', items: { type: 'object', required: ['sseAlgorithm'] } })),
    logging: knownSchema(nullable({ type: 'object', required: ['targetBucket'], properties: { targetBucket: str, targetPrefix: str } })),
    versioning: knownSchema({
      type: 'object',
      required: ['status', 'mfaDelete'],
      properties: { status: { enum: ['Enabled', 'Suspended', null] }, mfaDelete: { enum: ['Enabled', 'Disabled', null] } },
    }),
    lifecycle: knownSchema(nullable({ type: 'array', items: { type: 'object', required: ['status'] } })),
    accessPoints: knownSchema({
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'policyStatus'],
        properties: {
          name: str,
          arn: str,
          networkOrigin: { enum: ['Internet', 'VPC'] },
          policyStatus: knownSchema(nullable({ type: 'object', required: ['isPublic'], properties: { isPublic: bool } })),
          publicAccessBlock: knownSchema(nullable(publicAccessBlock)),
          policy: knownSchema(policyDocument),
        },
        additionalProperties: false,
      },
    }),
  },
  additionalProperties: false,
};

const key: S = {
  type: 'object',
  required: ['arn', 'keyId', 'ownerAccountId', 'region'],
  properties: {
    arn: str,
    keyId: str,
    ownerAccountId: accountId,
    region: str,
    metadata: knownSchema({
      type: 'object',
      required: ['keyState', 'enabled', 'keyManager'],
      properties: { keyState: str, enabled: bool, keyManager: { enum: ['AWS', 'CUSTOMER'] } },
    }),
    policy: knownSchema(policyDocument),
    rotation: knownSchema({ type: 'object', required: ['enabled'], properties: { enabled: bool, rotationPeriodInDays: { type: 'integer' } } }),
  },
  additionalProperties: false,
};

const attached: S = { type: 'array', items: { type: 'object', required: ['arn', 'name'], properties: { arn: str, name: str } } };
const inline: S = { type: 'array', items: { type: 'object', required: ['name', 'document'], properties: { name: str, document: policyDocument } } };
const tags: S = { type: 'array', items: { type: 'object', required: ['key', 'value'], properties: { key: str, value: str } } };
const principalBase = { arn: str, name: str, id: str, path: str, attachedPolicies: attached, inlinePolicies: inline };

const iam: S = {
  type: 'object',
  required: ['users', 'groups', 'roles', 'policies'],
  properties: {
    users: {
      type: 'array',
      items: { type: 'object', required: ['arn', 'name', 'groups', 'attachedPolicies', 'inlinePolicies'], properties: { ...principalBase, groups: strList, permissionsBoundary: str, tags } },
    },
    groups: { type: 'array', items: { type: 'object', required: ['arn', 'name', 'attachedPolicies', 'inlinePolicies'], properties: principalBase } },
    roles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['arn', 'name', 'attachedPolicies', 'inlinePolicies'],
        properties: { ...principalBase, assumeRolePolicy: policyDocument, permissionsBoundary: str, tags },
      },
    },
    policies: { type: 'array', items: { type: 'object', required: ['arn', 'name', 'document'], properties: { arn: str, name: str, id: str, path: str, document: policyDocument } } },
  },
};

const organization: S = {
  type: 'object',
  required: ['id', 'managementAccountId', 'roots', 'ous', 'accounts', 'policies'],
  properties: {
    id: str,
    arn: str,
    managementAccountId: accountId,
    featureSet: { enum: ['ALL', 'CONSOLIDATED_BILLING'] },
    roots: { type: 'array', items: { type: 'object', required: ['id', 'name'] } },
    ous: { type: 'array', items: { type: 'object', required: ['id', 'name', 'parentId'] } },
    accounts: {
      type: 'array',
      items: { type: 'object', required: ['id', 'name', 'status', 'ouPath'], properties: { id: accountId, name: str, email: str, status: str, ouPath: strList } },
    },
    delegatedAdministrators: knownSchema({ type: 'array', items: { type: 'object', required: ['accountId', 'servicePrincipal'] } }),
    policies: {
      type: 'object',
      required: ['scp', 'rcp'],
      properties: {
        scp: knownSchema({ type: 'array', items: { $ref: '#/$defs/orgPolicy' } }),
        rcp: knownSchema({ type: 'array', items: { $ref: '#/$defs/orgPolicy' } }),
      },
    },
  },
};

const num: S = { type: 'number' };
const obj = (required: string[], properties: S): S => ({ type: 'object', required, properties, additionalProperties: false });

/** CloudWatch Logs / CloudWatch / SNS / EventBridge reads of one region (see docs/snapshot.md). */
const regionMonitoring: S = obj(['logGroups'], {
  logGroups: {
    type: 'object',
    additionalProperties: knownSchema({
      type: 'array',
      items: obj(['name', 'pattern', 'metrics'], {
        name: str,
        pattern: str,
        metrics: { type: 'array', items: obj(['namespace', 'name', 'value'], { namespace: str, name: str, value: str, defaultValue: num }) },
      }),
    }),
  },
  alarms: knownSchema({
    type: 'array',
    items: obj(['name', 'actionsEnabled', 'alarmActions'], {
      name: str,
      arn: str,
      actionsEnabled: bool,
      alarmActions: strList,
      namespace: str,
      metricName: str,
      statistic: str,
      extendedStatistic: str,
      comparisonOperator: str,
      threshold: num,
      evaluationPeriods: num,
      datapointsToAlarm: num,
      period: num,
      metrics: { type: 'array', items: obj(['namespace', 'name'], { namespace: str, name: str }) },
    }),
  }),
  topics: {
    type: 'object',
    additionalProperties: knownSchema(obj(['confirmed', 'pending', 'protocols'], { confirmed: num, pending: num, protocols: strList })),
  },
  eventRules: knownSchema({
    type: 'array',
    items: obj(['name', 'state', 'targets'], {
      name: str,
      arn: str,
      state: str,
      eventPattern: str,
      targets: knownSchema({ type: 'array', items: obj(['id', 'arn'], { id: str, arn: str }) }),
    }),
  }),
});

/** CloudTrail Lake event data stores of one region (ListEventDataStores + GetEventDataStore). */
const eventDataStore: S = obj(['arn', 'name', 'ownerAccountId', 'region', 'details'], {
  arn: str,
  name: str,
  ownerAccountId: accountId,
  region: str,
  details: knownSchema(
    obj(['status', 'multiRegionEnabled', 'organizationEnabled', 'terminationProtectionEnabled', 'advancedEventSelectors'], {
      status: str,
      multiRegionEnabled: bool,
      organizationEnabled: bool,
      terminationProtectionEnabled: bool,
      advancedEventSelectors: (eventSelectors.properties as S).advancedEventSelectors,
      kmsKeyId: str,
      retentionPeriod: num,
      billingMode: str,
      federationStatus: str,
      createdTimestamp: str,
      updatedTimestamp: str,
    }),
  ),
});

const account: S = {
  type: 'object',
  required: ['id', 'access'],
  properties: {
    id: accountId,
    name: str,
    access: knownSchema({ type: 'object', required: ['via'], properties: { via: { enum: ['caller', 'role'] }, roleArn: str } }),
    regions: knownSchema({
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'optInStatus', 'enabled'],
        properties: { name: str, optInStatus: { enum: ['opt-in-not-required', 'opted-in', 'not-opted-in'] }, enabled: bool },
        additionalProperties: false,
      },
    }),
    trailListing: { type: 'object', additionalProperties: knownSchema(strList) },
    governedOutRegions: { type: 'object', additionalProperties: { $ref: '#/$defs/knownError' } },
    trails: knownSchema({ type: 'array', items: trail }),
    buckets: { type: 'object', additionalProperties: bucket },
    keys: { type: 'object', additionalProperties: key },
    iam: knownSchema(iam),
    rootUser: knownSchema({ type: 'object', required: ['accessKeysPresent', 'mfaEnabled'], properties: { accessKeysPresent: bool, mfaEnabled: bool }, additionalProperties: false }),
    s3AccountPublicAccessBlock: knownSchema(nullable(publicAccessBlock)),
    monitoring: { type: 'object', additionalProperties: regionMonitoring },
    eventHistory: {
      type: 'object',
      required: ['schemaVersion', 'from', 'to', 'eventNames', 'regions'],
      properties: {
        schemaVersion: { const: 1 },
        from: str,
        to: str,
        eventNames: { type: 'object', additionalProperties: strList },
        regions: {
          type: 'object',
          additionalProperties: knownSchema({
            type: 'array',
            items: {
              type: 'object',
              required: ['eventId', 'eventName', 'eventSource', 'eventTime', 'awsRegion', 'userIdentity', 'requestParameters'],
              properties: {
                eventId: str,
                eventName: str,
                eventSource: str,
                eventTime: str,
                awsRegion: str,
                userIdentity: {},
                requestParameters: {},
                resources: { type: 'array', items: { type: 'object', properties: { type: str, name: str }, additionalProperties: false } },
                readOnly: bool,
                errorCode: str,
                sourceIPAddress: str,
              },
              additionalProperties: false,
            },
          }),
        },
      },
      additionalProperties: false,
    },
    eventDataStores: { type: 'object', additionalProperties: knownSchema({ type: 'array', items: eventDataStore }) },
  },
  additionalProperties: false,
};

export const snapshotSchema: S = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://trailwarden.dev/schemas/snapshot-1.0.json',
  title: 'Trailwarden snapshot',
  type: 'object',
  required: ['schemaVersion', 'collectedAt', 'partition', 'sections', 'scope', 'accounts'],
  properties: {
    schemaVersion: { const: SNAPSHOT_SCHEMA_VERSION },
    collectedAt: { type: 'string', format: 'date-time' },
    partition: { enum: ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'] },
    sections: { type: 'array', items: { enum: [...SNAPSHOT_SECTIONS] }, uniqueItems: true },
    scope: {
      type: 'object',
      required: ['mode', 'accounts', 'regions'],
      properties: {
        mode: { enum: ['organization', 'single-account', 'fixture'] },
        accounts: { type: 'array', items: accountId },
        regions: strList,
        filters: { type: 'object' },
        notes: strList,
      },
      additionalProperties: false,
    },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: str, version: str } },
    organization: knownSchema(organization),
    accounts: { type: 'object', propertyNames: { pattern: '^\\d{12}$' }, additionalProperties: account },
    unresolved: {
      type: 'object',
      properties: {
        buckets: { type: 'object', additionalProperties: { $ref: '#/$defs/knownError' } },
        keys: { type: 'object', additionalProperties: { $ref: '#/$defs/knownError' } },
      },
      additionalProperties: false,
    },
    extensions: { type: 'object', additionalProperties: { type: 'object', additionalProperties: knownSchema({}) } },
    extensionsRequested: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string', pattern: '^[0-9a-f]{16}$' } },
    },
    // Validated in detail by the trail-log-integrity check (@trailwarden/integrity's schema).
    logIntegrity: { type: 'object', additionalProperties: knownSchema({ type: 'object' }) },
    shard: shardSchema(key),
  },
  additionalProperties: false,
  $defs: {
    knownError: knownErrorSchema,
    orgPolicy: {
      type: 'object',
      required: ['id', 'name', 'awsManaged', 'document', 'targets'],
      properties: { id: str, arn: str, name: str, description: str, awsManaged: bool, document: policyDocument, targets: strList },
    },
  },
};
