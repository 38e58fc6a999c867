import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Reporter, ScanResult } from '@trailwarden/core';

export const REPORT_BASENAME = 'trailwarden-report';

export interface RenderOutcome {
  written: { format: string; path: string; bytes: number }[];
  failed: { format: string; error: string }[];
}

/**
 * Write a file whole or not at all: a crash mid-write never leaves a truncated report. The temp file
 * has a random name and is created exclusively (`wx`), so a planted file or symlink at a guessable
 * name is never followed or overwritten; rename then replaces the target in one step.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Render every format; one reporter failing does not cost the others. */
export async function renderReports(
  result: ScanResult,
  reporters: Reporter[],
  dir: string,
  reporterOptions: Record<string, Record<string, unknown>> = {},
): Promise<RenderOutcome> {
  await mkdir(dir, { recursive: true });
  const outcome: RenderOutcome = { written: [], failed: [] };
  for (const r of reporters) {
    try {
      const data = await r.render(result, reporterOptions[r.id] ?? {});
      const path = join(dir, `${REPORT_BASENAME}${r.extension}`);
      await writeAtomic(path, data);
      outcome.written.push({ format: r.id, path, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength });
    } catch (e) {
      outcome.failed.push({ format: r.id, error: (e as Error).message });
    }
  }
  return outcome;
}
