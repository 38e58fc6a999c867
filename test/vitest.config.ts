import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Tests import workspace packages from their TypeScript sources, so a test run needs no build step
 * for unit tests (the CLI end-to-end tests run the built `dist/` as users do).
 */
function workspaceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const group of ['packages', 'checks', 'reports']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkgJson = join(dir, name, 'package.json');
      const entry = join(dir, name, 'src', 'index.ts');
      if (!existsSync(pkgJson) || !existsSync(entry)) continue;
      aliases[JSON.parse(readFileSync(pkgJson, 'utf8')).name] = entry;
    }
  }
  return aliases;
}

export default defineConfig({
  root,
  resolve: { alias: workspaceAliases() },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'checks/*/src/**/*.test.ts', 'reports/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // @actions/workflow-parser imports its schema JSON without `with { type: 'json' }`, which Node refuses; Vite's transform accepts it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // Node 20 is supported; the SDK's notice about its own future Node 22 requirement is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // CI reads the JSON results to print its closing "N passed, N failed" line.
    reporters: process.env.TRAILWARDEN_TEST_RESULTS ? ['default', ['json', { outputFile: process.env.TRAILWARDEN_TEST_RESULTS }]] : ['default'],
  },
});
