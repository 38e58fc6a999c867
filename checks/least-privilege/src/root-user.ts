import { type Account, type JsonValue, TRAILWARDEN_ERROR_CODES, isUnknown } from '@trailwarden/core';
import { type IamModel, NOT_IN_ORGANIZATION } from '@trailwarden/iam';

/**
 * How the root user of a scanned account is judged. It has no IAM policy anyone could edit: AWS
 * and CIS judge it by the controls that do exist. In a member account an SCP can deny it the tamper
 * actions (`aws:PrincipalArn` like `arn:…:iam::*:root`); SCPs never restrict the management
 * account (nor an account in no organization), so there its credentials are the control: no
 * access keys, MFA on (IAM GetAccountSummary).
 */
export type RootVerdict =
  | { kind: 'scp-needed' }
  | { kind: 'unsecured'; problems: string[]; why: string; credentials: JsonValue }
  | { kind: 'secured'; why: string; credentials: JsonValue }
  | { kind: 'unknown'; message: string };

export function judgeRootThatCanTamper(model: IamModel, account: Account | undefined, accountId: string): RootVerdict {
  const org = model.organization;
  let why: string;
  if (org && isUnknown(org) && org.error.code !== NOT_IN_ORGANIZATION) {
    return { kind: 'unknown', message: `the organization could not be read (${org.error.operation}: ${org.error.code}), so whether an SCP can restrict this root user is unknown` };
  }
  const value = org && !isUnknown(org) ? org.value : undefined;
  if (value && value.managementAccountId === accountId) why = 'SCPs never restrict the management account';
  else if (value?.accounts.some((a) => a.id === accountId) && model.managementAccountId !== accountId) return { kind: 'scp-needed' };
  else why = 'the account is in no organization, so no SCP can restrict it';

  const creds = account?.get('rootUser');
  if (!creds || creds.error?.code === TRAILWARDEN_ERROR_CODES.NotCollected) {
    return { kind: 'unknown', message: 'the root user\'s credentials (IAM GetAccountSummary) are not in the snapshot' };
  }
  if (isUnknown(creds)) return { kind: 'unknown', message: `the root user's credentials could not be read (${creds.error.operation}: ${creds.error.code} ${creds.error.message})` };
  const credentials = { accessKeysPresent: creds.value.accessKeysPresent, mfaEnabled: creds.value.mfaEnabled };
  const problems: string[] = [];
  if (creds.value.accessKeysPresent) problems.push('it has access keys (AccountAccessKeysPresent = 1)');
  if (!creds.value.mfaEnabled) problems.push('MFA is not enabled on it (AccountMFAEnabled = 0)');
  return problems.length > 0 ? { kind: 'unsecured', problems, why, credentials } : { kind: 'secured', why, credentials };
}

/** The SCP the fix recommends: deny the tamper actions to the root user of every member account. */
export function rootDenyScp(partition: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyRootLogTampering',
        Effect: 'Deny',
        Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors', 's3:DeleteObject*', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:PutBucketObjectLockConfiguration', 's3:DeleteBucket', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'],
        Resource: '*',
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:${partition}:iam::*:root` } },
      },
    ],
  });
}
