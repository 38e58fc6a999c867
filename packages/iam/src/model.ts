import {
  type IamData,
  type Known,
  type KnownError,
  type Organization,
  type OrganizationPolicy,
  type Partition,
  type PolicyDocument,
  type Snapshot,
  isUnknown,
} from '@trailwarden/core';
import type { ActionCatalog } from './catalog.js';
import { type Tri, evaluateConditions, substituteVariables } from './conditions.js';
import { RequestContext } from './context.js';
import {
  type Gate,
  PASS,
  type StatementMatch,
  type UndecidedCondition,
  andGate,
  failGate,
  gateFromAllows,
  orGates,
} from './gates.js';
import {
  type CompileResult,
  type CompiledPolicy,
  type CompiledStatement,
  type PolicySource,
  type PrincipalSpec,
  type StatementRef,
  compilePolicy,
  statementCoversAction,
} from './policy.js';
import { type OrgInfo, PolicyCompiler, type Principal, buildAccountPrincipalsIsolated, externalPrincipal, probeRole, rootPrincipal } from './principals.js';
import { arnMatches } from './wildcard.js';

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

/** Bucket-policy operations the bucket owner's root user can always perform, whatever the policy says. */
const ROOT_BUCKET_POLICY_ACTIONS = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

export interface IamModel {
  readonly partition: Partition;
  readonly organizationId?: string;
  readonly managementAccountId?: string;
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

/** A retargeted SCP/RCP → the policy compiled for its first target (same statements but names). */
const canonicalPolicy = new WeakMap<CompiledPolicy, CompiledPolicy>();

/**
 * The same compiled policy attached elsewhere: statements sharing matchers, conditions and caches,
 * named after `source`. Objects are built in compileStatement's property order, so they share its
 * hidden classes (spread-made copies would make the hot paths polymorphic).
 */
function retarget(policy: CompiledPolicy, source: PolicySource): CompiledPolicy {
  const statements = policy.statements.map((st) => {
    const ref: StatementRef = { ...source, effect: st.ref.effect, index: st.ref.index };
    if (st.ref.sid !== undefined) ref.sid = st.ref.sid;
    const out: CompiledStatement = { ref, conditions: st.conditions, actionCache: st.actionCache };
    if (st.actions) out.actions = st.actions;
    else out.notActions = st.notActions;
    if (st.resources) out.resources = st.resources;
    else if (st.notResources) out.notResources = st.notResources;
    if (st.principal) out.principal = st.principal;
    if (st.notPrincipal) out.notPrincipal = st.notPrincipal;
    return out;
  });
  return { source, statements };
}

function compileOrgPolicies(kind: 'scp' | 'rcp', policies: Known<OrganizationPolicy[]> | undefined, problems: OrgPolicyProblem[]) {
  const byTarget = new Map<string, CompiledPolicy[]>();
  if (!policies) return { byTarget, enabled: false };
  if (isUnknown(policies)) {
    problems.push({ kind, message: `the ${kind.toUpperCase()} list could not be read`, error: policies.error });
    return { byTarget, enabled: false };
  }
  for (const p of policies.value) {
    // Compiled once; every further target gets the same statements under its own name (`via`), so
    // FullAWSAccess attached to thousands of accounts shares its matchers and caches.
    let first: CompiledPolicy | undefined;
    for (const target of p.targets) {
      let compiled: CompiledPolicy;
      if (!first) {
        const r = compilePolicy(p.document, { type: kind, name: p.name, arn: p.arn ?? p.id, via: target });
        if (r.error !== undefined) {
          problems.push({ kind, policy: p.name, policyId: p.id, message: r.error });
          break;
        }
        first = r.policy;
        compiled = first;
      } else {
        compiled = retarget(first, { type: kind, name: p.name, arn: p.arn ?? p.id, via: target });
        canonicalPolicy.set(compiled, first);
      }
      const list = byTarget.get(target);
      if (list) list.push(compiled);
      else byTarget.set(target, [compiled]);
    }
  }
  return { byTarget, enabled: policies.value.length > 0 };
}

/**
 * A statement's verdict when it does not depend on the request beyond its action: no conditions,
 * and a Resource of `*` (or none), or a NotResource of `*` (never applies). Undefined otherwise.
 */
function staticTri(st: CompiledStatement): boolean | undefined {
  if (st.conditions.length > 0) return undefined;
  if (st.resources) return st.resources.includes('*') ? true : undefined;
  if (st.notResources) return st.notResources.includes('*') ? false : undefined;
  return true;
}

/** Keys the per-resource layer of a request context sets (see requestContext and scpContext). */
const RESOURCE_LAYER_KEYS = new Set(['aws:resourceaccount', 'aws:requestedregion', 'aws:resourceorgid', 'aws:resourceorgpaths', 's3:resourceaccount', 'kms:calleraccount']);
const VARIABLE_NAME = /\$\{\s*([^,}\s]*)/g;

/**
 * Whether a statement's verdict, once it covers the action, depends on the principal alone: its
 * Resource is `*` (or absent) or its NotResource is `*`, and no condition reads (as key or policy
 * variable) a key of the resource layer. Then, without caller-supplied keys, its conditions give
 * the same answer for every action and resource the principal is asked about.
 */
const principalOnlyCache = new WeakMap<CompiledStatement, boolean>();
function principalOnly(st: CompiledStatement): boolean {
  let hit = principalOnlyCache.get(st);
  if (hit === undefined) {
    const staticResource = st.resources ? st.resources.includes('*') : st.notResources ? st.notResources.includes('*') : true;
    hit =
      staticResource &&
      st.conditions.every(
        (c) =>
          !RESOURCE_LAYER_KEYS.has(c.key.toLowerCase()) &&
          c.values.every((v) => !v.includes('${') || [...v.matchAll(VARIABLE_NAME)].every((m) => !RESOURCE_LAYER_KEYS.has((m[1] ?? '').toLowerCase()))),
      );
    principalOnlyCache.set(st, hit);
  }
  return hit;
}

function statementTri(st: CompiledStatement, action: string, resourceArn: string, ctx: RequestContext): Tri {
  if (!statementCoversAction(st, action)) return false;
  const patterns = st.resources ?? st.notResources;
  let res: Tri = true;
  if (patterns) {
    let matched = false;
    let undecided = false;
    for (const p of patterns) {
      const s = substituteVariables(p, ctx);
      if (s === undefined) undecided = true;
      else if (s !== null && arnMatches(s, resourceArn)) {
        matched = true;
        break;
      }
    }
    const positive = st.resources !== undefined;
    if (matched) res = positive;
    else if (undecided) res = [{ operator: positive ? 'Resource' : 'NotResource', key: 'resource', values: patterns }];
    else res = !positive;
    if (res === false) return false;
  }
  const cond = evaluateConditions(st.conditions, ctx);
  if (cond === false) return false;
  if (res === true) return cond;
  return cond === true ? res : [...(res as Exclude<Tri, boolean>), ...cond];
}

const ACCOUNT_ID = /^\d{12}$/;

const NONE: StatementMatch[] = [];

/** The lower-case service prefix of an action, e.g. `s3` (cached: a scan asks the same few actions). */
const services = new Map<string, string>();
function serviceOf(action: string): string {
  let s = services.get(action);
  if (s === undefined) {
    s = action.slice(0, action.indexOf(':')).toLowerCase();
    if (services.size < 10_000) services.set(action, s);
  }
  return s;
}

/**
 * How a resource-policy Principal element names the principal: by the role's ARN (a grant that the
 * role's permissions boundary still limits), directly otherwise (user ARN, session ARN, `*`), through
 * its account (a delegation to the account's identity policies), or not at all.
 */
function principalMatch(spec: PrincipalSpec, p: Principal, partition: Partition): 'roleArn' | 'direct' | 'account' | 'none' {
  if (spec.any) return 'direct';
  let out: 'roleArn' | 'direct' | 'account' | 'none' = 'none';
  if (spec.aws.length === 0) return out;
  const rootArn = `arn:${partition}:iam::${p.accountId}:root`;
  const session = p.kind === 'role' ? `arn:${partition}:sts::${p.accountId}:assumed-role/${p.name}/` : undefined;
  for (const e of spec.aws) {
    if (session !== undefined && e.startsWith(session)) return 'direct';
    if (e === p.arn) out = p.kind === 'role' ? 'roleArn' : 'direct';
    else if ((e === p.accountId || e === rootArn) && out === 'none') out = p.kind === 'root' ? 'direct' : 'account';
  }
  return out;
}

/**
 * NotPrincipal (with Deny) exempts a caller only if every identity it acts as is listed: the
 * account, and the user or the role's session (`arn:…:sts::…:assumed-role/Role/…`).
 */
function notPrincipalExempts(spec: PrincipalSpec, p: Principal, partition: Partition): boolean {
  if (spec.any) return true;
  const rootArn = `arn:${partition}:iam::${p.accountId}:root`;
  const accountListed = spec.aws.some((e) => e === p.accountId || e === rootArn);
  if (!accountListed) return false;
  if (p.kind === 'root') return true;
  if (p.kind === 'role') return spec.aws.some((e) => e.startsWith(`arn:${partition}:sts::${p.accountId}:assumed-role/${p.name}/`));
  return spec.aws.includes(p.arn);
}


export function createIamModel(snapshot: Snapshot, options: IamModelOptions): IamModel {
  const partition = snapshot.partition;
  const orgKnown = snapshot.organization;
  const org: Organization | undefined = orgKnown && !isUnknown(orgKnown) ? orgKnown.value : undefined;
  const orgAccounts = new Map((org?.accounts ?? []).map((a) => [a.id, a]));
  const problems: OrgPolicyProblem[] = [];
  // "Not in use" is a fact (a standalone account: no SCPs, no RCPs), not a gap in the data.
  if (orgKnown && isUnknown(orgKnown) && orgKnown.error.code !== NOT_IN_ORGANIZATION) {
    problems.push({ kind: 'scp', message: 'the organization could not be read', error: orgKnown.error });
  }
  const scps = compileOrgPolicies('scp', org?.policies.scp, problems);
  const rcps = compileOrgPolicies('rcp', org?.policies.rcp, problems);

  const orgInfo: OrgInfo = {
    id: org?.id,
    inOrg: (id) => orgAccounts.has(id),
    orgPath: (id) => {
      const a = orgAccounts.get(id);
      return a && org ? `${org.id}/${a.ouPath.join('/')}/` : undefined;
    },
  };

  // Shared by every account: the same managed policies are compiled once for the organization.
  const compiler = new PolicyCompiler();
  const principalCache = new Map<string, Known<Principal[]>>();
  const byArnIndex = new Map<string, Principal>();
  const principals = (accountId: string): Known<Principal[]> => {
    let hit = principalCache.get(accountId);
    if (hit) return hit;
    const account = snapshot.accounts[accountId];
    const iam: Known<IamData> | undefined = account?.iam;
    if (!account) {
      hit = { error: { code: 'OutOfScope', message: `account ${accountId} was not scanned`, operation: 'GetAccountAuthorizationDetails', accountId } };
    } else if (isUnknown(account.access)) {
      hit = { error: account.access.error };
    } else if (!iam) {
      hit = { error: { code: 'NotCollected', message: 'IAM data is not in the snapshot (collected without the check that needs it?)', operation: 'GetAccountAuthorizationDetails', accountId } };
    } else if (isUnknown(iam)) {
      hit = { error: iam.error };
    } else {
      const list = buildAccountPrincipalsIsolated(accountId, iam.value, partition, orgInfo, compiler);
      for (const p of list) byArnIndex.set(p.arn, p);
      hit = { value: list };
    }
    principalCache.set(accountId, hit);
    return hit;
  };

  const externalCache = new Map<string, Principal>();
  const principal = (arnOrAccount: string): Principal => {
    const arn = ACCOUNT_ID.test(arnOrAccount) ? `arn:${partition}:iam::${arnOrAccount}:root` : arnOrAccount;
    const accountId = arn.split(':')[4] ?? '';
    const scanned = principals(accountId);
    const hit = byArnIndex.get(arn);
    if (hit) return hit;
    let ext = externalCache.get(arn);
    if (!ext) {
      ext = scanned.value && arn.endsWith(':root') ? rootPrincipal(accountId, partition, orgInfo, true) : externalPrincipal(arn, accountId, orgInfo);
      externalCache.set(arn, ext);
    }
    return ext;
  };

  const levelCache = { scp: new Map<string, OrgPolicyLevel[] | undefined>(), rcp: new Map<string, OrgPolicyLevel[] | undefined>() };
  const orgPolicyLevels = (kind: 'scp' | 'rcp', accountId: string): OrgPolicyLevel[] | undefined => {
    const cache = levelCache[kind];
    if (cache.has(accountId)) return cache.get(accountId);
    const a = orgAccounts.get(accountId);
    const compiled = kind === 'scp' ? scps : rcps;
    const levels = !a || !compiled.enabled ? undefined : [...a.ouPath, accountId].map((target) => ({ target, policies: compiled.byTarget.get(target) ?? [] }));
    cache.set(accountId, levels);
    return levels;
  };

  // The request context depends on the principal and the resource (and the caller's extra keys):
  // built once per pair, since a check asks about many actions on the same resource.
  // The request context is the principal's keys under a layer of the resource's keys (and, for
  // KMS, the caller's account): the layer is built once per resource and shared by every principal,
  // so a request costs one small object and nothing per principal is kept.
  interface ResourceLayer {
    arn: string;
    accountId: string;
    region?: string;
    svc: string;
    caller: string;
    layer: RequestContext;
  }
  // Per target object, checked field by field (a caller may reuse or change a target object).
  const resourceLayers = new WeakMap<ResourceTarget, ResourceLayer[]>();
  const requestContext = (p: Principal, r: ResourceTarget, service: string): RequestContext => {
    const svc = service === 's3' || service === 'kms' ? service : '';
    const caller = svc === 'kms' ? p.accountId : '';
    let layers = resourceLayers.get(r);
    if (!layers) {
      layers = [];
      resourceLayers.set(r, layers);
    }
    for (const l of layers) {
      if (l.svc === svc && l.caller === caller && l.arn === r.arn && l.accountId === r.accountId && l.region === r.region) return l.layer.over(p.context);
    }
    const layer = new RequestContext().set('aws:ResourceAccount', r.accountId).set('aws:RequestedRegion', r.region);
    if (orgInfo.inOrg(r.accountId)) layer.set('aws:ResourceOrgID', org?.id).set('aws:ResourceOrgPaths', orgInfo.orgPath(r.accountId));
    if (service === 's3') layer.set('s3:ResourceAccount', r.accountId);
    if (service === 'kms') layer.set('kms:CallerAccount', p.accountId);
    // Bounded: a KMS key asked by principals of many accounts keeps one layer per caller account.
    if (layers.length < 64) layers.push({ arn: r.arn, accountId: r.accountId, region: r.region, svc, caller, layer });
    return layer.over(p.context);
  };

  const scpApplies = (p: Principal) =>
    !p.serviceLinked && orgAccounts.has(p.accountId) && p.accountId !== org?.managementAccountId && scps.enabled;

  // Statements of a list that cover an action, computed once per (list, action): principals share
  // policies (and statement lists), and a check asks the same few actions of every principal. When
  // none of them depends on the request beyond its action, the list's whole verdict (its Allow gate
  // and its Deny statements) is computed once too.
  interface Covering {
    statements: CompiledStatement[];
    /** Their positions in the list. */
    indices: number[];
    /** Whether some Allow among them covers the action. */
    anyAllow: boolean;
    /** Every covering statement is decided by the action alone. */
    static: boolean;
    verdict?: { failure: string; gate: Gate; denies: StatementMatch[] };
  }
  const byAction = new WeakMap<CompiledStatement[], Map<string, Covering>>();
  const covering = (statements: CompiledStatement[], action: string): Covering => {
    let perList = byAction.get(statements);
    if (!perList) {
      perList = new Map();
      byAction.set(statements, perList);
    }
    let hit = perList.get(action);
    if (!hit) {
      const list: CompiledStatement[] = [];
      const indices: number[] = [];
      statements.forEach((st, i) => {
        if (!statementCoversAction(st, action)) return;
        list.push(st);
        indices.push(i);
      });
      hit = { statements: list, indices, anyAllow: list.some((st) => st.ref.effect === 'Allow'), static: list.every((st) => staticTri(st) !== undefined) };
      perList.set(action, hit);
    }
    return hit;
  };

  // Verdicts of principal-only statements (see principalOnly) for the principal asked about last:
  // a check asks one principal about many actions in a row. One slot, so nothing is kept per principal.
  let memoPrincipal: Principal | undefined;
  let memo = new Map<CompiledStatement, Tri>();
  const memoFor = (p: Principal, req: AccessRequest): Map<CompiledStatement, Tri> | undefined => {
    if (req.context) return undefined;
    if (p !== memoPrincipal) {
      memoPrincipal = p;
      memo = new Map();
    }
    return memo;
  };
  const tri = (st: CompiledStatement, action: string, arn: string, ctx: RequestContext, principalMemo: Map<CompiledStatement, Tri> | undefined): Tri => {
    if (!principalMemo || !principalOnly(st)) return statementTri(st, action, arn, ctx);
    if (!statementCoversAction(st, action)) return false;
    let hit = principalMemo.get(st);
    if (hit === undefined) {
      hit = statementTri(st, action, arn, ctx);
      principalMemo.set(st, hit);
    }
    return hit;
  };

  /** Evaluate one set of policies: its Allow gate and the Deny statements that match. */
  const scan = (
    statements: CompiledStatement[],
    action: string,
    arn: string,
    ctx: RequestContext,
    denies: StatementMatch[],
    failure: string,
    principalMemo: Map<CompiledStatement, Tri> | undefined,
  ): Gate => {
    const cov = covering(statements, action);
    if (cov.statements.length === 0) return failGate(failure);
    if (cov.static) {
      let v = cov.verdict;
      if (!v || v.failure !== failure) {
        const allows: StatementMatch[] = [];
        const staticDenies: StatementMatch[] = [];
        for (const st of cov.statements) {
          if (staticTri(st) !== true) continue;
          (st.ref.effect === 'Deny' ? staticDenies : allows).push({ ref: st.ref, tri: true });
        }
        v = { failure, gate: gateFromAllows(allows, failure), denies: staticDenies };
        cov.verdict = v;
      }
      for (const d of v.denies) denies.push(d);
      return v.gate;
    }
    const allows: StatementMatch[] = [];
    for (const st of cov.statements) {
      const t = tri(st, action, arn, ctx, principalMemo);
      if (t === false) continue;
      (st.ref.effect === 'Deny' ? denies : allows).push({ ref: st.ref, tri: t });
    }
    return gateFromAllows(allows, failure);
  };

  // A level's statements and failure message, shared by every account under the same root or OU
  // (a level's policy list is the one compiled for its target).
  interface LevelInfo {
    statements: CompiledStatement[];
    /** The same statements as compiled for their policies' first targets (shared across levels). */
    canonical: CompiledStatement[];
    failure: string;
  }
  const levelInfo = new WeakMap<CompiledPolicy[], LevelInfo>();
  const canonicalIds = new WeakMap<CompiledPolicy, number>();
  let nextCanonicalId = 0;
  const canonicalLists = new Map<string, CompiledStatement[]>();
  const infoOf = (kind: 'scp' | 'rcp', l: OrgPolicyLevel): LevelInfo => {
    let hit = levelInfo.get(l.policies);
    if (!hit) {
      const originals = l.policies.map((p) => canonicalPolicy.get(p) ?? p);
      const key = originals
        .map((p) => {
          let id = canonicalIds.get(p);
          if (id === undefined) {
            id = nextCanonicalId++;
            canonicalIds.set(p, id);
          }
          return id;
        })
        .join(',');
      let canonical = canonicalLists.get(key);
      if (!canonical) {
        canonical = originals.flatMap((p) => p.statements);
        canonicalLists.set(key, canonical);
      }
      hit = { statements: l.policies.flatMap((p) => p.statements), canonical, failure: `no ${kind.toUpperCase()} attached to ${l.target} allows it` };
      levelInfo.set(l.policies, hit);
    }
    return hit;
  };

  // A level's verdict for an action when every statement covering it is decided by the action alone:
  // whether it allows, and which (unconditional) Deny statements match, by position. Shared by
  // every level with the same policies.
  const staticLevel = new WeakMap<Covering, { allows: boolean; denyIndices: number[] }>();
  /** Like `scan` for an SCP/RCP level; the gate's statement list is left empty (never reported). */
  const scanLevel = (
    info: LevelInfo,
    action: string,
    arn: string,
    ctx: RequestContext,
    denies: StatementMatch[],
    principalMemo: Map<CompiledStatement, Tri> | undefined,
  ): Gate => {
    const cov = covering(info.canonical, action);
    if (cov.static) {
      let v = staticLevel.get(cov);
      if (!v) {
        const denyIndices: number[] = [];
        let allows = false;
        cov.statements.forEach((st, k) => {
          if (staticTri(st) !== true) return;
          if (st.ref.effect === 'Deny') denyIndices.push(cov.indices[k] as number);
          else allows = true;
        });
        v = { allows, denyIndices };
        staticLevel.set(cov, v);
      }
      for (const i of v.denyIndices) denies.push({ ref: (info.statements[i] as CompiledStatement).ref, tri: true });
      return v.allows ? PASS : failGate(info.failure);
    }
    const allows: StatementMatch[] = [];
    for (const i of cov.indices) {
      const st = info.statements[i] as CompiledStatement;
      const t = tri(st, action, arn, ctx, principalMemo);
      if (t === false) continue;
      (st.ref.effect === 'Deny' ? denies : allows).push({ ref: st.ref, tri: t });
    }
    return gateFromAllows(allows, info.failure);
  };

  // Every level is scanned (its Deny statements count even below a level that does not allow).
  // SCP and RCP statements never appear among a decision's granting statements, so the combined
  // gate keeps only the state, the conditions and the first failure.
  const levelGates = (
    kind: 'scp' | 'rcp',
    levels: OrgPolicyLevel[],
    action: string,
    arn: string,
    ctx: RequestContext,
    denies: StatementMatch[],
    principalMemo: Map<CompiledStatement, Tri> | undefined,
  ): Gate => {
    let failed: Gate | undefined;
    let allPass = true;
    let conditions: UndecidedCondition[] | undefined;
    for (const l of levels) {
      if (l.policies.length === 0) continue;
      const info = infoOf(kind, l);
      const g = scanLevel(info, action, arn, ctx, denies, principalMemo);
      if (g.state === 'fail') failed ??= g;
      else if (g.state === 'conditional') {
        allPass = false;
        conditions = conditions ? conditions.concat(g.conditions) : g.conditions;
      }
    }
    if (failed) return failed;
    if (allPass) return PASS;
    return { state: 'conditional', allows: [], conditions: conditions ?? [] };
  };

  const denyConditionsOf = (denies: StatementMatch[]): UndecidedCondition[] => {
    const out: UndecidedCondition[] = [];
    for (const d of denies) {
      if (d.tri === true) continue;
      for (const c of d.tri as Exclude<Tri, boolean>) out.push({ ...c, requirement: 'must-not-hold' as const, statement: d.ref });
    }
    return out;
  };

  const evaluate = (req: AccessRequest): Decision => {
    const { principal: p, action, resource: r } = req;
    const service = serviceOf(action);
    const base0 = requestContext(p, r, service);
    const ctx = req.context ? base0.with(req.context) : base0;
    const denies: StatementMatch[] = [];
    const principalMemo = memoFor(p, req);

    // Identity side: the root user holds every permission of its account; unscanned principals are unknown.
    let identity: Gate;
    if (p.kind === 'root') identity = PASS;
    else if (!p.identityKnown) {
      identity = {
        state: 'conditional',
        allows: [],
        conditions: [{ operator: 'Unknown', key: 'identity-policies', values: [p.accountId], requirement: 'must-hold', note: `allowed if the identity policies in account ${p.accountId} (not scanned) allow it` }],
      };
    } else identity = scan(p.identity, action, r.arn, ctx, denies, 'no identity-based policy allows it', principalMemo);
    const boundary = p.boundary
      ? scan(p.boundary.statements, action, r.arn, ctx, denies, `the permissions boundary ${p.boundary.source.arn} does not allow it`, principalMemo)
      : PASS;
    const identityPath = andGate(identity, boundary);

    // Resource policy: direct grants, grants to the principal's account (delegation), denies.
    // (Filled only when there is a resource policy; NONE is never pushed to.)
    const direct: StatementMatch[] = r.policy ? [] : NONE;
    const roleArnGrants: StatementMatch[] = r.policy ? [] : NONE;
    const delegated: StatementMatch[] = r.policy ? [] : NONE;
    let rootBucketPolicyException = false;
    if (r.policy) {
      rootBucketPolicyException = p.kind === 'root' && p.accountId === r.accountId && ROOT_BUCKET_POLICY_ACTIONS.has(action.toLowerCase());
      for (const st of r.policy.statements) {
        let how: 'roleArn' | 'direct' | 'account' | 'none';
        if (st.principal) how = principalMatch(st.principal, p, partition);
        else how = notPrincipalExempts(st.notPrincipal as PrincipalSpec, p, partition) ? 'none' : 'direct';
        if (how === 'none') continue;
        const tri = statementTri(st, action, r.arn, ctx);
        if (tri === false) continue;
        if (st.ref.effect === 'Deny') {
          if (!rootBucketPolicyException) denies.push({ ref: st.ref, tri });
        } else (how === 'direct' ? direct : how === 'roleArn' ? roleArnGrants : delegated).push({ ref: st.ref, tri });
      }
    }
    const resourceName = r.policy?.source.name ?? 'resource policy';
    // A grant naming the role's ARN is still limited by the role's boundary; one naming a user, the
    // role's session or everyone (`*`) is not (AWS: "Evaluating permissions boundaries").
    const directPath = () =>
      orGates(
        gateFromAllows(direct, `the ${resourceName} does not name the principal`),
        andGate(gateFromAllows(roleArnGrants, `the ${resourceName} does not name the role`), boundary),
      );
    const sameAccount = p.accountId === r.accountId;

    let principalSide: Gate;
    if (service === 'kms' && r.policy !== undefined && sameAccount) {
      // KMS: the key policy is authoritative; identity policies count only where it delegates to the account.
      principalSide =
        r.policy === null
          ? failGate('the key has no key policy')
          : orGates(directPath(), andGate(gateFromAllows(delegated, `the key policy neither names the principal nor delegates to account ${p.accountId}`), identityPath));
    } else if (sameAccount) {
      // With no grant naming the principal, the resource-policy path fails: identity alone decides,
      // unless it fails too (then both failures make the reason).
      principalSide =
        !r.policy || (identityPath.state === 'pass' && direct.length === 0 && roleArnGrants.length === 0) ? identityPath : orGates(identityPath, directPath());
      if (rootBucketPolicyException) principalSide = PASS;
    } else {
      principalSide = r.policy
        ? andGate(identityPath, gateFromAllows([...direct, ...roleArnGrants, ...delegated], `the ${resourceName} does not allow the principal or its account`))
        : andGate(identityPath, failGate(`cross-account access to ${r.arn} needs a resource policy, and it has none`));
    }

    const scpLevels = scpApplies(p) ? orgPolicyLevels('scp', p.accountId) : undefined;
    const scp = scpLevels ? levelGates('scp', scpLevels, action, r.arn, ctx, denies, principalMemo) : PASS;
    const rcpLevels =
      options.catalog.rcpServices.has(service) && !p.serviceLinked && r.accountId !== org?.managementAccountId
        ? orgPolicyLevels('rcp', r.accountId)
        : undefined;
    const rcp = rcpLevels ? levelGates('rcp', rcpLevels, action, r.arn, ctx, denies, principalMemo) : PASS;

    const sureDenies = sureRefs(denies);
    if (sureDenies) {
      return decide(p, action, r, 'denied', sureDenies, [], `explicitly denied by ${sureDenies.length} statement(s)`);
    }
    const total = andGate(andGate(principalSide, scp), rcp);
    if (total.state === 'fail') return decide(p, action, r, 'denied', [], [], total.failure ?? 'not allowed');
    const grants = dedupe(total.allows.filter((s) => s.type === 'identity' || s.type === 'resource'));
    const denyConditions = denies.length > 0 ? denyConditionsOf(denies) : [];
    if (total.state === 'pass' && denyConditions.length === 0) {
      return decide(p, action, r, 'allowed', grants, [], p.kind === 'root' && grants.length === 0 ? 'the root user holds every permission of its account' : 'allowed');
    }
    return decide(p, action, r, 'conditional', grants, [...total.conditions, ...denyConditions], 'allowed only if undecidable conditions hold');
  };

  // SCP-only evaluation sees the principal's keys plus the resource account and region: one shared
  // layer per (account, region), unless the caller passes its own keys.
  const scpLayers = new Map<string, Map<string | undefined, RequestContext>>();
  const scpContext = (p: Principal, r: ResourceTarget): RequestContext => {
    let byRegion = scpLayers.get(r.accountId);
    if (!byRegion) {
      byRegion = new Map();
      scpLayers.set(r.accountId, byRegion);
    }
    let layer = byRegion.get(r.region);
    if (!layer) {
      layer = new RequestContext().set('aws:ResourceAccount', r.accountId).set('aws:RequestedRegion', r.region);
      byRegion.set(r.region, layer);
    }
    return layer.over(p.context);
  };

  const evaluateScps = (req: AccessRequest): Decision => {
    const { principal: p, action, resource: r } = req;
    const levels = scpApplies(p) ? orgPolicyLevels('scp', p.accountId) : undefined;
    if (!levels) return decide(p, action, r, 'allowed', [], [], 'SCPs do not apply to this principal');
    const ctx = req.context
      ? p.context.with({ 'aws:ResourceAccount': r.accountId, 'aws:RequestedRegion': r.region, ...req.context })
      : scpContext(p, r);
    const denies: StatementMatch[] = [];
    const gate = levelGates('scp', levels, action, r.arn, ctx, denies, memoFor(p, req));
    const sure = sureRefs(denies);
    if (sure) return decide(p, action, r, 'denied', sure, [], 'explicitly denied by an SCP');
    if (gate.state === 'fail') return decide(p, action, r, 'denied', [], [], gate.failure ?? 'no SCP allows it');
    const conditions: UndecidedCondition[] = [...gate.conditions, ...denyConditionsOf(denies)];
    if (conditions.length === 0) return decide(p, action, r, 'allowed', [], [], 'SCPs allow it');
    return decide(p, action, r, 'conditional', denies.map((d) => d.ref), conditions, 'SCPs deny it only under undecidable conditions');
  };

  const mayAllow = (p: Principal, r: ResourceTarget, action: string): boolean => {
    if (p.kind === 'root' || !p.identityKnown) return true;
    if (covering(p.identity, action).anyAllow) return true;
    if (!r.policy) return false;
    for (const st of r.policy.statements) {
      if (st.ref.effect !== 'Allow' || !statementCoversAction(st, action)) continue;
      const how = st.principal ? principalMatch(st.principal, p, partition) : notPrincipalExempts(st.notPrincipal as PrincipalSpec, p, partition) ? 'none' : 'direct';
      if (how === 'direct' || how === 'roleArn') return true;
    }
    return false;
  };

  return {
    partition,
    organizationId: org?.id,
    managementAccountId: org?.managementAccountId,
    catalog: options.catalog,
    orgPolicyProblems: problems,
    principals,
    principal,
    compileResourcePolicy(document, source) {
      if (document === null || document === undefined) return { policy: null };
      return compilePolicy(document, { ...source, type: 'resource' });
    },
    orgPolicyLevels,
    scpApplies,
    evaluate,
    evaluateScps,
    mayReach: (p, r, action) => {
      if (p.accountId === r.accountId) return true;
      if (!r.policy) return false;
      return r.policy.statements.some(
        (st) =>
          st.ref.effect === 'Allow' &&
          (action === undefined || statementCoversAction(st, action)) &&
          (st.principal ? principalMatch(st.principal, p, partition) !== 'none' : !notPrincipalExempts(st.notPrincipal as PrincipalSpec, p, partition)),
      );
    },
    mayAllow,
    probeRole: (accountId, name) => probeRole(accountId, name, partition, orgInfo),
  };
}

/** The statements among these matches that apply unconditionally, or undefined when none does. */
function sureRefs(matches: StatementMatch[]): StatementRef[] | undefined {
  let out: StatementRef[] | undefined;
  for (const m of matches) {
    if (m.tri !== true) continue;
    if (!out) out = [];
    out.push(m.ref);
  }
  return out;
}

function decide(p: Principal, action: string, r: ResourceTarget, decision: DecisionKind, statements: StatementRef[], conditions: UndecidedCondition[], reason: string): Decision {
  return { principal: p.arn, action, resource: r.arn, decision, statements, conditions, reason };
}

const sharedModels = new WeakMap<Snapshot, WeakMap<ActionCatalog, IamModel>>();

/**
 * The model of a snapshot, built once per (snapshot, catalogue) and shared by every caller: the
 * checks of one scan that judge IAM (principals and policies are then compiled once for all of
 * them). Only for snapshots that do not change afterwards, as the engine's are.
 */
export function sharedIamModel(snapshot: Snapshot, options: IamModelOptions): IamModel {
  let perCatalog = sharedModels.get(snapshot);
  if (!perCatalog) {
    perCatalog = new WeakMap();
    sharedModels.set(snapshot, perCatalog);
  }
  let model = perCatalog.get(options.catalog);
  if (!model) {
    model = createIamModel(snapshot, options);
    perCatalog.set(options.catalog, model);
  }
  return model;
}

function dedupe(refs: StatementRef[]): StatementRef[] {
  if (refs.length < 2) return refs;
  const seen = new Set<string>();
  const out: StatementRef[] = [];
  for (const r of refs) {
    const k = `${r.type}|${r.arn ?? ''}|${r.name}|${r.via ?? ''}|${r.index}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(r);
    }
  }
  return out;
}


