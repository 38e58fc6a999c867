import { readFile, stat } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../model/snapshot.js';
import { describeAjvErrors } from '../util/ajv.js';
import { staticValidator } from '../util/validators.js';
import { InputError } from '../util/errors.js';
import { snapshotSchema } from './schema.js';

function snapshotValidator(): ValidateFunction {
  return staticValidator('snapshot', snapshotSchema);
}

/** Validate a parsed snapshot; throws an InputError naming `where` and the bad fields. */
export function validateSnapshot(data: unknown, where = 'snapshot'): Snapshot {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InputError('is not a snapshot (expected a JSON object)', where);
  const record = data as { schemaVersion?: unknown; findings?: unknown; checks?: unknown; $schema?: unknown };
  if (Array.isArray(record.findings) && Array.isArray(record.checks)) {
    throw new InputError(
      'is a Trailwarden report, not a snapshot; evaluate reads the snapshot a scan collected (`trailwarden collect -o snapshot.json`, or `scan --keep-snapshot`)',
      where,
    );
  }
  const version = record.schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    const newer = typeof version === 'string' && compareVersions(version, SNAPSHOT_SCHEMA_VERSION) > 0;
    throw new InputError(
      newer
        ? `was written by a newer Trailwarden (snapshot version ${version}; this one reads ${SNAPSHOT_SCHEMA_VERSION}); upgrade Trailwarden to evaluate it`
        : `schemaVersion is ${JSON.stringify(version)}, this Trailwarden reads snapshots of version ${SNAPSHOT_SCHEMA_VERSION}; collect the snapshot again with this version`,
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

/** Past this size a snapshot is read member by member (`readSnapshotFileStreaming`), never as one string. */
const STREAMING_FROM_BYTES = 256 << 20;

export async function readSnapshotFile(path: string): Promise<Snapshot> {
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size >= STREAMING_FROM_BYTES) return (await import('./read-stream.js')).readSnapshotFileStreaming(path);
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

/** `1.10` > `1.9`: dotted numeric versions, compared part by part; a non-numeric part compares as 0. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number(x) || 0);
  const pb = b.split('.').map((x) => Number(x) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
