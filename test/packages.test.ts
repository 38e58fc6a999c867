import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without types
import { syncTsconfigReferences, workspacePackages } from '../scripts/workspace.mjs';
import { ROOT } from './helpers.js';

type Pkg = { dir: string; name: string; pkg: Record<string, unknown> & { dependencies?: Record<string, string>; scripts?: Record<string, string> } };
const publicPackages = (workspacePackages(ROOT) as Pkg[]).filter((p) => !p.pkg.private);

/** Every public package can be published as it is (`npm run pack`, the release workflow). */
describe('workspace packages', () => {
  it.each(publicPackages.map((p) => [p.name, p] as const))('%s is publish-ready', (_name, { dir, pkg }) => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.engines).toEqual({ node: '>=22' });
    expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist']));
    const exports = pkg.exports as Record<string, { types?: string; default?: string }> | undefined;
    expect(exports?.['.']?.types, 'exports["."].types').toMatch(/^\.\/dist\/.*\.d\.ts$/);
    expect(pkg.scripts?.build, 'build script').toMatch(/^tsc -b tsconfig\.build\.json/);
    expect(existsSync(join(ROOT, dir, 'README.md')), 'README.md').toBe(true);
  });

  it('pins the AWS SDK to exact versions (it releases often; two installs of one commit must not differ)', () => {
    for (const { name, pkg } of publicPackages) {
      for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
        if (dep.startsWith('@aws-sdk/') || dep.startsWith('@smithy/')) expect(range, `${name} → ${dep}`).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
    expect(readFileSync(join(ROOT, '.npmrc'), 'utf8')).toMatch(/^save-exact=true$/m);
  });

  it('the TypeScript project references follow package.json (tsc -b builds in dependency order)', () => {
    expect(syncTsconfigReferences(ROOT, { check: true })).toEqual([]);
  });
});
