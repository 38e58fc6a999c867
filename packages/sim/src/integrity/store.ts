/** The objects of simulated buckets (log files and digests): sorted keys, bodies and user metadata. */

export interface StoredObject {
  body: Buffer;
  /** User metadata without the `x-amz-meta-` prefix (e.g. `signature`). */
  metadata: Record<string, string>;
  lastModified: string;
  /** SSE-KMS key ARN of the object, when encrypted with KMS. */
  kmsKeyId?: string;
  /** The world's caller lacks kms:Decrypt on that key: GetObject is refused. */
  decryptDenied?: boolean;
}

export class BucketObjects {
  private readonly objects = new Map<string, StoredObject>();
  private sorted: string[] | undefined;

  put(key: string, object: StoredObject): void {
    if (!this.objects.has(key)) this.sorted = undefined;
    this.objects.set(key, object);
  }

  get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  delete(key: string): boolean {
    this.sorted = undefined;
    return this.objects.delete(key);
  }

  get size(): number {
    return this.objects.size;
  }

  /** Keys in S3's order (UTF-8 binary order; our keys are ASCII, so code-unit order is the same). */
  keys(): string[] {
    this.sorted ??= [...this.objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.sorted;
  }

  /** Index of the first key that is > `after` and starts at or after `prefix`. */
  firstIndex(prefix: string, after: string | undefined): number {
    const keys = this.keys();
    const from = after !== undefined && after > prefix ? after : prefix;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid]!;
      if (k < from || (after !== undefined && k === after)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  entries(): IterableIterator<[string, StoredObject]> {
    return this.objects.entries();
  }
}
