import { type ScanResult, defineReporter } from '@trailwarden/core';
import { renderHtml } from './render.js';

export { renderHtml } from './render.js';
export { contentSecurityPolicy } from './csp.js';
export { embedJson } from './embed.js';

export default defineReporter({
  id: 'html',
  extension: '.html',
  description: 'One self-contained HTML file (no network requests, strict CSP): summary, coverage, accounts, checks, compliance, exceptions and a filterable findings table',
  render(result: ScanResult) {
    return renderHtml(result);
  },
});
