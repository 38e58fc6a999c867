/**
 * A worker thread of the check pool (see check-pool.ts): it parses the snapshot once, then runs the
 * checks it is sent one at a time, importing each check's plugin module itself. Findings stream
 * back in batches, so what a check reported before the pool had to terminate it is not lost.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Snapshot } from '../model/snapshot.js';
import type { Check } from '../plugin/api.js';
import { pluginExports } from '../plugin/plugin-exports.js';
import type { RawFinding } from './context.js';
import { describeThrown } from './isolation.js';
import { type CheckEnvironment, runCheckHere } from './run-check.js';
import { buildScanModel } from './scan-model.js';
import { createServices } from './services.js';

export interface WorkerInit {
  /** The snapshot as UTF-8 JSON in memory shared by every worker, or the object itself. */
  snapshot: SharedArrayBuffer | Snapshot;
  now: string;
}

export interface RunTask {
  type: 'run';
  checkId: string;
  /** The plugin module to import: the check's own code, loaded here rather than sent. */
  file: string;
  plugin: { name: string; version?: string };
  options: Record<string, unknown>;
  budgetMs: number;
}

export type WorkerMessage =
  | { type: 'started'; checkId: string }
  | { type: 'findings'; checkId: string; findings: RawFinding[] }
  | { type: 'done'; checkId: string; failure?: string; ms: number };

const BATCH = 200;
const FLUSH_MS = 50;

const port = parentPort;
if (!port) throw new Error('check-worker.js runs only as a worker thread of the check pool');
const init = workerData as WorkerInit;
const snapshot: Snapshot =
  init.snapshot instanceof SharedArrayBuffer ? (JSON.parse(Buffer.from(init.snapshot).toString('utf8')) as Snapshot) : init.snapshot;
// The scan model and services of this worker: built once, shared by every check it runs.
const env: CheckEnvironment = {
  model: buildScanModel(snapshot),
  services: createServices(snapshot),
  now: new Date(init.now),
};

/** Plugin modules by file, imported once per worker. The main thread has validated them already. */
const modules = new Map<string, Promise<unknown[]>>();
// biome-ignore lint/suspicious/noExplicitAny: checks of any option type
async function checkOf(task: RunTask): Promise<Check<any, any, any> | undefined> {
  let hit = modules.get(task.file);
  if (!hit) {
    hit = import(pathToFileURL(task.file).href).then(pluginExports);
    modules.set(task.file, hit);
  }
  // biome-ignore lint/suspicious/noExplicitAny: checks of any option type
  return (await hit).find((c) => (c as Check)?.kind === 'trailwarden-check' && (c as Check).id === task.checkId) as Check<any, any, any> | undefined;
}

async function run(task: RunTask): Promise<void> {
  let started = performance.now();
  let batch: RawFinding[] = [];
  // The first finding goes at once, later ones in batches: what was reported survives a kill.
  let flushed = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (batch.length > 0) port?.postMessage({ type: 'findings', checkId: task.checkId, findings: batch } satisfies WorkerMessage);
    batch = [];
    flushed = performance.now();
  };
  let failure: string | undefined;
  try {
    const check = await checkOf(task);
    // The budget starts now: importing the plugin (the first time in this worker) is not the check's time.
    started = performance.now();
    port?.postMessage({ type: 'started', checkId: task.checkId } satisfies WorkerMessage);
    if (!check) failure = `its plugin module ${task.file} no longer exports it`;
    else {
      ({ failure } = await runCheckHere({ check, plugin: task.plugin, options: task.options }, env, task.budgetMs, (f) => {
        // A finding with a message id and its data goes without its formatted message: the main
        // thread formats it again from the same template (withMessage), which costs less than
        // copying every message string across threads.
        batch.push(f.messageId !== undefined && f.data !== undefined ? { ...f, message: '' } : f);
        if (batch.length >= BATCH || performance.now() - flushed > FLUSH_MS) flush();
      }));
    }
  } catch (e) {
    failure = `its plugin could not be loaded in a worker: ${describeThrown(e)}`;
  }
  flush();
  port?.postMessage({ type: 'done', checkId: task.checkId, ms: performance.now() - started, ...(failure ? { failure } : {}) } satisfies WorkerMessage);
}

// One task at a time: the pool sends the next one only after `done`.
port.on('message', (task: RunTask) => {
  void run(task);
});
