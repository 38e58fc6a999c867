#!/usr/bin/env node
// Runs the benchmarks (bench/*.bench.mjs, or those named: `npm run bench collect evaluate`) one at a
// time against the built packages, each in its own process so RSS figures are its own.
// Figures are printed, never asserted: performance is measured here, not in tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Numbers (and `none`) are the benchmarks' own arguments: `npm run bench shards 2000 2,4` passes `2000 2,4` on.
const isArgument = (a) => /^([0-9]+(,[0-9]+)*|none)$/.test(a);
const wanted = process.argv.slice(2).filter((a) => !isArgument(a));
const forwarded = process.argv.slice(2).filter(isArgument);
const all = readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const file of chosen) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, file), ...forwarded], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`!! ${file} exited ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
