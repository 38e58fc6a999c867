import { type CheckSummary, type Severity, checkDocFileName, compareControlIds, compareStrings } from '@trailwarden/core';
import type { SarifLevel, SarifRule } from './sarif-types.js';

/**
 * GitHub maps `security-severity` to its alert severity: > 9.0 critical, 7.0–8.9 high,
 * 4.0–6.9 medium, 0.1–3.9 low. These values land in the middle of each band.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
};

/** SARIF `level` by check severity: critical and high are errors, medium warnings, low notes. */
export const LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub keeps only the first 10 tags of a rule. */
export const MAX_TAGS = 10;

/**
 * Checks judge configuration read from AWS APIs, not heuristics over code, so a FAIL is rarely a
 * false positive; `high` (not `very-high`) leaves room for checks whose data can be stale.
 */
export const PRECISION = 'high' as const;

export function buildRule(check: CheckSummary, helpBaseUri?: string): SarifRule {
  const uri = helpUri(check, helpBaseUri);
  return {
    id: check.id,
    name: pascalCase(check.id),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: { text: helpText(check), markdown: helpMarkdown(check) },
    ...(uri ? { helpUri: uri } : {}),
    defaultConfiguration: { level: LEVEL[check.severity] },
    properties: {
      tags: ruleTags(check),
      precision: PRECISION,
      'security-severity': SECURITY_SEVERITY[check.severity],
      severity: check.severity,
      resourceType: check.resourceType,
      frameworks: sortedFrameworks(check.frameworks),
    },
  };
}

/**
 * `security` (GitHub reads `security-severity` only on rules tagged so), the severity, then
 * compliance ids `<framework>/<control>`: first one per framework so every framework shows, then
 * the rest, capped at GitHub's 10 and then sorted. The full mapping stays in `properties.frameworks`.
 */
export function ruleTags(check: CheckSummary): string[] {
  const tags = ['security', check.severity];
  const frameworks = sortedFrameworks(check.frameworks);
  const perFramework = Object.entries(frameworks).map(([fw, controls]) => controls.map((c) => `${fw}/${c}`));
  const depth = Math.max(0, ...perFramework.map((list) => list.length));
  for (let i = 0; i < depth; i++) {
    for (const list of perFramework) {
      const tag = list[i];
      if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
    }
  }
  return [...tags.slice(0, 2), ...tags.slice(2, MAX_TAGS).sort(compareStrings)];
}

function sortedFrameworks(frameworks: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const fw of Object.keys(frameworks).sort(compareStrings)) {
    out[fw] = [...new Set(frameworks[fw] ?? [])].sort(compareControlIds);
  }
  return out;
}

/** The check's own page, else its page under the team's published `trailwarden docs`, else none. */
function helpUri(check: CheckSummary, helpBaseUri: string | undefined): string | undefined {
  if (check.helpUri && isAbsoluteUrl(check.helpUri)) return check.helpUri;
  if (check.docs && isAbsoluteUrl(check.docs)) return check.docs;
  return helpBaseUri ? `${helpBaseUri}${encodeURI(checkDocFileName(check.id))}` : undefined;
}

function isAbsoluteUrl(s: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(s);
}

function helpText(check: CheckSummary): string {
  const parts = [check.description, `Remediation: ${check.remediation.text}`];
  if (check.remediation.cli) parts.push(`AWS CLI:\n${check.remediation.cli}`);
  if (check.remediation.terraform) parts.push(`Terraform:\n${check.remediation.terraform}`);
  const compliance = complianceLines(check);
  if (compliance.length > 0) parts.push(`Compliance:\n${compliance.join('\n')}`);
  return parts.join('\n\n');
}

function helpMarkdown(check: CheckSummary): string {
  const parts = [check.description, '## Remediation', check.remediation.text];
  if (check.remediation.cli) parts.push('### AWS CLI', codeBlock('sh', check.remediation.cli));
  if (check.remediation.terraform) parts.push('### Terraform', codeBlock('hcl', check.remediation.terraform));
  const compliance = complianceLines(check);
  if (compliance.length > 0) parts.push('## Compliance', compliance.map((l) => `- ${l}`).join('\n'));
  return parts.join('\n\n');
}

function complianceLines(check: CheckSummary): string[] {
  return Object.entries(sortedFrameworks(check.frameworks)).map(([fw, controls]) => `${fw}: ${controls.join(', ')}`);
}

/** A fenced block whose fence is longer than any backtick run inside, so the content cannot end it. */
function codeBlock(lang: string, code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${code.replace(/\n+$/, '')}\n${fence}`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
