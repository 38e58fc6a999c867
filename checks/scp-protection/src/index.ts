import { type Evidence, type JsonValue, createCheck, isUnknown } from '@trailwarden/core';
import { type Decision, type Principal, NOT_IN_ORGANIZATION, type StatementRef, TRAIL_TAMPER_ACTIONS, iamModelService, wildcardMatcher } from '@trailwarden/iam';

export interface ScpProtectionOptions {
  /** ARN patterns of principals the SCP may exempt (break-glass roles). Empty: any, up to the maximum. */
  allowedPrincipals: string[];
  /** At most this many principals of an account may be exempted. */
  maxExemptedPrincipals: number;
}

/** Name of the policy-less, tag-less role used to ask what SCPs deny to "anyone" in an account. */
const PROBE = 'trailwarden-scp-probe';

function statementEvidence(s: StatementRef): JsonValue {
  const out: Record<string, JsonValue> = { policy: s.name, attachedTo: s.via ?? null, effect: s.effect, index: s.index };
  if (s.arn) out.policyArn = s.arn;
  if (s.sid) out.sid = s.sid;
  return out;
}

/** Up to 5 ARNs in a message; the evidence has them all. */
function listed(arns: string[]): string {
  return arns.length > 5 ? `${arns.slice(0, 5).join(', ')}, and ${arns.length - 5} more` : arns.join(', ');
}

function key(s: StatementRef): string {
  return `${s.arn ?? s.name}|${s.via}|${s.index}`;
}

/**
 * org-scp-trail-protection: the guardrail AWS recommends — an SCP along the account's OU path that
 * denies the CloudTrail tamper actions to every principal except an explicit exemption (a condition on
 * aws:PrincipalArn or a principal tag). The exempted principals, resolved against the account's IAM
 * data, are the evidence.
 */
export default createCheck({
  id: 'org-scp-trail-protection',
  meta: {
    title: 'An SCP denies CloudTrail tamper actions to all but break-glass principals',
    description:
      'Each member account must sit under a service control policy that denies cloudtrail:StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors and PutInsightSelectors to every principal except a few explicitly exempted break-glass principals. The SCP holds even when an IAM policy in the account grants too much.',
    severity: 'high',
    resource: 'AWS::::Account',
    remediation: {
      text: 'Attach an SCP that denies the CloudTrail tamper actions unless aws:PrincipalArn is a break-glass role, to the root or to every OU that holds member accounts. Keep the exemption to a few roles.',
      cli:
        'aws organizations create-policy --type SERVICE_CONTROL_POLICY --name DenyCloudTrailTamper --description "Protect CloudTrail" --content file://deny-cloudtrail-tamper.json\naws organizations attach-policy --policy-id <policy-id> --target-id <root-or-ou-id>',
      terraform:
        'resource "aws_organizations_policy" "deny_cloudtrail_tamper" {\n  name    = "DenyCloudTrailTamper"\n  type    = "SERVICE_CONTROL_POLICY"\n  content = data.aws_iam_policy_document.deny_cloudtrail_tamper.json\n}\n\nresource "aws_organizations_policy_attachment" "root" {\n  policy_id = aws_organizations_policy.deny_cloudtrail_tamper.id\n  target_id = aws_organizations_organization.org.roots[0].id\n}',
    },
    docs: 'README.md',
    messages: {
      protected: 'An SCP denies the CloudTrail tamper actions in account {{account}} to all but {{exempted}} exempted principal(s).',
      notDenied:
        'No SCP on the path of account {{account}} denies {{actions}} to all principals; add a deny-tamper SCP with a break-glass exception (see the remediation) and attach it above the account. Fix: aws organizations attach-policy --policy-id <deny-tamper-scp-id> --target-id {{target}}',
      conditional: 'The SCP protecting account {{account}} denies {{actions}} only under conditions that cannot be checked statically (e.g. MFA, source IP); deny unconditionally except for break-glass principals.',
      tooManyExempted:
        'The CloudTrail deny SCP of account {{account}} exempts {{count}} principals, more than the maximum of {{max}} ({{principals}}). Fix: narrow the exemption condition (aws:PrincipalArn or principal tag) of {{policies}} to the break-glass principals, or raise maxExemptedPrincipals.',
      notAllowListed:
        'The CloudTrail deny SCP of account {{account}} exempts principals outside allowedPrincipals: {{principals}}. Fix: narrow the exemption condition (aws:PrincipalArn or principal tag) of {{policies}} so only allow-listed principals match, or add them to allowedPrincipals if they are break-glass principals.',
      managementAccount: 'Account {{account}} is the management account: SCPs never restrict it, so trail-api-least-privilege must keep it clean.',
      standalone:
        'Account {{account}} is not a member of an AWS organization (AWSOrganizationsNotInUseException), so service control policies do not apply to it; to protect its trails with an SCP, make it a member of an organization with a deny-tamper SCP.',
      notInOrganization: 'Account {{account}} belongs to no scanned organization, so no SCP protects its trails; put it in an AWS Organization with a deny-tamper SCP.',
      noOrganizationData: 'Cannot decide: the snapshot has no organization data (single-account scan?), so the SCPs on this account are unknown.',
      scpsUnreadable:
        'Cannot decide: the SCPs could not be read ({{cause}}), so whether one protects account {{account}} is unknown. Reading SCPs needs the management account or an AWS Organizations resource-based delegation policy allowing organizations:ListPolicies, DescribePolicy and ListTargetsForPolicy; being the CloudTrail delegated administrator is not enough.',
      scpMalformed: 'Cannot decide: SCP {{policy}} ({{policyId}}) on the path of account {{account}} is malformed: {{problem}}.',
    },
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        allowedPrincipals: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'ARN patterns (IAM wildcards) of principals the SCP may exempt' },
        maxExemptedPrincipals: { type: 'integer', minimum: 0, description: 'Most principals an account may exempt from the deny' },
      },
      additionalProperties: false,
    },
    defaults: { allowedPrincipals: [] as string[], maxExemptedPrincipals: 3 },
  },
  requires: ['organization', 'trails', 'iam'],
  async evaluate(ctx) {
    const model = await ctx.services.use(iamModelService);
    const orgKnown = model.organization;
    const actions = [...new Set(TRAIL_TAMPER_ACTIONS.flatMap((a) => model.catalog.expand(a)))].sort();
    const allowList = ctx.options.allowedPrincipals.map((p) => wildcardMatcher(p));
    const max = ctx.options.maxExemptedPrincipals;

    const orgAccountIds = orgKnown && !isUnknown(orgKnown) ? new Set(orgKnown.value.accounts.map((a) => a.id)) : new Set<string>();

    ctx.forEachAccount((account) => {
      const data = { account: account.id };
      const resource = account.resource;
      if (!orgKnown) return ctx.report({ status: 'ERROR', resource, messageId: 'noOrganizationData', data });
      if (isUnknown(orgKnown)) {
        // No organization, so no SCP can exist: the control does not apply (AWS's own answer, not a gap).
        if (orgKnown.error.code === NOT_IN_ORGANIZATION) {
          return ctx.report({ status: 'NOT_APPLICABLE', resource, messageId: 'standalone', data, evidence: { organization: orgKnown.error.code } });
        }
        return ctx.report({ status: 'ERROR', resource, error: orgKnown.error });
      }
      const org = orgKnown.value;
      // SCPs never restrict the management account: that holds whatever they say.
      if (account.id === org.managementAccountId) return ctx.report({ status: 'NOT_APPLICABLE', resource, messageId: 'managementAccount', data });
      if (isUnknown(org.policies.scp)) {
        const e = org.policies.scp.error;
        return ctx.report({
          status: 'ERROR',
          resource,
          messageId: 'scpsUnreadable',
          data: { ...data, code: e.code, operation: e.operation, cause: `${e.operation}: ${e.code}${e.message ? ` ${e.message}` : ''}` },
          evidence: { error: { ...e }, consequence: 'the SCPs are unknown' },
        });
      }
      if (!orgAccountIds.has(account.id)) return ctx.report({ status: 'FAIL', resource, messageId: 'notInOrganization', data });
      const path = [...account.ouPath, account.id];
      const broken = model.orgPolicyProblems.filter((p) => p.kind === 'scp' && p.policyId && org.policies.scp.value?.find((s) => s.id === p.policyId)?.targets.some((t) => path.includes(t)));
      if (broken.length > 0) {
        const b = broken[0]!;
        return ctx.report({ status: 'ERROR', resource, messageId: 'scpMalformed', data: { ...data, policy: b.policy ?? '', policyId: b.policyId ?? '', problem: b.message } });
      }

      // Resources: the account's own trails, or a representative trail ARN when it owns none.
      const own = account.ownTrails();
      const trailArns = own.value && own.value.length > 0 ? own.value.map((t) => ({ arn: t.trail.arn, region: t.trail.homeRegion })) : [{ arn: `arn:${ctx.partition}:cloudtrail:us-east-1:${account.id}:trail/any-trail`, region: 'us-east-1' }];
      const resources = trailArns.map((t) => ({ arn: t.arn, accountId: account.id, region: t.region }));
      const scpDecisions = (p: Principal): Decision[] => actions.flatMap((action) => resources.map((resource) => model.evaluateScps({ principal: p, action, resource })));

      const probe = scpDecisions(model.probeRole(account.id, PROBE));
      const denying = new Map<string, StatementRef>();
      for (const d of probe) for (const s of d.statements) denying.set(key(s), s);
      const scpEvidence = [...denying.values()].map(statementEvidence);
      const open = probe.filter((d) => d.decision === 'allowed');
      if (open.length > 0) {
        const names = [...new Set(open.map((d) => d.action))];
        const target = account.ouPath[account.ouPath.length - 1] ?? account.id;
        return ctx.report({
          status: 'FAIL',
          resource,
          messageId: 'notDenied',
          data: { ...data, actions: names.join(', '), target },
          evidence: { notDenied: names, denyingStatements: scpEvidence, scpPath: path },
        });
      }
      const conditional = probe.filter((d) => d.decision === 'conditional');
      if (conditional.length > 0) {
        const names = [...new Set(conditional.map((d) => d.action))];
        return ctx.report({
          status: 'FAIL',
          resource,
          messageId: 'conditional',
          data: { ...data, actions: names.join(', ') },
          evidence: {
            conditionallyDenied: names,
            conditions: conditional.flatMap((d) => d.conditions.map((c) => ({ operator: c.operator, key: c.key, values: c.values }))).slice(0, 20),
            denyingStatements: scpEvidence,
          },
        });
      }

      // The deny holds for "anyone"; now resolve who the exemption lets through.
      const principals = model.principals(account.id);
      if (principals.error) {
        return ctx.report({ status: 'ERROR', resource, error: principals.error, evidence: { consequence: 'the principals the SCP exempts cannot be resolved', denyingStatements: scpEvidence } });
      }
      const exempted: { arn: string; actions: string[]; conditional: boolean }[] = [];
      const serviceLinked: string[] = [];
      for (const p of principals.value) {
        if (p.serviceLinked) {
          serviceLinked.push(p.arn);
          continue;
        }
        const through = scpDecisions(p).filter((d) => d.decision !== 'denied');
        if (through.length > 0) {
          exempted.push({ arn: p.arn, actions: [...new Set(through.map((d) => d.action))], conditional: through.every((d) => d.decision === 'conditional') });
        }
      }
      const evidence: Evidence = {
        denyingStatements: scpEvidence,
        scpPath: path,
        exemptedPrincipals: exempted.map((e) => ({ ...e }) as JsonValue),
        maxExemptedPrincipals: max,
      };
      if (serviceLinked.length > 0) evidence.serviceLinkedRolesNotSubjectToScps = serviceLinked;
      const policyNames = [...new Set([...denying.values()].map((s) => s.name))].sort();
      const policies = `${policyNames.length === 1 ? 'SCP' : 'SCPs'} ${policyNames.join(', ')}`;
      if (allowList.length > 0) {
        const outside = exempted.filter((e) => !allowList.some((m) => m(e.arn))).map((e) => e.arn);
        if (outside.length > 0) {
          return ctx.report({ status: 'FAIL', resource, messageId: 'notAllowListed', data: { ...data, principals: listed(outside), policies }, evidence: { ...evidence, notAllowListed: outside } });
        }
      }
      if (exempted.length > max) {
        const principals = listed(exempted.map((e) => e.arn));
        return ctx.report({ status: 'FAIL', resource, messageId: 'tooManyExempted', data: { ...data, count: exempted.length, max, principals, policies }, evidence });
      }
      ctx.report({ status: 'PASS', resource, messageId: 'protected', data: { ...data, exempted: exempted.length }, evidence });
    });
  },
});
