import { type IamData, type Known, type Organization, type OrganizationPolicy, type Partition, type Snapshot, isUnknown } from '@trailwarden/core';
import type { Tri } from './conditions.js';
import { RequestContext } from './context.js';
import type { Gate, StatementMatch } from './gates.js';
import { NOT_IN_ORGANIZATION, type AccessRequest, type IamModelOptions, type OrgPolicyLevel, type OrgPolicyProblem, type ResourceTarget } from './model-types.js';
import { type CompiledPolicy, type CompiledStatement, type PolicySource, type StatementRef, compilePolicy, statementCoversAction } from './policy.js';
import { type OrgInfo, PolicyCompiler, type Principal, buildAccountPrincipalsIsolated, externalPrincipal, probeRole, rootPrincipal } from './principals.js';
import { principalOnly, statementTri, staticTri } from './statements.js';

/*
 * The policy index of one snapshot: the organization's SCPs and RCPs compiled once, the principals
 * of each account built on first use, and the tables that remember what was worked out once per
 * (statement list, action), per resource, per level and per principal. It decides nothing itself:
 * decide.ts asks it for what it needs and gets the same answer every time.
 */

const ACCOUNT_ID = /^\d{12}$/;

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
 * Statements of a list that cover an action, computed once per (list, action): principals share
 * policies (and statement lists), and a check asks the same few actions of every principal. When
 * none of them depends on the request beyond its action, the list's whole verdict (its Allow gate
 * and its Deny statements) is computed once too (`verdict`, filled by decide.ts's scan).
 */
export interface Covering {
  statements: CompiledStatement[];
  /** Their positions in the list. */
  indices: number[];
  /** Whether some Allow among them covers the action. */
  anyAllow: boolean;
  /** Every covering statement is decided by the action alone. */
  static: boolean;
  verdict?: { failure: string; gate: Gate; denies: StatementMatch[] };
}

/** A level's statements and failure message, shared by every account under the same root or OU. */
export interface LevelInfo {
  statements: CompiledStatement[];
  /** The same statements as compiled for their policies' first targets (shared across levels). */
  canonical: CompiledStatement[];
  failure: string;
}

export interface PolicyIndex {
  readonly partition: Partition;
  readonly options: IamModelOptions;
  readonly org: Organization | undefined;
  readonly orgInfo: OrgInfo;
  readonly problems: OrgPolicyProblem[];
  principals(accountId: string): Known<Principal[]>;
  principal(arnOrAccount: string): Principal;
  orgPolicyLevels(kind: 'scp' | 'rcp', accountId: string): OrgPolicyLevel[] | undefined;
  scpApplies(p: Principal): boolean;
  /** The request context of a principal acting on a resource (the resource's keys over the principal's). */
  requestContext(p: Principal, r: ResourceTarget, service: string): RequestContext;
  /** The context SCP-only evaluation sees: the principal's keys plus the resource account and region. */
  scpContext(p: Principal, r: ResourceTarget): RequestContext;
  covering(statements: CompiledStatement[], action: string): Covering;
  levelInfo(kind: 'scp' | 'rcp', level: OrgPolicyLevel): LevelInfo;
  /** A level's verdict for an action whose covering statements are all static (see staticTri). */
  staticLevel(cov: Covering): { allows: boolean; denyIndices: number[] };
  /** The memo of principal-only statement verdicts for this request's principal (none with caller keys). */
  memoFor(p: Principal, req: AccessRequest): Map<CompiledStatement, Tri> | undefined;
  /** A statement's verdict, from the principal memo when it depends on the principal alone. */
  tri(st: CompiledStatement, action: string, arn: string, ctx: RequestContext, principalMemo: Map<CompiledStatement, Tri> | undefined): Tri;
  probeRole(accountId: string, name: string): Principal;
}

export function createPolicyIndex(snapshot: Snapshot, options: IamModelOptions): PolicyIndex {
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

  // A level's policy list is the one compiled for its target, so it keys the level's info.
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
  const staticLevels = new WeakMap<Covering, { allows: boolean; denyIndices: number[] }>();
  const staticLevel = (cov: Covering): { allows: boolean; denyIndices: number[] } => {
    let v = staticLevels.get(cov);
    if (!v) {
      const denyIndices: number[] = [];
      let allows = false;
      cov.statements.forEach((st, k) => {
        if (staticTri(st) !== true) return;
        if (st.ref.effect === 'Deny') denyIndices.push(cov.indices[k] as number);
        else allows = true;
      });
      v = { allows, denyIndices };
      staticLevels.set(cov, v);
    }
    return v;
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

  return {
    partition,
    options,
    org,
    orgInfo,
    problems,
    principals,
    principal,
    orgPolicyLevels,
    scpApplies,
    requestContext,
    scpContext,
    covering,
    levelInfo: infoOf,
    staticLevel,
    memoFor,
    tri,
    probeRole: (accountId, name) => probeRole(accountId, name, partition, orgInfo),
  };
}
