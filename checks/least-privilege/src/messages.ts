import type { Context } from '@trailwarden/core';

export interface LeastPrivilegeOptions {
  /** ARN patterns (`*`, `?` wildcards) of principals allowed to tamper, e.g. break-glass roles. */
  allowedPrincipals: string[];
}

const FIX_TAMPER =
  'Fix: remove these actions from the policies that grant them (see evidence.grants), or deny them with a permission boundary or an SCP; if it is a break-glass principal, add it to allowedPrincipals.';

/** The check's messages, here so that the modules that report (index.ts, targets.ts) share one typed context. */
export const messages = {
  canTamper: `{{principal}} can tamper with CloudTrail logging: {{actions}} (on {{resources}}). ${FIX_TAMPER}`,
  canTamperIf: `{{principal}} can tamper with CloudTrail logging ({{actions}} on {{resources}}) if these conditions, which a snapshot cannot decide, allow it: {{conditions}}. ${FIX_TAMPER}`,
  noTamper: 'No principal of account {{account}} outside the allow-list can tamper with CloudTrail logging ({{principals}} principals evaluated).',
  noTrails: 'No trail, trail bucket or trail key was found in the scanned accounts, so there is nothing to tamper with.',
  rootNotDenied:
    'The root user of member account {{account}} can tamper with CloudTrail logging ({{actions}} on {{resources}}): no SCP denies these actions to it. The root user has no IAM policy to edit; the control AWS provides is a service control policy. Fix: attach to the account, or an OU above it, an SCP that denies the tamper actions when aws:PrincipalArn is like arn:{{partition}}:iam::*:root (see the README and evidence.fixScp); keep the root user without access keys and with MFA.',
  rootUnsecured:
    'The root user of account {{account}} can tamper with CloudTrail logging ({{actions}} on {{resources}}) and {{why}}, so its credentials are the only control, and {{problems}}. Fix: sign in as the root user and delete its access keys and enable MFA on it (IAM console, Security credentials); no policy can take these actions away from it.',
  orgPoliciesUnknown:
    "Cannot decide whether {{principal}} can tamper with CloudTrail logging: without the organization's SCPs and RCPs it could ({{actions}}), but {{why}}, and one of them may deny it.",
  policyMalformed: 'Cannot decide whether {{principal}} can tamper with CloudTrail logging: policy {{policy}} ({{via}}) is malformed: {{problem}}{{more}}.',
  policyUnusable: 'Cannot decide whether {{principal}} can tamper with CloudTrail logging: policy {{policy}} ({{via}}) cannot be used: {{problem}}{{more}}.',
  rootUndecided: 'Cannot decide whether the root user of account {{account}} is kept from tampering with CloudTrail logging ({{actions}}): {{reason}}.',
  trailsUnknown:
    'Cannot decide: no trail was found in the accounts that could be read, but the trails of account {{accounts}} could not be listed, so what there is to tamper with is unknown.',
  bucketPolicyMalformed: 'Cannot decide who can tamper with bucket {{bucket}}: its bucket policy is malformed ({{problem}}).',
  keyPolicyMalformed: 'Cannot decide who can tamper with key {{key}}: its key policy is malformed ({{problem}}).',
} as const;

/** The context every reporting helper of the check takes (typed once: no type arguments at call sites). */
export type Ctx = Context<LeastPrivilegeOptions, keyof typeof messages>;
