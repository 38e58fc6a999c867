import type { ObjectLockConfiguration } from '@trailwarden/core';

export interface ObjectLockOptions {
  /** Shortest acceptable default retention, in days (a year counts as 365 days). */
  minimumRetentionDays: number;
  /** Accept GOVERNANCE mode, which principals with s3:BypassGovernanceRetention can override. */
  allowGovernance: boolean;
}

export const DEFAULT_OPTIONS: ObjectLockOptions = { minimumRetentionDays: 365, allowGovernance: false };

export type ObjectLockProblem = 'notEnabled' | 'noDefaultRetention' | 'governanceMode' | 'retentionTooShort';

export interface ObjectLockAssessment {
  problems: ObjectLockProblem[];
  mode?: 'COMPLIANCE' | 'GOVERNANCE';
  /** The default retention in days (years × 365), when there is a rule. */
  retentionDays?: number;
  /** As configured: "400 days", "1 year". */
  retention?: string;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Judge a bucket's Object Lock configuration (`null`: AWS says there is none). */
export function assessObjectLock(config: ObjectLockConfiguration | null, options: ObjectLockOptions): ObjectLockAssessment {
  if (config === null || config.enabled !== true) return { problems: ['notEnabled'] };
  const rule = config.defaultRetention;
  if (!rule) return { problems: ['noDefaultRetention'] };
  const retentionDays = (rule.days ?? 0) + (rule.years ?? 0) * 365;
  const retention =
    rule.years !== undefined && rule.days === undefined
      ? `${plural(rule.years, 'year')} (${retentionDays} days)`
      : rule.days !== undefined && rule.years === undefined
        ? plural(rule.days, 'day')
        : rule.days === undefined
          ? '0 days (no period set)'
          : `${plural(rule.years ?? 0, 'year')} and ${plural(rule.days, 'day')} (${retentionDays} days)`;
  const problems: ObjectLockProblem[] = [];
  if (rule.mode !== 'COMPLIANCE' && !(rule.mode === 'GOVERNANCE' && options.allowGovernance)) problems.push('governanceMode');
  if (retentionDays < options.minimumRetentionDays) problems.push('retentionTooShort');
  return { problems, mode: rule.mode, retentionDays, retention };
}
