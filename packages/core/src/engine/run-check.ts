import { performance } from 'node:perf_hooks';
import type { Check, CheckContext, Context, Services } from '../plugin/api.js';
import { CheckBudgetExceeded, type RawFinding, createCheckContext } from './context.js';
import { describeThrown } from './isolation.js';
import type { ScanModel } from './scan-model.js';

/** What a check runs against: the same for every check of one evaluation. */
export interface CheckEnvironment {
  model: ScanModel;
  services: Services;
  now: Date;
}

export interface RunnableCheck {
  // biome-ignore lint/suspicious/noExplicitAny: checks of any option type run side by side
  check: Check<any, any, any>;
  plugin: { name: string };
  options: Record<string, unknown>;
}

/** What one check run gave: its findings, and why the check as a whole failed, if it did. */
export interface CheckRun {
  findings: RawFinding[];
  failure?: string;
}

/**
 * Run one check in this thread. Its budget is checked on every context call and when it returns,
 * and an async check is abandoned at its deadline; a computation that never calls the context
 * cannot be interrupted here (the worker pool terminates those). The run returns the check's
 * findings; with `stream` (the worker thread, which sends them on as they come so what a check
 * reported survives its termination) each goes to `stream` instead and the run returns none.
 */
export async function runCheckHere(loaded: RunnableCheck, env: CheckEnvironment, budget: number, stream?: (f: RawFinding) => void): Promise<CheckRun> {
  const { check } = loaded;
  const findings: RawFinding[] = [];
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
      // A plugin older than the version stamp was written for v1.
      apiVersion: check.apiVersion ?? 1,
      plugin: loaded.plugin.name,
      ...(check.collect ? { collect: check.collect } : {}),
      messages: check.meta.messages,
      options: Object.freeze({ ...loaded.options }),
      now: env.now,
      model: env.model,
      services: env.services,
      emit: stream ?? ((f) => findings.push(f)),
      guard,
    });
    const result = check.apiVersion === 2 ? check.evaluate(ctx as Context) : (check.evaluate as (c: CheckContext) => void | Promise<void>)(ctx as CheckContext);
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
    return { findings };
  } catch (e) {
    return { findings, failure: e instanceof CheckBudgetExceeded ? e.message : `it threw ${describeThrown(e)}` };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
