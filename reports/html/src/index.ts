import { type ScanResult, defineReporter } from '@trailwarden/core';
import { renderHtml } from './render.js';
import type { TrendInput } from './view-model.js';

export { renderHtml } from './render.js';
export { contentSecurityPolicy } from './csp.js';
export { embedJson } from './embed.js';
export type { TrendInput } from './view-model.js';

/** `trend`: given by the CLI when `--history` is on (per-check FAIL counts of the earlier scans). */
export interface HtmlReportOptions {
  trend?: TrendInput;
}

export default defineReporter<HtmlReportOptions>({
  id: 'html',
  extension: '.html',
  description: 'One self-contained HTML file (no network requests, strict CSP): summary, coverage, accounts, checks, compliance, exceptions and a filterable findings table',
  options: {
    schema: {
      type: 'object',
      // `trend` is set by the CLI from --history, not by hand.
      properties: { trend: { type: 'object', description: 'Per-check FAIL counts of earlier scans (set by --history).' } },
      additionalProperties: false,
    },
  },
  render(result: ScanResult, options) {
    return renderHtml(result, options.trend);
  },
});
