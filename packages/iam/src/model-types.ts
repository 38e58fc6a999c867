import type { Known, KnownError, Organization, Partition, PolicyDocument } from '@trailwarden/core';
import type { ActionCatalog } from './catalog.js';
import type { UndecidedCondition } from './gates.js';
import type { CompileResult, CompiledPolicy, PolicySource, StatementRef } from './policy.js';
import type { Principal } from './principals.js';

/** What is being decided: can `principal` perform `action` on `resource`? */
export interface AccessRequest {
  principal: Principal;
  /** A concrete action, `service:Action`. */
  action: string;
  resource: ResourceTarget;
  /** Extra request context the caller knows (e.g. `aws:SourceIp`); `null` marks a key absent. */
  context?: Record<string, string | string[] | null>;
}

export interface ResourceTarget {
  arn: string;
  /** The account that owns the resource. */
  accountId: string;
  region?: string;
  /**
   * The resource's own policy (bucket policy, key policy), compiled with `compileResourcePolicy`;
   * `null` when it has none. For KMS keys the key policy is authoritative: pass it always.
   */
  policy?: CompiledPolicy | null;
}

export type DecisionKind = 'allowed' | 'denied' | 'conditional';

export interface Decision {
  decision: DecisionKind;
  principal: string;
  action: string;
  resource: string;
  /**
   * The deciding statements: for `allowed`/`conditional` the Allow statements of identity and
   * resource policies that grant it; for `denied` the explicit Deny statements (empty when the
   * deny is implicit — `reason` then says which step did not allow it).
   */
  statements: StatementRef[];
  /** For `conditional`: what must (not) hold for the request to be allowed. */
  conditions: UndecidedCondition[];
  reason: string;
}

export interface OrgPolicyProblem {
  kind: 'scp' | 'rcp';
  /** The policy's name and id, or undefined when the whole list could not be read. */
  policy?: string;
  policyId?: string;
  message: string;
  error?: KnownError;
}

export interface OrgPolicyLevel {
  /** Root, OU or account id. */
  target: string;
  policies: CompiledPolicy[];
}

export interface IamModelOptions {
  catalog: ActionCatalog;
}

/** The error AWS Organizations returns for an account that belongs to no organization. */
export const NOT_IN_ORGANIZATION = 'AWSOrganizationsNotInUseException';

export interface IamModel {
  readonly partition: Partition;
  readonly organizationId?: string;
  readonly managementAccountId?: string;
  /**
   * The organization the SCPs and RCPs come from, as collected: an error when it could not be read
   * (`NOT_IN_ORGANIZATION`: the account is in none), undefined when the snapshot has no organization data.
   */
  readonly organization?: Known<Organization>;
  readonly catalog: ActionCatalog;
  /** Unreadable SCP/RCP lists and malformed SCP/RCP documents (they are left out of evaluation). */
  readonly orgPolicyProblems: OrgPolicyProblem[];
  /** Every user, role and the root of a scanned account (sorted by ARN), or why its IAM data is unknown. */
  principals(accountId: string): Known<Principal[]>;
  /** A principal by ARN: from a scanned account, or an external one (identity unknown) otherwise. */
  principal(arn: string): Principal;
  compileResourcePolicy(document: PolicyDocument | null | undefined, source: Omit<PolicySource, 'type'>): CompileResult | { policy: null; error?: never };
  /** SCPs (or RCPs) along an account's path, root first, then OUs, then the account. */
  orgPolicyLevels(kind: 'scp' | 'rcp', accountId: string): OrgPolicyLevel[] | undefined;
  /** Whether SCPs restrict this principal (not for the management account or service-linked roles). */
  scpApplies(principal: Principal): boolean;
  evaluate(request: AccessRequest): Decision;
  /**
   * SCPs alone: would they let this request through (`allowed`), block it (`denied`, with the Deny
   * statements, or none when no SCP at some level allows it), or depend on conditions? `allowed` too
   * when SCPs do not apply to the principal.
   */
  evaluateScps(request: AccessRequest): Decision;
  /**
   * False when the principal certainly cannot act on the resource (with this action, if given): it
   * is in another account and no Allow of the resource policy (covering the action) names it, its
   * account or everyone. A cheap pre-filter before evaluating many actions across an organization.
   */
  mayReach(principal: Principal, resource: ResourceTarget, action?: string): boolean;
  /**
   * False when `evaluate` would certainly answer `denied`, whatever the conditions: the principal
   * is not the root user, its identity policies are known, and neither they nor an Allow of the
   * resource policy that names it directly cover the action. A cheap pre-filter (no allocation
   * per call) before evaluating many actions for many principals; true means "evaluate to know".
   */
  mayAllow(principal: Principal, resource: ResourceTarget, action: string): boolean;
  /** A role with no policies and no tags in an account (e.g. to ask what SCPs deny to "anyone"). */
  probeRole(accountId: string, name: string): Principal;
}
