import { type Evidence, type JsonValue, type TrailView, createCheck } from '@trailwarden/core';
import { cloudTrailMayUseKey } from './key-policy.js';

const FIX_POLICY =
  'Fix: add a key policy statement allowing Principal {"Service":"cloudtrail.amazonaws.com"} kms:GenerateDataKey* with Condition StringLike kms:EncryptionContext:aws:cloudtrail:arn = arn:{{partition}}:cloudtrail:*:{{account}}:trail/* (aws kms put-key-policy --key-id {{key}} --policy-name default --policy file://policy.json).';

const messages = {
  encrypted: 'Trail {{name}} encrypts its log files with customer-managed KMS key {{key}}, which is enabled and lets CloudTrail use it.',
  noKey:
    'Trail {{name}} does not encrypt its log files with a KMS key (only SSE-S3). Fix: aws cloudtrail update-trail --name {{arn}} --kms-key-id <customer-managed-key-arn>',
  keyMissing:
    'Trail {{name}} uses KMS key {{key}}, which does not exist, so CloudTrail cannot deliver encrypted logs. Fix: create a customer-managed key and aws cloudtrail update-trail --name {{arn}} --kms-key-id <new-key-arn>',
  keyUnusable:
    'Trail {{name}} uses KMS key {{key}}, which is {{state}}, so CloudTrail cannot encrypt new log files. Fix: {{fix}}',
  awsManaged:
    'Trail {{name}} uses AWS-managed KMS key {{key}}; log encryption needs a customer-managed key whose policy and rotation you control. Fix: aws cloudtrail update-trail --name {{arn}} --kms-key-id <customer-managed-key-arn>',
  policyDenies: `The key policy of KMS key {{key}} (trail {{name}}) does not let cloudtrail.amazonaws.com use it: {{why}}. ${FIX_POLICY}`,
  policyUncertain: 'Cannot decide whether the key policy of {{key}} lets cloudtrail.amazonaws.com use it for trail {{name}}: {{why}}.',
} as const;

/**
 * trail-kms-encryption: a trail's KmsKeyId is set AND the key exists, is enabled, is not pending
 * deletion, is customer-managed, and its key policy lets cloudtrail.amazonaws.com use it. Peers
 * stop at "KmsKeyId is set", which passes trails whose logs can no longer be written.
 */
export default createCheck({
  id: 'trail-kms-encryption',
  meta: {
    title: 'Trail logs are encrypted with a usable customer-managed KMS key',
    description:
      'Every trail must encrypt its log files with SSE-KMS using a customer-managed key that exists, is enabled, is not pending deletion, and whose key policy lets cloudtrail.amazonaws.com use it. A customer-managed key adds an access control (kms:Decrypt) on top of the bucket policy; a key CloudTrail cannot use stops log delivery.',
    severity: 'medium',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Create a customer-managed symmetric KMS key whose policy allows cloudtrail.amazonaws.com kms:GenerateDataKey* (scoped with the kms:EncryptionContext:aws:cloudtrail:arn condition) and kms:DescribeKey, then set it on the trail.',
      cli: [
        'aws kms create-key --description "CloudTrail logs" --policy file://cloudtrail-key-policy.json',
        'aws cloudtrail update-trail --name <trail-arn> --kms-key-id <key-arn>',
      ].join('\n'),
      terraform: [
        'resource "aws_kms_key" "cloudtrail" {',
        '  description         = "CloudTrail logs"',
        '  enable_key_rotation = true',
        '  policy              = data.aws_iam_policy_document.cloudtrail_key.json',
        '}',
        '',
        'data "aws_iam_policy_document" "cloudtrail_key" {',
        '  statement {',
        '    sid       = "AccountAdmin"',
        '    actions   = ["kms:*"]',
        '    resources = ["*"]',
        '    principals {',
        '      type        = "AWS"',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform interpolation, not a JS template
        '      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]',
        '    }',
        '  }',
        '  statement {',
        '    sid       = "AllowCloudTrailEncrypt"',
        '    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]',
        '    resources = ["*"]',
        '    principals {',
        '      type        = "Service"',
        '      identifiers = ["cloudtrail.amazonaws.com"]',
        '    }',
        '    condition {',
        '      test     = "StringLike"',
        '      variable = "kms:EncryptionContext:aws:cloudtrail:arn"',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform interpolation, not a JS template
        '      values   = ["arn:aws:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"]',
        '    }',
        '  }',
        '}',
        '',
        'resource "aws_cloudtrail" "main" {',
        '  # ...',
        '  kms_key_id = aws_kms_key.cloudtrail.arn',
        '}',
      ].join('\n'),
    },
    docs: 'README.md',
    messages,
  },
  requires: ['trails', 'keys'],
  evaluate(ctx) {
    ctx.forEachTrail((view) => judge(view));

    function judge(view: TrailView): void {
      const { trail, resource } = view;
      const base = { name: trail.name, arn: trail.arn, partition: ctx.partition };
      const keyRef = view.key();
      if (keyRef === null) {
        ctx.report({ status: 'FAIL', resource, messageId: 'noKey', data: base, evidence: { kmsKeyId: null } });
        return;
      }
      const keyArn = trail.kmsKeyId as string;
      const evidence: Evidence = { kmsKeyId: keyArn };
      if (keyRef.error) {
        ctx.report({ status: 'ERROR', resource, error: keyRef.error, evidence });
        return;
      }
      const { key } = keyRef.value;
      const data = { ...base, key: key.arn, account: trail.ownerAccountId };
      evidence.keyOwnerAccountId = key.ownerAccountId;
      const metadata = keyRef.value.get('metadata');
      if (metadata.error) {
        if (metadata.error.code === 'NotFoundException') ctx.report({ status: 'FAIL', resource, messageId: 'keyMissing', data, evidence: { ...evidence, error: { ...metadata.error } } });
        else ctx.report({ status: 'ERROR', resource, error: metadata.error, evidence });
        return;
      }
      const m = metadata.value;
      Object.assign(evidence, { keyState: m.keyState, enabled: m.enabled, keyManager: m.keyManager, deletionDate: m.deletionDate ?? null });
      if (m.keyState === 'PendingDeletion' || m.keyState === 'PendingReplicaDeletion') {
        const when = m.deletionDate ? ` (deletion on ${m.deletionDate})` : '';
        ctx.report({ status: 'FAIL', resource, messageId: 'keyUnusable', data: { ...data, state: `pending deletion${when}`, fix: `aws kms cancel-key-deletion --key-id ${key.arn} && aws kms enable-key --key-id ${key.arn}` }, evidence });
        return;
      }
      if (!m.enabled || m.keyState !== 'Enabled') {
        ctx.report({ status: 'FAIL', resource, messageId: 'keyUnusable', data: { ...data, state: m.enabled ? `in state ${m.keyState}` : `disabled (state ${m.keyState})`, fix: `aws kms enable-key --key-id ${key.arn}` }, evidence });
        return;
      }
      if (m.keyManager !== 'CUSTOMER') {
        ctx.report({ status: 'FAIL', resource, messageId: 'awsManaged', data, evidence });
        return;
      }
      const policy = keyRef.value.get('policy');
      if (policy.error) {
        ctx.report({ status: 'ERROR', resource, error: policy.error, evidence });
        return;
      }
      const answer = cloudTrailMayUseKey(policy.value, { trailArn: trail.arn, trailAccountId: trail.ownerAccountId, keyArn: key.arn });
      evidence.policyDecision = answer.decision;
      evidence.statements = answer.statements.map((s) => ({ sid: s.sid, effect: s.effect, applies: s.applies, why: s.why })) as JsonValue;
      const explain = answer.statements
        .filter((s) => s.why)
        .map((s) => `statement ${s.sid} ${s.why}`)
        .join('; ');
      switch (answer.decision) {
        case 'allowed':
          ctx.report({ status: 'PASS', resource, messageId: 'encrypted', data, evidence });
          return;
        case 'denied':
          ctx.report({ status: 'FAIL', resource, messageId: 'policyDenies', data: { ...data, why: explain }, evidence });
          return;
        case 'not-allowed':
          ctx.report({ status: 'FAIL', resource, messageId: 'policyDenies', data: { ...data, why: explain ? `no statement grants it (${explain})` : 'no statement grants it kms:GenerateDataKey*' }, evidence });
          return;
        case 'uncertain':
          ctx.report({
            status: 'ERROR',
            resource,
            messageId: 'policyUncertain',
            data: { ...data, why: explain || 'the policy uses constructs this check does not evaluate' },
            evidence,
          });
      }
    }
  },
});
