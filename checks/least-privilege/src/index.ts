import { type Account, type Evidence, type JsonValue, type ResourceRef, createCheck } from '@trailwarden/core';
import { type Decision, type Principal, iamModelService, wildcardMatcher } from '@trailwarden/iam';
import { createGrantsEvidence, describeConditions, principalType, summarize } from './evidence.js';
import { type LeastPrivilegeOptions, messages } from './messages.js';
import { orgPolicyGap } from './org-policy-gaps.js';
import { judgeRootThatCanTamper, rootDenyScp } from './root-user.js';
import { type Target, TargetCollector } from './targets.js';

export type { LeastPrivilegeOptions };

const ACCOUNT_ID = /^\d{12}$/;

function accountOfNamed(entry: string): string | undefined {
  if (ACCOUNT_ID.test(entry)) return entry;
  const id = entry.split(':')[4];
  return id && ACCOUNT_ID.test(id) ? id : undefined;
}

/**
 * trail-api-least-privilege: who can stop, reconfigure or delete CloudTrail logging, its log bucket
 * or its KMS key. Every principal of every scanned account (and outside principals the bucket and
 * key policies name) is evaluated with @trailwarden/iam against each tamper action; one FAIL per
 * principal, with the actions and the statements that grant them.
 */
export default createCheck({
  id: 'trail-api-least-privilege',
  meta: {
    title: 'Only allow-listed principals can tamper with CloudTrail logging',
    description:
      'Nobody outside a short allow-list (break-glass roles) may stop or change a trail, delete or rewrite its log objects, change its bucket policy, lifecycle, versioning or Object Lock, or disable, re-key or schedule the deletion of its KMS key. Evaluated with AWS\'s policy logic: identity policies (inline, managed, groups), permission boundaries, SCPs and RCPs along the OU path, bucket and key policies, and conditions.',
    severity: 'high',
    resource: 'AWS::IAM::Principal',
    remediation: {
      text: 'Remove the tamper actions from the principal\'s policies (use AWSCloudTrail_ReadOnlyAccess for people who read trails), or add a permission boundary without them, or deny them with an SCP that exempts only break-glass roles. Lock the log bucket with Object Lock in COMPLIANCE mode.',
      cli: 'aws iam detach-role-policy --role-name <role> --policy-arn <policy-arn>\naws iam attach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess\naws iam put-role-permissions-boundary --role-name <role> --permissions-boundary <boundary-arn>',
      terraform:
        'resource "aws_iam_role_policy_attachment" "trail_readers" {\n  role       = aws_iam_role.auditor.name\n  policy_arn = "arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess"\n}',
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        allowedPrincipals: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'ARN patterns (IAM wildcards * and ?) of principals allowed to tamper, e.g. arn:aws:iam::*:role/BreakGlass',
        },
      },
      additionalProperties: false,
    },
    defaults: { allowedPrincipals: [] as string[] },
  },
  requires: ['organization', 'trails', 'buckets', 'keys', 'iam'],
  async evaluate(ctx) {
    const model = await ctx.services.use(iamModelService);
    const collector = new TargetCollector(ctx, model);
    const grantsEvidence = createGrantsEvidence();
    const judgedTrails = new Set<string>();
    ctx.forEachTrail((t) => {
      collector.addTrail(t);
      judgedTrails.add(t.trail.arn);
    });
    // CloudTrail Lake event data stores, each in the account that owns it (when the snapshot has them).
    // A region whose listing failed hides stores: that account's PASS may not rest on it.
    for (const account of ctx.accounts()) {
      const byRegion = account.get('eventDataStores').value ?? {};
      for (const region of Object.keys(byRegion).sort()) {
        const listed = byRegion[region];
        if (listed?.error) {
          ctx.report({ status: 'ERROR', resource: account.resource, error: listed.error, evidence: { consequence: `event data stores in ${region} are unknown, so who can change them is unknown` } });
          collector.unknownTargets.push({ accountId: account.id, what: `event data stores in ${region} (${listed.error.code})` });
          continue;
        }
        for (const store of listed?.value ?? []) if (store.ownerAccountId === account.id) collector.addEventDataStore(store);
      }
    }
    // A trail whose targets could not be built (forEachTrail reported its ERROR) is unknown ground:
    // no PASS may rest on it.
    for (const account of ctx.accounts()) {
      for (const t of account.ownTrails().value ?? []) {
        if (!judgedTrails.has(t.trail.arn)) collector.unknownTargets.push({ accountId: t.trail.ownerAccountId, what: `trail ${t.trail.arn} (its data could not be judged)` });
      }
    }
    const targets = collector.targets;
    const allowList = ctx.options.allowedPrincipals.map((p) => wildcardMatcher(p));
    const isAllowListed = (arn: string) => allowList.some((m) => m(arn));
    const caveats = model.orgPolicyProblems.map(
      (p) => `${p.kind.toUpperCase()} ${p.policy ?? 'list'}: ${p.error?.code ?? p.message}; a principal that could tamper without it is an ERROR, not a FAIL`,
    );
    // Every way SCPs or RCPs can be unknown (the organization, a list, a document) is a problem here.
    const gapsPossible = model.orgPolicyProblems.length > 0;
    // Unknown SCPs/RCPs, per account (the principal's for SCPs, the resource's for RCPs).
    const gapCache = new Map<string, string | undefined>();
    const gap = (kind: 'scp' | 'rcp', accountId: string) => {
      const k = `${kind}|${accountId}`;
      if (!gapCache.has(k)) gapCache.set(k, orgPolicyGap(model, kind, accountId));
      return gapCache.get(k);
    };

    // Targets a principal may reach: those of its own account, and those whose resource policy
    // allows some tamper action at all (only these can be reached from another account). Indexed
    // once, so each principal visits a few targets instead of every trail of the organization.
    const ownTargets = new Map<string, number[]>();
    const crossTargets: number[] = [];
    targets.forEach((t, i) => {
      const list = ownTargets.get(t.resource.accountId);
      if (list) list.push(i);
      else ownTargets.set(t.resource.accountId, [i]);
      if ((t.crossAccountActions ?? []).length > 0) crossTargets.push(i);
    });
    // What the message names for a target: a log object as `bucket/*`.
    const messageResource = targets.map((t) => t.resource.arn.replace(/^(arn:[^:]+:s3:::[^/]+)\/.*$/, '$1/*'));

    const flagged = new Set<string>();
    const principalResource = (p: Principal, findingAccount: string): ResourceRef => ({
      arn: p.arn,
      type: principalType(p),
      name: p.arn === '*' ? 'everyone (*)' : p.name,
      accountId: findingAccount,
      region: 'global',
    });
    // One principal whose data trips the judgement is an ERROR for it (and no PASS for its account).
    type Verdict = { allowListed: boolean; serviceLinked?: boolean; root?: JsonValue };
    const judgeIsolated = (p: Principal, findingAccount: string): Verdict => {
      let out: Verdict = { allowListed: false };
      if (!ctx.isolate(principalResource(p, findingAccount), () => (out = judge(p, findingAccount)))) flagged.add(findingAccount);
      return out;
    };
    const judge = (p: Principal, findingAccount: string): Verdict => {
      let hits: { d: Decision; t: Target; i: number }[] = [];
      const visit = (i: number) => {
        const t = targets[i] as Target;
        const sameAccount = p.accountId === t.resource.accountId;
        // Across accounts only what the resource policy allows can be reached (cheap pre-filters).
        const actions = sameAccount ? t.actions : (t.crossAccountActions ?? []);
        if (actions.length === 0 || (!sameAccount && !model.mayReach(p, t.resource))) return;
        for (const action of actions) {
          if (!sameAccount && !model.mayReach(p, t.resource, action)) continue;
          // Most principals (read-only roles...) have no policy covering a tamper action at all.
          if (!model.mayAllow(p, t.resource, action)) continue;
          const d = model.evaluate({ principal: p, action, resource: t.resource });
          if (d.decision !== 'denied') hits.push({ d, t, i });
        }
      };
      // The targets of its own account and the cross-account ones, merged in target order
      // (evidence lists them in that order).
      const own = ownTargets.get(p.accountId) ?? [];
      let o = 0;
      for (const c of crossTargets) {
        if ((targets[c] as Target).resource.accountId === p.accountId) continue;
        while (o < own.length && (own[o] as number) < c) visit(own[o++] as number);
        visit(c);
      }
      while (o < own.length) visit(own[o++] as number);

      const resource = principalResource(p, findingAccount);
      const ownRoot = p.kind === 'root' && p.accountId === findingAccount;
      // What SCPs and RCPs that could not be read might deny: such a hit is no FAIL (it could be
      // denied), and with nothing else the principal is undecided.
      const undecided: { hit: (typeof hits)[number]; why: string }[] = [];
      if (gapsPossible && hits.length > 0 && !p.serviceLinked && p.problems.length === 0 && !isAllowListed(p.arn)) {
        const scpGap = gap('scp', p.accountId);
        hits = hits.filter((h) => {
          const why = scpGap ?? (h.t.kind !== 'trail' ? gap('rcp', h.t.resource.accountId) : undefined);
          if (why) undecided.push({ hit: h, why });
          return !why;
        });
      }
      const evidence: Evidence = { principal: p.arn, principalKind: p.kind };
      if (hits.length === 0 && undecided.length > 0) {
        flagged.add(findingAccount);
        const all = undecided.map((u) => u.hit);
        const undecidedActions = [...new Set(all.map((h) => h.d.action))].sort();
        const whys = [...new Set(undecided.map((u) => u.why))];
        ctx.report({
          status: 'ERROR',
          resource,
          messageId: 'orgPoliciesUnknown',
          data: { principal: ownRoot ? `the root user of account ${p.accountId}` : p.arn, actions: summarize(undecidedActions), why: whys.join('; ') },
          evidence: { ...evidence, actions: undecidedActions, grants: grantsEvidence(all), unknownOrgPolicies: whys },
        });
        return { allowListed: false };
      }
      if (undecided.length > 0) evidence.notDecided = undecided.map((u) => `${u.hit.d.action} on ${u.hit.t.resource.arn}: ${u.why}`);
      const actions = hits.length > 0 ? [...new Set(hits.map((h) => h.d.action))].sort() : [];
      if (hits.length > 0) {
        evidence.actions = actions;
        evidence.grants = grantsEvidence(hits);
      }
      const targetNotes = new Set<string>();
      for (const h of hits) for (const n of h.t.notes) targetNotes.add(n);
      const notes = [...targetNotes, ...caveats];
      if (notes.length > 0) evidence.notes = notes;
      if (p.problems.length > 0) {
        flagged.add(findingAccount);
        const first = p.problems[0]!;
        ctx.report({
          status: 'ERROR',
          resource,
          messageId: first.kind === 'malformed' ? 'policyMalformed' : 'policyUnusable',
          data: {
            principal: p.arn,
            policy: first.arn ?? first.policy,
            via: first.via,
            problem: first.message,
            more: p.problems.length > 1 ? ` (and ${p.problems.length - 1} more problem(s))` : '',
          },
          evidence: { ...evidence, problems: p.problems.map((x) => ({ ...x }) as unknown as JsonValue) },
        });
        return { allowListed: false };
      }
      if (hits.length === 0) return ownRoot ? { allowListed: false, root: { canTamper: false, why: 'it can perform no tamper action on the scanned trails, buckets and keys (SCPs deny them to it, or nothing is in reach)' } } : { allowListed: false };
      if (isAllowListed(p.arn)) return { allowListed: true };
      if (ownRoot) return judgeRoot(p, findingAccount, hits, resource, evidence);
      // A service-linked role (AWSServiceRoleForCloudTrail carries cloudtrail:*) can be assumed only by
      // its AWS service and cannot be edited by anyone: evidence beside the account's verdict, never a FAIL.
      if (p.serviceLinked) return { allowListed: false, serviceLinked: true };
      flagged.add(findingAccount);
      const resources = [...new Set(hits.map((h) => messageResource[h.i] as string))].sort();
      const conditional = hits.every((h) => h.d.decision === 'conditional');
      const data = { principal: p.arn, actions: summarize(actions), resources: summarize(resources, 3) };
      if (conditional) {
        const conditions = summarize(describeConditions(hits.map((h) => h.d)), 3);
        ctx.report({ status: 'FAIL', resource, messageId: 'canTamperIf', data: { ...data, conditions }, evidence });
      } else ctx.report({ status: 'FAIL', resource, messageId: 'canTamper', data, evidence });
      return { allowListed: false };
    };

    /** The root user: judged by the controls AWS gives for it (an SCP in members; keys and MFA otherwise). */
    const judgeRoot = (p: Principal, findingAccount: string, hits: { d: Decision; t: Target; i: number }[], resource: ResourceRef, evidence: Evidence): Verdict => {
      const verdict = judgeRootThatCanTamper(model, ctx.account(p.accountId), p.accountId);
      const actions = [...new Set(hits.map((h) => h.d.action))].sort();
      const resources = [...new Set(hits.map((h) => messageResource[h.i] as string))].sort();
      const data = { account: p.accountId, actions: summarize(actions), resources: summarize(resources, 3), partition: ctx.partition };
      if (verdict.kind === 'secured') return { allowListed: false, root: { canTamper: true, why: verdict.why, ...(verdict.credentials as object) } };
      flagged.add(findingAccount);
      if (verdict.kind === 'unknown') {
        ctx.report({ status: 'ERROR', resource, messageId: 'rootUndecided', data: { account: p.accountId, actions: summarize(actions), reason: verdict.message }, evidence });
      } else if (verdict.kind === 'scp-needed') {
        ctx.report({ status: 'FAIL', resource, messageId: 'rootNotDenied', data, evidence: { ...evidence, fixScp: rootDenyScp(ctx.partition) } });
      } else {
        const problems = verdict.problems.join(' and ');
        ctx.report({ status: 'FAIL', resource, messageId: 'rootUnsecured', data: { ...data, why: verdict.why, problems }, evidence: { ...evidence, rootCredentials: verdict.credentials } });
      }
      return { allowListed: false };
    };

    // Accounts whose trails could not be listed (forEachTrail reported each): their trails, buckets
    // and keys are unknown, wherever those live.
    const unlisted = ctx
      .accounts()
      .filter((a) => a.ownTrails().error)
      .map((a) => a.id);
    if (targets.length === 0) {
      ctx.forEachAccount((a) => {
        if (unlisted.includes(a.id)) return;
        if (unlisted.length === 0) ctx.report({ status: 'NOT_APPLICABLE', resource: a.resource, messageId: 'noTrails' });
        else ctx.report({ status: 'ERROR', resource: a.resource, messageId: 'trailsUnknown', data: { accounts: unlisted.join(', ') } });
      });
      return;
    }

    // Accounts with a target nobody could judge (ERROR already reported for it), or whose trails are
    // unknown (forEachTrail reported that): their PASS would rest on data that could not be read.
    const undecidedAccounts = new Set<string>();
    for (const u of collector.unknownTargets) if (u.accountId) undecidedAccounts.add(u.accountId);
    for (const id of unlisted) undecidedAccounts.add(id);
    const unknownWhat = [...new Set(collector.unknownTargets.map((u) => u.what)), ...unlisted.map((id) => `the trails of account ${id} (and their buckets and keys)`)];
    const unknownNote =
      unknownWhat.length > 0 ? `not evaluated because they could not be read: ${unknownWhat.join(', ')} (see their ERROR findings)` : undefined;

    const scannedWithIam = new Set<string>();
    const summaries: { account: Account; evaluated: number; allowListed: string[]; serviceLinked: string[]; root?: JsonValue }[] = [];
    ctx.forEachAccount((account) => {
      const principals = model.principals(account.id);
      if (principals.error) {
        ctx.report({ status: 'ERROR', resource: account.resource, error: principals.error, evidence: { consequence: 'who in this account can tamper with CloudTrail logging is unknown' } });
        flagged.add(account.id);
        return;
      }
      scannedWithIam.add(account.id);
      const allowListed: string[] = [];
      const serviceLinked: string[] = [];
      let root: JsonValue | undefined;
      for (const p of principals.value) {
        const verdict = judgeIsolated(p, account.id);
        if (verdict.allowListed) allowListed.push(p.arn);
        if (verdict.serviceLinked) serviceLinked.push(p.arn);
        if (verdict.root !== undefined) root = verdict.root;
      }
      summaries.push({ account, evaluated: principals.value.length, allowListed, serviceLinked, ...(root !== undefined ? { root } : {}) });
    });

    // Principals of accounts outside the scan, named in bucket and key policies.
    const external = new Map<string, string>();
    for (const t of targets) {
      for (const entry of t.namedPrincipals) {
        const acct = entry === '*' ? undefined : accountOfNamed(entry);
        if (entry !== '*' && (!acct || scannedWithIam.has(acct) || ctx.account(acct))) continue;
        if (!external.has(entry)) external.set(entry, t.resource.accountId);
      }
    }
    for (const [entry, owner] of [...external].sort(([a], [b]) => (a < b ? -1 : 1))) judgeIsolated(model.principal(entry), owner);

    for (const s of summaries) {
      if (flagged.has(s.account.id) || undecidedAccounts.has(s.account.id)) continue;
      // A level whose SCPs hold no Allow denies everything below it. AWS attaches FullAWSAccess to
      // every root, OU and account, so this usually means incomplete data: say so beside a PASS.
      const denyOnly = (model.orgPolicyLevels('scp', s.account.id) ?? [])
        .filter((l) => l.policies.length > 0 && !l.policies.some((p) => p.statements.some((st) => st.ref.effect === 'Allow')))
        .map((l) => l.target);
      const notes = [...caveats];
      if (unknownNote) notes.push(unknownNote);
      if (denyOnly.length > 0 && !s.account.isManagementAccount) {
        notes.push(`no SCP attached to ${denyOnly.join(', ')} allows anything, so everything is implicitly denied below it (AWS attaches FullAWSAccess at every level; is FullAWSAccess missing from the snapshot?)`);
      }
      ctx.report({
        status: 'PASS',
        resource: s.account.resource,
        messageId: 'noTamper',
        data: { account: s.account.id, principals: s.evaluated },
        evidence: {
          principalsEvaluated: s.evaluated,
          allowListedPrincipalsThatCanTamper: s.allowListed,
          ...(s.serviceLinked.length > 0 ? { serviceLinkedRolesThatCanTamper: s.serviceLinked } : {}),
          ...(s.root !== undefined ? { rootUser: s.root } : {}),
          targetsInAccount: (ownTargets.get(s.account.id) ?? []).map((i) => (targets[i] as Target).resource.arn),
          targetsEvaluated: targets.length,
          ...(notes.length > 0 ? { notes } : {}),
        },
      });
    }
  },
});
