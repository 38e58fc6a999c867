/** @trailwarden/sim — a local AWS-compatible endpoint serving a simulated organization ("world"). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type { SimCounters } from './counters.js';
export { DEFAULT_QUOTAS, type InjectionOptions } from './inject.js';
export { type SimOptions, type SimServer, startSimulator } from './server.js';
export { DEFAULT_AS_OF, type GenerateWorldOptions, type WorldDraft, generateWorld, generateWorldWithTruth, planWorld, renderWorld, writeGeneratedWorld } from './world/generate.js';
export { type GroundTruth, type TruthEntry, type TruthStatus, type OrgTrailVariant, TRUTH_CHECKS } from './world/truth.js';
export { loadWorld, validateWorld, WorldError } from './world/load.js';
export { worldSchema } from './world/schema.js';
export type * from './world/types.js';

/** Absolute path of the demo world shipped with the package (packages/sim/worlds/demo.yaml). */
export const DEMO_WORLD_PATH: string = join(dirname(fileURLToPath(import.meta.url)), '..', 'worlds', 'demo.yaml');
export { type MirrorWritten, writeIntegrityMirror } from './integrity/mirror.js';
