import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter, ScanResult } from '@trailwarden/core';

export const REPORT_BASENAME = 'trailwarden-report';

export interface RenderOutcome {
  written: { format: string; path: string; bytes: number }[];
  failed: { format: string; error: string }[];
}

/** Write a file whole or not at all: a crash mid-write never leaves a truncated report. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
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
