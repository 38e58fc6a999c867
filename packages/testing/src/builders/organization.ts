import type { PolicyDocument } from '@trailwarden/core';
import type { Unreadable } from './unreadable.js';

/** An SCP or RCP. `targets`: root, OU ids/names or account ids; default: the root. */
export interface OrgPolicyInput {
  name: string;
  document: PolicyDocument;
  id?: string;
  description?: string;
  awsManaged?: boolean;
  targets?: string[];
}

export interface OuInput {
  /** Default: derived from the name (`ou-<root>-<name>`). */
  id?: string;
  name: string;
  /** Parent OU id or name; default the root. */
  parent?: string;
  /** Account ids placed directly in this OU. */
  accounts?: string[];
}

export interface OrganizationInput {
  /** Default `o-abc123def4`. */
  id?: string;
  managementAccountId: string;
  /** Default ALL. */
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  ous?: OuInput[];
  /** Service control policies, in addition to AWS's FullAWSAccess (unless `fullAWSAccess: false`). Default targets: the root. */
  scps?: OrgPolicyInput[] | Unreadable;
  /** Resource control policies, in addition to RCPFullAWSAccess. Omitted: RCPs are not enabled (no policies at all). */
  rcps?: OrgPolicyInput[] | Unreadable;
  /**
   * Default true: AWS's FullAWSAccess SCP (and RCPFullAWSAccess when `rcps` is given) attached to the
   * root, every OU and every account, as AWS does; false: only the policies you list.
   */
  fullAWSAccess?: boolean;
  /** Default: none. */
  delegatedAdministrators?: { accountId: string; servicePrincipal: string }[] | Unreadable;
  /** Member accounts that exist in the organization but are not in the snapshot (not scanned). */
  otherAccounts?: { id: string; name?: string; status?: string; ou?: string }[];
}

export interface OrganizationSpec {
  readonly kind: 'organization';
  readonly input: OrganizationInput;
}

/** The AWS Organization the snapshot's accounts belong to. Omit it for a single-account snapshot. */
export function organization(input: OrganizationInput): OrganizationSpec {
  if (!input || !/^\d{12}$/.test(input.managementAccountId ?? '')) {
    throw new Error('organization(...): `managementAccountId` must be a 12-digit account id');
  }
  return { kind: 'organization', input };
}
