// Build steps that are not TypeScript compilation; each is cheap when there is nothing to do.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function postBuild(root) {
  const bin = join(root, 'packages/cli/dist/bin.js');
  if (existsSync(bin)) chmodSync(bin, 0o755);
  // ajv standalone validators: core's schemas, the built-in checks' options (each skips itself when up to date).
  for (const script of ['packages/core/scripts/precompile-validators.mjs', 'packages/cli/scripts/precompile-option-validators.mjs']) {
    const r = spawnSync(process.execPath, [join(root, script)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${script} exited ${r.status}`);
  }
}
