/** AWS Organizations (awsJson1_1): structure, policies and delegated administrators. */
import { jsonReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import { principalAllows } from '../policy.js';
import type { AccountModel, OrgModel } from '../world/model.js';
import { decodeToken, encodeToken } from './cloudtrail.js';
import { type CallContext, compact, epochSeconds, type Handler } from './context.js';

/** ListAccounts and the other list operations return at most 20 items a page (Organizations API reference). */
const MAX_PAGE = 20;

function orgOf(ctx: CallContext): OrgModel {
  const org = ctx.model.org;
  if (!org) throw new SimError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  return org;
}

/** Everything but DescribeOrganization needs the management account or a delegated administrator. */
function adminOrg(ctx: CallContext): OrgModel {
  const org = orgOf(ctx);
  const isAdmin = ctx.account.id === org.managementAccountId || org.delegatedAdministrators.some((d) => d.accountId === ctx.account.id);
  if (!isAdmin) throw new SimError('AccessDeniedException', "You don't have permissions to access this resource.");
  return org;
}

/**
 * Reading policies (ListPolicies, DescribePolicy, ListTargetsForPolicy, ListPoliciesForTarget) is
 * for the management account, or a member the Organizations resource-based delegation policy
 * allows that action ("Delegated administrator for AWS Organizations"). A delegated administrator
 * of another service, e.g. CloudTrail, may list accounts and OUs but not read SCPs.
 */
function policyReaderOrg(ctx: CallContext): OrgModel {
  const org = orgOf(ctx);
  if (ctx.account.id === org.managementAccountId) return org;
  const delegated = org.resourcePolicy !== undefined && principalAllows(org.resourcePolicy, ctx.identity, ctx.model.partition, `organizations:${ctx.operation}`);
  if (!delegated) throw new SimError('AccessDeniedException', "You don't have permissions to access this resource.");
  return org;
}

function page<T>(ctx: CallContext, items: T[]): { items: T[]; NextToken?: string } {
  const max = ctx.input.MaxResults === undefined ? MAX_PAGE : Number(ctx.input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
    throw new SimError('InvalidInputException', 'You provided a value that does not match the required pattern.');
  }
  const start = typeof ctx.input.NextToken === 'string' ? decodeToken(ctx.input.NextToken) : 0;
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { items: slice, NextToken: encodeToken(start + max) } : { items: slice };
}

function accountShape(org: OrgModel, a: AccountModel, partition: string) {
  return {
    Id: a.id,
    Arn: `arn:${partition}:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status === 'ACTIVE' ? 'ACTIVE' : a.status === 'SUSPENDED' ? 'SUSPENDED' : 'PENDING_CLOSURE',
    JoinedMethod: a.id === org.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: epochSeconds(a.joinedTimestamp),
  };
}

const sortedAccounts = (ctx: CallContext) => ctx.model.sortedAccounts;

const describeOrganization: Handler = (ctx) => {
  const org = orgOf(ctx);
  const mgmt = ctx.model.accounts.get(org.managementAccountId)!;
  const types = org.featureSet === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }, { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' }] : [];
  return jsonReply(
    {
      Organization: {
        Id: org.id,
        Arn: org.arn,
        FeatureSet: org.featureSet,
        MasterAccountArn: `arn:${ctx.model.partition}:organizations::${mgmt.id}:account/${org.id}/${mgmt.id}`,
        MasterAccountId: mgmt.id,
        MasterAccountEmail: mgmt.email,
        AvailablePolicyTypes: types,
      },
    },
    ctx.requestId,
  );
};

const listAccounts: Handler = (ctx) => {
  const org = adminOrg(ctx);
  const p = page(ctx, sortedAccounts(ctx));
  return jsonReply(compact({ Accounts: p.items.map((a) => accountShape(org, a, ctx.model.partition)), NextToken: p.NextToken }), ctx.requestId);
};

const listRoots: Handler = (ctx) => {
  const org = adminOrg(ctx);
  const types = org.featureSet === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }, { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' }] : [];
  return jsonReply({ Roots: [{ Id: org.rootId, Arn: org.rootArn, Name: 'Root', PolicyTypes: types }] }, ctx.requestId);
};

function checkParent(org: OrgModel, parentId: unknown): string {
  if (typeof parentId !== 'string' || !/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(parentId)) {
    throw new SimError('InvalidInputException', 'You provided a value that does not match the required pattern.');
  }
  if (parentId !== org.rootId && !org.ous.some((o) => o.id === parentId)) throw new SimError('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
  return parentId;
}

const listOrganizationalUnitsForParent: Handler = (ctx) => {
  const org = adminOrg(ctx);
  const parentId = checkParent(org, ctx.input.ParentId);
  const p = page(
    ctx,
    org.ous.filter((o) => o.parentId === parentId),
  );
  return jsonReply(compact({ OrganizationalUnits: p.items.map((o) => ({ Id: o.id, Arn: o.arn, Name: o.name })), NextToken: p.NextToken }), ctx.requestId);
};

const listAccountsForParent: Handler = (ctx) => {
  const org = adminOrg(ctx);
  const parentId = checkParent(org, ctx.input.ParentId);
  const p = page(
    ctx,
    sortedAccounts(ctx).filter((a) => a.parentId === parentId),
  );
  return jsonReply(compact({ Accounts: p.items.map((a) => accountShape(org, a, ctx.model.partition)), NextToken: p.NextToken }), ctx.requestId);
};

const POLICY_TYPES = new Set(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2']);

const summary = (p: OrgModel['policies'][number]) => ({ Id: p.id, Arn: p.arn, Name: p.name, Description: p.description, Type: p.type, AwsManaged: p.awsManaged });

const listPolicies: Handler = (ctx) => {
  const org = policyReaderOrg(ctx);
  const filter = ctx.input.Filter;
  if (typeof filter !== 'string' || !POLICY_TYPES.has(filter)) throw new SimError('InvalidInputException', 'You provided a value that does not match the required pattern.');
  const p = page(
    ctx,
    org.policies.filter((x) => x.type === filter),
  );
  return jsonReply(compact({ Policies: p.items.map(summary), NextToken: p.NextToken }), ctx.requestId);
};

function policyById(org: OrgModel, id: unknown) {
  const policy = org.policies.find((p) => p.id === id);
  if (!policy) throw new SimError('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
  return policy;
}

const describePolicy: Handler = (ctx) => {
  const org = policyReaderOrg(ctx);
  const p = policyById(org, ctx.input.PolicyId);
  return jsonReply({ Policy: { PolicySummary: summary(p), Content: p.content } }, ctx.requestId);
};

const listTargetsForPolicy: Handler = (ctx) => {
  const org = policyReaderOrg(ctx);
  const policy = policyById(org, ctx.input.PolicyId);
  const p = page(ctx, policy.targets);
  return jsonReply(compact({ Targets: p.items, NextToken: p.NextToken }), ctx.requestId);
};

const listPoliciesForTarget: Handler = (ctx) => {
  const org = policyReaderOrg(ctx);
  const filter = ctx.input.Filter;
  if (typeof filter !== 'string' || !POLICY_TYPES.has(filter)) throw new SimError('InvalidInputException', 'You provided a value that does not match the required pattern.');
  const target = ctx.input.TargetId;
  if (typeof target !== 'string' || !/^(r-[0-9a-z]{4,32}|[0-9]{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(target)) {
    throw new SimError('InvalidInputException', 'You provided a value that does not match the required pattern.');
  }
  if (target !== org.rootId && !org.ous.some((o) => o.id === target) && !ctx.model.accounts.has(target)) {
    throw new SimError('TargetNotFoundException', "We can't find a root, OU, account, or email that matches the TargetId that you specified.");
  }
  const p = page(
    ctx,
    org.policies.filter((x) => x.type === filter && x.targets.some((t) => t.TargetId === target)),
  );
  return jsonReply(compact({ Policies: p.items.map(summary), NextToken: p.NextToken }), ctx.requestId);
};

/** Only the management account may list delegated administrators (or a delegated admin for Organizations). */
const listDelegatedAdministrators: Handler = (ctx) => {
  const org = adminOrg(ctx);
  const principal = ctx.input.ServicePrincipal;
  const admins = org.delegatedAdministrators.filter((d) => principal === undefined || d.servicePrincipal === principal);
  const byAccount = new Map<string, (typeof admins)[number]>();
  for (const d of admins) if (!byAccount.has(d.accountId)) byAccount.set(d.accountId, d);
  const list = [...byAccount.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  const p = page(ctx, list);
  return jsonReply(
    compact({
      DelegatedAdministrators: p.items.map((d) => {
        const a = ctx.model.accounts.get(d.accountId)!;
        return { ...accountShape(org, a, ctx.model.partition), DelegationEnabledDate: epochSeconds(d.delegationEnabledDate) };
      }),
      NextToken: p.NextToken,
    }),
    ctx.requestId,
  );
};

export const organizationsHandlers: Record<string, Handler> = {
  DescribeOrganization: describeOrganization,
  ListAccounts: listAccounts,
  ListRoots: listRoots,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListAccountsForParent: listAccountsForParent,
  ListPolicies: listPolicies,
  DescribePolicy: describePolicy,
  ListTargetsForPolicy: listTargetsForPolicy,
  ListPoliciesForTarget: listPoliciesForTarget,
  ListDelegatedAdministrators: listDelegatedAdministrators,
};
