import { type DiffFinding, type ScanDiff, diffCounts } from '@trailwarden/history';
import type { Style } from './io.js';

export const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

interface Sides {
  before: { label: string };
  after: { label: string };
}

const LISTS: { key: keyof Omit<ScanDiff, 'unchanged'>; title: string }[] = [
  { key: 'new', title: 'New' },
  { key: 'newlyUnreadable', title: 'Newly unreadable' },
  { key: 'changed', title: 'Changed' },
  { key: 'fixed', title: 'Fixed' },
  { key: 'gone', title: 'No longer reported' },
  { key: 'stillFailing', title: 'Still failing' },
  { key: 'stillUnreadable', title: 'Still unreadable' },
];

type Entry = DiffFinding | { before?: DiffFinding; after: DiffFinding };
const afterOf = (e: Entry): DiffFinding => ('after' in e ? e.after : e);
const beforeOf = (e: Entry): DiffFinding | undefined => ('after' in e ? e.before : undefined);

function transition(e: Entry): string {
  const b = beforeOf(e);
  const a = afterOf(e);
  if (!b) return `${a.status} ${a.severity}`;
  return `${b.status} ${b.severity} → ${a.status} ${a.severity}`;
}

/** The diff as JSON: counts, then each list with before/after status (stable field order). */
export function diffToJson(d: ScanDiff, sides: Sides): Record<string, unknown> {
  const item = (e: Entry) => {
    const a = afterOf(e);
    const b = beforeOf(e);
    return {
      fingerprint: a.fingerprint,
      checkId: a.checkId,
      accountId: a.accountId,
      region: a.region,
      resource: a.resource,
      ...(b ? { before: { status: b.status, severity: b.severity } } : {}),
      status: a.status,
      severity: a.severity,
      message: a.message,
    };
  };
  return {
    before: sides.before.label,
    after: sides.after.label,
    counts: diffCounts(d),
    ...Object.fromEntries(LISTS.map(({ key }) => [key, (d[key] as Entry[]).map(item)])),
  };
}

/** Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY: counts, then the lists that matter. */
export function diffToMarkdown(d: ScanDiff, sides: Sides, limit = 50): string {
  const c = diffCounts(d);
  const lines = [
    '## Trailwarden: what changed',
    '',
    `From **${md(sides.before.label)}** to **${md(sides.after.label)}**`,
    '',
    '| New | Newly unreadable | Changed | Fixed | No longer reported | Still failing |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${c.new} | ${c.newlyUnreadable} | ${c.changed} | ${c.fixed} | ${c.gone} | ${c.stillFailing} |`,
  ];
  for (const { key, title } of LISTS.slice(0, 5)) {
    const entries = d[key] as Entry[];
    if (entries.length === 0) continue;
    lines.push('', `### ${title} (${entries.length})`, '', '| Check | Account | Region | Resource | Status |', '|---|---|---|---|---|');
    for (const e of entries.slice(0, limit)) {
      const a = afterOf(e);
      lines.push(`| ${md(a.checkId)} | ${md(a.accountId)} | ${md(a.region)} | ${md(a.resource.name)} | ${md(transition(e))} |`);
    }
    if (entries.length > limit) lines.push(`| … and ${entries.length - limit} more | | | | |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The terminal view: counts, then each non-empty list but the long "still" ones. */
export function diffToText(d: ScanDiff, sides: Sides, s: Style, limit = 20): string {
  const c = diffCounts(d);
  const lines = [
    s.bold(`Diff ${sides.before.label} → ${sides.after.label}`),
    `  ${s.red(`new ${c.new}`)}   ${s.yellow(`newly unreadable ${c.newlyUnreadable}`)}   changed ${c.changed}   ${s.green(`fixed ${c.fixed}`)}   no longer reported ${c.gone}   still failing ${c.stillFailing}   still unreadable ${c.stillUnreadable}`,
  ];
  for (const { key, title } of LISTS.slice(0, 5)) {
    const entries = d[key] as Entry[];
    if (entries.length === 0) continue;
    lines.push('', s.bold(`${title} (${entries.length})`));
    for (const e of entries.slice(0, limit)) {
      const a = afterOf(e);
      lines.push(`  ${a.checkId}  ${a.accountId} ${a.region}  ${plain(a.resource.name)}  ${transition(e)}`);
      lines.push(s.dim(`    ${plain(a.message).slice(0, 200)}`));
    }
    if (entries.length > limit) lines.push(s.dim(`  … and ${entries.length - limit} more (use --format json)`));
  }
  return `${lines.join('\n')}\n`;
}

/** Names and messages come from AWS: no control characters on a terminal. */
function plain(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Escape for a Markdown table cell: no markup, no pipes, no line breaks. */
function md(text: string): string {
  return plain(text).replace(/[\\`*_{}[\]()#+!|<>&~]/g, (ch) => `\\${ch}`);
}
