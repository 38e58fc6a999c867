import type { Partition } from '@trailwarden/core';
import { type Tri, evaluateConditions, substituteVariables } from './conditions.js';
import type { RequestContext } from './context.js';
import type { StatementMatch } from './gates.js';
import { type CompiledStatement, type PrincipalSpec, type StatementRef, statementCoversAction } from './policy.js';
import type { Principal } from './principals.js';
import { arnMatches } from './wildcard.js';

/*
 * What one statement says about one request: pure functions of the statement, the action, the
 * resource and the request context (the memo tables below only remember their answers).
 */

/**
 * A statement's verdict when it does not depend on the request beyond its action: no conditions,
 * and a Resource of `*` (or none), or a NotResource of `*` (never applies). Undefined otherwise.
 */
export function staticTri(st: CompiledStatement): boolean | undefined {
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
export function principalOnly(st: CompiledStatement): boolean {
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

export function statementTri(st: CompiledStatement, action: string, resourceArn: string, ctx: RequestContext): Tri {
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

/** The lower-case service prefix of an action, e.g. `s3` (cached: a scan asks the same few actions). */
const services = new Map<string, string>();
export function serviceOf(action: string): string {
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
export function principalMatch(spec: PrincipalSpec, p: Principal, partition: Partition): 'roleArn' | 'direct' | 'account' | 'none' {
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
export function notPrincipalExempts(spec: PrincipalSpec, p: Principal, partition: Partition): boolean {
  if (spec.any) return true;
  const rootArn = `arn:${partition}:iam::${p.accountId}:root`;
  const accountListed = spec.aws.some((e) => e === p.accountId || e === rootArn);
  if (!accountListed) return false;
  if (p.kind === 'root') return true;
  if (p.kind === 'role') return spec.aws.some((e) => e.startsWith(`arn:${partition}:sts::${p.accountId}:assumed-role/${p.name}/`));
  return spec.aws.includes(p.arn);
}

/** The statements among these matches that apply unconditionally, or undefined when none does. */
export function sureRefs(matches: StatementMatch[]): StatementRef[] | undefined {
  let out: StatementRef[] | undefined;
  for (const m of matches) {
    if (m.tri !== true) continue;
    if (!out) out = [];
    out.push(m.ref);
  }
  return out;
}

/** Statement references without repeats (the same grant found along two paths). */
export function dedupe(refs: StatementRef[]): StatementRef[] {
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
