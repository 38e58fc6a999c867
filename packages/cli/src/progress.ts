import type { CliIO } from './io.js';

export interface CollectProgressEvent {
  phase: string;
  accountsDone: number;
  accountsTotal: number;
  regionsDone?: number;
  calls: number;
  throttles: number;
  retries?: number;
  errors: number;
}

/** Off a terminal, a plain line at most this often: a CI log shows a long scan is alive, without flooding it. */
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

function counts(e: CollectProgressEvent): string {
  const regions = e.regionsDone === undefined ? '' : ` · ${e.regionsDone} account-regions`;
  return `${e.accountsDone}/${e.accountsTotal} accounts${regions} · ${e.calls} calls · ${e.throttles} throttled · ${e.errors} errors`;
}

/**
 * Collection progress on stderr. On a terminal: one line redrawn in place, cut to the terminal's width
 * so that it never wraps (a wrapped line cannot be redrawn with \r). Elsewhere (CI): a plain line at most
 * every 10 s while the scan runs. Nothing with --quiet.
 */
export function progressReporter(io: CliIO, quiet: boolean, clock: () => number = Date.now) {
  const tty = !!io.stderr.isTTY;
  const started = clock();
  let latest: CollectProgressEvent | undefined;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let shown = false;
  let lastPlain = started;
  let timer: ReturnType<typeof setInterval> | undefined;

  const plainLine = () => {
    if (!latest) return;
    lastPlain = clock();
    const seconds = Math.round((lastPlain - started) / 1000);
    io.stderr.write(`trailwarden: collecting (${seconds} s): ${counts(latest)}\n`);
  };

  if (!quiet && !tty) {
    timer = setInterval(plainLine, PLAIN_PROGRESS_INTERVAL_MS);
    timer.unref?.();
  }

  return {
    update(e: CollectProgressEvent) {
      latest = e;
      if (quiet) return;
      const now = clock();
      if (!tty) {
        // The interval prints; this covers a clock that the tests drive by hand.
        if (now - lastPlain >= PLAIN_PROGRESS_INTERVAL_MS) plainLine();
        return;
      }
      if (now - lastDraw < 100 && e.phase !== 'done') return;
      lastDraw = now;
      const width = 24;
      const ratio = e.accountsTotal ? e.accountsDone / e.accountsTotal : 0;
      const bar = '█'.repeat(Math.round(ratio * width)).padEnd(width, '░');
      const columns = io.stderr.columns && io.stderr.columns > 0 ? io.stderr.columns : 80;
      // One column short of the width: writing the last column makes some terminals wrap at once.
      const line = [...`${bar} ${counts(e)}`].slice(0, Math.max(1, columns - 1)).join('');
      io.stderr.write(`\r${line}\x1b[K`);
      shown = true;
    },
    done() {
      if (timer) clearInterval(timer);
      if (shown) io.stderr.write('\n');
      shown = false; // once: a second call (the collector's error path) writes nothing
    },
  };
}
