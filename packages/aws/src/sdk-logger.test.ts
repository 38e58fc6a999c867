import { describe, expect, it } from 'vitest';
import { oneLineSdkLogger } from './sdk-logger.js';

describe('the SDK logger', () => {
  it('turns a multi-line warning into one line, once, and drops debug and info', () => {
    const out: string[] = [];
    const log = oneLineSdkLogger((l) => out.push(l));
    const warning = '@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:\n    Multiple credential sources detected:\n    Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set.';
    log.warn(warning);
    log.warn(warning);
    log.debug('noise');
    log.info('noise');
    log.error(new Error('a\u001b[2Jb\nsecond line'));
    expect(out).toEqual(['trailwarden: AWS SDK: @aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:\n', 'trailwarden: AWS SDK: a [2Jb\n']);
  });
});
