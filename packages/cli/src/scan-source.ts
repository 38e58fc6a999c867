import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, validateSnapshot } from '@trailwarden/core';
import type { DiffFinding, History } from '@trailwarden/history';
import { reportFindings } from './history-session.js';

export async function readJsonFile(file: string, where: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, where);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`, where);
  }
}

/** One side of a diff: its findings and how to name it. */
export interface ScanSource {
  label: string;
  startedAt?: string;
  findings: DiffFinding[];
}

/**
 * Resolve a diff operand: a history scan id (`12`, `history:12`, `latest`, `history:latest`,
 * `previous`), a JSON report file, or a snapshot file (evaluated with `evaluateSnapshot`).
 */
export async function resolveScanSource(
  ref: string,
  where: string,
  ctx: { cwd: string; history?: History; evaluateSnapshot: (snapshot: import('@trailwarden/core').Snapshot) => Promise<DiffFinding[]> },
): Promise<ScanSource> {
  const m = /^(?:history:)?(latest|previous|[0-9]+)$/.exec(ref);
  if (m) {
    const { history } = ctx;
    if (!history) throw new InputError(`"${ref}" names a recorded scan: add --history FILE`, where);
    const scans = history.scans();
    const scan = m[1] === 'latest' ? scans.at(-1) : m[1] === 'previous' ? scans.at(-2) : history.scan(Number(m[1]));
    if (!scan) throw new InputError(`no scan "${m[1]}" in ${history.file} (it has ${scans.length}); \`trailwarden history\` lists them`, where);
    return { label: `scan ${scan.id} (${scan.startedAt})`, startedAt: scan.startedAt, findings: history.diffFindings(scan.id) };
  }
  const file = resolve(ctx.cwd, ref);
  const doc = await readJsonFile(file, where);
  if (doc && typeof doc === 'object' && 'findings' in doc) {
    const started = (doc as { scan?: { startedAt?: unknown } }).scan?.startedAt;
    return { label: ref, ...(typeof started === 'string' ? { startedAt: started } : {}), findings: reportFindings(doc, file, where) };
  }
  if (doc && typeof doc === 'object' && 'schemaVersion' in doc && 'accounts' in doc) {
    const snapshot = validateSnapshot(doc, file);
    return { label: `${ref} (snapshot, evaluated now)`, startedAt: snapshot.collectedAt, findings: await ctx.evaluateSnapshot(snapshot) };
  }
  throw new InputError(`${file} is neither a Trailwarden JSON report nor a snapshot`, where);
}
