import { type SampleEvent, apiCall, asRoot, consoleLogin } from './sample-events.js';

/**
 * The CIS "Monitoring" recommendations (v1.2 §3.1–3.14, v1.4–5.0 §4.1–4.15, v6.0 §5.1–5.15): what
 * each must catch, as canonical CloudTrail events, and CIS's own sample filter patterns (the
 * benchmark texts, as quoted by Prowler's compliance files).
 */
export interface MonitoringControl {
  /** `monitor-<topic>` is the check id. */
  topic: string;
  title: string;
  /** Position in the section: v1.2 `3.<n>`, v1.4–5.0 `4.<n>`, v6.0 `5.<n>`. */
  cisNumber: number;
  /** Every one of these must match the filter. */
  mustCatch: SampleEvent[];
  /** CIS added these later: their absence is noted, not failed (older samples omit them). */
  recommended?: SampleEvent[];
  /**
   * The condition needs a JSON field comparison (a negation or an absence): the plain-term forms
   * cannot express it.
   */
  needsJson?: string;
  /** CIS's sample patterns, newest first; the first is the one the fix commands use. */
  cisPatterns: string[];
  /** Metric name the fix commands suggest. */
  metricName: string;
  /** The pattern the fix commands suggest, when CIS's own first sample is not the clearest one. */
  fixPattern?: string;
}

const orNames = (names: string[], quote = false): string => names.map((n) => `($.eventName = ${quote ? `"${n}"` : n})`).join(' || ');
const calls = (source: string, names: string[]): SampleEvent[] => names.map((n) => apiCall(source, n));

const IAM_POLICY = ['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy'];
const TRAIL = ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'];
const KMS = ['DisableKey', 'ScheduleKeyDeletion'];
const S3 = ['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'];
const CONFIG = ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'];
const SG = ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'];
const NACL = ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'];
const GATEWAY = ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'];
const ROUTE = ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'];
const VPC = ['CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink'];
const ORGS = ['AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'];

const denied = (source: string, name: string, code: string): SampleEvent =>
  apiCall(source, name, { errorCode: code, errorMessage: `User: arn:aws:iam::111122223333:user/alice is not authorized to perform: ${source.split('.')[0]}:${name}` }, `${name} (errorCode ${code})`);

export const MONITORING_CONTROLS: MonitoringControl[] = [
  {
    topic: 'unauthorized-api-calls',
    title: 'Unauthorized API calls are monitored',
    cisNumber: 1,
    mustCatch: [
      denied('ec2.amazonaws.com', 'RunInstances', 'Client.UnauthorizedOperation'),
      denied('iam.amazonaws.com', 'ListUsers', 'AccessDenied'),
      denied('lambda.amazonaws.com', 'ListFunctions20150331', 'AccessDeniedException'),
    ],
    cisPatterns: [
      '{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }',
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
      '{ ($.errorCode = *UnauthorizedOperation) || ($.errorCode = AccessDenied*) || ($.sourceIPAddress!=delivery.logs.amazonaws.com) || ($.eventName!=HeadBucket) }',
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    ],
    metricName: 'unauthorized_api_calls_metric',
    fixPattern: '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  },
  {
    topic: 'console-signin-without-mfa',
    title: 'Management console sign-in without MFA is monitored',
    cisNumber: 2,
    mustCatch: [consoleLogin({ mfa: false, success: true }, 'ConsoleLogin (IAM user, no MFA)')],
    needsJson: 'additionalEventData.MFAUsed must not be "Yes"',
    cisPatterns: [
      '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) }',
      '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) && ($.userIdentity.type = IAMUser) && ($.responseElements.ConsoleLogin = Success) }',
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    ],
    metricName: 'no_mfa_console_signin_metric',
  },
  {
    topic: 'root-usage',
    title: "Usage of the 'root' account is monitored",
    cisNumber: 3,
    mustCatch: [
      consoleLogin({ mfa: true, success: true, identity: 'Root' }, 'ConsoleLogin (root)'),
      asRoot(apiCall('iam.amazonaws.com', 'CreateAccessKey'), 'CreateAccessKey (root)'),
    ],
    needsJson: 'userIdentity.invokedBy must be absent and eventType must not be AwsServiceEvent',
    cisPatterns: [
      '{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent }',
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    ],
    metricName: 'root_usage_metric',
  },
  {
    topic: 'iam-policy-changes',
    title: 'IAM policy changes are monitored',
    cisNumber: 4,
    mustCatch: calls('iam.amazonaws.com', IAM_POLICY),
    cisPatterns: [`{${IAM_POLICY.map((n) => `($.eventName=${n})`).join('||')}}`],
    metricName: 'iam_policy_changes_metric',
  },
  {
    topic: 'cloudtrail-changes',
    title: 'CloudTrail configuration changes are monitored',
    cisNumber: 5,
    mustCatch: calls('cloudtrail.amazonaws.com', TRAIL),
    cisPatterns: [`{ ${orNames(TRAIL)} }`],
    metricName: 'cloudtrail_cfg_changes_metric',
  },
  {
    topic: 'console-auth-failures',
    title: 'AWS Management Console authentication failures are monitored',
    cisNumber: 6,
    mustCatch: [consoleLogin({ mfa: false, success: false }, 'ConsoleLogin (failed)')],
    cisPatterns: ['{ ($.eventName = ConsoleLogin) && ($.errorMessage = Failed authentication) }', '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'],
    metricName: 'console_signin_failure_metric',
  },
  {
    topic: 'kms-key-deletion',
    title: 'Disabling or scheduled deletion of customer-created KMS keys is monitored',
    cisNumber: 7,
    mustCatch: calls('kms.amazonaws.com', KMS),
    cisPatterns: ['{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }'],
    metricName: 'disable_or_delete_cmk_changes_metric',
  },
  {
    topic: 's3-bucket-policy-changes',
    title: 'S3 bucket policy changes are monitored',
    cisNumber: 8,
    mustCatch: calls('s3.amazonaws.com', S3),
    cisPatterns: [`{ ($.eventSource = s3.amazonaws.com) && (${orNames(S3)}) }`],
    metricName: 's3_bucket_policy_changes_metric',
  },
  {
    topic: 'config-changes',
    title: 'AWS Config configuration changes are monitored',
    cisNumber: 9,
    mustCatch: calls('config.amazonaws.com', CONFIG),
    cisPatterns: [`{ ($.eventSource = config.amazonaws.com) && (${CONFIG.map((n) => `($.eventName=${n})`).join('||')}) }`],
    metricName: 'aws_config_changes_metric',
  },
  {
    topic: 'security-group-changes',
    title: 'Security group changes are monitored',
    cisNumber: 10,
    mustCatch: calls('ec2.amazonaws.com', SG),
    recommended: calls('ec2.amazonaws.com', ['ModifySecurityGroupRules']),
    cisPatterns: [`{ ${orNames([...SG, 'ModifySecurityGroupRules'])} }`, `{ ${orNames(SG)} }`],
    metricName: 'security_group_changes_metric',
  },
  {
    topic: 'nacl-changes',
    title: 'Network Access Control List (NACL) changes are monitored',
    cisNumber: 11,
    mustCatch: calls('ec2.amazonaws.com', NACL),
    cisPatterns: [`{ ${orNames(NACL)} }`],
    metricName: 'nacl_changes_metric',
  },
  {
    topic: 'network-gateway-changes',
    title: 'Changes to network gateways are monitored',
    cisNumber: 12,
    mustCatch: calls('ec2.amazonaws.com', GATEWAY),
    cisPatterns: [`{ ${orNames(GATEWAY)} }`],
    metricName: 'network_gw_changes_metric',
  },
  {
    topic: 'route-table-changes',
    title: 'Route table changes are monitored',
    cisNumber: 13,
    mustCatch: calls('ec2.amazonaws.com', ROUTE),
    cisPatterns: [
      `{($.eventSource = ec2.amazonaws.com) && ${orNames(ROUTE)} }`,
      '{($.eventSource = ec2.amazonaws.com) && ($.eventName =CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName =ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName= DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName =DisassociateRouteTable) }',
      `{ ${orNames(ROUTE)} }`,
    ],
    metricName: 'route_table_changes_metric',
    fixPattern: `{ ($.eventSource = ec2.amazonaws.com) && (${orNames(ROUTE)}) }`,
  },
  {
    topic: 'vpc-changes',
    title: 'VPC changes are monitored',
    cisNumber: 14,
    mustCatch: calls('ec2.amazonaws.com', VPC),
    cisPatterns: [`{ ${orNames(VPC)} }`],
    metricName: 'vpc_changes_metric',
  },
  {
    topic: 'organizations-changes',
    title: 'AWS Organizations changes are monitored',
    cisNumber: 15,
    mustCatch: calls('organizations.amazonaws.com', ORGS),
    cisPatterns: [`{ ($.eventSource = organizations.amazonaws.com) && (${orNames(ORGS)}) }`, `{ ($.eventSource = organizations.amazonaws.com) && (${orNames(ORGS, true)}) }`],
    metricName: 'organizations_changes_metric',
  },
];

/**
 * Framework control ids of a monitoring recommendation, by CIS version (v1.2 has no §3.15).
 * @deprecated Plugin API v1 only: the CIS packs (`BUILTIN_PACKS`, `frameworksOfCheck`) map the monitor checks now.
 */
export function monitoringFrameworks(cisNumber: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (cisNumber <= 14) out['cis-aws-1.2.0'] = [`3.${cisNumber}`];
  for (const v of ['1.4.0', '1.5.0', '2.0.0', '3.0.0', '4.0.1', '5.0.0']) out[`cis-aws-${v}`] = [`4.${cisNumber}`];
  out['cis-aws-6.0.0'] = [`5.${cisNumber}`];
  return out;
}

/**
 * What the control watches, for the middle of a sentence: the title without "is monitored", its
 * first letter lowered unless it starts an acronym or a name ("CloudTrail", "AWS Config", "IAM").
 */
export function monitoringSubject(control: MonitoringControl): string {
  const t = control.title.replace(/ (is|are) monitored$/, '');
  return /^[A-Z][a-z]/.test(t) && !t.startsWith('CloudTrail') ? t.charAt(0).toLowerCase() + t.slice(1) : t;
}

export function monitoringControl(topic: string): MonitoringControl | undefined {
  return MONITORING_CONTROLS.find((c) => c.topic === topic);
}
