import type {
  IamAttachedPolicy,
  IamData,
  IamGroup,
  IamInlinePolicy,
  IamManagedPolicy,
  IamRole,
  IamTag,
  IamUser,
  JsonValue,
  PolicyDocument,
} from '@trailwarden/core';
import { iamUniqueId } from './ids.js';

/**
 * A managed policy to attach: a full ARN, or a name — the account's own `managedPolicy(name, ...)` if
 * it defines one, else the AWS managed policy of that name (a few common ones are built in).
 */
export type PolicyRef = string;

/** Inline policies: `{ name: document }` or a list of `{ name, document }`. */
export type InlinePolicies = Record<string, PolicyDocument> | IamInlinePolicy[];

interface PrincipalInput {
  path?: string;
  attachedPolicies?: PolicyRef[];
  inlinePolicies?: InlinePolicies;
}

export interface IamUserInput extends PrincipalInput {
  /** Group names the user belongs to. */
  groups?: string[];
  /** Permissions boundary: a policy ref (name or ARN). */
  permissionsBoundary?: PolicyRef;
  tags?: Record<string, string> | IamTag[];
}

export interface IamRoleInput extends PrincipalInput {
  /** The trust policy. Default: built from `trust`, else trusted by its own account's root. */
  assumeRolePolicy?: PolicyDocument;
  /**
   * Who may assume the role: account ids (their root), principal ARNs, or service principals
   * (`lambda.amazonaws.com`). Ignored when `assumeRolePolicy` is given.
   */
  trust?: string | string[];
  permissionsBoundary?: PolicyRef;
  tags?: Record<string, string> | IamTag[];
}

export type IamGroupInput = PrincipalInput;

export interface ManagedPolicyInput {
  path?: string;
  /** An AWS managed policy (`arn:aws:iam::aws:policy/...`) rather than the account's own. */
  awsManaged?: boolean;
}

export type IamUserSpec = { readonly kind: 'iamUser'; readonly name: string; readonly input: IamUserInput };
export type IamRoleSpec = { readonly kind: 'iamRole'; readonly name: string; readonly input: IamRoleInput };
export type IamGroupSpec = { readonly kind: 'iamGroup'; readonly name: string; readonly input: IamGroupInput };
export type ManagedPolicySpec = {
  readonly kind: 'managedPolicy';
  readonly name: string;
  readonly document: PolicyDocument;
  readonly input: ManagedPolicyInput;
};

export function iamUser(name: string, input: IamUserInput = {}): IamUserSpec {
  return { kind: 'iamUser', name, input };
}
export function iamRole(name: string, input: IamRoleInput = {}): IamRoleSpec {
  return { kind: 'iamRole', name, input };
}
export function iamGroup(name: string, input: IamGroupInput = {}): IamGroupSpec {
  return { kind: 'iamGroup', name, input };
}
/** A customer managed policy of the account (or an AWS managed one with `{ awsManaged: true }`). */
export function managedPolicy(name: string, document: PolicyDocument, input: ManagedPolicyInput = {}): ManagedPolicySpec {
  return { kind: 'managedPolicy', name, document, input };
}

/** Policy document helpers: `policy(allow('cloudtrail:*'), deny('s3:DeleteObject', 'arn:aws:s3:::logs/*'))`. */
export function policy(...statements: JsonValue[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
export function allow(action: string | string[], resource: string | string[] = '*', extra: Record<string, JsonValue> = {}): JsonValue {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}
export function deny(action: string | string[], resource: string | string[] = '*', extra: Record<string, JsonValue> = {}): JsonValue {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

/** AWS managed policies known by name (simplified to what matters for CloudTrail tampering). */
const AWS_MANAGED: Record<string, PolicyDocument> = {
  AdministratorAccess: policy(allow('*')),
  PowerUserAccess: policy(
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    allow(['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation']),
  ),
  ReadOnlyAccess: policy(
    allow(['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*', 'cloudtrail:LookupEvents', 's3:Get*', 's3:List*', 'kms:Describe*', 'kms:Get*', 'kms:List*', 'iam:Get*', 'iam:List*', 'organizations:Describe*', 'organizations:List*']),
  ),
  SecurityAudit: policy(allow(['cloudtrail:DescribeTrails', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetTrail', 'cloudtrail:GetTrailStatus', 'cloudtrail:ListTrails', 's3:GetBucket*', 's3:ListAllMyBuckets', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'iam:GetAccountAuthorizationDetails'])),
  AWSCloudTrail_FullAccess: policy(
    allow('cloudtrail:*'),
    allow(['s3:CreateBucket', 's3:DeleteBucket', 's3:ListAllMyBuckets', 's3:PutBucketPolicy', 's3:ListBucket', 's3:GetObject', 's3:GetBucketLocation', 's3:GetBucketPolicy'], 'arn:aws:s3:::*'),
    allow(['kms:CreateKey', 'kms:CreateAlias', 'kms:ListKeys', 'kms:ListAliases']),
  ),
  AWSCloudTrail_ReadOnlyAccess: policy(allow(['cloudtrail:Get*', 'cloudtrail:Describe*', 'cloudtrail:List*', 'cloudtrail:LookupEvents'])),
};

/** A trust policy for account ids, principal ARNs and service principals. */
function trustPolicy(trust: string | string[], partition: string): PolicyDocument {
  const list = Array.isArray(trust) ? trust : [trust];
  const aws = list.filter((t) => !t.endsWith('.amazonaws.com')).map((t) => (/^\d{12}$/.test(t) ? `arn:${partition}:iam::${t}:root` : t));
  const services = list.filter((t) => t.endsWith('.amazonaws.com'));
  const principal: Record<string, JsonValue> = {};
  if (aws.length) principal.AWS = aws.length === 1 ? (aws[0] as string) : aws;
  if (services.length) principal.Service = services.length === 1 ? (services[0] as string) : services;
  return policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' });
}

const tagsOf = (t: Record<string, string> | IamTag[] | undefined): IamTag[] =>
  Array.isArray(t) ? t : Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));

const inlineOf = (p: InlinePolicies | undefined): IamInlinePolicy[] =>
  Array.isArray(p) ? p : Object.entries(p ?? {}).map(([name, document]) => ({ name, document }));

const normPath = (p: string | undefined): string => (p ? `/${p.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/') : '/');

export interface IamInput {
  users?: IamUserSpec[];
  roles?: IamRoleSpec[];
  groups?: IamGroupSpec[];
  policies?: ManagedPolicySpec[];
}

/** GetAccountAuthorizationDetails for one account: ARNs and ids filled, references resolved. */
export function buildIam(input: IamInput, accountId: string, partition: string): IamData {
  const where = `account ${accountId} iam`;
  const policies = new Map<string, IamManagedPolicy>();
  const byName = new Map<string, string>();
  for (const p of input.policies ?? []) {
    const path = normPath(p.input.path);
    const arn = p.input.awsManaged ? `arn:${partition}:iam::aws:policy${path}${p.name}` : `arn:${partition}:iam::${accountId}:policy${path}${p.name}`;
    policies.set(arn, { arn, name: p.name, id: iamUniqueId('ANPA', arn), path, document: p.document, attachmentCount: 0, isAttachable: true });
    if (!byName.has(p.name) || !p.input.awsManaged) byName.set(p.name, arn);
  }
  const ref = (r: PolicyRef, who: string): IamAttachedPolicy => {
    if (r.startsWith('arn:')) {
      const name = r.split('/').pop() as string;
      if (!policies.has(r)) {
        const doc = r.includes(':iam::aws:policy/') ? AWS_MANAGED[name] : undefined;
        if (!doc) throw new Error(`${where}: ${who} attaches ${r}, which is not defined; add managedPolicy('${name}', document) to the account's iam.policies`);
        policies.set(r, { arn: r, name, id: iamUniqueId('ANPA', r), path: '/', document: doc, attachmentCount: 0, isAttachable: true });
      }
      return { arn: r, name };
    }
    const own = byName.get(r);
    if (own) return { arn: own, name: r };
    const doc = AWS_MANAGED[r];
    if (!doc) {
      throw new Error(
        `${where}: ${who} attaches "${r}", which is neither a managedPolicy of the account nor a built-in AWS managed policy (${Object.keys(AWS_MANAGED).join(', ')}); define it with managedPolicy('${r}', document)`,
      );
    }
    const arn = `arn:${partition}:iam::aws:policy/${r}`;
    policies.set(arn, { arn, name: r, id: iamUniqueId('ANPA', arn), path: '/', document: doc, attachmentCount: 0, isAttachable: true });
    byName.set(r, arn);
    return { arn, name: r };
  };
  const attach = (refs: PolicyRef[] | undefined, who: string): IamAttachedPolicy[] =>
    (refs ?? []).map((r) => {
      const a = ref(r, who);
      const p = policies.get(a.arn) as IamManagedPolicy;
      p.attachmentCount = (p.attachmentCount ?? 0) + 1;
      return a;
    });

  const groupNames = new Set((input.groups ?? []).map((g) => g.name));
  const groups: IamGroup[] = (input.groups ?? []).map((g) => {
    const path = normPath(g.input.path);
    const arn = `arn:${partition}:iam::${accountId}:group${path}${g.name}`;
    return { arn, name: g.name, id: iamUniqueId('AGPA', arn), path, attachedPolicies: attach(g.input.attachedPolicies, `group ${g.name}`), inlinePolicies: inlineOf(g.input.inlinePolicies) };
  });
  const users: IamUser[] = (input.users ?? []).map((u) => {
    const path = normPath(u.input.path);
    const arn = `arn:${partition}:iam::${accountId}:user${path}${u.name}`;
    for (const g of u.input.groups ?? []) {
      if (!groupNames.has(g)) throw new Error(`${where}: user ${u.name} is in group "${g}", which is not defined; add iamGroup('${g}') to the account's iam.groups`);
    }
    const user: IamUser = {
      arn,
      name: u.name,
      id: iamUniqueId('AIDA', arn),
      path,
      groups: u.input.groups ?? [],
      attachedPolicies: attach(u.input.attachedPolicies, `user ${u.name}`),
      inlinePolicies: inlineOf(u.input.inlinePolicies),
      tags: tagsOf(u.input.tags),
    };
    if (u.input.permissionsBoundary) user.permissionsBoundary = ref(u.input.permissionsBoundary, `user ${u.name}`).arn;
    return user;
  });
  const roles: IamRole[] = (input.roles ?? []).map((r) => {
    const path = normPath(r.input.path);
    const arn = `arn:${partition}:iam::${accountId}:role${path}${r.name}`;
    const role: IamRole = {
      arn,
      name: r.name,
      id: iamUniqueId('AROA', arn),
      path,
      assumeRolePolicy: r.input.assumeRolePolicy ?? trustPolicy(r.input.trust ?? accountId, partition),
      attachedPolicies: attach(r.input.attachedPolicies, `role ${r.name}`),
      inlinePolicies: inlineOf(r.input.inlinePolicies),
      tags: tagsOf(r.input.tags),
    };
    if (r.input.permissionsBoundary) role.permissionsBoundary = ref(r.input.permissionsBoundary, `role ${r.name}`).arn;
    return role;
  });
  return { users, groups, roles, policies: [...policies.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)) };
}
