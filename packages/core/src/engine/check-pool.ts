/**
 * Checks in worker threads, so that a check stuck in a computation (a pathological policy, a
 * plugin's endless loop) can be stopped: each worker runs one check at a time, and one that
 * overruns its budget is terminated. Its check fails with a budget error; the checks of the other
 * workers, and those still queued, are unaffected. The snapshot is serialized once and shared by
 * every worker; the pool has one worker per core (or fewer when there are fewer checks).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Snapshot } from '../model/snapshot.js';
import type { WorkerInit, WorkerMessage, RunTask } from './check-worker.js';
import type { RawFinding } from './context.js';
import { CheckBudgetExceeded } from './context.js';

export interface PoolTask {
  checkId: string;
  file: string;
  plugin: { name: string; version?: string };
  options: Record<string, unknown>;
  budgetMs: number;
}

export interface PoolOutcome {
  raw: RawFinding[];
  failure?: string;
  ms: number;
}

/**
 * Time past the budget before a worker is terminated: a check that calls the context stops itself
 * at the budget (and its worker lives on); the pool only steps in for one that does not.
 */
const KILL_GRACE_MS = 250;
/** Time a worker may take to start and import a check's plugin before the check starts. */
const LOAD_TIMEOUT_MS = 60_000;

/** The built worker script; from the TypeScript sources (tests) the built copy in dist/ is used. */
function workerScript(): URL {
  const here = new URL(import.meta.url);
  const script = here.pathname.endsWith('.ts') ? new URL('../../dist/engine/check-worker.js', here) : new URL('./check-worker.js', here);
  if (!existsSync(fileURLToPath(script))) throw new Error(`the check worker ${fileURLToPath(script)} is missing; build @trailwarden/core first`);
  return script;
}

/** The snapshot as shared UTF-8 JSON, parsed once per worker; the object itself when it is too large for one string. */
function shareSnapshot(snapshot: Snapshot): SharedArrayBuffer | Snapshot {
  let text: string;
  try {
    text = JSON.stringify(snapshot);
  } catch {
    return snapshot;
  }
  const bytes = Buffer.byteLength(text);
  const shared = new SharedArrayBuffer(bytes);
  Buffer.from(shared).write(text, 'utf8');
  return shared;
}

export async function runChecksInWorkers(
  snapshot: Snapshot,
  tasks: PoolTask[],
  opts: { now: Date; workers?: number; onCheckDone?: (checkId: string, ms: number) => void },
): Promise<Map<string, PoolOutcome>> {
  const outcomes = new Map<string, PoolOutcome>();
  if (tasks.length === 0) return outcomes;
  const script = workerScript();
  const init: WorkerInit = { snapshot: shareSnapshot(snapshot), now: opts.now.toISOString() };
  const size = Math.max(1, Math.min(opts.workers ?? availableParallelism(), tasks.length));
  const queue = [...tasks];
  // Findings of a check arrive before its `done`; a check is settled once (later messages from a
  // terminated or abandoned run are ignored).
  const open = new Map<string, PoolOutcome>();

  await new Promise<void>((resolveAll) => {
    let live = 0;
    const finish = (checkId: string, failure: string | undefined, ms: number) => {
      const o = open.get(checkId);
      if (!o) return;
      open.delete(checkId);
      if (failure !== undefined) o.failure = failure;
      o.ms = ms;
      outcomes.set(checkId, o);
      opts.onCheckDone?.(checkId, ms);
    };

    const spawn = () => {
      live++;
      const worker = new Worker(script, { workerData: init });
      let current: PoolTask | undefined;
      let timer: NodeJS.Timeout | undefined;
      let startedAt = 0;
      let retired = false;

      const retire = () => {
        if (retired) return;
        retired = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        live--;
        // A replacement takes over what is still queued.
        if (queue.length > 0) spawn();
        else if (live === 0) resolveAll();
      };
      const next = () => {
        current = queue.shift();
        if (!current) return retire();
        open.set(current.checkId, { raw: [], ms: 0 });
        const task = current;
        // Until the check starts: parsing the snapshot (a new worker) and importing its plugin.
        timer = setTimeout(() => {
          finish(task.checkId, `its plugin module ${task.file} did not load in a worker thread within ${LOAD_TIMEOUT_MS / 1000} s`, 0);
          current = undefined;
          retire();
        }, LOAD_TIMEOUT_MS);
        worker.postMessage({ type: 'run', ...current } satisfies RunTask);
      };

      worker.on('message', (m: WorkerMessage) => {
        if (!current || m.checkId !== current.checkId) return;
        const task = current;
        if (m.type === 'started') {
          startedAt = performance.now();
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => {
            finish(task.checkId, `${new CheckBudgetExceeded(task.budgetMs).message} and was stopped`, performance.now() - startedAt);
            current = undefined;
            retire();
          }, task.budgetMs + KILL_GRACE_MS);
        } else if (m.type === 'findings') {
          open.get(task.checkId)?.raw.push(...m.findings);
        } else {
          if (timer) clearTimeout(timer);
          timer = undefined;
          finish(task.checkId, m.failure, m.ms);
          current = undefined;
          // An abandoned async check may still be running in this worker: start afresh.
          if (m.failure && /time budget/.test(m.failure)) retire();
          else next();
        }
      });
      const died = (why: string) => {
        if (current) finish(current.checkId, why, startedAt ? performance.now() - startedAt : 0);
        current = undefined;
        retire();
      };
      worker.on('error', (e) => died(`its worker thread failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
      worker.on('exit', (code) => {
        if (!retired) died(`its worker thread exited with code ${code}`);
      });
      next();
    };

    for (let i = 0; i < size; i++) spawn();
  });
  return outcomes;
}
