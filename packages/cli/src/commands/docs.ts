import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { checkDocFileName, loadConfig, renderCheckDoc, renderCheckIndex } from '@trailwarden/core';
import { helpText, parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';
import { builtinPluginNames, loadAllPlugins } from '../plugins.js';
import { writeAtomic } from '../render.js';

const OPTIONS = {
  out: { type: 'string' as const, short: 'o', help: 'directory for the pages (default: trailwarden-docs)', arg: 'DIR' },
  config: { type: 'string' as const, short: 'c', help: 'config file (its plugins are documented too)', arg: 'FILE' },
};

export const DOCS_HELP = helpText(
  'trailwarden docs [--out DIR]',
  'Write one Markdown page per check (description, severity, frameworks, options with defaults, remediation), generated from the plugins’ own metadata — built-in and third-party checks alike — and an index.',
  [OPTIONS],
);

export async function docsCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('docs', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(DOCS_HELP);
    return 0;
  }
  const config = await loadConfig(typeof args.values.config === 'string' ? args.values.config : undefined, io.cwd);
  const { plugins } = await loadAllPlugins(config);
  const builtin = new Set(builtinPluginNames());
  const out = resolve(io.cwd, typeof args.values.out === 'string' ? args.values.out : 'trailwarden-docs');
  await mkdir(out, { recursive: true });
  const documented = plugins.flatMap((plugin) => plugin.checks.map((check) => ({ check, plugin: plugin.name }))).sort((a, b) => a.check.id.localeCompare(b.check.id));
  for (const { check, plugin } of documented) {
    await writeAtomic(join(out, checkDocFileName(check.id)), renderCheckDoc(check, { pluginName: plugin, builtin: builtin.has(plugin) }));
  }
  await writeAtomic(join(out, 'README.md'), renderCheckIndex(documented.map(({ check, plugin }) => ({ check, pluginName: plugin })), { title: 'Trailwarden checks' }));
  io.stdout.write(`Wrote ${documented.length} check pages and README.md to ${relative(io.cwd, out) || '.'}\n`);
  return 0;
}
