import {
  type Check,
  type Finding,
  type LoadedCheck,
  type ScanResult,
  type Snapshot,
  evaluate,
  registerPluginModule,
  selectChecks,
  validateSnapshot,
} from '@trailwarden/core';
import { trapClock } from './clock-trap.js';

/** Options of a check, as declared by its `options.defaults`. */
// biome-ignore lint/suspicious/noExplicitAny: matches checks of any message ids
export type OptionsOf<C> = C extends Check<infer O, any> ? O : never;
/** Message ids of a check, as declared by its `meta.messages`. */
// biome-ignore lint/suspicious/noExplicitAny: matches checks of any options
export type MessageIdsOf<C> = C extends Check<any, infer M> ? M : never;

export interface RunCheckOptions<Options extends object = object> {
  /** Merged over the check's defaults and validated against its schema, as the CLI does with the config. */
  options?: Partial<Options>;
  /** The evaluation's clock. Default: the snapshot's `collectedAt`. */
  now?: Date;
  /** The plugin name findings and errors are attributed to. Default `@trailwarden/testing`. */
  pluginName?: string;
  /**
   * Default false: a check that reads the system clock (`Date.now()`, `new Date()`) while it
   * evaluates fails the run, since its verdicts would depend on when it runs. Use `ctx.now`.
   */
  allowSystemClock?: boolean;
}

/** The check read the system clock instead of `ctx.now`. */
export class SystemClockRead extends Error {
  override name = 'SystemClockRead';
}

/**
 * Load a check the way the CLI does (metadata validated like a plugin, options merged over the
 * defaults and validated by the check's schema), so a test fails where the real tool would refuse.
 */
export function loadCheckForTest<O extends object, M extends string>(check: Check<O, M>, opts: RunCheckOptions<O> = {}): LoadedCheck {
  const name = opts.pluginName ?? '@trailwarden/testing';
  const plugin = registerPluginModule({ default: check }, { name, specifier: name });
  const options = opts.options as Record<string, unknown> | undefined;
  const selected = selectChecks({
    plugins: [plugin],
    config: { checks: { [check.id]: options && Object.keys(options).length > 0 ? { options } : 'on' } },
    configWhere: `test options of ${check.id}`,
  });
  return selected[0] as LoadedCheck;
}

/** Evaluate one check over a snapshot and return the whole ScanResult (coverage, summaries, frameworks). */
export async function evaluateCheck<O extends object, M extends string>(
  check: Check<O, M>,
  snap: Snapshot,
  opts: RunCheckOptions<O> = {},
): Promise<ScanResult> {
  const loaded = loadCheckForTest(check, opts);
  const valid = validateSnapshot(structuredClone(snap), 'test snapshot');
  const now = opts.now ?? new Date(valid.collectedAt);
  const reads: string[] = [];
  const watched: LoadedCheck = opts.allowSystemClock
    ? loaded
    : {
        ...loaded,
        // Same version, same context: only the clock is watched while the check evaluates.
        check: {
          ...loaded.check,
          evaluate(ctx: never) {
            const trap = trapClock();
            try {
              return (loaded.check.evaluate as (c: never) => void | Promise<void>)(ctx);
            } finally {
              trap.restore();
              reads.push(...trap.reads);
            }
          },
        } as LoadedCheck['check'],
      };
  const result = await evaluate(valid, { checks: [watched], now, startedAt: now });
  if (reads.length > 0) {
    throw new SystemClockRead(
      `check ${check.id} read the system clock (${[...new Set(reads)].join(', ')}) while evaluating; use ctx.now, the evaluation's clock, so the same snapshot always gives the same findings (or pass allowSystemClock: true)`,
    );
  }
  return result;
}

/** Evaluate one check over a snapshot; its findings in the engine's sorted order. */
export async function runCheck<O extends object, M extends string>(check: Check<O, M>, snap: Snapshot, opts: RunCheckOptions<O> = {}): Promise<Finding[]> {
  return (await evaluateCheck(check, snap, opts)).findings;
}
