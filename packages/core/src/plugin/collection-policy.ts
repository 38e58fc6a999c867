/**
 * Which IAM actions a plugin's `collect` entries may call. Decided by the IAM action
 * (`<service prefix>:<Operation>`, the prefix from the SDK client's service id), never by the SDK
 * package name (`secrets-manager` is `secretsmanager` in IAM). An allow-list: read-only metadata
 * actions of well-understood services; anything else needs the user's `collection.allow`; reads of
 * secret values or customer data are refused whatever the config says. The scan role's IAM policy
 * remains the real boundary (docs/collection-plugins.md).
 */

/** Actions that return secrets, credentials or customer data: refused even when `collection.allow` names them. */
export const REFUSED_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  'ssm:GetParameter*',
  'ssm:GetDocument',
  'kms:Decrypt',
  'kms:GetParametersForImport',
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:ListFunctions',
  'lambda:ListVersionsByFunction',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:DescribeInstanceAttribute',
  'ec2:GetPasswordData',
  'ec2:GetConsoleOutput',
  'ec2:GetConsoleScreenshot',
  'ec2:GetLaunchTemplateData',
  'glue:GetConnection',
  'glue:GetConnections',
  'codeartifact:GetAuthorizationToken',
  'ecr:GetAuthorizationToken',
  'ecr:GetDownloadUrlForLayer',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:GetLogRecord',
  'logs:GetQueryResults',
  'cloudtrail:GetQueryResults',
  'cloudtrail:LookupEvents',
  'redshift:GetClusterCredentials',
  'redshift:GetClusterCredentialsWithIAM',
  's3:GetObject*',
  'sts:*',
  'cognito-idp:GetUser*',
  'cognito-identity:GetCredentialsForIdentity',
  'cognito-identity:GetOpenIdToken*',
  'sso:GetRoleCredentials',
  'iam:GetSSHPublicKey',
] as const;

/** Read-only metadata actions plugins may call without `collection.allow`. */
export const ALLOWED_ACTIONS = [
  'cloudtrail:Describe*',
  'cloudtrail:Get*',
  'cloudtrail:List*',
  's3:GetBucket*',
  's3:GetAccountPublicAccessBlock',
  's3:GetAccessPoint',
  's3:GetAccessPointPolicy',
  's3:GetAccessPointPolicyStatus',
  's3:ListAccessPoints',
  's3:GetEncryptionConfiguration',
  's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  's3:ListAllMyBuckets',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListKeys',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:ListGrants',
  'iam:Get*',
  'iam:List*',
  'organizations:Describe*',
  'organizations:List*',
  'ec2:Describe*',
  'ec2:GetEbsEncryptionByDefault',
  'ec2:GetEbsDefaultKmsKeyId',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:DescribeAlarmsForMetric',
  'cloudwatch:ListMetrics',
  'cloudwatch:ListTagsForResource',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'logs:DescribeSubscriptionFilters',
  'logs:DescribeResourcePolicies',
  'logs:ListTagsForResource',
  'logs:ListTagsLogGroup',
  'sns:GetTopicAttributes',
  'sns:ListTopics',
  'sns:ListSubscriptionsByTopic',
  'sns:ListTagsForResource',
  'config:Describe*',
  'guardduty:ListDetectors',
  'guardduty:GetDetector',
  'securityhub:DescribeHub',
  'securityhub:GetEnabledStandards',
  'events:ListRules',
  'events:DescribeRule',
  'events:ListTargetsByRule',
  'access-analyzer:ListAnalyzers',
  'tag:GetResources',
] as const;

/** `Get*` → /^Get[^:]*$/ : `*` is any run of characters within the action, nothing else is special. */
function actionPattern(glob: string): RegExp {
  const [service, action] = glob.split(':') as [string, string];
  const quote = (s: string) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`^${quote(service)}:${action.split('*').map(quote).join('[A-Za-z0-9]*')}$`);
}

const REFUSED = REFUSED_ACTIONS.map((glob) => ({ glob, re: actionPattern(glob) }));
const ALLOWED = ALLOWED_ACTIONS.map((glob) => ({ glob, re: actionPattern(glob) }));

/**
 * SDK service ids whose IAM prefix is not the id in lower case without spaces. The SDK's
 * `serviceId` ("Secrets Manager", "CloudWatch Logs") is what the client says it talks to.
 */
const PREFIX_BY_SERVICE_ID: Record<string, string> = {
  'cloudwatch logs': 'logs',
  'cognito identity provider': 'cognito-idp',
  'cognito identity': 'cognito-identity',
  'elastic load balancing v2': 'elasticloadbalancing',
  'elastic load balancing': 'elasticloadbalancing',
  eventbridge: 'events',
  'cloudwatch events': 'events',
  sfn: 'states',
  'api gateway': 'apigateway',
  'apigatewayv2': 'apigateway',
  accessanalyzer: 'access-analyzer',
  's3 control': 's3',
  'resource groups tagging api': 'tag',
  ses: 'ses',
  sesv2: 'ses',
  'route 53': 'route53',
  'database migration service': 'dms',
  'elasticsearch service': 'es',
  opensearch: 'es',
  'marketplace metering': 'aws-marketplace',
  sso: 'sso',
  'sso oidc': 'sso-oauth',
  'secrets manager': 'secretsmanager',
};

/** `Secrets Manager` → `secretsmanager`; `CloudWatch Logs` → `logs`. */
export function iamPrefixForServiceId(serviceId: string): string {
  const id = serviceId.trim().toLowerCase();
  return PREFIX_BY_SERVICE_ID[id] ?? id.replace(/\s+/g, '');
}

/**
 * The IAM prefix of an SDK client package name, for checks made before the package is loaded
 * (plugin load time). The collector decides again with the client's own service id.
 */
const PREFIX_BY_CLIENT: Record<string, string> = {
  'secrets-manager': 'secretsmanager',
  'cloudwatch-logs': 'logs',
  'cognito-identity-provider': 'cognito-idp',
  'elastic-load-balancing-v2': 'elasticloadbalancing',
  'elastic-load-balancing': 'elasticloadbalancing',
  eventbridge: 'events',
  'cloudwatch-events': 'events',
  sfn: 'states',
  'api-gateway': 'apigateway',
  apigatewayv2: 'apigateway',
  accessanalyzer: 'access-analyzer',
  's3-control': 's3',
  'resource-groups-tagging-api': 'tag',
  sesv2: 'ses',
  'route-53': 'route53',
};

export function iamPrefixForClient(client: string): string {
  return PREFIX_BY_CLIENT[client] ?? client.replace(/-/g, '');
}

export type CollectionVerdict =
  | { kind: 'allowed'; by: 'built-in' | 'config' }
  | { kind: 'refused'; rule: string }
  | { kind: 'needs-allow' };

/** The verdict on one IAM action, `service:Action`, given the config's `collection.allow`. */
export function collectionVerdict(action: string, allow: readonly string[] = []): CollectionVerdict {
  const refused = REFUSED.find((r) => r.re.test(action));
  if (refused) return { kind: 'refused', rule: refused.glob };
  if (ALLOWED.some((a) => a.re.test(action))) return { kind: 'allowed', by: 'built-in' };
  if (allow.includes(action)) return { kind: 'allowed', by: 'config' };
  return { kind: 'needs-allow' };
}

/** One line explaining a verdict that stops the scan, or undefined when the action may be called. */
export function collectionProblem(action: string, allow: readonly string[] = []): string | undefined {
  const v = collectionVerdict(action, allow);
  if (v.kind === 'refused') return `${action} is refused: it reads secrets, credentials or customer data (${v.rule}), not configuration; collection.allow cannot enable it`;
  if (v.kind === 'needs-allow') {
    return `${action} is not on Trailwarden's read-only metadata allow-list; if it returns only configuration, add "${action}" to collection.allow in the config (and grant it to the scan role)`;
  }
  return undefined;
}
