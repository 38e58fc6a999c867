import type { IamData, IamInlinePolicy, IamTag, Partition, PolicyDocument } from '@trailwarden/core';
import { ABSENT_FOR_DIRECT_CALLS, RequestContext } from './context.js';
import { type CompileResult, type CompiledPolicy, type CompiledStatement, type PolicySource, compilePolicy } from './policy.js';

export type PrincipalKind = 'user' | 'role' | 'root' | 'external';

/** A policy of a principal that could not be used: malformed, or referenced but not in the IAM data. */
export interface PolicyProblem {
  /** Policy name (inline name or managed policy name/ARN). */
  policy: string;
  arn?: string;
  /** `inline`, `attached`, `group:<name>`, `permissionsBoundary`. */
  via: string;
  /** `malformed`: the document is not a valid policy; `missing`: referenced but not in the IAM data. */
  kind: 'malformed' | 'missing';
  message: string;
}

/** A principal ready for evaluation: its policies compiled once and its request context filled. */
export interface Principal {
  kind: PrincipalKind;
  arn: string;
  name: string;
  accountId: string;
  id?: string;
  path?: string;
  /** Service-linked roles (path `/aws-service-role/`) are not restricted by SCPs or RCPs. */
  serviceLinked: boolean;
  /** False for principals of accounts that were not scanned: their identity policies are unknown. */
  identityKnown: boolean;
  /** Identity statements from inline, attached and group policies. */
  identity: CompiledStatement[];
  /** The permissions boundary, when one is set (a missing boundary policy is a problem, not "none"). */
  boundary?: CompiledPolicy;
  problems: PolicyProblem[];
  tags: Record<string, string>;
  /** Condition keys the engine knows for any request by this principal. */
  context: RequestContext;
}

export interface OrgInfo {
  id?: string;
  /** Account id → `o-xxx/r-xxx/ou-xxx/` path used by aws:PrincipalOrgPaths / aws:ResourceOrgPaths. */
  orgPath(accountId: string): string | undefined;
  inOrg(accountId: string): boolean;
}

function tagMap(tags: IamTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[t.key] = t.value;
  return out;
}

// Keys every principal of one kind in one account shares (its account, its organization, the keys
// absent for direct calls...): one layer per (organization view, account, kind), under a small
// per-principal layer. Across thousands of accounts this is most of a principal's memory.
const sharedLayers = new WeakMap<OrgInfo, Map<string, RequestContext>>();

function sharedContext(p: Omit<Principal, 'context'>, org: OrgInfo): RequestContext {
  let perOrg = sharedLayers.get(org);
  if (!perOrg) {
    perOrg = new Map();
    sharedLayers.set(org, perOrg);
  }
  const key = `${p.accountId}|${p.kind}|${p.identityKnown}`;
  let ctx = perOrg.get(key);
  if (ctx) return ctx;
  ctx = new RequestContext().set('aws:PrincipalAccount', p.accountId).set('aws:PrincipalIsAWSService', 'false');
  for (const k of ABSENT_FOR_DIRECT_CALLS) ctx.set(k, null);
  const type = { user: 'User', role: 'AssumedRole', root: 'Account', external: undefined }[p.kind];
  ctx.set('aws:PrincipalType', type);
  if (p.kind === 'root') ctx.set('aws:username', null).set('aws:userid', p.accountId);
  else if (p.kind === 'role') ctx.set('aws:username', null);
  if (org.inOrg(p.accountId)) {
    ctx.set('aws:PrincipalOrgID', org.id).set('aws:PrincipalOrgPaths', org.orgPath(p.accountId));
  } else if (org.id !== undefined && p.identityKnown) {
    // A scanned account outside the organization: it belongs to no organization we know of.
    ctx.set('aws:PrincipalOrgID', null).set('aws:PrincipalOrgPaths', null);
  }
  // Principal tags we hold in full: a tag not set on the principal is absent.
  if (p.identityKnown) ctx.closePrefix('aws:PrincipalTag/');
  perOrg.set(key, ctx);
  return ctx;
}

function principalContext(p: Omit<Principal, 'context'>, org: OrgInfo): RequestContext {
  const own: Record<string, string | undefined> = { 'aws:PrincipalArn': p.arn };
  if (p.kind === 'user') {
    own['aws:username'] = p.name;
    own['aws:userid'] = p.id;
  }
  if (p.identityKnown) for (const [k, v] of Object.entries(p.tags)) own[`aws:PrincipalTag/${k}`] = v;
  return sharedContext(p, org).with(own);
}

function finish(p: Omit<Principal, 'context'>, org: OrgInfo): Principal {
  const out = p as Principal;
  out.context = principalContext(p, org);
  return out;
}

/**
 * Compiles policy documents once per content and source: across an organization the same AWS
 * managed policies (and often the same inline policies) appear in every account, and principals
 * with the same policies share one identity statement list (so per-list caches are shared too).
 */
export class PolicyCompiler {
  private readonly byContent = new Map<string, CompileResult>();
  private readonly ids = new WeakMap<CompiledPolicy, number>();
  private nextId = 0;
  private readonly lists = new Map<string, CompiledStatement[]>();

  compile(doc: PolicyDocument | undefined, source: PolicySource): CompileResult {
    const key = `${source.type}\u0000${source.name}\u0000${source.arn ?? ''}\u0000${source.via ?? ''}\u0000${JSON.stringify(doc) ?? ''}`;
    let hit = this.byContent.get(key);
    if (!hit) {
      hit = compilePolicy(doc, source);
      this.byContent.set(key, hit);
      if (hit.policy) this.ids.set(hit.policy, this.nextId++);
    }
    return hit;
  }

  /** The concatenated statements of these policies, one shared array per distinct sequence. */
  statements(policies: CompiledPolicy[]): CompiledStatement[] {
    const key = policies.map((p) => this.ids.get(p)).join(',');
    let hit = this.lists.get(key);
    if (!hit) {
      hit = policies.flatMap((p) => p.statements);
      this.lists.set(key, hit);
    }
    return hit;
  }
}

/**
 * Build every principal of one account from GetAccountAuthorizationDetails: users (with their
 * groups' policies), roles and the account root, sorted by ARN. Policies are compiled once per
 * account and shared between principals (once per organization when a `compiler` is shared).
 */
export function buildAccountPrincipals(accountId: string, iam: IamData, partition: Partition, org: OrgInfo, compiler = new PolicyCompiler()): Principal[] {
  const managed = new Map(iam.policies.map((p) => [p.arn, p]));
  const groups = new Map(iam.groups.map((g) => [g.name, g]));
  // Per account first (cheap keys), then by content across accounts.
  const local = new Map<string, CompileResult>();
  const compileCached = (key: string, doc: PolicyDocument | undefined, source: PolicySource): CompileResult => {
    let hit = local.get(key);
    if (!hit) {
      hit = compiler.compile(doc, source);
      local.set(key, hit);
    }
    return hit;
  };

  const collect = (
    owner: string,
    inline: IamInlinePolicy[],
    attached: { arn: string; name: string }[],
    via: { inline: string; attached: string },
    policies: CompiledPolicy[],
    problems: PolicyProblem[],
  ) => {
    for (const p of inline) {
      const r = compileCached(`inline|${owner}|${p.name}`, p.document, { type: 'identity', name: p.name, via: via.inline });
      if (r.error !== undefined) problems.push({ policy: p.name, via: via.inline, kind: 'malformed', message: r.error });
      else policies.push(r.policy);
    }
    for (const a of attached) {
      const doc = managed.get(a.arn);
      if (!doc) {
        problems.push({ policy: a.name, arn: a.arn, via: via.attached, kind: 'missing', message: 'the managed policy is not in the IAM data' });
        continue;
      }
      const r = compileCached(`managed|${a.arn}|${via.attached}`, doc.document, { type: 'identity', name: doc.name, arn: a.arn, via: via.attached });
      if (r.error !== undefined) problems.push({ policy: doc.name, arn: a.arn, via: via.attached, kind: 'malformed', message: r.error });
      else policies.push(r.policy);
    }
  };

  const boundaryOf = (arn: string | undefined, problems: PolicyProblem[]): CompiledPolicy | undefined => {
    if (!arn) return undefined;
    const doc = managed.get(arn);
    const name = doc?.name ?? arn.split('/').pop() ?? arn;
    if (!doc) {
      problems.push({ policy: name, arn, via: 'permissionsBoundary', kind: 'missing', message: 'the permissions boundary policy is not in the IAM data' });
      // Unknown boundary: evaluate as if it allowed nothing would hide access; the problem is reported instead.
      return undefined;
    }
    const r = compileCached(`boundary|${arn}`, doc.document, { type: 'permissionsBoundary', name, arn, via: 'permissionsBoundary' });
    if (r.error !== undefined) {
      problems.push({ policy: name, arn, via: 'permissionsBoundary', kind: 'malformed', message: r.error });
      return undefined;
    }
    return r.policy;
  };

  const out: Principal[] = [];
  for (const u of iam.users) {
    const policies: CompiledPolicy[] = [];
    const problems: PolicyProblem[] = [];
    collect(u.arn, u.inlinePolicies, u.attachedPolicies, { inline: 'inline', attached: 'attached' }, policies, problems);
    for (const gName of u.groups) {
      const g = groups.get(gName);
      if (!g) {
        problems.push({ policy: gName, via: `group:${gName}`, kind: 'missing', message: 'the group is not in the IAM data' });
        continue;
      }
      const via = `group:${g.name}`;
      collect(g.arn, g.inlinePolicies, g.attachedPolicies, { inline: via, attached: via }, policies, problems);
    }
    const identity = compiler.statements(policies);
    out.push(
      finish(
        {
          kind: 'user', arn: u.arn, name: u.name, accountId, id: u.id, path: u.path, serviceLinked: false, identityKnown: true,
          identity, boundary: boundaryOf(u.permissionsBoundary, problems), problems, tags: tagMap(u.tags),
        },
        org,
      ),
    );
  }
  for (const r of iam.roles) {
    const policies: CompiledPolicy[] = [];
    const problems: PolicyProblem[] = [];
    collect(r.arn, r.inlinePolicies, r.attachedPolicies, { inline: 'inline', attached: 'attached' }, policies, problems);
    const identity = compiler.statements(policies);
    out.push(
      finish(
        {
          kind: 'role', arn: r.arn, name: r.name, accountId, id: r.id, path: r.path,
          serviceLinked: r.path.startsWith('/aws-service-role/'), identityKnown: true,
          identity, boundary: boundaryOf(r.permissionsBoundary, problems), problems, tags: tagMap(r.tags),
        },
        org,
      ),
    );
  }
  out.push(rootPrincipal(accountId, partition, org, true));
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

export function rootPrincipal(accountId: string, partition: Partition, org: OrgInfo, identityKnown: boolean): Principal {
  return finish(
    {
      kind: 'root', arn: `arn:${partition}:iam::${accountId}:root`, name: 'root', accountId, serviceLinked: false,
      identityKnown, identity: [], problems: [], tags: {},
    },
    org,
  );
}

/**
 * A principal of an account that was not scanned (named in a bucket or key policy): only its ARN
 * is known, so its own account's policies are an undecided requirement of every decision.
 */
export function externalPrincipal(arn: string, accountId: string, org: OrgInfo): Principal {
  const name = arn.split(/[:/]/).pop() ?? arn;
  return finish(
    {
      kind: arn.endsWith(':root') ? 'root' : 'external', arn, name, accountId, serviceLinked: false,
      identityKnown: false, identity: [], problems: [], tags: {},
    },
    org,
  );
}

/** A role with no policies, no tags and no boundary: what SCPs do to "anyone" in the account. */
export function probeRole(accountId: string, name: string, partition: Partition, org: OrgInfo): Principal {
  return finish(
    {
      kind: 'role', arn: `arn:${partition}:iam::${accountId}:role/${name}`, name, accountId, serviceLinked: false,
      identityKnown: true, identity: [], problems: [], tags: {},
    },
    org,
  );
}

/**
 * As buildAccountPrincipals, but a user or role whose record trips the builder (schema-valid yet
 * odd data, such as a role without `path`) becomes a principal with a problem, so the checks give
 * that principal an ERROR instead of losing the whole account. The records are rebuilt one by one
 * only when building them all at once failed.
 */
export function buildAccountPrincipalsIsolated(accountId: string, iam: IamData, partition: Partition, org: OrgInfo, compiler = new PolicyCompiler()): Principal[] {
  try {
    return buildAccountPrincipals(accountId, iam, partition, org, compiler);
  } catch {
    // Find the records at fault below.
  }
  const out: Principal[] = [];
  const one = (data: IamData) => buildAccountPrincipals(accountId, data, partition, org, compiler).filter((p) => p.kind !== 'root');
  for (const u of iam.users) {
    try {
      out.push(...one({ ...iam, users: [u], roles: [] }));
    } catch (e) {
      out.push(unreadablePrincipal('user', u, accountId, partition, org, e));
    }
  }
  for (const r of iam.roles) {
    try {
      out.push(...one({ ...iam, users: [], roles: [r] }));
    } catch (e) {
      out.push(unreadablePrincipal('role', r, accountId, partition, org, e));
    }
  }
  out.push(rootPrincipal(accountId, partition, org, true));
  return out.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

function unreadablePrincipal(kind: 'user' | 'role', record: { arn?: unknown; name?: unknown }, accountId: string, partition: Partition, org: OrgInfo, e: unknown): Principal {
  const name = typeof record.name === 'string' ? record.name : '(unnamed)';
  const arn = typeof record.arn === 'string' ? record.arn : `arn:${partition}:iam::${accountId}:${kind}/${name}`;
  const why = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : 'an unexpected value';
  return finish(
    {
      kind, arn, name, accountId, serviceLinked: false, identityKnown: true, identity: [], tags: {},
      problems: [{ policy: `the ${kind}'s IAM record`, via: 'record', kind: 'malformed', message: `it could not be read (${why})` }],
    },
    org,
  );
}
