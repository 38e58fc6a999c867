import { defineCheck } from '@trailwarden/core';

export interface LoggingActiveOptions {
  /** The newest log file delivered to S3 must be at most this old. */
  maxDeliveryAgeHours: number;
}

const FIX_START = 'Fix: aws cloudtrail start-logging --name {{arn}}';

const messages = {
  active: 'Trail {{name}} is logging and delivered its last log file to S3 {{age}} ago.',
  stopped: `Trail {{name}} is not logging (stopped{{since}}), so no API activity is being recorded. ${FIX_START}`,
  deliveryError:
    'Trail {{name}} is logging but cannot deliver log files to S3 bucket {{bucket}}: {{error}}. Fix the bucket policy (allow cloudtrail.amazonaws.com s3:PutObject) or the KMS key policy, or point the trail at a working bucket: aws cloudtrail update-trail --name {{arn}} --s3-bucket-name <bucket>',
  neverDelivered:
    'Trail {{name}} is logging but has not delivered any log file to S3 bucket {{bucket}} yet{{since}}. Check the bucket and key policies allow cloudtrail.amazonaws.com to write.',
  stale:
    'Trail {{name}} last delivered a log file to S3 {{age}} ago (at {{time}}), more than the allowed {{max}} h. Check the bucket and KMS key policies, and that the trail records events.',
} as const;
type MessageId = keyof typeof messages;

/**
 * trail-logging-active: every trail is logging, S3 delivery works (no LatestDeliveryError) and is
 * recent. A trail can be "enabled" on paper while its logs pile up nowhere.
 */
export default defineCheck<LoggingActiveOptions, MessageId>({
  id: 'trail-logging-active',
  meta: {
    title: 'Trails are logging and delivering log files',
    description:
      'Every trail must be logging (IsLogging), deliver its log files to S3 without errors, and have delivered one recently. A stopped trail records nothing; a trail with a delivery error (bucket or key policy broken) records events nobody can read.',
    severity: 'high',
    resource: 'AWS::CloudTrail::Trail',
    frameworks: { 'aws-fsbp': ['CloudTrail.3'] },
    remediation: {
      text: 'Start logging on the trail, and make sure the bucket policy and KMS key policy let cloudtrail.amazonaws.com write log files.',
      cli: ['aws cloudtrail start-logging --name <trail-arn>', 'aws cloudtrail get-trail-status --name <trail-arn>   # LatestDeliveryError, LatestDeliveryTime'].join('\n'),
      terraform: 'resource "aws_cloudtrail" "main" {\n  # ...\n  enable_logging = true\n}',
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        maxDeliveryAgeHours: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'Maximum age in hours of the last log file delivered to S3.',
        },
      },
      additionalProperties: false,
    },
    defaults: { maxDeliveryAgeHours: 24 },
  },
  requires: ['trails', 'trailStatus'],
  evaluate(ctx) {
    const maxHours = ctx.options.maxDeliveryAgeHours;
    ctx.forEachTrail((view) => {
      const { trail, resource } = view;
      const base = { name: trail.name, arn: trail.arn, bucket: trail.s3BucketName ?? '(none)' };
      const status = view.status();
      if (status.error) {
        ctx.error(resource, status.error);
        return;
      }
      const s = status.value;
      const evidence = {
        isLogging: s.isLogging,
        latestDeliveryTime: s.latestDeliveryTime ?? null,
        latestDeliveryError: s.latestDeliveryError ?? null,
        startLoggingTime: s.startLoggingTime ?? null,
        stopLoggingTime: s.stopLoggingTime ?? null,
        maxDeliveryAgeHours: maxHours,
      };
      if (!s.isLogging) {
        ctx.fail(resource, 'stopped', { ...base, since: s.stopLoggingTime ? ` since ${s.stopLoggingTime}` : '' }, evidence);
        return;
      }
      if (s.latestDeliveryError) {
        ctx.fail(resource, 'deliveryError', { ...base, error: s.latestDeliveryError }, evidence);
        return;
      }
      if (!s.latestDeliveryTime) {
        ctx.fail(resource, 'neverDelivered', { ...base, since: s.startLoggingTime ? ` (logging since ${s.startLoggingTime})` : '' }, evidence);
        return;
      }
      const delivered = parseUtcTimestamp(s.latestDeliveryTime);
      if (Number.isNaN(delivered)) {
        ctx.error(resource, `Cannot decide: LatestDeliveryTime "${s.latestDeliveryTime}" of trail ${trail.name} is not a timestamp.`, evidence);
        return;
      }
      const ageMs = ctx.now.getTime() - delivered;
      const age = formatAge(ageMs);
      if (ageMs > maxHours * 3_600_000) {
        ctx.fail(resource, 'stale', { ...base, age, time: new Date(delivered).toISOString(), max: maxHours }, evidence);
        return;
      }
      ctx.pass(resource, 'active', { ...base, age }, evidence);
    });
  },
});

/** "3 h 5 min", "2 d 4 h" — enough precision for a person. */
export function formatAge(ms: number): string {
  if (ms < 0) return '0 min';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * A CloudTrail timestamp in milliseconds. ISO 8601 without a zone designator (as some tools write
 * it) is read as UTC, as CloudTrail means it: JavaScript would read it in the machine's time zone.
 */
export function parseUtcTimestamp(text: string): number {
  const t = text.trim();
  const zoneless = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(t);
  return Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : t);
}
