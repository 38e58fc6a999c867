import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv.js';

/** The schemas shipped in core, each validated by a function generated at build time. */
export type StaticSchema = 'snapshot' | 'config' | 'checkMeta' | 'reporterMeta';

type Precompiled = Partial<Record<StaticSchema, ValidateFunction>>;

const require = createRequire(import.meta.url);
let precompiled: Precompiled | null | undefined;

/**
 * `dist/generated/validators.cjs` is written after `tsc` by scripts/precompile-validators.mjs with ajv's
 * standalone code: compiling the snapshot schema at every start cost most of a command's start-up time.
 * Running from the TypeScript sources (the unit tests) there is none, and the schema is compiled here.
 */
function load(): Precompiled | null {
  if (precompiled === undefined) {
    try {
      precompiled = require('../generated/validators.cjs') as Precompiled;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes('validators.cjs')) throw e;
      precompiled = null;
    }
  }
  return precompiled;
}

const compiled = new Map<StaticSchema, ValidateFunction>();

export function staticValidator(name: StaticSchema, schema: object): ValidateFunction {
  const hit = compiled.get(name) ?? load()?.[name] ?? createAjv().compile(schema);
  compiled.set(name, hit);
  return hit;
}

/** Whether this build validates with precompiled code (for tests of the build). */
export function usesPrecompiledValidators(): boolean {
  return load() !== null;
}
