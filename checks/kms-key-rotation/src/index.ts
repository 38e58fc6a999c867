import { type Evidence, createCheck } from '@trailwarden/core';

export interface KeyRotationOptions {
  /** Longest acceptable automatic rotation period, in days (AWS allows 90–2560; default 365). */
  maxRotationPeriodDays: number;
}

const messages = {
  rotating: 'KMS key {{key}} (used by {{trails}}) rotates automatically every {{days}} days.',
  notRotating:
    'KMS key {{key}} (used by {{trails}}) does not rotate automatically, so one key version protects the logs indefinitely. Fix: aws kms enable-key-rotation --key-id {{key}}',
  periodTooLong:
    'KMS key {{key}} (used by {{trails}}) rotates only every {{days}} days, longer than the allowed {{max}}. Fix: aws kms enable-key-rotation --key-id {{key}} --rotation-period-in-days {{max}}',
  awsManaged: 'KMS key {{key}} (used by {{trails}}) is AWS-managed; AWS rotates it every year. (trail-kms-encryption asks for a customer-managed key.)',
  customKeyStore:
    'KMS key {{key}} (used by {{trails}}) is in a custom key store (origin {{origin}}), whose keys cannot rotate automatically; rotate the key material in the key store itself, or move the trail to a key with AWS_KMS origin.',
  notRotatingReplica:
    'KMS key {{key}} (used by {{trails}}) is a multi-Region replica whose primary key {{primary}} does not rotate automatically; rotation is set on the primary. Fix: aws kms enable-key-rotation --key-id {{primary}} --region {{primaryRegion}}',
  importedMaterial:
    'KMS key {{key}} (used by {{trails}}) has imported key material (origin EXTERNAL), which cannot rotate automatically; rotate it on demand (aws kms rotate-key-on-demand --key-id {{key}}) or move the trail to a key with AWS_KMS origin.',
} as const;

/**
 * trail-kms-key-rotation: the customer-managed keys that encrypt trails have automatic rotation on.
 * One finding per key, in the key's own account, whichever account's trails use it.
 */
export default createCheck({
  id: 'trail-kms-key-rotation',
  meta: {
    title: 'KMS keys that encrypt trails rotate automatically',
    description:
      'Every customer-managed KMS key that encrypts CloudTrail logs must have automatic key rotation enabled, so that new key material is used regularly and the exposure of any one key version is limited.',
    severity: 'medium',
    resource: 'AWS::KMS::Key',
    remediation: {
      text: 'Enable automatic rotation on the key (in the account that owns it).',
      cli: 'aws kms enable-key-rotation --key-id <key-arn> --rotation-period-in-days 365',
      terraform: 'resource "aws_kms_key" "cloudtrail" {\n  # ...\n  enable_key_rotation     = true\n  rotation_period_in_days = 365\n}',
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        maxRotationPeriodDays: {
          type: 'integer',
          minimum: 90,
          maximum: 2560,
          description: 'Longest acceptable automatic rotation period in days.',
        },
      },
      additionalProperties: false,
    },
    defaults: { maxRotationPeriodDays: 365 },
  },
  requires: ['trails', 'keys'],
  evaluate(ctx) {
    ctx.forEachKey((view) => {
      const { key, resource } = view;
      const trails = [...new Set(view.trails.map((t) => t.trail.name))].sort();
      const data = { key: key.arn, trails: trails.length > 0 ? `trail ${trails.join(', ')}` : 'no trail' };
      const evidence: Evidence = { trails: view.trails.map((t) => t.trail.arn).sort() };
      const metadata = view.get('metadata');
      if (metadata.error) {
        ctx.report({ status: 'ERROR', resource, error: metadata.error, evidence });
        return;
      }
      const m = metadata.value;
      Object.assign(evidence, { keyManager: m.keyManager, origin: m.origin ?? null, keySpec: m.keySpec ?? null, keyState: m.keyState });
      if (m.keyManager === 'AWS') {
        ctx.report({ status: 'NOT_APPLICABLE', resource, messageId: 'awsManaged', data, evidence });
        return;
      }
      if (m.origin === 'AWS_CLOUDHSM' || m.origin === 'EXTERNAL_KEY_STORE') {
        ctx.report({ status: 'NOT_APPLICABLE', resource, messageId: 'customKeyStore', data: { ...data, origin: m.origin }, evidence: { ...evidence, customKeyStoreId: m.customKeyStoreId ?? null } });
        return;
      }
      if (m.origin === 'EXTERNAL') {
        ctx.report({ status: 'NOT_APPLICABLE', resource, messageId: 'importedMaterial', data, evidence });
        return;
      }
      const rotation = view.get('rotation');
      if (rotation.error) {
        ctx.report({ status: 'ERROR', resource, error: rotation.error, evidence });
        return;
      }
      const { enabled, rotationPeriodInDays } = rotation.value;
      const days = rotationPeriodInDays ?? 365;
      const max = ctx.options.maxRotationPeriodDays;
      Object.assign(evidence, { rotationEnabled: enabled, rotationPeriodInDays: rotationPeriodInDays ?? null, maxRotationPeriodDays: max });
      const replicaOf = m.multiRegionKeyType === 'REPLICA' && m.primaryKeyArn && m.primaryKeyArn !== key.arn ? m.primaryKeyArn : undefined;
      if (replicaOf) evidence.primaryKeyArn = replicaOf;
      // A replica's rotation is its primary's: the fix is applied to the primary, in its region.
      if (!enabled && replicaOf) ctx.report({ status: 'FAIL', resource, messageId: 'notRotatingReplica', data: { ...data, primary: replicaOf, primaryRegion: replicaOf.split(':')[3] ?? '' }, evidence });
      else if (!enabled) ctx.report({ status: 'FAIL', resource, messageId: 'notRotating', data, evidence });
      else if (days > max) ctx.report({ status: 'FAIL', resource, messageId: 'periodTooLong', data: { ...data, days, max }, evidence });
      else ctx.report({ status: 'PASS', resource, messageId: 'rotating', data: { ...data, days }, evidence });
    });
  },
});
