import { performance } from 'node:perf_hooks';
import type { Check } from '../plugin/api.js';
import type { SelectorEvaluator } from '../selectors/evaluator.js';
import { CheckBudgetExceeded, type RawFinding, createCheckContext } from './context.js';
import { describeThrown } from './isolation.js';
import type { SnapshotIndex } from './snapshot-index.js';

/** What a check runs against: the same for every check of one evaluation. */
export interface CheckEnvironment {
  index: SnapshotIndex;
  selectors: SelectorEvaluator;
  now: Date;
}

export interface RunnableCheck {
  // biome-ignore lint/suspicious/noExplicitAny: checks of any option type run side by side
  check: Check<any, any, any>;
  plugin: { name: string };
  options: Record<string, unknown>;
}

/**
 * Run one check in this thread. Its budget is checked on every context call and when it returns,
 * and an async check is abandoned at its deadline; a computation that never calls the context
 * cannot be interrupted here (the worker pool terminates those). Returns why the check as a whole
 * failed, or undefined.
 */
export async function runCheckHere(loaded: RunnableCheck, env: CheckEnvironment, budget: number, emit: (f: RawFinding) => void): Promise<string | undefined> {
  const { check } = loaded;
  const deadline = performance.now() + budget;
  let timedOut = false;
  const guard = () => {
    if (timedOut || performance.now() > deadline) {
      timedOut = true;
      throw new CheckBudgetExceeded(budget);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const ctx = createCheckContext({
      checkId: check.id,
      plugin: loaded.plugin.name,
      ...(check.collect ? { collect: check.collect } : {}),
      messages: check.meta.messages,
      options: Object.freeze({ ...loaded.options }),
      now: env.now,
      index: env.index,
      selectors: env.selectors,
      emit,
      guard,
    });
    const result = check.evaluate(ctx);
    if (result && typeof (result as Promise<void>).then === 'function') {
      await Promise.race([
        result,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new CheckBudgetExceeded(budget));
          }, budget);
        }),
      ]);
    }
    // A synchronous check that never touched the context after its deadline still overran.
    if (performance.now() > deadline) throw new CheckBudgetExceeded(budget);
    return undefined;
  } catch (e) {
    if (e instanceof CheckBudgetExceeded) return e.message;
    return `it threw ${describeThrown(e)}`;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
