import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// Both are CommonJS: under NodeNext the default import is `module.exports`, whose `.default`
// is the class / plugin itself (in types and at run time alike).
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

/** The OASIS SARIF 2.1.0 schema (errata 01), a copy kept in this package. */
const schema = JSON.parse(readFileSync(new URL('../../schema/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

// The official schema is draft-04 and not strict-mode clean: plain `new Ajv()` cannot compile it.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema errors of a SARIF document, as `path message` lines; empty when valid. */
export function sarifSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
