import { readFile } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../model/snapshot.js';
import { createAjv, describeAjvErrors } from '../util/ajv.js';
import { InputError } from '../util/errors.js';
import { snapshotSchema } from './schema.js';

let validator: ValidateFunction | undefined;

function snapshotValidator(): ValidateFunction {
  validator ??= createAjv().compile(snapshotSchema);
  return validator;
}

/** Validate a parsed snapshot; throws an InputError naming `where` and the bad fields. */
export function validateSnapshot(data: unknown, where = 'snapshot'): Snapshot {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InputError('is not a snapshot (expected a JSON object)', where);
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new InputError(
      `schemaVersion is ${JSON.stringify(version)}, this Trailwarden reads snapshots of version ${SNAPSHOT_SCHEMA_VERSION}; collect the snapshot again with this version`,
      where,
    );
  }
  const validate = snapshotValidator();
  if (!validate(data)) {
    const lines = describeAjvErrors(validate.errors);
    throw new InputError(`is not a valid snapshot: ${lines.slice(0, 6).join('; ')}${lines.length > 6 ? ` (and ${lines.length - 6} more)` : ''}`, where);
  }
  return data as Snapshot;
}

export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the snapshot file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`is not valid JSON: ${(e as Error).message}`, path);
  }
  return validateSnapshot(data, path);
}
