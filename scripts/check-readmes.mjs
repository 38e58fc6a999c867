#!/usr/bin/env node
// Regenerates the reference region of every check package's README from the built metadata and
// framework packs (`npm run docs:checks`, after `npm run build`). The hand-written text around the
// region is left alone; test/docs.test.ts fails when a README is stale.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
let changed = 0;
for (const dir of readdirSync(join(root, 'checks')).sort()) {
  const pkgDir = join(root, 'checks', dir);
  if (!existsSync(join(pkgDir, 'dist/index.js'))) continue;
  const plugin = await core.loadPlugin(pkgDir, root);
  const readmePath = join(pkgDir, 'README.md');
  const before = readFileSync(readmePath, 'utf8');
  const after = core.withReadmeReference(before, core.renderReadmeReference(plugin.name, plugin.checks));
  if (after !== before) {
    writeFileSync(readmePath, after);
    changed++;
    console.log(`updated checks/${dir}/README.md`);
  }
}
console.log(`${changed} README(s) updated`);
