/**
 * A local copy of the simulated buckets, as an auditor would make one for an offline review:
 * `<dir>/<bucket>/<key>` for every object, `<dir>/metadata.json` with each digest's user metadata
 * (captured with HeadObject at copy time, since `aws s3 sync` drops it), and
 * `<dir>/public-keys/<region>.json` in the shape `aws cloudtrail list-public-keys` prints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildModel, loadWorld, validateWorld } from '../world/load.js';
import type { World } from '../world/types.js';
import { integrityWorld } from './chains.js';

export interface MirrorWritten {
  objects: number;
  regions: string[];
}

export async function writeIntegrityMirror(world: World | string, dir: string, options: { metadata?: boolean } = {}): Promise<MirrorWritten> {
  const source = typeof world === 'string' ? world : '<inline world>';
  const loaded = typeof world === 'string' ? await loadWorld(world) : validateWorld(world, source);
  const model = buildModel(loaded, source);
  const delivered = integrityWorld(model);
  const metadata: Record<string, Record<string, string>> = {};
  let objects = 0;
  for (const [bucket, store] of delivered.buckets) {
    for (const key of store.keys()) {
      const o = store.get(key)!;
      const path = join(dir, bucket, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, o.body);
      if (Object.keys(o.metadata).length > 0 || key.includes('/CloudTrail-Digest/')) metadata[`${bucket}/${key}`] = o.metadata;
      objects++;
    }
  }
  if (options.metadata !== false) await writeFile(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 1)}\n`);
  const regions = model.regions.map((r) => r.name);
  await mkdir(join(dir, 'public-keys'), { recursive: true });
  for (const region of regions) {
    const PublicKeyList = delivered.keysFor(region).map((k) => ({
      Value: k.key.publicDer.toString('base64'),
      ValidityStartTime: k.validityStart.toISOString(),
      ValidityEndTime: k.validityEnd.toISOString(),
      Fingerprint: k.key.fingerprint,
    }));
    await writeFile(join(dir, 'public-keys', `${region}.json`), `${JSON.stringify({ PublicKeyList }, null, 2)}\n`);
  }
  return { objects, regions };
}
