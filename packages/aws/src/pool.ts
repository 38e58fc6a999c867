/**
 * Run `fn` over `items` with at most `limit` in flight. Items are pulled one at a time from the
 * iterator, so no work (and no memory) is set up for items that are not being processed yet.
 * `fn` must not throw: each item's failure is its own result.
 */
export async function forEachLimit<T>(items: Iterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await fn(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}
