import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEVERITIES, type ScanResult, type Severity, defineReporter, summaryOf } from '@trailwarden/core';

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
  const summary = summaryOf(result);
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, summary.bySeverity[s].FAIL])) as Record<Severity, number>;
  const e = summary.excepted;
  return {
    $schema: REPORT_SCHEMA_ID,
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: result.tool,
    scan: result.scan,
    // Core's summary (ScanResult.summary), in the report's 1.x field names.
    summary: {
      counts: summary.counts,
      failedBySeverity,
      excepted: e.PASS + e.FAIL + e.ERROR + e.NOT_APPLICABLE,
      complete: summary.complete,
      expiredExceptions: summary.exceptions.expired,
      expiringExceptions: summary.exceptions.expiringSoon,
      open: summary.open,
      worstChecks: summary.worstChecks,
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
  options: {
    schema: {
      type: 'object',
      properties: { indent: { type: 'integer', minimum: 0, maximum: 10, description: 'Pretty-print with this many spaces (default 2); 0 for one line.' } },
      additionalProperties: false,
    },
  },
  render(result, options) {
    return `${JSON.stringify(toJsonReport(result), null, options.indent ?? 2)}\n`;
  },
});
