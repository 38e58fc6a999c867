import { readFileSync } from 'node:fs';

/**
 * The template, stylesheet and page script ship as files under `templates/`, read relative to this
 * module so the same code works from `src/` (tests) and `dist/` (the published package).
 */
export interface Assets {
  template: string;
  style: string;
  script: string;
}

let cached: Assets | undefined;

function read(name: string): string {
  return readFileSync(new URL(`../templates/${name}`, import.meta.url), 'utf8');
}

export function loadAssets(): Assets {
  cached ??= { template: read('report.hbs'), style: read('report.css'), script: read('report.client.js') };
  return cached;
}
