import { describe, expect, it } from 'vitest';
import { type AccessLoggingVerdict, type LoggingStatus, assessAccessLogging } from './logging.js';

describe('assessAccessLogging', () => {
  it.each<[string, LoggingStatus, AccessLoggingVerdict]>([
    ['logging off', null, 'notEnabled'],
    ['an empty target bucket', { targetBucket: '' }, 'notEnabled'],
    ['logging to another bucket', { targetBucket: 'acme-s3-access-logs', targetPrefix: 'trail-logs/' }, 'enabled'],
    ['logging to another bucket without a prefix', { targetBucket: 'acme-s3-access-logs' }, 'enabled'],
    ['logging into itself', { targetBucket: 'trail-logs', targetPrefix: 'access/' }, 'logsToItself'],
  ])('%s → %s', (_name, logging, verdict) => {
    expect(assessAccessLogging('trail-logs', logging)).toBe(verdict);
  });
});
