import type { Tri } from './conditions.js';
import type { RequestContext } from './context.js';
import { type Gate, PASS, type StatementMatch, type UndecidedCondition, andGate, failGate, gateFromAllows, orGates } from './gates.js';
import type { AccessRequest, Decision, DecisionKind, OrgPolicyLevel, ResourceTarget } from './model-types.js';
import { type CompiledStatement, type PrincipalSpec, type StatementRef, statementCoversAction } from './policy.js';
import type { LevelInfo, PolicyIndex } from './policy-index.js';
import type { Principal } from './principals.js';
import { dedupe, notPrincipalExempts, principalMatch, serviceOf, statementTri, staticTri, sureRefs } from './statements.js';

/*
 * The decision: AWS's policy evaluation logic as functions of a request and the policy index. It
 * keeps no state of its own; what it works out once (covering statements, static verdicts) it
 * leaves in the index's tables, so the same request always gets the same answer.
 */

/** Bucket-policy operations the bucket owner's root user can always perform, whatever the policy says. */
const ROOT_BUCKET_POLICY_ACTIONS = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

const NONE: StatementMatch[] = [];

function decision(p: Principal, action: string, r: ResourceTarget, kind: DecisionKind, statements: StatementRef[], conditions: UndecidedCondition[], reason: string): Decision {
  return { principal: p.arn, action, resource: r.arn, decision: kind, statements, conditions, reason };
}

/** Evaluate one set of policies: its Allow gate and the Deny statements that match. */
function scan(
  ix: PolicyIndex,
  statements: CompiledStatement[],
  action: string,
  arn: string,
  ctx: RequestContext,
  denies: StatementMatch[],
  failure: string,
  principalMemo: Map<CompiledStatement, Tri> | undefined,
): Gate {
  const cov = ix.covering(statements, action);
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
    const t = ix.tri(st, action, arn, ctx, principalMemo);
    if (t === false) continue;
    (st.ref.effect === 'Deny' ? denies : allows).push({ ref: st.ref, tri: t });
  }
  return gateFromAllows(allows, failure);
}

/** Like `scan` for an SCP/RCP level; the gate's statement list is left empty (never reported). */
function scanLevel(
  ix: PolicyIndex,
  info: LevelInfo,
  action: string,
  arn: string,
  ctx: RequestContext,
  denies: StatementMatch[],
  principalMemo: Map<CompiledStatement, Tri> | undefined,
): Gate {
  const cov = ix.covering(info.canonical, action);
  if (cov.static) {
    const v = ix.staticLevel(cov);
    for (const i of v.denyIndices) denies.push({ ref: (info.statements[i] as CompiledStatement).ref, tri: true });
    return v.allows ? PASS : failGate(info.failure);
  }
  const allows: StatementMatch[] = [];
  for (const i of cov.indices) {
    const st = info.statements[i] as CompiledStatement;
    const t = ix.tri(st, action, arn, ctx, principalMemo);
    if (t === false) continue;
    (st.ref.effect === 'Deny' ? denies : allows).push({ ref: st.ref, tri: t });
  }
  return gateFromAllows(allows, info.failure);
}

// Every level is scanned (its Deny statements count even below a level that does not allow).
// SCP and RCP statements never appear among a decision's granting statements, so the combined
// gate keeps only the state, the conditions and the first failure.
function levelGates(
  ix: PolicyIndex,
  kind: 'scp' | 'rcp',
  levels: OrgPolicyLevel[],
  action: string,
  arn: string,
  ctx: RequestContext,
  denies: StatementMatch[],
  principalMemo: Map<CompiledStatement, Tri> | undefined,
): Gate {
  let failed: Gate | undefined;
  let allPass = true;
  let conditions: UndecidedCondition[] | undefined;
  for (const l of levels) {
    if (l.policies.length === 0) continue;
    const info = ix.levelInfo(kind, l);
    const g = scanLevel(ix, info, action, arn, ctx, denies, principalMemo);
    if (g.state === 'fail') failed ??= g;
    else if (g.state === 'conditional') {
      allPass = false;
      conditions = conditions ? conditions.concat(g.conditions) : g.conditions;
    }
  }
  if (failed) return failed;
  if (allPass) return PASS;
  return { state: 'conditional', allows: [], conditions: conditions ?? [] };
}

function denyConditionsOf(denies: StatementMatch[]): UndecidedCondition[] {
  const out: UndecidedCondition[] = [];
  for (const d of denies) {
    if (d.tri === true) continue;
    for (const c of d.tri as Exclude<Tri, boolean>) out.push({ ...c, requirement: 'must-not-hold' as const, statement: d.ref });
  }
  return out;
}

/** Can the principal perform the action on the resource: AWS's evaluation logic, step by step. */
export function evaluate(ix: PolicyIndex, req: AccessRequest): Decision {
  const { partition, org, options } = ix;
  const { principal: p, action, resource: r } = req;
  const service = serviceOf(action);
  const base0 = ix.requestContext(p, r, service);
  const ctx = req.context ? base0.with(req.context) : base0;
  const denies: StatementMatch[] = [];
  const principalMemo = ix.memoFor(p, req);

  // Identity side: the root user holds every permission of its account; unscanned principals are unknown.
  let identity: Gate;
  if (p.kind === 'root') identity = PASS;
  else if (!p.identityKnown) {
    identity = {
      state: 'conditional',
      allows: [],
      conditions: [{ operator: 'Unknown', key: 'identity-policies', values: [p.accountId], requirement: 'must-hold', note: `allowed if the identity policies in account ${p.accountId} (not scanned) allow it` }],
    };
  } else identity = scan(ix, p.identity, action, r.arn, ctx, denies, 'no identity-based policy allows it', principalMemo);
  const boundary = p.boundary
    ? scan(ix, p.boundary.statements, action, r.arn, ctx, denies, `the permissions boundary ${p.boundary.source.arn} does not allow it`, principalMemo)
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

  const scpLevels = ix.scpApplies(p) ? ix.orgPolicyLevels('scp', p.accountId) : undefined;
  const scp = scpLevels ? levelGates(ix, 'scp', scpLevels, action, r.arn, ctx, denies, principalMemo) : PASS;
  const rcpLevels =
    options.catalog.rcpServices.has(service) && !p.serviceLinked && r.accountId !== org?.managementAccountId
      ? ix.orgPolicyLevels('rcp', r.accountId)
      : undefined;
  const rcp = rcpLevels ? levelGates(ix, 'rcp', rcpLevels, action, r.arn, ctx, denies, principalMemo) : PASS;

  const sureDenies = sureRefs(denies);
  if (sureDenies) {
    return decision(p, action, r, 'denied', sureDenies, [], `explicitly denied by ${sureDenies.length} statement(s)`);
  }
  const total = andGate(andGate(principalSide, scp), rcp);
  if (total.state === 'fail') return decision(p, action, r, 'denied', [], [], total.failure ?? 'not allowed');
  const grants = dedupe(total.allows.filter((s) => s.type === 'identity' || s.type === 'resource'));
  const denyConditions = denies.length > 0 ? denyConditionsOf(denies) : [];
  if (total.state === 'pass' && denyConditions.length === 0) {
    return decision(p, action, r, 'allowed', grants, [], p.kind === 'root' && grants.length === 0 ? 'the root user holds every permission of its account' : 'allowed');
  }
  return decision(p, action, r, 'conditional', grants, [...total.conditions, ...denyConditions], 'allowed only if undecidable conditions hold');
}

/** SCPs alone (see IamModel.evaluateScps). */
export function evaluateScps(ix: PolicyIndex, req: AccessRequest): Decision {
  const { principal: p, action, resource: r } = req;
  const levels = ix.scpApplies(p) ? ix.orgPolicyLevels('scp', p.accountId) : undefined;
  if (!levels) return decision(p, action, r, 'allowed', [], [], 'SCPs do not apply to this principal');
  const ctx = req.context
    ? p.context.with({ 'aws:ResourceAccount': r.accountId, 'aws:RequestedRegion': r.region, ...req.context })
    : ix.scpContext(p, r);
  const denies: StatementMatch[] = [];
  const gate = levelGates(ix, 'scp', levels, action, r.arn, ctx, denies, ix.memoFor(p, req));
  const sure = sureRefs(denies);
  if (sure) return decision(p, action, r, 'denied', sure, [], 'explicitly denied by an SCP');
  if (gate.state === 'fail') return decision(p, action, r, 'denied', [], [], gate.failure ?? 'no SCP allows it');
  const conditions: UndecidedCondition[] = [...gate.conditions, ...denyConditionsOf(denies)];
  if (conditions.length === 0) return decision(p, action, r, 'allowed', [], [], 'SCPs allow it');
  return decision(p, action, r, 'conditional', denies.map((d) => d.ref), conditions, 'SCPs deny it only under undecidable conditions');
}

/** False when `evaluate` would certainly deny (see IamModel.mayAllow). */
export function mayAllow(ix: PolicyIndex, p: Principal, r: ResourceTarget, action: string): boolean {
  const { partition } = ix;
  if (p.kind === 'root' || !p.identityKnown) return true;
  if (ix.covering(p.identity, action).anyAllow) return true;
  if (!r.policy) return false;
  for (const st of r.policy.statements) {
    if (st.ref.effect !== 'Allow' || !statementCoversAction(st, action)) continue;
    const how = st.principal ? principalMatch(st.principal, p, partition) : notPrincipalExempts(st.notPrincipal as PrincipalSpec, p, partition) ? 'none' : 'direct';
    if (how === 'direct' || how === 'roleArn') return true;
  }
  return false;
}

/** False when the principal certainly cannot act on the resource (see IamModel.mayReach). */
export function mayReach(ix: PolicyIndex, p: Principal, r: ResourceTarget, action?: string): boolean {
  const { partition } = ix;
  if (p.accountId === r.accountId) return true;
  if (!r.policy) return false;
  return r.policy.statements.some(
    (st) =>
      st.ref.effect === 'Allow' &&
      (action === undefined || statementCoversAction(st, action)) &&
      (st.principal ? principalMatch(st.principal, p, partition) !== 'none' : !notPrincipalExempts(st.notPrincipal as PrincipalSpec, p, partition)),
  );
}
