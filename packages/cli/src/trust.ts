import { createHash } from 'node:crypto';
import { InputError, type LoadedConfig, type Provenance, type Snapshot, loadConfig, stableStringify, terminalSafe } from '@trailwarden/core';
import type { ParsedArgs } from './args.js';
import type { CliIO } from './io.js';
import { type PluginSet, builtinPluginNames } from './plugins.js';

/**
 * A config file in the working directory loads code (plugins) and sets the gate: in CI it may come
 * from an untrusted branch. So: `--no-config` ignores it, `--no-plugins` loads only the built-in
 * plugins, and every run says which config and plugins it used (stderr, even with --quiet).
 */
export interface EffectiveConfig extends LoadedConfig {
  /** The config's plugins that `--no-plugins` kept from loading. */
  ignoredPlugins?: string[];
}

export async function loadEffectiveConfig(args: ParsedArgs, io: CliIO): Promise<EffectiveConfig> {
  const v = args.values;
  if (v['no-config'] === true && typeof v.config === 'string') throw new InputError('--config and --no-config contradict each other; give one');
  const loaded: LoadedConfig = v['no-config'] === true ? { config: {}, baseDir: io.cwd } : await loadConfig(typeof v.config === 'string' ? v.config : undefined, io.cwd);
  if (v['no-plugins'] === true && loaded.config.plugins?.length) {
    const { plugins: _ignored, ...rest } = loaded.config;
    return { ...loaded, config: rest, ignoredPlugins: loaded.config.plugins };
  }
  return loaded;
}

/**
 * What the run loaded beyond Trailwarden itself, in lines a CI log keeps (stderr, even with
 * --quiet): the config file and every plugin that is not built in, with version and path. A run
 * with neither prints nothing here (the built-in plugins are listed in every report's provenance).
 */
export function announceInputs(io: CliIO, config: EffectiveConfig, plugins: PluginSet): void {
  const line = (s: string) => io.stderr.write(`trailwarden: ${terminalSafe(s)}\n`);
  if (config.path) line(`config: ${config.path}`);
  if (config.ignoredPlugins?.length) line(`--no-plugins: not loading the config's plugins ${config.ignoredPlugins.join(', ')}`);
  const builtins = new Set(builtinPluginNames());
  for (const p of plugins.plugins) {
    if (!builtins.has(p.name)) line(`plugin: ${p.name} ${p.version ?? '(no version)'} from ${p.file ?? p.specifier}`);
  }
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** What produced a result: the endpoint, digests of the effective config and of the snapshot, the plugins. */
export function provenanceOf(config: LoadedConfig, plugins: PluginSet, snapshot: Snapshot, endpoint: string | undefined, stopped?: string): Provenance {
  const builtins = new Set(builtinPluginNames());
  const allow = config.config.collection?.allow;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(config.path ? { configPath: config.path } : {}),
    configDigest: sha256(stableStringify(config.config, 0)),
    snapshotDigest: sha256(stableStringify(snapshot, 0)),
    plugins: plugins.plugins.map((p) => ({
      name: p.name,
      ...(p.version ? { version: p.version } : {}),
      path: p.file ?? p.specifier,
      builtin: builtins.has(p.name),
    })),
    ...(allow?.length ? { collectionAllow: [...allow] } : {}),
    ...(stopped ? { stopped } : {}),
  };
}
