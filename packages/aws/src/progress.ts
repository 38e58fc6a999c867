import type { Metrics } from './pacing/metrics.js';

export interface CollectProgress {
  phase: 'discovery' | 'accounts' | 'resources' | 'eventHistory' | 'done';
  accountsDone: number;
  accountsTotal: number;
  /** Account-regions read so far (each finished account adds the regions it had enabled). */
  regionsDone: number;
  calls: number;
  throttles: number;
  retries: number;
  errors: number;
}

/** Emits progress events; a listener that throws is ignored (progress must never break a scan). */
export class ProgressReporter {
  phase: CollectProgress['phase'] = 'discovery';
  accountsDone = 0;
  accountsTotal = 0;
  regionsDone = 0;

  constructor(
    private readonly metrics: Metrics,
    private readonly listener?: (e: CollectProgress) => void,
  ) {}

  emit(phase?: CollectProgress['phase']): void {
    if (phase) this.phase = phase;
    if (!this.listener) return;
    try {
      this.listener({
        phase: this.phase,
        accountsDone: this.accountsDone,
        accountsTotal: this.accountsTotal,
        regionsDone: this.regionsDone,
        calls: this.metrics.calls,
        throttles: this.metrics.throttles,
        retries: this.metrics.retries,
        errors: this.metrics.errors,
      });
    } catch {
      // ignored on purpose
    }
  }
}
