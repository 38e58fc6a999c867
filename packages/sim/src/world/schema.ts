/** JSON Schema (draft-07, for ajv) of a world file. Unknown fields are refused so typos surface. */

const accountId = { type: 'string', pattern: '^[0-9]{12}$' } as const;
const region = { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$' } as const;
const timestamp = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$' } as const;
const policyDocument = { type: ['object', 'string'] } as const;
const awsShaped = { type: 'object' } as const;
const stringArray = { type: 'array', items: { type: 'string' } } as const;
const tags = { type: 'object', additionalProperties: { type: 'string' } } as const;
const managedPolicies = stringArray;
const inlinePolicies = { type: 'object', additionalProperties: policyDocument } as const;

const publicAccessBlock = {
  type: 'object',
  additionalProperties: false,
  properties: {
    blockPublicAcls: { type: 'boolean' },
    ignorePublicAcls: { type: 'boolean' },
    blockPublicPolicy: { type: 'boolean' },
    restrictPublicBuckets: { type: 'boolean' },
  },
} as const;

const managedPolicy = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    path: { type: 'string', pattern: '^/(.*/)?$' },
    arn: { type: 'string', pattern: '^arn:[^:]+:iam::' },
    id: { type: 'string' },
    description: { type: 'string' },
    document: policyDocument,
    versions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'document'],
        properties: { id: { type: 'string', pattern: '^v[0-9]+$' }, document: policyDocument, default: { type: 'boolean' }, createDate: timestamp },
      },
    },
    createDate: timestamp,
  },
} as const;

const worldEvent = {
  type: 'object',
  additionalProperties: false,
  required: ['eventName', 'eventTime'],
  properties: {
    eventName: { type: 'string', pattern: '^[A-Za-z0-9]{1,128}$' },
    eventTime: timestamp,
    region,
    actor: { type: 'string', pattern: '^arn:' },
    resource: { type: 'string', minLength: 1 },
    requestParameters: { type: 'object' },
    errorCode: { type: 'string' },
    sourceIPAddress: { type: 'string' },
  },
} as const;

const loggingWindow = {
  type: 'object',
  additionalProperties: false,
  required: ['stoppedAt'],
  properties: { stoppedAt: timestamp, startedAt: timestamp, by: { type: 'string', pattern: '^arn:' }, startedBy: { type: 'string', pattern: '^arn:' } },
} as const;

const hourList = { type: 'array', items: { type: 'integer', minimum: 0 } } as const;

/** WorldTrailIntegrity: the trail's delivered log files and digest chains, and what to tamper with. */
const integritySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['start'],
  properties: {
    start: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:00:00Z$' },
    hours: { type: 'integer', minimum: 1, maximum: 24 * 400 },
    logsPerHour: { oneOf: [{ type: 'integer', minimum: 0, maximum: 100 }, { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0, maximum: 100 } }] },
    stoppedHours: hourList,
    regions: { type: 'array', items: region },
    accounts: { type: 'array', items: accountId },
    keyRotationHour: { type: 'integer', minimum: 0 },
    backfillHours: hourList,
    kmsDecryptDenied: { type: 'boolean' },
    tamper: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'hour'],
        properties: {
          kind: {
            enum: ['changeLog', 'deleteLog', 'appendGzipMember', 'injectLog', 'deleteDigest', 'editDigest', 'resignDigest', 'resignDigestSpoofedFingerprint', 'moveDigest', 'stripSignature'],
          },
          hour: { type: 'integer', minimum: 0 },
          log: { type: 'integer', minimum: 0 },
          account: accountId,
          region,
        },
      },
    },
  },
} as const;

const trailStatus = {
  type: 'object',
  additionalProperties: false,
  properties: {
    isLogging: { type: 'boolean' },
    latestDeliveryTime: timestamp,
    latestDeliveryError: { type: 'string' },
    latestDeliveryAttemptTime: { type: 'string' },
    latestDeliveryAttemptSucceeded: { type: 'string' },
    latestDigestDeliveryTime: timestamp,
    latestDigestDeliveryError: { type: 'string' },
    latestNotificationTime: timestamp,
    latestNotificationError: { type: 'string' },
    latestCloudWatchLogsDeliveryTime: timestamp,
    latestCloudWatchLogsDeliveryError: { type: 'string' },
    startLoggingTime: timestamp,
    stopLoggingTime: timestamp,
  },
} as const;

const trail = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'homeRegion', 'bucket'],
  properties: {
    loggingWindows: { type: 'array', items: loggingWindow },
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$' },
    homeRegion: region,
    multiRegion: { type: 'boolean' },
    organization: { type: 'boolean' },
    bucket: { type: 'string', minLength: 3 },
    keyPrefix: { type: 'string' },
    snsTopicName: { type: 'string' },
    includeGlobalServiceEvents: { type: 'boolean' },
    logFileValidation: { type: 'boolean' },
    cloudWatchLogsLogGroupArn: { type: 'string' },
    cloudWatchLogsRoleArn: { type: 'string' },
    kmsKeyId: { type: 'string' },
    status: trailStatus,
    /** Per covered region, fields that differ from `status` there (GetTrailStatus answers one region). */
    regionStatus: { type: 'object', propertyNames: region, additionalProperties: trailStatus },
    eventSelectors: { type: 'array', items: awsShaped },
    advancedEventSelectors: { type: 'array', items: awsShaped },
    insightSelectors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['InsightType'],
        properties: { InsightType: { enum: ['ApiCallRateInsight', 'ApiErrorRateInsight'] } },
      },
    },
    integrity: integritySchema,
  },
} as const;

const grantee = {
  oneOf: [
    { enum: ['owner', 'AllUsers', 'AuthenticatedUsers', 'LogDelivery'] },
    {
      type: 'object',
      additionalProperties: false,
      required: ['canonicalId'],
      properties: { canonicalId: { type: 'string' }, displayName: { type: 'string' } },
    },
    { type: 'object', additionalProperties: false, required: ['email'], properties: { email: { type: 'string' } } },
  ],
} as const;

const bucket = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'region'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
    region: { anyOf: [region, { const: 'EU' }] },
    creationDate: timestamp,
    policy: { type: ['object', 'string', 'null'] },
    policyStatus: {
      type: 'object',
      additionalProperties: false,
      required: ['isPublic'],
      properties: { isPublic: { type: 'boolean' } },
    },
    acl: {
      type: 'object',
      additionalProperties: false,
      required: ['grants'],
      properties: {
        grants: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['grantee', 'permission'],
            properties: { grantee, permission: { enum: ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'] } },
          },
        },
      },
    },
    publicAccessBlock: { anyOf: [publicAccessBlock, { type: 'null' }] },
    ownershipControls: { enum: ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter', null] },
    objectLock: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            enabled: { type: 'boolean' },
            mode: { enum: ['GOVERNANCE', 'COMPLIANCE'] },
            days: { type: 'integer', minimum: 1 },
            years: { type: 'integer', minimum: 1 },
          },
        },
      ],
    },
    encryption: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['algorithm'],
          properties: {
            algorithm: { enum: ['AES256', 'aws:kms', 'aws:kms:dsse'] },
            kmsKeyId: { type: 'string' },
            bucketKey: { type: 'boolean' },
          },
        },
      ],
    },
    logging: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['targetBucket'],
          properties: { targetBucket: { type: 'string' }, targetPrefix: { type: 'string' } },
        },
      ],
    },
    versioning: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: { status: { enum: ['Enabled', 'Suspended'] }, mfaDelete: { type: 'boolean' } },
        },
      ],
    },
    lifecycle: {
      anyOf: [
        { type: 'null' },
        {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id'],
            properties: {
              id: { type: 'string' },
              status: { enum: ['Enabled', 'Disabled'] },
              prefix: { type: 'string' },
              expirationDays: { type: 'integer', minimum: 1 },
              transitions: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['days', 'storageClass'],
                  properties: { days: { type: 'integer', minimum: 0 }, storageClass: { type: 'string' } },
                },
              },
              noncurrentVersionExpirationDays: { type: 'integer', minimum: 1 },
              abortIncompleteMultipartUploadDays: { type: 'integer', minimum: 1 },
            },
          },
        },
      ],
    },
    accessPoints: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$' },
          networkOrigin: { enum: ['Internet', 'VPC'] },
          vpcId: { type: 'string' },
          policy: { type: ['object', 'string', 'null'] },
          policyStatus: { type: 'object', additionalProperties: false, required: ['isPublic'], properties: { isPublic: { type: 'boolean' } } },
          publicAccessBlock: publicAccessBlock,
        },
      },
    },
  },
} as const;

const kmsKey = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'region'],
  properties: {
    id: { type: 'string', pattern: '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$' },
    region,
    description: { type: 'string' },
    state: { enum: ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Creating'] },
    deletionDate: timestamp,
    manager: { enum: ['CUSTOMER', 'AWS'] },
    policy: policyDocument,
    rotation: { type: 'boolean' },
    rotationPeriodDays: { type: 'integer', minimum: 90, maximum: 2560 },
    aliases: { type: 'array', items: { type: 'string', pattern: '^alias/' } },
    keySpec: { type: 'string' },
    keyUsage: { type: 'string' },
    multiRegion: { type: 'boolean' },
    origin: { enum: ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] },
    customKeyStoreId: { type: 'string', pattern: '^cks-[a-z0-9]{17}$' },
    primaryKeyArn: { type: 'string', pattern: '^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/mrk-[a-f0-9]{32}$' },
    creationDate: timestamp,
  },
} as const;

const principalBase = {
  name: { type: 'string', pattern: '^[\\w+=,.@-]{1,128}$' },
  path: { type: 'string', pattern: '^/(.*/)?$' },
  id: { type: 'string' },
  createDate: timestamp,
  managedPolicies,
  inlinePolicies,
} as const;

const iam = {
  type: 'object',
  additionalProperties: false,
  properties: {
    users: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { ...principalBase, groups: stringArray, permissionsBoundary: { type: 'string' }, tags },
      },
    },
    groups: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['name'], properties: principalBase },
    },
    roles: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'trustPolicy'],
        properties: {
          ...principalBase,
          trustPolicy: policyDocument,
          permissionsBoundary: { type: 'string' },
          tags,
          maxSessionDuration: { type: 'integer', minimum: 3600, maximum: 43200 },
          description: { type: 'string' },
        },
      },
    },
    policies: { type: 'array', items: managedPolicy },
  },
} as const;

const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties }) as const;
const str = { type: 'string', minLength: 1 } as const;
const monitoring = obj([], {
  logGroups: { type: 'array', items: obj(['region', 'name'], { region, name: str }) },
  metricFilters: {
    type: 'array',
    items: obj(['region', 'logGroupName', 'filterName', 'filterPattern'], {
      region,
      logGroupName: str,
      filterName: str,
      filterPattern: { type: 'string', maxLength: 1024 },
      metricTransformations: {
        type: 'array',
        minItems: 1,
        maxItems: 1,
        items: obj(['metricName', 'metricNamespace'], { metricName: str, metricNamespace: str, metricValue: str, defaultValue: { type: 'number' } }),
      },
    }),
  },
  alarms: {
    type: 'array',
    items: obj(['region', 'alarmName'], {
      region,
      alarmName: str,
      namespace: str,
      metricName: str,
      statistic: { enum: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] },
      threshold: { type: 'number' },
      comparisonOperator: { enum: ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] },
      evaluationPeriods: { type: 'integer', minimum: 1 },
      datapointsToAlarm: { type: 'integer', minimum: 1 },
      period: { type: 'integer', minimum: 10 },
      actionsEnabled: { type: 'boolean' },
      alarmActions: { type: 'array', maxItems: 5, items: { type: 'string', pattern: '^arn:' } },
    }),
  },
  topics: {
    type: 'array',
    items: obj(['region', 'name'], {
      region,
      name: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,256}$' },
      subscriptions: { type: 'array', items: obj(['protocol', 'endpoint'], { protocol: str, endpoint: str, confirmed: { type: 'boolean' } }) },
    }),
  },
  eventRules: {
    type: 'array',
    items: obj(['region', 'name'], {
      region,
      name: { type: 'string', pattern: '^[.\\-_A-Za-z0-9]{1,64}$' },
      eventPattern: { anyOf: [{ type: 'object' }, { type: 'string' }] },
      scheduleExpression: str,
      state: { enum: ['ENABLED', 'DISABLED'] },
      targets: { type: 'array', maxItems: 5, items: obj(['id', 'arn'], { id: str, arn: { type: 'string', pattern: '^arn:' } }) },
    }),
  },
});

const eventDataStore = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'region'],
  properties: {
    name: { type: 'string', pattern: '^[a-zA-Z0-9._-]{3,128}$' },
    region,
    id: { type: 'string', pattern: '^[a-zA-Z0-9-]{1,64}$' },
    multiRegion: { type: 'boolean' },
    organization: { type: 'boolean' },
    status: { enum: ['CREATED', 'ENABLED', 'PENDING_DELETION', 'STARTING_INGESTION', 'STOPPING_INGESTION', 'STOPPED_INGESTION'] },
    advancedEventSelectors: { type: 'array', items: awsShaped },
    kmsKeyId: { type: 'string', pattern: '^arn:[^:]+:kms:' },
    terminationProtection: { type: 'boolean' },
    retentionPeriod: { type: 'integer', minimum: 7, maximum: 3653 },
  },
} as const;

const account = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    id: accountId,
    name: { type: 'string', minLength: 1 },
    email: { type: 'string' },
    status: { enum: ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'] },
    ou: { type: 'string', pattern: '^[^/]+(/[^/]+)*$' },
    joinedTimestamp: timestamp,
    optInRegions: { type: 'array', items: region },
    deniedRegions: { type: 'array', items: region },
    rootUser: { type: 'object', additionalProperties: false, properties: { accessKeysPresent: { type: 'boolean' }, mfaEnabled: { type: 'boolean' } } },
    trails: { type: 'array', items: trail },
    buckets: { type: 'array', items: bucket },
    publicAccessBlock: { anyOf: [publicAccessBlock, { type: 'null' }] },
    kmsKeys: { type: 'array', items: kmsKey },
    iam,
    monitoring,
    events: { type: 'array', items: worldEvent },
    eventDataStores: { type: 'array', items: eventDataStore },
  },
} as const;

export const worldSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Trailwarden simulator world',
  type: 'object',
  additionalProperties: false,
  required: ['accounts'],
  properties: {
    partition: { enum: ['aws', 'aws-us-gov', 'aws-cn'] },
    regions: {
      type: 'array',
      minItems: 1,
      items: {
        anyOf: [
          region,
          { type: 'object', additionalProperties: false, required: ['name'], properties: { name: region, optIn: { type: 'boolean' } } },
        ],
      },
    },
    organization: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'managementAccountId'],
      properties: {
        id: { type: 'string', pattern: '^o-[a-z0-9]{10,32}$' },
        managementAccountId: accountId,
        rootId: { type: 'string', pattern: '^r-[0-9a-z]{4,32}$' },
        featureSet: { enum: ['ALL', 'CONSOLIDATED_BILLING'] },
        ous: { type: 'array', items: { type: 'string', pattern: '^[^/]+(/[^/]+)*$' } },
        policies: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'type', 'document'],
            properties: {
              id: { type: 'string', pattern: '^p-[0-9a-zA-Z_]{8,128}$' },
              name: { type: 'string', minLength: 1 },
              type: { enum: ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] },
              description: { type: 'string' },
              document: policyDocument,
              targets: stringArray,
            },
          },
        },
        delegatedAdministrators: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['accountId', 'servicePrincipal'],
            properties: { accountId, servicePrincipal: { type: 'string' }, delegationEnabledDate: timestamp },
          },
        },
        resourcePolicy: policyDocument,
      },
    },
    caller: {
      type: 'object',
      additionalProperties: false,
      properties: {
        accountId,
        arn: { type: 'string', pattern: '^arn:[^:]+:(iam|sts)::[0-9]{12}:' },
        accessKeyId: { type: 'string', pattern: '^[A-Z0-9]{16,128}$' },
        secretAccessKey: { type: 'string', minLength: 1 },
      },
    },
    awsManagedPolicies: { type: 'array', items: managedPolicy },
    accounts: { type: 'array', minItems: 1, items: account },
  },
} as const;
