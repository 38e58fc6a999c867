import { createHash } from 'node:crypto';
import type { ScanResult } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTR_PAYLOAD, SCRIPT_PAYLOAD, demoResult, fixtureResult } from './__fixtures__/scan.js';
import { clientData, embedJson } from './embed.js';
import reporter, { renderHtml } from './index.js';
import { buildViewModel } from './view-model.js';

let result: ScanResult;
let html: string;

beforeAll(async () => {
  result = await fixtureResult();
  html = renderHtml(result);
});

/** The markup with the embedded JSON data block cut out (the data is checked separately). */
function markup(page: string): string {
  return page.replace(/<script type="application\/json" id="tw-data">[\s\S]*?<\/script>/, '');
}

function dataBlock(page: string): string {
  const m = /<script type="application\/json" id="tw-data">([\s\S]*?)<\/script>/.exec(page);
  if (!m?.[1]) throw new Error('no data block');
  return m[1];
}

const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('report-html reporter', () => {
  it('is an html reporter', async () => {
    expect(reporter.kind).toBe('trailwarden-reporter');
    expect(reporter.id).toBe('html');
    expect(reporter.extension).toBe('.html');
    expect(await reporter.render(result, {})).toBe(html);
  });

  it('renders the same bytes for the same result, also after a JSON round trip', async () => {
    expect(renderHtml(result)).toBe(html);
    expect(renderHtml(JSON.parse(JSON.stringify(result)) as ScanResult)).toBe(html);
    const again = await fixtureResult();
    expect(renderHtml(again)).toBe(html);
  });

  it('locks the page down with a CSP whose hashes match its only inline script and style', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    const scripts = [...markup(html).matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp).toBe(
      `default-src 'none'; script-src ${sha(scripts[0] as string)}; style-src ${sha(styles[0] as string)}; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    // Exactly two <script> elements: the JSON data (never executed) and the hashed page script.
    expect(html.match(/<script\b/gi)).toHaveLength(2);
  });

  it('writes no inline handlers, style attributes, or external resources', () => {
    const m = markup(html);
    expect(m).not.toMatch(/\son[a-z]+\s*=/i);
    expect(m).not.toMatch(/\sstyle\s*=/i);
    expect(m).not.toMatch(/<(img|iframe|object|embed|link[^>]+stylesheet|base|form)\b/i);
    expect(m).not.toMatch(/\ssrc\s*=/i);
    // The only URLs are plain http(s) links a reader clicks, opened without referrer or opener.
    for (const url of m.matchAll(/https?:\/\/[^\s"<]+/g)) {
      const before = m.slice(Math.max(0, (url.index ?? 0) - 10), url.index);
      expect(before).toMatch(/<a href="$/);
    }
    for (const a of m.matchAll(/<a href="(https?:[^"]*)"([^>]*)>/g)) expect(a[2]).toContain('rel="noopener noreferrer"');
    // A check whose docs field is a javascript: URL is shown as text, never as a link.
    expect(m).not.toMatch(/href="javascript:/i);
    expect(m).toContain('Documentation: <span class="mono">javascript:alert(1)</span>');
  });

  it('escapes attacker-controlled strings in the markup', () => {
    const m = markup(html);
    expect(m).not.toContain(SCRIPT_PAYLOAD);
    expect(m).not.toContain('<img');
    expect(m).not.toContain(ATTR_PAYLOAD);
    // The payloads are shown as text: the exception reason, account name and scope note.
    expect(m).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('embeds the findings as JSON that cannot close its element and round-trips exactly', () => {
    const block = dataBlock(html);
    expect(block).not.toMatch(/[<>&\u2028\u2029]/);
    const parsed = JSON.parse(block);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(clientData(result))));
    expect(parsed.rows).toHaveLength(result.findings.length);
    const evidence = JSON.stringify(parsed.rows.map((r: unknown[]) => r[9]));
    expect(evidence).toContain('</script><script>alert(2)</script>\u2028\u2029');
  });

  it('escapes <, >, &, U+2028 and U+2029 in embedded JSON', () => {
    expect(embedJson({ a: '</script>&\u2028\u2029' })).toBe('{"a":"\\u003c/script\\u003e\\u0026\\u2028\\u2029"}');
  });

  it('computes summary, per-account and per-check counts from the findings', () => {
    const vm = buildViewModel(result);
    const open = (s: string) => result.findings.filter((f) => f.status === s && !f.exception).length;
    const card = (label: string) => vm.cards.find((c) => c.label === label)?.value;
    expect(card('Failed')).toBe(String(open('FAIL')));
    expect(card('Errors')).toBe(String(open('ERROR')));
    expect(card('Passed')).toBe(String(open('PASS')));
    expect(card('Excepted')).toBe(String(result.findings.filter((f) => f.exception).length));
    expect(card('Coverage')).toBe('Incomplete');
    expect(vm.matrixGrandTotal).toBe(String(result.findings.length));
    const member = vm.accounts.find((a) => a.id === '222222222222');
    expect(member?.fail).toBe(String(result.findings.filter((f) => f.accountId === '222222222222' && f.status === 'FAIL' && !f.exception).length));
    expect(vm.accounts.find((a) => a.id === '333333333333')?.coverageLabel).toBe('Not read');
    const validation = vm.checks.find((c) => c.id === 'trail-log-file-validation');
    expect(validation?.excepted).toBe('1');
    expect(vm.worstChecks[0]?.id).toBe('account-has-trail');
    expect(vm.exceptions.map((e) => [e.id, e.state])).toEqual([
      ['old-waiver', 'expired'],
      ['legacy-validation', 'active'],
    ]);
    expect(vm.frameworks.map((f) => f.id)).toEqual(['aws-fsbp', 'cis-aws-3.0.0']);
  });

  it('shows what could not be read and why', () => {
    const m = markup(html);
    expect(m).toContain('Incomplete:');
    expect(m).toContain('AssumeRole');
    expect(m).toContain('not authorized to perform sts:AssumeRole');
    expect(m).toContain('DescribeTrails');
    expect(m).toMatch(/<td class="cell cell-failed" title="eu-west-1: AccessDenied: User is not authorized &quot;&gt;&lt;img/);
  });

  it('keeps the markup small: findings are rendered from the data block, not as server-side rows', async () => {
    const demo = await demoResult(40);
    const page = renderHtml(demo);
    const data = dataBlock(page);
    // Beyond the JSON the page is a fixed shell plus aggregate tables.
    expect(page.length - data.length).toBeLessThan(200_000);
    expect(markup(page)).not.toContain('class="finding"');
  });
});

describe('per-check trend (--history)', () => {
  it('shows each check’s FAIL counts over the earlier recorded scans, then this one; none without a history', async () => {
    const result = await fixtureResult();
    const check = result.checks.find((c) => c.counts.FAIL > 0)!;
    const html = await reporter.render(result, { trend: { scans: [{ id: 1, startedAt: 'a' }, { id: 2, startedAt: 'b' }], fails: { [check.id]: [4, -1] } } });
    expect(html).toContain(`FAIL trend 4 → – → ${check.counts.FAIL}`);
    expect(renderHtml(result)).not.toContain('FAIL trend');
  });
});
