import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { compileOptionsSchema, describeAjvErrors } from '../util/ajv.js';
import { staticValidator } from '../util/validators.js';
import { InputError, isInputError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { type Check, PLUGIN_API_VERSION, type Reporter, SUPPORTED_PLUGIN_API_VERSIONS } from './api.js';
import { type CollectDeclaration, declarationHash, declarationProblem } from './collect-declaration.js';
import { checkMetadataSchema, reporterMetadataSchema } from './metadata-schema.js';
import { pluginExports } from './plugin-exports.js';

export interface LoadedPlugin {
  name: string;
  version?: string;
  /** What the user named: a package name or a path. */
  specifier: string;
  /** The module file it was imported from (a worker thread imports it again to run its checks). */
  file?: string;
  // biome-ignore lint/suspicious/noExplicitAny: checks of any option type
  checks: Check<any, any, any>[];
  // biome-ignore lint/suspicious/noExplicitAny: reporters of any option type
  reporters: Reporter<any>[];
}

const validateCheckMeta = (): ValidateFunction => staticValidator('checkMeta', checkMetadataSchema);
const validateReporterMeta = (): ValidateFunction => staticValidator('reporterMeta', reporterMetadataSchema);

function refuse(plugin: string, what: string): never {
  throw new InputError(what, `plugin ${plugin}`);
}

function firstProblem(validate: ValidateFunction, data: unknown, prefix: string): string | undefined {
  if (validate(data)) return undefined;
  return describeAjvErrors(validate.errors, prefix).join('; ');
}

/** " (and still loads plugins written for version 1)". */
function supportedNote(): string {
  const older = SUPPORTED_PLUGIN_API_VERSIONS.filter((v) => v !== PLUGIN_API_VERSION);
  return older.length > 0 ? ` (and still loads plugins written for version ${older.join(', ')})` : '';
}

/** The options a check's schema lists as `required` at the top level (they have no default). */
export function requiredOptions(schema: unknown): string[] {
  const r = (schema as { required?: unknown } | undefined)?.required;
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
}

/** Validate one check's metadata, options schema and defaults; throws naming the plugin and field. */
export function validateCheck(value: unknown, plugin: string): Check {
  const c = value as Check;
  const label = typeof c?.id === 'string' ? `check "${c.id}"` : 'check';
  if (!c || typeof c !== 'object') refuse(plugin, `${label} is not an object`);
  if (c.apiVersion !== undefined && !SUPPORTED_PLUGIN_API_VERSIONS.includes(c.apiVersion)) {
    refuse(plugin, `${label} was written for plugin API version ${c.apiVersion}, this Trailwarden implements version ${PLUGIN_API_VERSION}${supportedNote()}; upgrade the plugin or Trailwarden`);
  }
  // The collect entries first: their refusals (a mutating command, a secret-returning read) are
  // the ones that matter most, and say more than a schema error would.
  if (c.collect && typeof c.collect === 'object' && !Array.isArray(c.collect)) {
    for (const [entry, decl] of Object.entries(c.collect)) {
      const bad = declarationProblem(decl, Array.isArray(c.requires) ? c.requires : undefined);
      if (bad) refuse(plugin, `${label}, collect entry "${entry}": ${bad}`);
    }
  }
  const problem = firstProblem(validateCheckMeta(), c, label);
  if (problem) refuse(plugin, problem);
  if (typeof c.evaluate !== 'function') refuse(plugin, `${label}.evaluate must be a function`);
  if (c.options) {
    let validate: ValidateFunction;
    try {
      validate = compileOptionsSchema(c.options.schema);
    } catch (e) {
      refuse(plugin, `${label}.options.schema is not a valid JSON Schema: ${(e as Error).message}`);
    }
    const defaults = structuredClone(c.options.defaults);
    const required = requiredOptions(c.options.schema);
    for (const name of required) {
      const props = (c.options.schema as { properties?: Record<string, unknown> }).properties ?? {};
      if (!(name in props)) refuse(plugin, `${label}.options.schema requires "${name}" but does not describe it under properties`);
    }
    // A required option has no default (the config must set it): its absence from the defaults is no problem.
    const bad = validate(defaults)
      ? undefined
      : describeAjvErrors(
          (validate.errors ?? []).filter((e) => !(e.keyword === 'required' && e.instancePath === '' && required.includes(String(e.params.missingProperty)))),
          `${label}.options.defaults`,
        ).join('; ');
    if (bad) refuse(plugin, `${bad} (the defaults must satisfy the options schema)`);
  }
  return c;
}

export function validateReporter(value: unknown, plugin: string): Reporter {
  const r = value as Reporter;
  const label = typeof r?.id === 'string' ? `reporter "${r.id}"` : 'reporter';
  if (!r || typeof r !== 'object') refuse(plugin, `${label} is not an object`);
  if (r.apiVersion !== undefined && !SUPPORTED_PLUGIN_API_VERSIONS.includes(r.apiVersion)) {
    refuse(plugin, `${label} was written for plugin API version ${r.apiVersion}, this Trailwarden implements version ${PLUGIN_API_VERSION}${supportedNote()}`);
  }
  const problem = firstProblem(validateReporterMeta(), r, label);
  if (problem) refuse(plugin, problem);
  if (typeof r.render !== 'function') refuse(plugin, `${label}.render must be a function`);
  if (r.options) {
    try {
      compileOptionsSchema(r.options.schema);
    } catch (e) {
      refuse(plugin, `${label}.options.schema is not a valid JSON Schema: ${(e as Error).message}`);
    }
  }
  return r;
}

/**
 * Turn a plugin module's default export into checks and reporters. Accepted shapes: a check, a
 * reporter, an array of them, or `{ checks, reporters }`.
 */
export function registerPluginModule(mod: unknown, source: { name: string; version?: string; specifier: string }): LoadedPlugin {
  const items = pluginExports(mod);
  const plugin: LoadedPlugin = { ...source, checks: [], reporters: [] };
  if (items.length === 0) refuse(source.name, 'exports no checks and no reporters');
  for (const [i, item] of items.entries()) {
    const kind = (item as { kind?: unknown })?.kind;
    if (kind === 'trailwarden-check') plugin.checks.push(asInputError(source.name, () => validateCheck(item, source.name)));
    else if (kind === 'trailwarden-reporter') plugin.reporters.push(asInputError(source.name, () => validateReporter(item, source.name)));
    else refuse(source.name, `export #${i} is neither a check nor a reporter (define it with defineCheck or defineReporter from @trailwarden/core)`);
  }
  const ids = new Set<string>();
  for (const c of plugin.checks) {
    if (ids.has(c.id)) refuse(source.name, `exports check id "${c.id}" twice`);
    ids.add(c.id);
  }
  // Entries share the plugin's namespace in the snapshot: one name, one declaration.
  const declared = new Map<string, { checkId: string; hash: string }>();
  for (const c of plugin.checks) {
    for (const [entry, decl] of Object.entries(c.collect ?? {})) {
      const hash = declarationHash(decl as CollectDeclaration);
      const first = declared.get(entry);
      if (first && first.hash !== hash) {
        refuse(source.name, `checks "${first.checkId}" and "${c.id}" declare collect entry "${entry}" differently (entries share the plugin's snapshot namespace: rename one)`);
      }
      declared.set(entry, first ?? { checkId: c.id, hash });
    }
  }
  return plugin;
}

/** Metadata so malformed that validating it threw (a getter, an uncloneable default): bad input, not a crash. */
function asInputError<T>(plugin: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (isInputError(e)) throw e;
    refuse(plugin, `its metadata could not be validated: ${(e as Error)?.message ?? String(e)}`);
  }
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
}

/** A plugin's package.json, refused by name when it is not JSON or its fields are not strings. */
function readPackageJson(file: string, plugin: string): PackageJson {
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    refuse(plugin, `${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) refuse(plugin, `${file} must be a JSON object`);
  const p = pkg as Record<string, unknown>;
  for (const field of ['name', 'version', 'main'] as const) {
    if (p[field] !== undefined && (typeof p[field] !== 'string' || p[field] === '')) refuse(plugin, `${file}: "${field}" must be a non-empty string`);
  }
  return p as PackageJson;
}

interface ResolvedModule {
  file: string;
  name: string;
  version?: string;
}

/** Find a package's entry file from `baseDir` the way Node would, preferring ESM `import`. */
function resolvePackage(name: string, baseDir: string): ResolvedModule | undefined {
  let dir = resolve(baseDir);
  for (;;) {
    const pkgDir = join(dir, 'node_modules', name);
    const pkgJson = join(pkgDir, 'package.json');
    if (existsSync(pkgJson)) {
      const pkg = readPackageJson(pkgJson, name);
      const entry = exportEntry(pkg.exports) ?? pkg.main ?? 'index.js';
      return { file: join(pkgDir, entry), name: pkg.name ?? name, version: pkg.version };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const e = exports as Record<string, unknown>;
  const root = '.' in e ? e['.'] : e;
  if (typeof root === 'string') return root;
  if (root && typeof root === 'object') {
    const r = root as Record<string, unknown>;
    for (const cond of ['import', 'node', 'default']) {
      const v = r[cond];
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object') {
        const nested = exportEntry({ '.': v });
        if (nested) return nested;
      }
    }
  }
  return undefined;
}

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:');
}

/** Load a plugin by npm package name (resolved from `baseDir`) or by path (relative to `baseDir`). */
export async function loadPlugin(specifier: string, baseDir: string): Promise<LoadedPlugin> {
  let file: string;
  let name = specifier;
  let version: string | undefined;
  if (isPathSpecifier(specifier)) {
    file = specifier.startsWith('file:') ? new URL(specifier).pathname : resolve(baseDir, specifier);
    if (!existsSync(file)) refuse(specifier, `no file at ${file}`);
    if (existsSync(join(file, 'package.json'))) {
      const pkg = readPackageJson(join(file, 'package.json'), specifier);
      name = pkg.name ?? specifier;
      version = pkg.version;
      file = join(file, exportEntry(pkg.exports) ?? pkg.main ?? 'index.js');
    }
  } else {
    const resolved = resolvePackage(specifier, baseDir);
    if (!resolved) refuse(specifier, `package not found from ${baseDir}; install it (npm install ${specifier}) next to your config`);
    ({ file, name, version } = resolved);
  }
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    refuse(name, `could not be imported from ${file}: ${(e as Error).message}`);
  }
  return { ...asInputError(name, () => registerPluginModule(mod, { name, version, specifier })), file };
}

/**
 * Check the config's reporter options (`reporters.<id>`) against each reporter's own schema, and
 * refuse options for a reporter that is not installed: done when the run starts, before collection.
 */
export function assertReporterOptions(reporters: readonly Reporter[], configured: Record<string, Record<string, unknown>> | undefined, where: string): void {
  const known = reporters.map((r) => r.id);
  for (const id of Object.keys(configured ?? {})) {
    if (!known.includes(id)) throw new InputError(`options for unknown reporter "${id}"${didYouMean(id, known)}; known: ${known.join(', ')}`, `${where}: reporters.${id}`);
  }
  for (const r of reporters) {
    if (!r.options) continue;
    const validate = compileOptionsSchema(r.options.schema);
    const options = structuredClone(configured?.[r.id] ?? {});
    if (!validate(options)) throw new InputError(describeAjvErrors(validate.errors, `reporters.${r.id}`).join('; '), where);
  }
}
