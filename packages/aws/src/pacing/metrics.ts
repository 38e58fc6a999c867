/** Counters shared by every part of a collection run; the progress events report them. */
export class Metrics {
  calls = 0;
  throttles = 0;
  retries = 0;
  errors = 0;
  byOperation = new Map<string, number>();

  countCall(operation: string): void {
    this.calls += 1;
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }
}
