import type { ExceptionReport, Finding } from '../model/result.js';
import { globMatcher } from '../util/glob.js';

/** An accepted risk, from the config file. */
export interface ExceptionRule {
  /** Stable name for reports; defaults to `exception-<n>` by position. */
  id?: string;
  /** Check id, or a glob such as `trail-bucket-*`. */
  check: string;
  /** Account ids the exception covers; omitted or `["*"]` means every account. */
  accounts?: string[];
  /** Glob over the resource ARN, e.g. `arn:aws:s3:::legacy-logs-*`. Default `*`. */
  resource?: string;
  reason: string;
  approver: string;
  /** Last day the exception applies (inclusive, UTC), `YYYY-MM-DD`. */
  expires: string;
}

/** An active exception whose last day is this close is warned about in every output. */
export const EXPIRING_SOON_DAYS = 30;

/** Whole days from `now` to the end of the exception's last day (UTC): 0 on the last day, negative once expired. */
export function daysLeft(rule: ExceptionRule, now: Date): number {
  const end = Date.parse(`${rule.expires}T23:59:59.999Z`);
  if (Number.isNaN(end)) return -1;
  return Math.floor((end - now.getTime()) / 86_400_000);
}

/** True once the last day (UTC) of the exception has passed. */
export function isExpired(rule: ExceptionRule, now: Date): boolean {
  const end = Date.parse(`${rule.expires}T23:59:59.999Z`);
  return Number.isNaN(end) || now.getTime() > end;
}

/**
 * Mark FAIL findings covered by an active exception (they stay FAIL, never gate) and report every
 * exception: expired ones stop applying and are called out with what they would have covered.
 * ERROR findings are never excepted: an exception accepts a known risk, not a blind spot.
 */
export function applyExceptions(findings: Finding[], rules: ExceptionRule[], now: Date): ExceptionReport[] {
  const compiled = rules.map((rule, i) => ({
    rule,
    id: rule.id ?? `exception-${i + 1}`,
    check: globMatcher(rule.check),
    resource: globMatcher(rule.resource ?? '*'),
    accounts: rule.accounts && !rule.accounts.includes('*') ? new Set(rule.accounts) : undefined,
    expired: isExpired(rule, now),
    matched: 0,
  }));
  for (const f of findings) {
    if (f.status !== 'FAIL') continue;
    for (const c of compiled) {
      if (!c.check(f.checkId) || !c.resource(f.resource.arn)) continue;
      if (c.accounts && !c.accounts.has(f.accountId)) continue;
      c.matched++;
      if (!c.expired && !f.exception) {
        f.exception = { id: c.id, reason: c.rule.reason, approver: c.rule.approver, expires: c.rule.expires };
      }
    }
  }
  return compiled.map((c) => ({
    id: c.id,
    check: c.rule.check,
    accounts: c.rule.accounts ?? ['*'],
    resource: c.rule.resource ?? '*',
    reason: c.rule.reason,
    approver: c.rule.approver,
    expires: c.rule.expires,
    state: c.expired ? 'expired' : 'active',
    matched: c.matched,
    daysLeft: daysLeft(c.rule, now),
    ...(!c.expired && daysLeft(c.rule, now) < EXPIRING_SOON_DAYS ? { expiresSoon: true } : {}),
  }));
}
