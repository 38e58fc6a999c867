import {
  DescribeOrganizationCommand,
  type DescribeOrganizationCommandOutput,
  DescribePolicyCommand,
  type DescribePolicyCommandOutput,
  ListAccountsForParentCommand,
  type ListAccountsForParentCommandOutput,
  ListDelegatedAdministratorsCommand,
  type ListDelegatedAdministratorsCommandOutput,
  ListOrganizationalUnitsForParentCommand,
  type ListOrganizationalUnitsForParentCommandOutput,
  ListPoliciesCommand,
  type ListPoliciesCommandOutput,
  ListRootsCommand,
  type ListRootsCommandOutput,
  ListTargetsForPolicyCommand,
  type ListTargetsForPolicyCommandOutput,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import type { Known, Organization, OrganizationAccount, OrganizationPolicy } from '@trailwarden/core';
import { compareStrings } from '../arn.js';
import { errorCode, errorMessage, toKnownError } from '../errors.js';
import { compact, parsePolicy, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

export type Discovery =
  | {
      mode: 'organization';
      organization: Organization;
      notes: string[];
      /**
       * Resolves when the policies and delegated administrators are in `organization` (they are
       * read while the accounts are scanned: nothing in an account's scan needs them).
       */
      policiesRead: Promise<void>;
    }
  | { mode: 'single-account'; organization: Known<Organization>; notes: string[] };

/**
 * Discover the organization from the caller's account: the org, its OU tree (each account with its
 * OU path), and with `withPolicies` its SCPs and RCPs with their targets and the CloudTrail
 * delegated administrators. Without Organizations access the answer is a single-account scan,
 * with a note saying why.
 */
export async function discoverOrganization(session: AccountSession, region: string, metrics: Metrics, withPolicies: boolean): Promise<Discovery> {
  const send = <T>(command: object) => session.send<T>('organizations', region, command);
  const caller = session.accountId;
  let org: DescribeOrganizationCommandOutput['Organization'];
  try {
    org = (await send<DescribeOrganizationCommandOutput>(new DescribeOrganizationCommand({}))).Organization;
  } catch (err) {
    const code = errorCode(err);
    const why =
      code === 'AWSOrganizationsNotInUseException'
        ? `account ${caller} is not a member of an AWS organization`
        : `no access to AWS Organizations from account ${caller} (DescribeOrganization: ${code})`;
    if (code !== 'AWSOrganizationsNotInUseException') metrics.errors += 1;
    return single(toKnownError(err, 'DescribeOrganization', caller, region), `Single-account scan: ${why}; only the caller's account ${caller} was scanned.`);
  }
  let roots: ListRootsCommandOutput['Roots'] = [];
  try {
    roots = await pages<ListRootsCommandOutput, NonNullable<ListRootsCommandOutput['Roots']>[number]>(
      (NextToken) => send(new ListRootsCommand({ NextToken })),
      (o) => o.Roots ?? [],
    );
  } catch (err) {
    metrics.errors += 1;
    const code = errorCode(err);
    return single(
      toKnownError(err, 'ListRoots', caller, region),
      `Single-account scan: account ${caller} belongs to organization ${org?.Id ?? '(unknown)'} but cannot list it (ListRoots: ${code}); ` +
        `only the caller's account ${caller} was scanned. Run from the management account or an Organizations delegated administrator to scan the organization.`,
    );
  }

  const notes: string[] = [];
  const ous: Organization['ous'] = [];
  const accounts: OrganizationAccount[] = [];
  // The OU tree, every parent's children and accounts paged; each parent is walked as soon as it
  // is known (no level-by-level barrier), through the one paced Organizations queue.
  const walk = async (parent: { id: string; path: string[] }): Promise<void> => {
    const [children, members] = await Promise.all([
      pages<ListOrganizationalUnitsForParentCommandOutput, NonNullable<ListOrganizationalUnitsForParentCommandOutput['OrganizationalUnits']>[number]>(
        (NextToken) => send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken })),
        (o) => o.OrganizationalUnits ?? [],
      ).catch((err) => failed(err, 'ListOrganizationalUnitsForParent', parent.id)),
      pages<ListAccountsForParentCommandOutput, NonNullable<ListAccountsForParentCommandOutput['Accounts']>[number]>(
        (NextToken) => send(new ListAccountsForParentCommand({ ParentId: parent.id, NextToken })),
        (o) => o.Accounts ?? [],
      ).catch((err) => failed(err, 'ListAccountsForParent', parent.id)),
    ]);
    for (const a of members) {
      if (!a.Id) continue;
      accounts.push(compact({ id: a.Id, name: a.Name ?? a.Id, email: a.Email, status: a.Status ?? a.State ?? 'UNKNOWN', ouPath: parent.path }));
    }
    const next: Promise<void>[] = [];
    for (const ou of children) {
      if (!ou.Id) continue;
      ous.push({ id: ou.Id, name: ou.Name ?? ou.Id, parentId: parent.id });
      next.push(walk({ id: ou.Id, path: [...parent.path, ou.Id] }));
    }
    await Promise.all(next);
  };
  await Promise.all((roots ?? []).filter((r) => r.Id).map((r) => walk({ id: r.Id!, path: [r.Id!] })));
  // Policies are read after the tree (which the account scan waits for) and while the accounts are
  // scanned: the Organizations queue serves the tree first.
  const place = { accountId: caller, region, metrics };
  const policies = withPolicies
    ? Promise.all([
        readPolicies(send, 'SERVICE_CONTROL_POLICY', place),
        readPolicies(send, 'RESOURCE_CONTROL_POLICY', place),
        readCloudTrailDelegatedAdmins(session, region, metrics),
      ])
    : undefined;

  function failed(err: unknown, operation: string, parentId: string): never[] {
    metrics.errors += 1;
    notes.push(`Could not list ${parentId} (${operation}: ${errorCode(err)} ${errorMessage(err)}): accounts under it are not in scope.`);
    return [];
  }

  const organization: Organization = {
    id: org?.Id ?? 'unknown',
    managementAccountId: org?.MasterAccountId ?? caller,
    roots: (roots ?? []).filter((r) => r.Id).map((r) => ({ id: r.Id!, name: r.Name ?? r.Id! })),
    ous: ous.sort((a, b) => compareStrings(a.id, b.id)),
    accounts: accounts.sort((a, b) => compareStrings(a.id, b.id)),
    policies: { scp: { value: [] }, rcp: { value: [] } },
  };
  if (org?.Arn) organization.arn = org.Arn;
  if (org?.FeatureSet === 'ALL' || org?.FeatureSet === 'CONSOLIDATED_BILLING') organization.featureSet = org.FeatureSet;
  const policiesRead = policies
    ? policies.then(([scp, rcp, delegated]) => {
        organization.policies = { scp, rcp };
        organization.delegatedAdministrators = delegated;
      })
    : Promise.resolve();
  return { mode: 'organization', organization, notes: notes.sort(compareStrings), policiesRead };
}

/** The CloudTrail delegated administrators (the management account or any delegated administrator may list them). */
export function readCloudTrailDelegatedAdmins(session: AccountSession, region: string, metrics: Metrics): Promise<Known<{ accountId: string; servicePrincipal: string }[]>> {
  const send = <T>(command: object) => session.send<T>('organizations', region, command);
  return readKnown({ accountId: session.accountId, region, metrics }, 'ListDelegatedAdministrators', async () => {
    const admins = await pages<ListDelegatedAdministratorsCommandOutput, NonNullable<ListDelegatedAdministratorsCommandOutput['DelegatedAdministrators']>[number]>(
      (NextToken) => send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com', NextToken })),
      (o) => o.DelegatedAdministrators ?? [],
    );
    return admins
      .filter((a) => a.Id)
      .map((a) => ({ accountId: a.Id!, servicePrincipal: 'cloudtrail.amazonaws.com' }))
      .sort((a, b) => compareStrings(a.accountId, b.accountId));
  });
}

function single(error: ReturnType<typeof toKnownError>, note: string): Discovery {
  return { mode: 'single-account', organization: { error }, notes: [note] };
}

/** All pages of a NextToken-paged Organizations list. */
async function pages<O extends { NextToken?: string }, I>(fetch: (token: string | undefined) => Promise<O>, items: (o: O) => I[]): Promise<I[]> {
  const out: I[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...items(page));
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

/**
 * Every policy of a type with its document and targets. One policy that cannot be read makes the
 * whole list unknown: an SCP evaluation on a partial set would be wrong.
 */
async function readPolicies(
  send: <T>(command: object) => Promise<T>,
  type: PolicyType,
  place: { accountId: string; region: string; metrics: Metrics },
): Promise<Known<OrganizationPolicy[]>> {
  try {
    const summaries = await tagged(
      'ListPolicies',
      pages<ListPoliciesCommandOutput, NonNullable<ListPoliciesCommandOutput['Policies']>[number]>(
        (NextToken) => send(new ListPoliciesCommand({ Filter: type, NextToken })),
        (o) => o.Policies ?? [],
      ),
    );
    const policies = await Promise.all(
      summaries
        .filter((p) => p.Id)
        .map(async (summary) => {
          const [described, targets] = await Promise.all([
            tagged('DescribePolicy', send<DescribePolicyCommandOutput>(new DescribePolicyCommand({ PolicyId: summary.Id! }))),
            tagged(
              'ListTargetsForPolicy',
              pages<ListTargetsForPolicyCommandOutput, NonNullable<ListTargetsForPolicyCommandOutput['Targets']>[number]>(
                (NextToken) => send(new ListTargetsForPolicyCommand({ PolicyId: summary.Id!, NextToken })),
                (o) => o.Targets ?? [],
              ),
            ),
          ]);
          return compact<OrganizationPolicy>({
            id: summary.Id!,
            arn: summary.Arn,
            name: summary.Name ?? summary.Id!,
            description: summary.Description || undefined,
            awsManaged: summary.AwsManaged === true,
            document: parsePolicy(described.Policy?.Content),
            targets: targets.map((t) => t.TargetId ?? '').filter(Boolean).sort(compareStrings),
          });
        }),
    );
    return { value: policies.sort((a, b) => compareStrings(a.id, b.id)) };
  } catch (err) {
    place.metrics.errors += 1;
    const { operation, cause } = err as TaggedFailure;
    return { error: toKnownError(cause, operation, place.accountId, place.region) };
  }
}

interface TaggedFailure {
  operation: string;
  cause: unknown;
}

/** Remember which operation a failure came from. */
function tagged<T>(operation: string, promise: Promise<T>): Promise<T> {
  return promise.catch((cause: unknown) => {
    throw { operation, cause } satisfies TaggedFailure;
  });
}
