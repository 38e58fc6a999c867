import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ScanResult, type Severity, type Status, defineReporter } from '@trailwarden/core';

/** 1.1: findings carry `data`, the values their message was formatted with (plugin API v2). */
export const REPORT_SCHEMA_VERSION = '1.1';
export const REPORT_SCHEMA_ID = 'https://trailwarden.dev/schemas/report-1.1.json';

/** Absolute path of the published JSON Schema (also exported as `@trailwarden/report-json/schema.json`). */
export const REPORT_SCHEMA_PATH = fileURLToPath(new URL('../schema/trailwarden-report.schema.json', import.meta.url));

export function loadReportSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

export interface JsonReportOptions {
  /** Pretty-print with this many spaces (default 2); 0 for one line. */
  indent?: number;
}

/**
 * The JSON document: the ScanResult plus a version and a summary, with fields in a fixed order so
 * two runs over the same snapshot differ only in their timestamps.
 */
export function toJsonReport(result: ScanResult): Record<string, unknown> {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 };
  const failedBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let excepted = 0;
  for (const f of result.findings) {
    counts[f.status]++;
    if (f.exception) excepted++;
    else if (f.status === 'FAIL') failedBySeverity[f.severity]++;
  }
  return {
    $schema: REPORT_SCHEMA_ID,
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: result.tool,
    scan: result.scan,
    summary: {
      counts,
      failedBySeverity,
      excepted,
      complete: result.coverage.complete && counts.ERROR === 0,
      expiredExceptions: result.exceptions.filter((e) => e.state === 'expired').length,
      expiringExceptions: result.exceptions.filter((e) => e.expiresSoon).length,
    },
    coverage: result.coverage,
    checks: result.checks,
    findings: result.findings,
    exceptions: result.exceptions,
    frameworks: result.frameworks,
    ...(result.provenance ? { provenance: result.provenance } : {}),
    ...(result.limits ? { limits: result.limits } : {}),
  };
}

export default defineReporter<JsonReportOptions>({
  id: 'json',
  extension: '.json',
  description: 'Versioned JSON document for machines (schema: @trailwarden/report-json/schema.json)',
  render(result, options) {
    return `${JSON.stringify(toJsonReport(result), null, options.indent ?? 2)}\n`;
  },
});
