import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** The OASIS SARIF 2.1.0 schema (errata 01), a copy kept in this package. */
const schema = JSON.parse(readFileSync(new URL('../../schema/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

// The official schema is draft-04 and not strict-mode clean: plain `new Ajv()` cannot compile it.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema errors of a SARIF document, as `path message` lines; empty when valid. */
export function sarifSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
