import { type Evidence, defineCheck } from '@trailwarden/core';

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
type MessageId = keyof typeof messages;

/**
 * trail-kms-key-rotation: the customer-managed keys that encrypt trails have automatic rotation on.
 * One finding per key, in the key's own account, whichever account's trails use it.
 */
export default defineCheck<KeyRotationOptions, MessageId>({
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
      if (key.metadata === undefined) {
        ctx.error(resource, { code: 'NotCollected', message: 'the key metadata is not in the snapshot', operation: 'DescribeKey', accountId: key.ownerAccountId, region: key.region }, evidence);
        return;
      }
      if (key.metadata.error) {
        ctx.error(resource, key.metadata.error, evidence);
        return;
      }
      const m = key.metadata.value;
      Object.assign(evidence, { keyManager: m.keyManager, origin: m.origin ?? null, keySpec: m.keySpec ?? null, keyState: m.keyState });
      if (m.keyManager === 'AWS') {
        ctx.notApplicable(resource, 'awsManaged', data, evidence);
        return;
      }
      if (m.origin === 'AWS_CLOUDHSM' || m.origin === 'EXTERNAL_KEY_STORE') {
        ctx.notApplicable(resource, 'customKeyStore', { ...data, origin: m.origin }, { ...evidence, customKeyStoreId: m.customKeyStoreId ?? null });
        return;
      }
      if (m.origin === 'EXTERNAL') {
        ctx.notApplicable(resource, 'importedMaterial', data, evidence);
        return;
      }
      if (key.rotation === undefined) {
        ctx.error(resource, { code: 'NotCollected', message: 'the key rotation status is not in the snapshot', operation: 'GetKeyRotationStatus', accountId: key.ownerAccountId, region: key.region }, evidence);
        return;
      }
      if (key.rotation.error) {
        ctx.error(resource, key.rotation.error, evidence);
        return;
      }
      const { enabled, rotationPeriodInDays } = key.rotation.value;
      const days = rotationPeriodInDays ?? 365;
      const max = ctx.options.maxRotationPeriodDays;
      Object.assign(evidence, { rotationEnabled: enabled, rotationPeriodInDays: rotationPeriodInDays ?? null, maxRotationPeriodDays: max });
      const replicaOf = m.multiRegionKeyType === 'REPLICA' && m.primaryKeyArn && m.primaryKeyArn !== key.arn ? m.primaryKeyArn : undefined;
      if (replicaOf) evidence.primaryKeyArn = replicaOf;
      // A replica's rotation is its primary's: the fix is applied to the primary, in its region.
      if (!enabled && replicaOf) ctx.fail(resource, 'notRotatingReplica', { ...data, primary: replicaOf, primaryRegion: replicaOf.split(':')[3] ?? '' }, evidence);
      else if (!enabled) ctx.fail(resource, 'notRotating', data, evidence);
      else if (days > max) ctx.fail(resource, 'periodTooLong', { ...data, days, max }, evidence);
      else ctx.pass(resource, 'rotating', { ...data, days }, evidence);
    });
  },
});
