import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { InputError } from './errors.js';

// ajv and its formats are loaded on first use, not at import: most commands (help, checks, a scan's
// start) validate only with the validators precompiled at build time (see validators.ts).
const require = createRequire(import.meta.url);
let ajvModules: { Ajv2020: typeof Ajv2020; addFormats: (ajv: Ajv2020) => Ajv2020; draft07: object } | undefined;
function loadAjv() {
  ajvModules ??= {
    Ajv2020: (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020,
    addFormats: require('ajv-formats') as (ajv: Ajv2020) => Ajv2020,
    draft07: require('ajv/dist/refs/json-schema-draft-07.json') as object,
  };
  return ajvModules;
}

/** JSON Schema 2020-12 by default; plugin option schemas written for draft-07 are accepted too. */
export function createAjv(options: Options = {}): Ajv2020 {
  const { Ajv2020, addFormats, draft07 } = loadAjv();
  const ajv = new Ajv2020({ allErrors: true, strict: false, ...options });
  ajv.addMetaSchema(draft07);
  addFormats(ajv);
  return ajv;
}

let optionsAjv: Ajv2020 | undefined;
const optionValidators = new WeakMap<object, ValidateFunction>();
const precompiledOptions = new Map<string, ValidateFunction>();

/** The key a precompiled options validator is filed under: a digest of the schema's canonical JSON. */
export function optionsSchemaKey(schema: object): string {
  return createHash('sha256').update(canonicalJson(schema)).digest('hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Validators generated at build time (ajv standalone, useDefaults) for schemas known then — the CLI
 * files its built-in checks' options here — so that loading them compiles nothing at start.
 */
export function registerPrecompiledOptionValidators(table: Record<string, ValidateFunction>): void {
  for (const [key, validate] of Object.entries(table)) precompiledOptions.set(key, validate);
}

/**
 * A plugin's options schema compiled once per process (loading validates the defaults, selection the
 * config's options: both use this). One shared ajv instance; a schema whose $id is taken gets its own.
 */
export function compileOptionsSchema(schema: object): ValidateFunction {
  const hit = optionValidators.get(schema) ?? (precompiledOptions.size ? precompiledOptions.get(optionsSchemaKey(schema)) : undefined);
  if (hit) {
    optionValidators.set(schema, hit);
    return hit;
  }
  optionsAjv ??= createAjv({ useDefaults: true });
  let validate: ValidateFunction;
  try {
    validate = optionsAjv.compile(schema);
  } catch (e) {
    if (!/already exists/.test((e as Error).message)) throw e;
    validate = createAjv({ useDefaults: true }).compile(schema);
  }
  optionValidators.set(schema, validate);
  return validate;
}

/** `/checks/0/id` → `checks[0].id`; the root is `(root)`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    // Short numbers are array indexes; long ones (12-digit account ids) are object keys.
    .reduce((acc, part) => (/^\d{1,6}$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** One readable line per problem: `path: what is wrong (allowed: ...)`. */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined, prefix = ''): string[] {
  const lines = new Set<string>();
  for (const e of errors ?? []) {
    let path = pointerToPath(e.instancePath);
    if (prefix) path = path === '(root)' ? prefix : `${prefix}.${path}`;
    let what = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      path = path === '(root)' ? extra : `${path}.${extra}`;
      what = 'is not a known field';
    } else if (e.keyword === 'enum') {
      what = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      continue; // the branch errors say more
    }
    lines.add(`${path}: ${what}`);
  }
  if (lines.size === 0 && errors?.length) lines.add(`${prefix || '(root)'}: ${errors[0]?.message ?? 'is invalid'}`);
  // A deeper error says more than the union/branch errors of its ancestors: keep the deepest.
  const all = [...lines];
  const paths = all.map((l) => l.slice(0, l.indexOf(': ')));
  return all.filter((_, i) => !paths.some((p, j) => j !== i && p !== paths[i] && (p.startsWith(`${paths[i]}.`) || p.startsWith(`${paths[i]}[`))));
}

/** Validate or throw an InputError that names the file and every bad field. */
export function assertValid<T>(validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }, data: unknown, where: string, prefix = ''): asserts data is T {
  if (!validate(data)) {
    const lines = describeAjvErrors(validate.errors, prefix);
    throw new InputError(lines.slice(0, 8).join('; ') + (lines.length > 8 ? ` (and ${lines.length - 8} more)` : ''), where);
  }
}
