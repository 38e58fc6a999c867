/// <reference lib="dom" />
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanAt } from './__fixtures__/scans.js';
import { History, buildEvidence, renderEvidenceHtml } from './index.js';

/**
 * The auditor's period report (`trailwarden evidence --format html`) in a real browser: Debian's
 * chromium driven by playwright-core. A missing browser is a failure, never a skip.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: the browser tests need it (apt-get install -y chromium)`);
  const dir = mkdtempSync(join(tmpdir(), 'tw-evidence-browser-'));
  const h = await History.open(join(dir, 'h.sqlite'));
  h.record({ result: await scanAt('2026-03-01T10:00:00Z'), snapshotDigest: 'sha256:1', plugins: [] });
  h.record({ result: await scanAt('2026-03-03T10:00:00Z', { start: '2026-03-02T01:00:00Z', end: '2026-03-02T03:00:00Z', minutes: 120 }), snapshotDigest: 'sha256:2', plugins: [] });
  const report = buildEvidence(h, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-05T00:00:00Z'), { now: new Date('2026-03-10T00:00:00Z') });
  h.close();
  const file = join(dir, 'evidence.html');
  writeFileSync(file, renderEvidenceHtml(report));
  url = pathToFileURL(file).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the evidence report in a browser', () => {
  it('marks the gap days, lists the blind window with its actor, and runs no script from the data', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', async (d) => {
      problems.push(`dialog: ${d.message()}`);
      await d.dismiss();
    });
    await page.goto(url);
    const days = await page.$$eval('#days .day', (els) => els.map((e) => ({ day: e.getAttribute('title') ?? '', gap: e.classList.contains('gap') })));
    expect(days.filter((d) => d.gap).map((d) => d.day.slice(0, 10))).toEqual(['2026-03-02', '2026-03-04']);
    // A gap day is visibly different from a covered one (its own background colour).
    const colours = await page.$$eval('#days .day', (els) => [...new Set(els.map((e) => getComputedStyle(e).backgroundColor))]);
    expect(colours.length).toBeGreaterThanOrEqual(2);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's page.innerText (the text as shown), not the DOM property
    const text = await page.innerText('body');
    expect(text).toMatch(/2 day\(s\) not covered by any scan/);
    expect(text).toMatch(/StopLogging/);
    expect(text).toMatch(/user\/mallory/);
    // The hostile trail name is shown as text, never run.
    expect(text).toContain('<script>alert("x")</script>');
    expect(await page.$$('script')).toHaveLength(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
