import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the evidence report's JSON Schema (shipped in the package). */
export const EVIDENCE_SCHEMA_PATH = fileURLToPath(new URL('../schema/trailwarden-evidence.schema.json', import.meta.url));

export function loadEvidenceSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(EVIDENCE_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}
