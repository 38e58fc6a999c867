import { createRequire } from 'node:module';
import type { ErrorObject, Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { InputError } from './errors.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;
const draft07 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as object;

/** JSON Schema 2020-12 by default; plugin option schemas written for draft-07 are accepted too. */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, ...options });
  ajv.addMetaSchema(draft07);
  addFormats(ajv);
  return ajv;
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
