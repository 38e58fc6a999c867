import type { CliIO } from './io.js';

export interface CollectProgressEvent {
  phase: string;
  accountsDone: number;
  accountsTotal: number;
  calls: number;
  throttles: number;
  retries?: number;
  errors: number;
}

/** A one-line progress bar on stderr, only on a terminal (CI logs stay clean). */
export function progressReporter(io: CliIO, quiet: boolean) {
  const tty = !!io.stderr.isTTY && !quiet;
  let last = 0;
  let shown = false;
  return {
    update(e: CollectProgressEvent) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && e.phase !== 'done') return;
      last = now;
      const width = 24;
      const ratio = e.accountsTotal ? e.accountsDone / e.accountsTotal : 0;
      const bar = '█'.repeat(Math.round(ratio * width)).padEnd(width, '░');
      io.stderr.write(`\r${bar} ${e.accountsDone}/${e.accountsTotal} accounts · ${e.calls} calls · ${e.throttles} throttled · ${e.errors} errors `);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\n');
    },
  };
}
