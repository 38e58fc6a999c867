/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScanResult } from '@trailwarden/core';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTR_PAYLOAD, SCRIPT_PAYLOAD, demoResult, fixtureResult } from './__fixtures__/scan.js';
import { renderHtml } from './render.js';

/**
 * The report in a real browser: Debian's chromium driven by playwright-core. A missing browser is
 * a failure, never a skip: install it with `apt-get install -y chromium`.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = fileURLToPath(new URL('../screenshots/report.png', import.meta.url));

let browser: Browser;
let dir: string;
let result: ScanResult;
let reportUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: the HTML report's browser tests need it (apt-get install -y chromium)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  dir = mkdtempSync(join(tmpdir(), 'tw-html-'));
  result = await fixtureResult();
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtml(result));
  reportUrl = pathToFileURL(file).href;
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console errors, page errors, dialogs and requests other than the report itself. */
  problems: string[];
}

async function open(url = reportUrl, options: BrowserContextOptions = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  return { page, problems };
}

async function close(o: Opened): Promise<void> {
  await o.page.context().close();
}

const matching = async (page: Page): Promise<number> => Number(await page.getAttribute('#f-count', 'data-matching'));
const column = (page: Page, n: number): Promise<string[]> =>
  page.$$eval(`#findings-body tr.finding > td:nth-child(${n})`, (tds) => tds.map((td) => td.textContent ?? ''));

describe('HTML report in Chromium', () => {
  it('loads with no console errors, no page errors and no network requests', async () => {
    const o = await open();
    // Give late resource loads (fonts, favicons, images) a moment to show up.
    await o.page.waitForTimeout(300);
    expect(o.problems).toEqual([]);
    expect(await o.page.title()).toBe('Trailwarden CloudTrail compliance report');
    await close(o);
  });

  it('shows summary numbers that match the result', async () => {
    const o = await open();
    const card = (label: string) => o.page.textContent(`[data-card="${label}"] .value`);
    const open_ = (s: string) => result.findings.filter((f) => f.status === s && !f.exception).length;
    expect(await card('Failed')).toBe(String(open_('FAIL')));
    expect(await card('Errors')).toBe(String(open_('ERROR')));
    expect(await card('Passed')).toBe(String(open_('PASS')));
    expect(await card('Excepted')).toBe(String(result.findings.filter((f) => f.exception).length));
    expect(await o.page.textContent('#summary-total')).toBe(String(result.findings.length));
    expect(await matching(o.page)).toBe(result.findings.length);
    expect(await o.page.$$eval('#findings-body tr.finding', (r) => r.length)).toBe(result.findings.length);
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('filters by status, severity, exception, account, check and text', async () => {
    const o = await open();
    const { page } = o;
    const count = (pred: (f: ScanResult['findings'][number]) => boolean) => result.findings.filter(pred).length;

    await page.selectOption('#f-status', 'FAIL');
    expect(await matching(page)).toBe(count((f) => f.status === 'FAIL'));
    expect(await matching(page)).toBeLessThan(result.findings.length);
    for (const label of await column(page, 1)) expect(label).toMatch(/^Fail/);

    await page.selectOption('#f-exception', 'open');
    expect(await matching(page)).toBe(count((f) => f.status === 'FAIL' && !f.exception));
    await page.selectOption('#f-exception', '');

    await page.selectOption('#f-status', '');
    await page.selectOption('#f-severity', 'critical');
    expect(await matching(page)).toBe(count((f) => f.severity === 'critical'));
    for (const label of await column(page, 2)) expect(label).toBe('Critical');
    await page.selectOption('#f-severity', '');

    await page.selectOption('#f-account', { label: `222222222222 (Workloads ${SCRIPT_PAYLOAD})` });
    expect(await matching(page)).toBe(count((f) => f.accountId === '222222222222'));
    for (const id of await column(page, 4)) expect(id).toBe('222222222222');

    await page.selectOption('#f-check', { label: 'trail-log-file-validation — Log file validation is enabled' });
    expect(await matching(page)).toBe(count((f) => f.accountId === '222222222222' && f.checkId === 'trail-log-file-validation'));
    await page.click('#f-reset');
    expect(await matching(page)).toBe(result.findings.length);

    // Text search covers names, ARNs, messages, evidence and exception reasons.
    const legacy = count((f) => JSON.stringify(f).toLowerCase().includes('legacy'));
    expect(legacy).toBeGreaterThan(0);
    expect(legacy).toBeLessThan(result.findings.length);
    await page.fill('#f-text', 'LEGACY');
    await page.waitForFunction((n) => document.getElementById('f-count')?.dataset.matching === String(n), legacy);
    const details = await page.$$eval('#findings-body tr.detail', (rows) => rows.map((r) => (r.textContent ?? '').toLowerCase()));
    expect(details).toHaveLength(legacy);
    for (const d of details) expect(d).toContain('legacy');
    await page.fill('#f-text', 'no-such-thing-anywhere');
    await page.waitForFunction(() => document.getElementById('f-count')?.dataset.matching === '0');
    expect(await page.textContent('#findings-body')).toContain('No findings match these filters.');

    // A link in the per-account view filters the table to that account.
    await page.click('#f-reset');
    await page.click('#accounts-table button[data-filter-account="333333333333"]');
    expect(await matching(page)).toBe(count((f) => f.accountId === '333333333333'));
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('sorts by a column, both ways', async () => {
    const o = await open();
    const { page } = o;
    await page.click('#findings-table th[data-sort="check"] button');
    const asc = await column(page, 3);
    expect(asc).toEqual([...asc].sort());
    expect(new Set(asc).size).toBeGreaterThan(1);
    expect(await page.getAttribute('#findings-table th[data-sort="check"]', 'aria-sort')).toBe('ascending');
    await page.click('#findings-table th[data-sort="check"] button');
    const desc = await column(page, 3);
    expect(desc).toEqual([...asc].sort().reverse());
    expect(await page.getAttribute('#findings-table th[data-sort="check"]', 'aria-sort')).toBe('descending');
    // Default order puts open failures first.
    await page.click('#findings-table th[data-sort="status"] button');
    expect((await column(page, 1))[0]).toBe('Fail');
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('expands a finding to show its evidence and remediation', async () => {
    const o = await open();
    const { page } = o;
    await page.selectOption('#f-check', { label: 'trail-log-file-validation — Log file validation is enabled' });
    const row = page.locator('#findings-body tr.finding').first();
    const detail = page.locator('#findings-body tr.detail').first();
    expect(await detail.isVisible()).toBe(false);
    await row.click();
    expect(await detail.isVisible()).toBe(true);
    expect(await row.getAttribute('aria-expanded')).toBe('true');
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('Evidence');
    expect(text).toContain('logFileValidationEnabled');
    expect(text).toContain('Remediation');
    expect(text).toContain('aws cloudtrail update-trail --name <trail> --enable-log-file-validation');
    await row.click();
    expect(await detail.isVisible()).toBe(false);
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('never executes payloads from resource names, messages, evidence or exception reasons', async () => {
    const o = await open();
    const { page } = o;
    await page.fill('#f-text', 'onerror');
    await page.waitForFunction(() => Number(document.getElementById('f-count')?.dataset.matching) > 0);
    await page.click('#f-expand');
    await page.click('#checks-table button.toggle >> nth=0');
    await page.click('button[aria-controls="coverage-errors"]');
    await page.waitForTimeout(300);
    // Payloads render as text: visible verbatim, but no element was injected.
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain(ATTR_PAYLOAD);
    expect(body).toContain(SCRIPT_PAYLOAD);
    expect(body).toContain('</script><script>alert(2)</script>');
    expect(await page.$$eval('img', (e) => e.length)).toBe(0);
    expect(await page.$$eval('script', (e) => e.length)).toBe(2);
    expect(await page.$$eval('[onerror]', (e) => e.length)).toBe(0);
    const reason = (await page.textContent('#exceptions-table')) ?? '';
    expect(reason).toContain(`Legacy trail ${SCRIPT_PAYLOAD}${ATTR_PAYLOAD}`);
    const details = (await page.$$eval('#findings-body tr.detail', (rows) => rows.map((r) => r.textContent ?? ''))).join('\n');
    expect(details).toContain('onerror=alert(1)');
    expect(details).toContain(`DenyCloudTrailStop${SCRIPT_PAYLOAD}`);
    expect(details).toContain(`Make the trail multi-region (see ${SCRIPT_PAYLOAD}).`);
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('expands everything for print', async () => {
    const o = await open();
    const { page } = o;
    await page.emulateMedia({ media: 'print' });
    const hiddenDetails = await page.$$eval('#findings-body tr.detail', (rows) => rows.filter((r) => getComputedStyle(r).display === 'none').length);
    expect(hiddenDetails).toBe(0);
    expect(await page.locator('#findings-body tr.detail').first().isVisible()).toBe(true);
    expect(await page.locator('tr.check-detail').first().isVisible()).toBe(true);
    expect(await page.locator('#coverage-errors').isVisible()).toBe(true);
    expect(await page.locator('nav.sections').isVisible()).toBe(false);
    expect(await page.locator('#f-print-note').textContent()).toContain('This printout lists findings');
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('#findings-body tr.detail').first().isVisible()).toBe(false);
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('renders in dark mode', async () => {
    const o = await open(reportUrl, { colorScheme: 'dark' });
    const bg = await o.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThan(60);
    const text = await o.page.evaluate(() => getComputedStyle(document.body).color);
    const [tr] = (text.match(/\d+/g) ?? []).map(Number) as [number];
    expect(tr).toBeGreaterThan(180);
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('loads a result with no findings, checks or exceptions', async () => {
    const empty: ScanResult = {
      ...result,
      coverage: { accounts: [], errors: [], complete: true },
      checks: [],
      findings: [],
      exceptions: [],
      frameworks: [],
    };
    const file = join(dir, 'empty.html');
    writeFileSync(file, renderHtml(empty));
    const url = pathToFileURL(file).href;
    const o = await open(url);
    expect(await matching(o.page)).toBe(0);
    expect(await o.page.textContent('#findings-body')).toContain('No findings match these filters.');
    expect(await o.page.textContent('#exceptions')).toContain('No exceptions are configured.');
    expect(o.problems).toEqual([]);
    await close(o);
  });

  it('pages through a larger report and saves a screenshot of it', async () => {
    const demo = await demoResult(24);
    const file = join(dir, 'demo.html');
    writeFileSync(file, renderHtml(demo));
    const url = pathToFileURL(file).href;
    const o = await open(url);
    const { page } = o;
    await page.selectOption('#f-size', '50');
    expect(await page.$$eval('#findings-body tr.finding', (r) => r.length)).toBe(50);
    expect(await page.textContent('#f-count')).toContain(`Showing 1–50 of ${demo.findings.length}`);
    await page.click('#f-next');
    expect(await page.textContent('#f-count')).toContain(`Showing 51–100 of ${demo.findings.length}`);
    await page.click('#f-prev');
    await page.locator('#findings-body tr.finding').nth(1).click();
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(o.problems).toEqual([]);
    await close(o);
  });
});
