import type { JsonValue } from '../model/snapshot.js';

/**
 * Canonical CloudTrail records (the shape CloudTrail delivers to CloudWatch Logs: one record per
 * log event, compact JSON), used to judge what a metric filter or an EventBridge rule catches.
 * Values are documentation examples (account 111122223333, addresses from 198.51.100.0/24).
 */
export interface SampleEvent {
  /** How messages name the event, e.g. `StopLogging` or `ConsoleLogin (failed)`. */
  label: string;
  record: Record<string, JsonValue>;
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
let serial = 0;

const iamUser = (): Record<string, JsonValue> => ({
  type: 'IAMUser',
  principalId: 'AIDACKCEVSQ6C2EXAMPLE',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: 'alice',
});

const root = (): Record<string, JsonValue> => ({
  type: 'Root',
  principalId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
});

function ids(): { requestID: string; eventID: string } {
  serial += 1;
  const n = serial.toString(16).padStart(12, '0');
  return { requestID: `6f9a1c2e-0000-4000-8000-${n}`, eventID: `3e1d2b4c-0000-4000-9000-${n}` };
}

/** An API call recorded by CloudTrail (`eventType: AwsApiCall`). */
export function apiCall(eventSource: string, eventName: string, extra: Record<string, JsonValue> = {}, label = eventName): SampleEvent {
  const readOnly = /^(Get|List|Describe|Head)/.test(eventName);
  return {
    label,
    record: {
      eventVersion: '1.09',
      userIdentity: iamUser(),
      eventTime: '2026-01-15T10:00:00Z',
      eventSource,
      eventName,
      awsRegion: REGION,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.15.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.6',
      requestParameters: {},
      responseElements: null,
      ...ids(),
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${eventSource.split('.')[0]}.${REGION}.amazonaws.com` },
      ...extra,
    },
  };
}

/** A console sign-in (`eventType: AwsConsoleSignIn`, `eventSource: signin.amazonaws.com`). */
export function consoleLogin(opts: { mfa: boolean; success: boolean; identity?: 'IAMUser' | 'Root' }, label: string): SampleEvent {
  const identity = opts.identity === 'Root' ? root() : iamUser();
  if (opts.identity !== 'Root') delete identity.accessKeyId;
  const record: Record<string, JsonValue> = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: '2026-01-15T10:00:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: REGION,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    requestParameters: null,
    responseElements: { ConsoleLogin: opts.success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
      MobileVersion: 'No',
      MFAUsed: opts.mfa ? 'Yes' : 'No',
    },
    eventID: ids().eventID,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
  if (!opts.success) record.errorMessage = 'Failed authentication';
  return { label, record };
}

/** The same event made by the root user (no `invokedBy`: not on behalf of a service). */
export function asRoot(event: SampleEvent, label: string): SampleEvent {
  return { label, record: { ...event.record, userIdentity: root() } };
}

/** A routine, successful read: what a filter must not need to fire on, and the noise check. */
export const ROUTINE_EVENT: SampleEvent = apiCall('cloudtrail.amazonaws.com', 'DescribeTrails', { requestParameters: { trailNameList: [], includeShadowTrails: true } });

/**
 * The EventBridge event for a CloudTrail record (CloudTrail's "AWS API Call via CloudTrail" /
 * "AWS Console Sign In via CloudTrail" events on the default bus).
 */
export function asEventBridgeEvent(record: Record<string, JsonValue>): Record<string, JsonValue> {
  const source = String(record.eventSource ?? '');
  const signIn = record.eventType === 'AwsConsoleSignIn';
  return {
    version: '0',
    id: String(record.eventID ?? '00000000-0000-0000-0000-000000000000'),
    'detail-type': signIn ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail',
    source: `aws.${source.replace(/\.amazonaws\.com$/, '')}`,
    account: String(record.recipientAccountId ?? ACCOUNT),
    time: String(record.eventTime ?? '2026-01-15T10:00:00Z'),
    region: String(record.awsRegion ?? REGION),
    resources: [],
    detail: record,
  };
}
