import { emptyCounts, type TrailIntegrity, type VerifyLogsResult } from './result.js';

/** The whole run's result, with totals. */
export function summarize(source: string, from: string, to: string, trails: TrailIntegrity[]): VerifyLogsResult {
  const totals: VerifyLogsResult['totals'] = { digests: emptyCounts(), backfillDigests: emptyCounts(), logs: emptyCounts(), gaps: 0, unexplainedGaps: 0, linkIssues: 0, unreferenced: 0, errors: 0 };
  for (const t of trails) {
    totals.errors += t.errors.length;
    for (const c of t.chains) {
      for (const k of ['digests', 'backfillDigests', 'logs'] as const) for (const s of ['valid', 'invalid', 'unverified', 'error'] as const) totals[k][s] += c[k][s];
      totals.gaps += c.gaps.length;
      totals.unexplainedGaps += c.gaps.filter((g) => g.label === 'unexplained').length;
      totals.linkIssues += c.links.length;
      totals.unreferenced += c.unreferenced.length;
    }
  }
  return { schemaVersion: '1', source, from, to, trails, totals };
}

/** aws-cli: 1 when any digest or log is INVALID (chain link mismatches count); ours adds 3 when files could not be read. */
export function exitCodeOf(result: VerifyLogsResult, strict = false): 0 | 1 | 3 {
  const t = result.totals;
  if (t.digests.invalid + t.backfillDigests.invalid + t.logs.invalid + t.linkIssues > 0) return 1;
  if (strict && t.unexplainedGaps + t.unreferenced > 0) return 1;
  if (t.digests.error + t.backfillDigests.error + t.logs.error + t.errors > 0) return 3;
  return 0;
}
