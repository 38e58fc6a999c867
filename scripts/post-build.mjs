// Build steps that are not TypeScript compilation; each is cheap when there is nothing to do.
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function postBuild(root) {
  const bin = join(root, 'packages/cli/dist/bin.js');
  if (existsSync(bin)) chmodSync(bin, 0o755);
}
