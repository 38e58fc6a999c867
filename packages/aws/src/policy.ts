import { COLLECTOR_ACTIONS } from './actions.js';
import { DEFAULT_ROLE_NAME } from './collect.js';
import { roleArn } from './credentials.js';
import { INTEGRITY_ACTIONS } from './integrity/actions.js';

/** The partitions a policy can be written for (the first segment of every ARN in it). */
export const POLICY_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f'] as const;

/** An IAM role name, optionally with a path (`path/to/Role`), as IAM accepts it. */
const ROLE_NAME = /^(?:[\x21-\x7e]{1,510}\/)?[\w+=,.@-]{1,64}$/;

export function isRoleName(name: string): boolean {
  return ROLE_NAME.test(name) && !name.startsWith('/') && !name.includes('//');
}

export interface PolicyOptions {
  /** Default `aws`. */
  partition?: string;
  /** The role the scan assumes in every account (default OrganizationAccountAccessRole). */
  roleName?: string;
  /** The management account's role, when it is another (`--management-role-name`). */
  managementRoleName?: string;
  /** IAM actions the enabled plugins' collect entries call (each already allowed). */
  pluginActions?: readonly string[];
  /** Add the object reads of `verify-logs` (policy/trailwarden-verify-logs-policy.json). */
  verifyLogs?: boolean;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[] }[];
}

/**
 * The read-only policy of the scanning role: every action the collector can call (`COLLECTOR_ACTIONS`,
 * kept in step with the commands it sends by test), `sts:AssumeRole` on the scan role(s) only, in
 * the partition's ARNs; optionally the plugins' extra reads and verify-logs' object reads. With the
 * defaults it is the shipped policy/trailwarden-collector-policy.json.
 */
export function collectorPolicy(options: PolicyOptions = {}): IamPolicyDocument {
  const partition = options.partition ?? 'aws';
  const roles = [...new Set([options.roleName ?? DEFAULT_ROLE_NAME, ...(options.managementRoleName ? [options.managementRoleName] : [])])];
  const arns = roles.map((r) => roleArn(partition, '*', r));
  const statements: IamPolicyDocument['Statement'] = [
    { Sid: 'TrailwardenReadOnly', Effect: 'Allow', Action: COLLECTOR_ACTIONS.filter((a) => a !== 'sts:AssumeRole'), Resource: '*' },
    { Sid: 'TrailwardenAssumeScanRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: arns.length === 1 ? arns[0]! : arns },
  ];
  const own = new Set(COLLECTOR_ACTIONS);
  const plugin = [...new Set(options.pluginActions ?? [])].filter((a) => !own.has(a)).sort();
  if (plugin.length > 0) statements.push({ Sid: 'TrailwardenPluginReads', Effect: 'Allow', Action: plugin, Resource: '*' });
  if (options.verifyLogs) statements.push({ Sid: 'TrailwardenVerifyLogsReadObjects', Effect: 'Allow', Action: [...INTEGRITY_ACTIONS], Resource: '*' });
  return { Version: '2012-10-17', Statement: statements };
}
