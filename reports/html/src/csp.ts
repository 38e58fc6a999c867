import { createHash } from 'node:crypto';

/** `'sha256-…'` source expression for an inline `<script>` or `<style>` body, byte for byte. */
export function cspHash(body: string): string {
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
}

/**
 * The report's Content-Security-Policy: nothing may load from anywhere; only our own inline script
 * and stylesheet (by hash) run; images only as data: URIs; no <base>, no form submissions. A
 * payload that slips into the markup can neither run script nor fetch anything.
 */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
