/** IAM and STS (awsQuery) and EC2 (ec2Query). */
import { evaluateTrust } from '../identity.js';
import { ec2Reply, queryReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import { el, escapeXml, list, wrap } from '../protocol/xml.js';
import type { ManagedPolicyModel } from '../world/model.js';
import { dnsSuffixOf, partitionOfRegion } from '../world/regions.js';
import type { CallContext, Handler } from './context.js';

const EPOCH = '2020-01-01T00:00:00Z';
/** IAM returns policy documents URL-encoded (RFC 3986), in every API that returns one. */
const urlEncode = (doc: string) => encodeURIComponent(doc);

const attached = (arns: string[], ctx: CallContext) =>
  list('AttachedManagedPolicies', arns, (arn) => el('PolicyName', policyByArn(ctx, arn)?.name ?? arn.split('/').pop()) + el('PolicyArn', arn));

const inline = (tag: string, policies: Record<string, unknown> | undefined) =>
  list(tag, Object.entries(policies ?? {}), ([name, doc]) => el('PolicyName', name) + el('PolicyDocument', urlEncode(typeof doc === 'string' ? doc : JSON.stringify(doc))));

const boundary = (arn: string | undefined) =>
  arn ? wrap('PermissionsBoundary', el('PermissionsBoundaryType', 'Policy') + el('PermissionsBoundaryArn', arn)) : '';

const tagList = (tags: Record<string, string> | undefined) =>
  tags ? list('Tags', Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)), ([k, v]) => el('Key', k) + el('Value', v)) : '';

function policyByArn(ctx: CallContext, arn: string): ManagedPolicyModel | undefined {
  return ctx.account.iam.policies.find((p) => p.arn === arn) ?? ctx.model.awsManagedPolicies.get(arn);
}

type Item = { kind: 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy'; xml: string };

function authorizationItems(ctx: CallContext): Item[] {
  const iam = ctx.account.iam;
  const items: Item[] = [];
  for (const u of iam.users) {
    items.push({
      kind: 'User',
      xml:
        el('Path', u.path) +
        el('UserName', u.name) +
        el('UserId', u.id) +
        el('Arn', u.arn) +
        el('CreateDate', u.createDate ?? EPOCH) +
        inline('UserPolicyList', u.inlinePolicies) +
        list('GroupList', u.groups ?? [], escapeXml) +
        attached(u.managedPolicyArns, ctx) +
        boundary(u.permissionsBoundary) +
        tagList(u.tags),
    });
  }
  for (const g of iam.groups) {
    items.push({
      kind: 'Group',
      xml: el('Path', g.path) + el('GroupName', g.name) + el('GroupId', g.id) + el('Arn', g.arn) + el('CreateDate', g.createDate ?? EPOCH) + inline('GroupPolicyList', g.inlinePolicies) + attached(g.managedPolicyArns, ctx),
    });
  }
  for (const r of iam.roles) {
    items.push({
      kind: 'Role',
      xml:
        el('Path', r.path) +
        el('RoleName', r.name) +
        el('RoleId', r.id) +
        el('Arn', r.arn) +
        el('CreateDate', r.createDate ?? EPOCH) +
        el('AssumeRolePolicyDocument', urlEncode(r.trustPolicyText)) +
        wrap('InstanceProfileList', '') +
        inline('RolePolicyList', r.inlinePolicies) +
        attached(r.managedPolicyArns, ctx) +
        boundary(r.permissionsBoundary) +
        tagList(r.tags) +
        wrap('RoleLastUsed', ''),
    });
  }
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  for (const p of [...iam.users, ...iam.groups, ...iam.roles]) for (const arn of p.managedPolicyArns) attachments.set(arn, (attachments.get(arn) ?? 0) + 1);
  for (const p of [...iam.users, ...iam.roles]) if (p.permissionsBoundary) boundaries.set(p.permissionsBoundary, (boundaries.get(p.permissionsBoundary) ?? 0) + 1);
  const awsUsed = [...ctx.model.awsManagedPolicies.values()].filter((p) => attachments.has(p.arn) || boundaries.has(p.arn));
  for (const p of [...iam.policies, ...awsUsed]) {
    const defaultVersion = p.versions.find((v) => v.default)!;
    items.push({
      kind: p.awsManaged ? 'AWSManagedPolicy' : 'LocalManagedPolicy',
      xml:
        el('PolicyName', p.name) +
        el('PolicyId', p.id) +
        el('Arn', p.arn) +
        el('Path', p.path) +
        el('DefaultVersionId', defaultVersion.id) +
        el('AttachmentCount', attachments.get(p.arn) ?? 0) +
        el('PermissionsBoundaryUsageCount', boundaries.get(p.arn) ?? 0) +
        el('IsAttachable', true) +
        el('Description', p.description) +
        el('CreateDate', p.createDate ?? EPOCH) +
        el('UpdateDate', p.createDate ?? EPOCH) +
        list('PolicyVersionList', p.versions, (v) => el('Document', urlEncode(v.document)) + el('VersionId', v.id) + el('IsDefaultVersion', v.default) + el('CreateDate', v.createDate)),
    });
  }
  return items;
}

const getAccountAuthorizationDetails: Handler = (ctx) => {
  const filters = [...ctx.form.entries()].filter(([k]) => /^Filter\.member\.[0-9]+$/.test(k)).map(([, v]) => v);
  const maxItems = Number(ctx.form.get('MaxItems') ?? '100');
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new SimError('ValidationError', `1 validation error detected: Value '${ctx.form.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
  }
  const marker = ctx.form.get('Marker');
  let start = 0;
  if (marker) {
    const m = /^sim:([0-9]+)$/.exec(Buffer.from(marker, 'base64').toString());
    if (!m) throw new SimError('ValidationError', 'Invalid Marker');
    start = Number(m[1]);
  }
  const all = authorizationItems(ctx).filter((i) => filters.length === 0 || filters.includes(i.kind));
  const page = all.slice(start, start + maxItems);
  const truncated = start + maxItems < all.length;
  const section = (tag: string, kinds: Item['kind'][]) => wrap(tag, page.filter((i) => kinds.includes(i.kind)).map((i) => wrap('member', i.xml)).join(''));
  const xml =
    el('IsTruncated', truncated) +
    (truncated ? el('Marker', Buffer.from(`sim:${start + maxItems}`).toString('base64')) : '') +
    section('UserDetailList', ['User']) +
    section('GroupDetailList', ['Group']) +
    section('RoleDetailList', ['Role']) +
    section('Policies', ['LocalManagedPolicy', 'AWSManagedPolicy']);
  return queryReply('iam', 'GetAccountAuthorizationDetails', xml, ctx.requestId);
};

/**
 * GetAccountSummary: IAM entity counts and the root user's credentials (`AccountMFAEnabled`,
 * `AccountAccessKeysPresent`, 1 or 0), from the world's `rootUser` (default: no keys, MFA on).
 */
const getAccountSummary: Handler = (ctx) => {
  const root = ctx.account.source.rootUser ?? {};
  const iam = ctx.account.iam;
  const summary: [string, number][] = [
    ['AccountAccessKeysPresent', root.accessKeysPresent === true ? 1 : 0],
    ['AccountMFAEnabled', root.mfaEnabled === false ? 0 : 1],
    ['AccountSigningCertificatesPresent', 0],
    ['Groups', iam.groups.length],
    ['Policies', iam.policies.length],
    ['Roles', iam.roles.length],
    ['Users', iam.users.length],
  ];
  const xml = wrap('SummaryMap', summary.map(([k, v]) => wrap('entry', el('key', k) + el('value', v))).join(''));
  return queryReply('iam', 'GetAccountSummary', xml, ctx.requestId);
};

export const iamHandlers: Record<string, Handler> = { GetAccountAuthorizationDetails: getAccountAuthorizationDetails, GetAccountSummary: getAccountSummary };

const getCallerIdentity: Handler = (ctx) =>
  queryReply('sts', 'GetCallerIdentity', el('Arn', ctx.identity.arn) + el('UserId', ctx.identity.userId) + el('Account', ctx.identity.accountId), ctx.requestId);

const assumeRole: Handler = (ctx) => {
  const roleArn = ctx.form.get('RoleArn') ?? '';
  const session = ctx.form.get('RoleSessionName') ?? '';
  if (!/^arn:[^:]+:iam::[0-9]{12}:role\/.+$/.test(roleArn)) throw new SimError('ValidationError', `${roleArn || 'RoleArn'} is invalid`);
  if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
    throw new SimError('ValidationError', `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const externalId = ctx.form.get('ExternalId') ?? undefined;
  const trust = evaluateTrust(ctx.model, ctx.identity, roleArn, externalId);
  if (!trust.ok) {
    throw new SimError('AccessDenied', `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const role = trust.role;
  const chained = ctx.identity.roleArn !== undefined;
  const duration = Number(ctx.form.get('DurationSeconds') ?? '3600');
  // Role chaining caps sessions at one hour (IAM user guide, "Role chaining").
  const maxDuration = chained ? 3600 : (role.maxSessionDuration ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > maxDuration) {
    throw new SimError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  }
  const accountId = roleArn.split(':')[4]!;
  const arn = `arn:${ctx.model.partition}:sts::${accountId}:assumed-role/${role.name}/${session}`;
  const userId = `${role.id}:${session}`;
  const creds = ctx.identities.issue({ accountId, arn, userId, roleArn: role.arn }, duration, ctx.nowMs);
  const xml =
    wrap(
      'Credentials',
      el('AccessKeyId', creds.accessKeyId) + el('SecretAccessKey', creds.secretAccessKey) + el('SessionToken', creds.sessionToken) + el('Expiration', creds.expiration.toISOString()),
    ) + wrap('AssumedRoleUser', el('AssumedRoleId', userId) + el('Arn', arn));
  return queryReply('sts', 'AssumeRole', xml, ctx.requestId);
};

export const stsHandlers: Record<string, Handler> = { GetCallerIdentity: getCallerIdentity, AssumeRole: assumeRole };

/**
 * DescribeRegions: enabled regions by default; with AllRegions, the not-opted-in ones too (EC2 API
 * reference). Only the caller's partition: GovCloud credentials never see commercial regions, nor
 * the other way round ("Describes the Regions that are enabled for your account").
 */
const describeRegions: Handler = (ctx) => {
  const all = ctx.form.get('AllRegions') === 'true';
  const names = [...ctx.form.entries()].filter(([k]) => /^RegionName\.[0-9]+$/.test(k)).map(([, v]) => v);
  const inPartition = ctx.model.regions.filter((r) => partitionOfRegion(r.name) === ctx.model.partition);
  const known = new Set(inPartition.map((r) => r.name));
  for (const n of names) if (!known.has(n)) throw new SimError('InvalidParameterValue', `Invalid region: ${n}`);
  const dns = dnsSuffixOf(ctx.model.partition);
  const regions = inPartition
    .filter((r) => (names.length > 0 ? names.includes(r.name) : all || ctx.account.enabledRegions.has(r.name)))
    .map((r) => ({
      name: r.name,
      status: !r.optIn ? 'opt-in-not-required' : ctx.account.enabledRegions.has(r.name) ? 'opted-in' : 'not-opted-in',
    }));
  const xml = list('regionInfo', regions, (r) => el('regionName', r.name) + el('regionEndpoint', `ec2.${r.name}.${dns}`) + el('optInStatus', r.status), 'item');
  return ec2Reply('DescribeRegions', xml, ctx.requestId);
};

export const ec2Handlers: Record<string, Handler> = { DescribeRegions: describeRegions };
