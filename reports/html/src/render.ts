import type { ScanResult } from '@trailwarden/core';
import Handlebars from 'handlebars';
import { contentSecurityPolicy } from './csp.js';
import { clientData, embedJson } from './embed.js';
import { loadAssets } from './templates.js';
import { type TrendInput, buildViewModel } from './view-model.js';

type Template = (context: unknown) => string;
let compiled: { template: Template; style: string; script: string; csp: string } | undefined;

function prepare(): NonNullable<typeof compiled> {
  if (!compiled) {
    const assets = loadAssets();
    // An isolated Handlebars environment: no global helpers or partials from other code apply.
    const hbs = Handlebars.create();
    for (const [name, body] of Object.entries({ style: assets.style, script: assets.script })) {
      // Raw (triple-stash) insertion is reserved for our own static assets and the escaped JSON.
      if (/<\/(style|script)/i.test(body)) throw new Error(`report-html: templates/${name} must not contain a closing tag`);
    }
    const csp = contentSecurityPolicy(assets.script, assets.style);
    // The policy goes into an attribute verbatim; base64 hashes and keywords never need escaping.
    if (/["<>&]/.test(csp)) throw new Error('report-html: unexpected character in the Content-Security-Policy');
    compiled = {
      template: hbs.compile(assets.template, { strict: false, noEscape: false }),
      style: assets.style,
      script: assets.script,
      csp,
    };
  }
  return compiled;
}

/**
 * The report as one HTML document. Pure function of the ScanResult: no clock, no randomness, so
 * the same result always gives the same bytes.
 */
export function renderHtml(result: ScanResult, trend?: TrendInput): string {
  const { template, style, script, csp } = prepare();
  return template({
    csp,
    style,
    script,
    vm: buildViewModel(result, trend),
    data: embedJson(clientData(result)),
  });
}
