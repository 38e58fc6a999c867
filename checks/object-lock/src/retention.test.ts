import type { ObjectLockConfiguration } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type ObjectLockAssessment, type ObjectLockOptions, assessObjectLock } from './retention.js';

const lock = (mode: 'COMPLIANCE' | 'GOVERNANCE', period: { days?: number; years?: number }): ObjectLockConfiguration => ({
  enabled: true,
  defaultRetention: { mode, ...period },
});

describe('assessObjectLock', () => {
  it.each<[string, ObjectLockConfiguration | null, Partial<ObjectLockOptions>, Partial<ObjectLockAssessment>]>([
    ['no Object Lock configuration', null, {}, { problems: ['notEnabled'] }],
    ['Object Lock not enabled', { enabled: false }, {}, { problems: ['notEnabled'] }],
    ['enabled without a default retention rule', { enabled: true }, {}, { problems: ['noDefaultRetention'] }],
    ['COMPLIANCE 365 days (exactly the minimum)', lock('COMPLIANCE', { days: 365 }), {}, { problems: [], retentionDays: 365, retention: '365 days' }],
    ['COMPLIANCE 364 days', lock('COMPLIANCE', { days: 364 }), {}, { problems: ['retentionTooShort'], retentionDays: 364 }],
    ['COMPLIANCE 1 year = 365 days', lock('COMPLIANCE', { years: 1 }), {}, { problems: [], retentionDays: 365, retention: '1 year (365 days)' }],
    ['COMPLIANCE 7 years', lock('COMPLIANCE', { years: 7 }), {}, { problems: [], retentionDays: 2555 }],
    ['COMPLIANCE 1 year against a 400-day minimum', lock('COMPLIANCE', { years: 1 }), { minimumRetentionDays: 400 }, { problems: ['retentionTooShort'] }],
    ['COMPLIANCE 30 days with a 30-day minimum', lock('COMPLIANCE', { days: 30 }), { minimumRetentionDays: 30 }, { problems: [] }],
    ['GOVERNANCE 400 days', lock('GOVERNANCE', { days: 400 }), {}, { problems: ['governanceMode'], mode: 'GOVERNANCE' }],
    ['GOVERNANCE 400 days with allowGovernance', lock('GOVERNANCE', { days: 400 }), { allowGovernance: true }, { problems: [] }],
    ['GOVERNANCE 30 days', lock('GOVERNANCE', { days: 30 }), {}, { problems: ['governanceMode', 'retentionTooShort'] }],
    ['GOVERNANCE 30 days with allowGovernance', lock('GOVERNANCE', { days: 30 }), { allowGovernance: true }, { problems: ['retentionTooShort'] }],
    ['allowGovernance does not weaken COMPLIANCE', lock('COMPLIANCE', { days: 400 }), { allowGovernance: true }, { problems: [] }],
    ['a rule without a period', lock('COMPLIANCE', {}), {}, { problems: ['retentionTooShort'], retention: '0 days (no period set)', retentionDays: 0 }],
  ])('%s', (_name, config, options, expected) => {
    expect(assessObjectLock(config, { ...DEFAULT_OPTIONS, ...options })).toMatchObject(expected);
  });
});
