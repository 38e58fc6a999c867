/**
 * Service control policies on the calls the simulator serves: an explicit Deny in an SCP along the
 * calling account's path (root, OUs, account) refuses the call, as AWS does for every principal of
 * a member account (never the management account, never a service-linked role). This is what makes
 * a Control Tower-style region deny (`aws:RequestedRegion`) real: the call fails with the message
 * AWS gives ("... with an explicit deny in a service control policy").
 *
 * Only what a read-only call can decide is evaluated: statements whose Resource is `*` (or absent)
 * and whose conditions use the keys the simulator knows for every request (aws:RequestedRegion,
 * aws:PrincipalArn, aws:PrincipalAccount) with the String and Arn operators. A statement with any
 * other key or operator is not applied (documented in the README). Implicit denies (a level whose
 * SCPs allow nothing) are not simulated: worlds get FullAWSAccess at every level.
 */
import { globMatch } from '@trailwarden/core';
import type { Identity } from './identity.js';
import type { AccountModel, OrgModel, SimModel } from './world/model.js';

interface DenyStatement {
  actions?: string[];
  notActions?: string[];
  /** operator (lower case, IfExists stripped) → key (lower case) → values. */
  conditions: { operator: string; key: string; values: string[] }[];
}

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

const KEYS = new Set(['aws:requestedregion', 'aws:principalarn', 'aws:principalaccount']);
const OPERATORS = new Set(['stringequals', 'stringnotequals', 'stringequalsignorecase', 'stringnotequalsignorecase', 'stringlike', 'stringnotlike', 'arnequals', 'arnnotequals', 'arnlike', 'arnnotlike']);

/** The Deny statements of a policy text the simulator can decide, or none. */
function denyStatements(content: string): DenyStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    return [];
  }
  const out: DenyStatement[] = [];
  for (const raw of asArray((doc as { Statement?: unknown })?.Statement)) {
    if (!raw || typeof raw !== 'object') continue;
    const st = raw as Record<string, unknown>;
    if (st.Effect !== 'Deny' || st.NotResource !== undefined) continue;
    if (st.Resource !== undefined && !strings(st.Resource).includes('*')) continue;
    const conditions: DenyStatement['conditions'] = [];
    let decidable = true;
    if (st.Condition !== undefined) {
      if (!st.Condition || typeof st.Condition !== 'object') continue;
      for (const [op, block] of Object.entries(st.Condition as Record<string, unknown>)) {
        const operator = op.toLowerCase().replace(/ifexists$/, '');
        if (!OPERATORS.has(operator) || !block || typeof block !== 'object') {
          decidable = false;
          break;
        }
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
          if (!KEYS.has(key.toLowerCase())) decidable = false;
          conditions.push({ operator, key: key.toLowerCase(), values: strings(values) });
        }
      }
    }
    if (!decidable) continue;
    const s: DenyStatement = { conditions };
    if (st.Action !== undefined) s.actions = strings(st.Action);
    else if (st.NotAction !== undefined) s.notActions = strings(st.NotAction);
    else continue;
    out.push(s);
  }
  return out;
}

function conditionHolds(c: DenyStatement['conditions'][number], value: string): boolean {
  const negated = c.operator.includes('not');
  const ignoreCase = c.operator.endsWith('ignorecase');
  const like = c.operator.includes('like') || c.operator.startsWith('arn');
  const match = c.values.some((v) => (like ? globMatch(v, value, ignoreCase) : ignoreCase ? v.toLowerCase() === value.toLowerCase() : v === value));
  return negated ? !match : match;
}

function statementDenies(s: DenyStatement, action: string, context: Record<string, string>): boolean {
  const covers = s.actions ? s.actions.some((a) => globMatch(a, action, true)) : !(s.notActions ?? []).some((a) => globMatch(a, action, true));
  return covers && s.conditions.every((c) => conditionHolds(c, context[c.key] ?? ''));
}

/** Per model: each account's SCP Deny statements along its path, parsed once. */
const pathCache = new WeakMap<SimModel, Map<string, DenyStatement[]>>();

function accountPath(org: OrgModel, account: AccountModel): string[] {
  const path = [account.id];
  let parent = account.parentId;
  for (let depth = 0; parent && depth < 10; depth++) {
    path.push(parent);
    parent = parent === org.rootId ? undefined : org.ous.find((o) => o.id === parent)?.parentId;
  }
  return path;
}

function denyStatementsFor(model: SimModel, account: AccountModel): DenyStatement[] {
  let perModel = pathCache.get(model);
  if (!perModel) {
    perModel = new Map();
    pathCache.set(model, perModel);
  }
  let hit = perModel.get(account.id);
  if (!hit) {
    const org = model.org;
    const path = org ? new Set(accountPath(org, account)) : new Set<string>();
    hit = (org?.policies ?? [])
      .filter((p) => p.type === 'SERVICE_CONTROL_POLICY' && p.targets.some((t) => path.has(t.TargetId)))
      .flatMap((p) => denyStatements(p.content));
    perModel.set(account.id, hit);
  }
  return hit;
}

/** Whether an SCP explicitly denies this call (`action` is `service:Operation`). */
export function scpDeniesCall(model: SimModel, account: AccountModel, identity: Identity, action: string, region: string): boolean {
  const org = model.org;
  if (!org || account.id === org.managementAccountId || org.featureSet !== 'ALL') return false;
  const principalArn = identity.roleArn ?? identity.arn;
  if (principalArn.includes(':role/aws-service-role/')) return false;
  const statements = denyStatementsFor(model, account);
  if (statements.length === 0) return false;
  const context = { 'aws:requestedregion': region, 'aws:principalarn': principalArn, 'aws:principalaccount': identity.accountId };
  return statements.some((s) => statementDenies(s, action, context));
}
