import type { ScanResult } from '@trailwarden/core';
import { HOSTILE_TEXT, sampleScan } from '@trailwarden/testing';

/** JUnit must also survive a lone surrogate, a tab and a newline (XML 1.0 cannot hold all of them). */
export const HOSTILE = `${HOSTILE_TEXT}\uD800\ttab\nline`;

export function engineScan(startedAt?: Date): Promise<ScanResult> {
  return sampleScan({ hostile: HOSTILE, ...(startedAt ? { startedAt } : {}) });
}
