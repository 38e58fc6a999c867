import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { InputError, type LoadedConfig, type LoadedPlugin, type Reporter, loadPlugin, registerPrecompiledOptionValidators } from '@trailwarden/core';

const cliDir = dirname(fileURLToPath(import.meta.url));
const cliPackage = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};

export const TOOL = { name: 'trailwarden', version: cliPackage.version };

/** Formats Trailwarden knows of; one whose reporter is not installed is refused by name. */
export const KNOWN_FORMATS = ['json', 'sarif', 'html', 'junit'] as const;

/**
 * The built-in plugins are the CLI's own dependencies named `@trailwarden/check-*` and
 * `@trailwarden/report-*`; they load through the same loader and validation as third-party ones.
 */
export function builtinPluginNames(): string[] {
  return Object.keys(cliPackage.dependencies ?? {})
    .filter((n) => n.startsWith('@trailwarden/check-') || n.startsWith('@trailwarden/report-'))
    .sort();
}

export interface PluginSet {
  plugins: LoadedPlugin[];
  reporters: Map<string, Reporter>;
}

let registered = false;
/** The built-in checks' options validators, generated at build time (scripts/precompile-option-validators.mjs). */
function registerBuiltinOptionValidators(): void {
  if (registered) return;
  registered = true;
  try {
    registerPrecompiledOptionValidators(createRequire(import.meta.url)('./generated/option-validators.cjs'));
  } catch (e) {
    // Running from sources (tests) there is no generated file: the schemas are compiled when first used.
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes('option-validators.cjs')) throw e;
  }
}

export async function loadAllPlugins(config: LoadedConfig): Promise<PluginSet> {
  registerBuiltinOptionValidators();
  const plugins: LoadedPlugin[] = [];
  for (const name of builtinPluginNames()) plugins.push(await loadPlugin(name, cliDir));
  for (const spec of config.config.plugins ?? []) plugins.push(await loadPlugin(spec, config.baseDir));
  const reporters = new Map<string, Reporter>();
  for (const p of plugins) {
    for (const r of p.reporters) {
      if (reporters.has(r.id)) throw new InputError(`reporter "${r.id}" is defined twice (also by another plugin)`, `plugin ${p.name}`);
      reporters.set(r.id, r);
    }
  }
  return { plugins, reporters };
}

export function selectFormats(requested: string[] | undefined, reporters: Map<string, Reporter>): Reporter[] {
  const names = requested ?? KNOWN_FORMATS.filter((f) => reporters.has(f));
  return names.map((name) => {
    const r = reporters.get(name);
    if (r) return r;
    if ((KNOWN_FORMATS as readonly string[]).includes(name)) {
      throw new InputError(`format "${name}" is not available in this build (its reporter plugin @trailwarden/report-${name} is not installed); available: ${[...reporters.keys()].join(', ')}`, '--format');
    }
    throw new InputError(`unknown format "${name}"; available: ${[...reporters.keys()].join(', ')}`, '--format');
  });
}
