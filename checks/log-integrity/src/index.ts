import { createAjv, createCheck, type JsonValue } from '@trailwarden/core';
import { type ChainResult, type TrailIntegrity, trailIntegritySchema } from '@trailwarden/integrity';

/**
 * Log file validation being on is half the job: this check uses the verification itself
 * (`scan --verify-logs`, the digest chains and every log file they list, see
 * @trailwarden/integrity) and fails a trail whose logs were changed, deleted, moved or re-signed,
 * whose verified period has unexplained holes, or whose bucket holds log files no digest lists.
 */
type ValidateFunction = ReturnType<ReturnType<typeof createAjv>['compile']>;

// Compiled on first use, not when the plugin loads: `trailwarden checks` and every scan load it.
let compiled: ValidateFunction | undefined;
const validator = (): ValidateFunction => (compiled ??= createAjv().compile(trailIntegritySchema));
const MAX_TIMELINE_CHAINS = 1000;
const MAX_PER_CHAIN = 50;
const MAX_EXAMPLES = 10;

interface Options {
  /** `scan --verify-logs` verifies the digests of this many days up to the scan's time (--now). */
  days: number;
  /** A log file in the bucket that no digest lists (injected, or delivered while validation was off) fails the trail. */
  failOnUnreferenced: boolean;
  /** A chain restart (logging or validation was off for a while) fails the trail too. */
  failOnChainRestarts: boolean;
}

const DEFAULTS: Options = { days: 7, failOnUnreferenced: true, failOnChainRestarts: false };

const where = (c: ChainResult) => `${c.accountId}/${c.region}`;

/** The per-chain timeline the HTML report draws, bounded. */
function timeline(t: TrailIntegrity): JsonValue {
  return t.chains.slice(0, MAX_TIMELINE_CHAINS).map((c) => ({
    accountId: c.accountId,
    region: c.region,
    windows: c.windows.slice(0, MAX_PER_CHAIN).map((w) => [w.start, w.end]),
    gaps: c.gaps.slice(0, MAX_PER_CHAIN).map((g) => ({ start: g.start, end: g.end, label: g.label })),
    invalid: c.digests.invalid + c.backfillDigests.invalid + c.logs.invalid + c.links.length,
  }));
}

export default createCheck({
  id: 'trail-log-integrity',
  meta: {
    title: 'CloudTrail log files are provably complete and unchanged',
    description:
      "Verifies each trail's signed digest chains and every log file they list (what `aws cloudtrail validate-logs` does, for every account and source region at once): no log file changed, deleted or re-signed, no digest missing, no unexplained hole in the verified period, and no log file in the bucket that no digest lists. Off by default: it reads every digest and log file (run `trailwarden scan --verify-logs`).",
    severity: 'high',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Investigate every INVALID file and unexplained gap (who deleted or changed it: S3 server access logs, CloudTrail data events on the bucket). Prevent recurrence: S3 Object Lock in compliance mode on the trail bucket, MFA delete, a bucket policy that denies s3:DeleteObject and s3:PutObject except to cloudtrail.amazonaws.com, and an SCP that protects the trail.',
      cli: 'trailwarden verify-logs --from <start> --to <end> --verbose',
    },
    docs: 'README.md',
    messages: {
      verified: 'Trail {{name}}: {{digests}} digest file(s) and {{logs}} log file(s) from {{from}} to {{to}} verify, in {{chains}} account/region chain(s); no unexplained gap.',
      tampered: 'Trail {{name}}: {{count}} digest or log file(s) are INVALID (changed, deleted, moved or re-signed), e.g. {{example}}. List them all with trailwarden verify-logs.',
      gaps: 'Trail {{name}}: {{count}} unexplained gap(s) in the verified period ({{hours}} h in all), e.g. {{example}}: digests are missing or invalid there.',
      restarts: 'Trail {{name}}: the chain restarts {{count}} time(s) ({{hours}} h not covered), e.g. {{example}}: logging or log file validation was off.',
      noDigests: 'Trail {{name}}: no digest file was found for {{count}} account/region(s), e.g. {{example}}: nothing proves their logs.',
      unreferenced: 'Trail {{name}}: {{count}} log file(s) in the bucket are listed by no digest (slipped in, or delivered while validation was off), e.g. {{example}}.',
      validationOff: 'Trail {{name}} has log file validation off: there are no digests to verify (see trail-log-file-validation).',
      notVerified:
        'log files were not verified in this scan: run `trailwarden scan --verify-logs` (needs s3:GetObject, s3:ListBucket, kms:Decrypt, cloudtrail:ListPublicKeys)',
      trailNotVerified: 'this trail was not verified in this scan (its bucket or owner was not readable)',
      invalidRecord: 'the log-integrity record of this trail is not valid:{{problem}}',
      unreadFiles: '{{count}} file(s) could not be read, e.g. {{example}}',
    },
  },
  options: {
    schema: {
      type: 'object',
      properties: { days: { type: 'integer', minimum: 1, maximum: 400 }, failOnUnreferenced: { type: 'boolean' }, failOnChainRestarts: { type: 'boolean' } },
      additionalProperties: false,
    },
    defaults: DEFAULTS,
  },
  requires: ['organization', 'trails', 'trailStatus', 'buckets'],
  optIn: true,
  evaluate(ctx) {
    ctx.forEachTrail((view) => {
      const { name, arn, logFileValidationEnabled } = view.trail;
      if (!logFileValidationEnabled) {
        ctx.report({ status: 'NOT_APPLICABLE', resource: view.resource, messageId: 'validationOff', data: { name } });
        return;
      }
      if (!ctx.scan.logsVerified) {
        ctx.report({ status: 'ERROR', resource: view.resource, messageId: 'notVerified' });
        return;
      }
      const known = ctx.scan.logIntegrity(arn);
      if (!known) {
        ctx.report({ status: 'ERROR', resource: view.resource, messageId: 'trailNotVerified' });
        return;
      }
      if (known.error) {
        ctx.report({ status: 'ERROR', resource: view.resource, error: known.error });
        return;
      }
      const validate = validator();
      if (!validate(known.value)) {
        const problem = `${validate.errors?.[0]?.instancePath ?? ''} ${validate.errors?.[0]?.message ?? ''}`.trim();
        ctx.report({ status: 'ERROR', resource: view.resource, messageId: 'invalidRecord', data: { problem: problem ? ` ${problem}` : '' } });
        return;
      }
      const t = known.value as unknown as TrailIntegrity;
      const sum = (f: (c: ChainResult) => number) => t.chains.reduce((n, c) => n + f(c), 0);
      const invalidFiles = t.chains.flatMap((c) => c.files.filter((f) => f.status === 'INVALID').map((f) => `s3://${f.bucket}/${f.key} (${f.reason ?? 'INVALID'})`));
      const linkIssues = t.chains.flatMap((c) => c.links.map((l) => `${l.newer} (chain link mismatch: ${l.field})`));
      const unexplained = t.chains.flatMap((c) => c.gaps.filter((g) => g.label === 'unexplained').map((g) => ({ ...g, at: where(c) })));
      const restarts = t.chains.flatMap((c) => c.gaps.filter((g) => g.label === 'chain-restart').map((g) => ({ ...g, at: where(c) })));
      const noDigests = t.chains.filter((c) => c.digests.valid + c.digests.invalid + c.digests.unverified + c.digests.error === 0).map(where);
      const unreferenced = t.chains.flatMap((c) => c.unreferenced.map((u) => `s3://${u.bucket}/${u.key} (${u.likely})`));
      const unread = t.chains.flatMap((c) => c.files.filter((f) => f.status === 'ERROR').map((f) => `s3://${f.bucket}/${f.key} (${f.reason ?? 'ERROR'})`));
      const hours = (gs: { hours: number }[]) => Math.round(gs.reduce((n, g) => n + g.hours, 0) * 100) / 100;
      const evidence = {
        from: t.from,
        to: t.to,
        chains: t.chains.length,
        digests: sum((c) => c.digests.valid),
        invalidFiles: invalidFiles.length,
        linkIssues: linkIssues.length,
        unexplainedGaps: unexplained.length,
        chainRestarts: restarts.length,
        unreferenced: unreferenced.length,
        unreadable: unread.length,
        examples: [...invalidFiles, ...linkIssues, ...unexplained.map((g) => `${g.at} ${g.start}..${g.end}`), ...unreferenced, ...unread].slice(0, MAX_EXAMPLES),
        timeline: timeline(t),
      };
      const gapText = (g: { at: string; start: string; end: string }) => `${g.at} ${g.start} to ${g.end}`;
      if (invalidFiles.length + linkIssues.length > 0) {
        ctx.report({ status: 'FAIL', resource: view.resource, messageId: 'tampered', data: { name, count: invalidFiles.length + linkIssues.length, example: [...invalidFiles, ...linkIssues][0]! }, evidence });
      } else if (unexplained.length > 0) {
        ctx.report({ status: 'FAIL', resource: view.resource, messageId: 'gaps', data: { name, count: unexplained.length, hours: hours(unexplained), example: gapText(unexplained[0]!) }, evidence });
      } else if (noDigests.length > 0) {
        ctx.report({ status: 'FAIL', resource: view.resource, messageId: 'noDigests', data: { name, count: noDigests.length, example: noDigests[0]! }, evidence });
      } else if (ctx.options.failOnUnreferenced && unreferenced.length > 0) {
        ctx.report({ status: 'FAIL', resource: view.resource, messageId: 'unreferenced', data: { name, count: unreferenced.length, example: unreferenced[0]! }, evidence });
      } else if (ctx.options.failOnChainRestarts && restarts.length > 0) {
        ctx.report({ status: 'FAIL', resource: view.resource, messageId: 'restarts', data: { name, count: restarts.length, hours: hours(restarts), example: gapText(restarts[0]!) }, evidence });
      } else if (unread.length > 0 || t.errors.length > 0) {
        // Never a PASS on what could not be read.
        ctx.report({ status: 'ERROR', resource: view.resource, messageId: 'unreadFiles', data: { count: unread.length, example: String(unread[0] ?? t.errors[0]) }, evidence });
      } else {
        ctx.report({ status: 'PASS', resource: view.resource, messageId: 'verified', data: { name, digests: evidence.digests, logs: sum((c) => c.logs.valid), from: t.from, to: t.to, chains: t.chains.length }, evidence });
      }
    });
  },
});
