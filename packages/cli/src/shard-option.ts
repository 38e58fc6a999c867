import { InputError, MAX_SHARDS } from '@trailwarden/core';

export interface ShardChoice {
  index: number;
  count: number;
  /** Where the numbers came from, for the log line. */
  source: string;
}

/**
 * `--shard K/N` (1-based, as people count), or `--shard auto`: the index from the engine running
 * this process (every engine counts from 0) and the count from the engine or `--shard-count`:
 *
 * - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`; the count is the Job's `completions`, which
 *   Kubernetes does not pass: `--shard-count N` or `TRAILWARDEN_SHARD_COUNT`.
 * - AWS Batch array job: `AWS_BATCH_JOB_ARRAY_INDEX` and `AWS_BATCH_JOB_ARRAY_SIZE`.
 * - Anything else (a GitHub Actions matrix, a Step Functions Map): `TRAILWARDEN_SHARD_INDEX`
 *   (0-based, as `strategy.job-index` and `$$.Map.Item.Index` are) and `TRAILWARDEN_SHARD_COUNT`.
 *
 * More than one engine's index in the environment is ambiguous and refused.
 */
export function shardOption(value: string | boolean | undefined, countFlag: string | boolean | undefined, env: NodeJS.ProcessEnv): ShardChoice | undefined {
  if (typeof value !== 'string') {
    if (typeof countFlag === 'string') throw new InputError('--shard-count goes with --shard auto (for a Kubernetes Indexed Job); alone it means nothing');
    return undefined;
  }
  if (value !== 'auto') {
    if (typeof countFlag === 'string') throw new InputError(`--shard-count goes with --shard auto; --shard ${value} already says the count`);
    const m = /^(\d{1,5})\/(\d{1,5})$/.exec(value.trim());
    if (!m) throw new InputError(`--shard: "${value}" is not K/N (like 2/8) or auto`);
    return checked(Number(m[1]), Number(m[2]), '--shard', `--shard ${value}`);
  }
  const sources = [
    { name: 'JOB_COMPLETION_INDEX', engine: 'Kubernetes Indexed Job' },
    { name: 'AWS_BATCH_JOB_ARRAY_INDEX', engine: 'AWS Batch array job' },
    { name: 'TRAILWARDEN_SHARD_INDEX', engine: 'TRAILWARDEN_SHARD_INDEX' },
  ].filter((s) => env[s.name] !== undefined && env[s.name] !== '');
  if (sources.length === 0) {
    throw new InputError('--shard auto: no shard index in the environment (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or TRAILWARDEN_SHARD_INDEX); run it in an Indexed Job or array job, or give --shard K/N');
  }
  if (sources.length > 1) throw new InputError(`--shard auto: both ${sources.map((s) => s.name).join(' and ')} are set; say which with --shard K/N`);
  const source = sources[0]!;
  const index = whole(env[source.name]!, source.name);
  const flagCount = typeof countFlag === 'string' ? whole(countFlag, '--shard-count') : undefined;
  let count: number;
  let countFrom: string;
  if (source.name === 'AWS_BATCH_JOB_ARRAY_INDEX') {
    const size = env.AWS_BATCH_JOB_ARRAY_SIZE;
    if (size === undefined || size === '') throw new InputError('--shard auto: AWS_BATCH_JOB_ARRAY_INDEX is set but AWS_BATCH_JOB_ARRAY_SIZE is not');
    count = whole(size, 'AWS_BATCH_JOB_ARRAY_SIZE');
    if (flagCount !== undefined && flagCount !== count) throw new InputError(`--shard-count ${flagCount} contradicts AWS_BATCH_JOB_ARRAY_SIZE=${count}; drop --shard-count`);
    countFrom = `AWS_BATCH_JOB_ARRAY_SIZE=${count}`;
  } else {
    const envCount = env.TRAILWARDEN_SHARD_COUNT;
    if (flagCount !== undefined) {
      count = flagCount;
      countFrom = `--shard-count ${count}`;
    } else if (envCount !== undefined && envCount !== '') {
      count = whole(envCount, 'TRAILWARDEN_SHARD_COUNT');
      countFrom = `TRAILWARDEN_SHARD_COUNT=${count}`;
    } else {
      const hint = source.name === 'JOB_COMPLETION_INDEX' ? ' (Kubernetes passes the index, not the Job’s completions)' : '';
      throw new InputError(`--shard auto: ${source.name} is set but not the shard count${hint}; give --shard-count N or TRAILWARDEN_SHARD_COUNT`);
    }
  }
  if (index >= count) throw new InputError(`--shard auto: ${source.name}=${index} is not below the shard count ${count} (${countFrom}); indexes run from 0 to ${count - 1}`);
  return checked(index + 1, count, '--shard auto', `${source.engine}: ${source.name}=${index}, ${countFrom}`);
}

function whole(text: string, where: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) throw new InputError(`--shard auto: ${where} is "${text}", not a whole number`);
  return Number(text.trim());
}

function checked(index: number, count: number, where: string, source: string): ShardChoice {
  if (count < 1 || count > MAX_SHARDS) throw new InputError(`${where}: the shard count must be from 1 to ${MAX_SHARDS}, not ${count}`);
  if (index < 1 || index > count) throw new InputError(`${where}: shard ${index} of ${count} does not exist; shards run from 1 to ${count}`);
  return { index, count, source };
}
