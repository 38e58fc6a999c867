/**
 * Who watches the generated trails' events: CIS's metric filters, alarms and an SNS topic, written
 * into the world for multi-region trails that deliver to CloudWatch Logs. The variant is derived
 * from the trail's ARN (not drawn from the generator's random stream, so the rest of a seeded world
 * stays as it was).
 */
import type { TrailPlan } from './truth.js';
import type { WorldMonitoring } from './types.js';

/** `cis`: every CIS sample filter with an alarm and a subscribed topic; the others break one link. */
export type MonitoringVariant = 'cis' | 'unconfirmed-topic' | 'trail-near-miss';

/** CIS's sample filter patterns (Foundations Benchmark v3.0 §4.1–4.15 wording), by check topic. */
export const CIS_FILTERS: Record<string, string> = {
  'unauthorized-api-calls': '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  'console-signin-without-mfa': '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
  'root-usage': '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  'iam-policy-changes':
    '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  'cloudtrail-changes': '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  'console-auth-failures': '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  'kms-key-deletion': '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  's3-bucket-policy-changes':
    '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  'config-changes': '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  'security-group-changes':
    '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  'nacl-changes':
    '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  'network-gateway-changes':
    '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  'route-table-changes':
    '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  'vpc-changes':
    '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  'organizations-changes':
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }',
};

/** The near-miss: CloudTrail changes without StopLogging. */
const TRAIL_NEAR_MISS = '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }';

/** Which monitoring a trail gets; undefined: its log group has no metric filters. */
export function monitoringVariant(t: TrailPlan): MonitoringVariant | undefined {
  if (!t.multiRegion || t.cloudWatch === 'none') return undefined;
  if (t.organization) return 'cis';
  let h = 0;
  for (const c of t.arn) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return ([undefined, 'cis', 'unconfirmed-topic', 'trail-near-miss'] as const)[h % 4];
}

/** The world's monitoring for one account's trails (each in the trail's home region). */
export function worldMonitoring(trails: { plan: TrailPlan; region: string; accountId: string }[]): WorldMonitoring | undefined {
  const out: Required<Pick<WorldMonitoring, 'metricFilters' | 'alarms' | 'topics'>> = { metricFilters: [], alarms: [], topics: [] };
  for (const { plan, region, accountId } of trails) {
    const variant = monitoringVariant(plan);
    if (!variant) continue;
    const group = `cloudtrail-${plan.name}`;
    const topicName = `${plan.name}-security-alarms`;
    const topicArn = `arn:aws:sns:${region}:${accountId}:${topicName}`;
    for (const [topic, pattern] of Object.entries(CIS_FILTERS)) {
      const metricName = `${plan.name}-${topic}`;
      out.metricFilters.push({
        region,
        logGroupName: group,
        filterName: metricName,
        filterPattern: variant === 'trail-near-miss' && topic === 'cloudtrail-changes' ? TRAIL_NEAR_MISS : pattern,
        metricTransformations: [{ metricName, metricNamespace: 'CISBenchmark', metricValue: '1' }],
      });
      out.alarms.push({ region, alarmName: `${metricName}-alarm`, namespace: 'CISBenchmark', metricName, alarmActions: [topicArn] });
    }
    out.topics.push({ region, name: topicName, subscriptions: [{ protocol: 'email', endpoint: `security@${accountId}.example.com`, confirmed: variant !== 'unconfirmed-topic' }] });
  }
  return out.metricFilters.length > 0 ? out : undefined;
}
