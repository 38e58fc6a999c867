/**
 * Verifies a trail's digest chains and log files, aws-cli `validate-logs` style (same traversal
 * and statuses; see packages/integrity/README.md), and closes its gaps: every account and source
 * region, uncovered windows labelled, chain links checked, unreferenced log files listed, and
 * per-file read errors reported without ending the run.
 */
import { type Digest, type DigestKeyInfo, accountBase, dayFolder, isHex, isoSeconds, parseDigest, parseDigestKey, parseLogKeyTime, sha256Hex, stringToSign } from './digest.js';
import { gunzipStrict } from './gzip.js';
import { type LoadedKey, loadPublicKey, verifySignature } from './keys.js';
import { forEachLimit, Limiter } from './limit.js';
import { type ChainResult, type Counts, emptyCounts, type FileResult, type Gap, type TrailIntegrity } from './result.js';
import { type IntegritySource, listAll, listFolders } from './source.js';

const HOUR = 3_600_000;
const MAX_DIGEST_BYTES = 16 * 1024 * 1024;
const MAX_LOG_BYTES = 512 * 1024 * 1024;
const MAX_LOG_OUTPUT = 1024 * 1024 * 1024;

export interface TrailToVerify {
  trailArn: string;
  trailName: string;
  homeRegion: string;
  bucket: string;
  prefix?: string;
  /** Organization trail: the organization id in the key layout. */
  organizationId?: string;
  /** Accounts to verify (default: the folders found under AWSLogs/[o-id/]). */
  accounts?: string[];
  /** Accounts expected even when no folder is found (e.g. the owner). */
  expectedAccounts?: string[];
  /** Source regions (default: the folders found under CloudTrail-Digest/, plus expected ones). */
  regions?: string[];
  expectedRegions?: string[];
  /** Logging-continuity facts (e.g. GetTrailStatus StartLoggingTime/StopLoggingTime) that explain chain restarts. */
  loggingEvents?: { time: string; what: string }[];
}

export interface VerifyOptions {
  from: Date;
  to: Date;
  /** Log files hashed at once across the run (default 16). */
  concurrency?: number;
  /** Chains verified at once (default 8). */
  chainConcurrency?: number;
  /** Keep valid files in `files` too (for --verbose). */
  keepValid?: boolean;
}

interface KeyRing {
  byFingerprint: Map<string, LoadedKey>;
  /** Listed fingerprints whose key does not parse as PKCS#1 or SPKI DER. */
  unloadable: Set<string>;
  error?: string;
}

/** One run: shares the source, the key cache and the log-file limiter across trails. */
export class Verifier {
  private readonly keyrings = new Map<string, Promise<KeyRing>>();
  private readonly limiter: Limiter;

  constructor(
    private readonly source: IntegritySource,
    private readonly options: VerifyOptions,
  ) {
    this.limiter = new Limiter(options.concurrency ?? 16);
  }

  private keyring(region: string): Promise<KeyRing> {
    let ring = this.keyrings.get(region);
    if (!ring) {
      // Keys can rotate mid-range; backfill digests are signed later than their end: +1 day.
      ring = this.source.publicKeys(region, new Date(this.options.from.getTime() - HOUR), new Date(this.options.to.getTime() + 24 * HOUR)).then(
        (records) => {
          const byFingerprint = new Map<string, LoadedKey>();
          const unloadable = new Set<string>();
          for (const r of records) {
            const k = loadPublicKey(r);
            if (k) byFingerprint.set(k.fingerprint, k);
            else unloadable.add(r.fingerprint.toLowerCase());
          }
          return { byFingerprint, unloadable };
        },
        (err: unknown) => ({ byFingerprint: new Map(), unloadable: new Set<string>(), error: `ListPublicKeys in ${region}: ${(err as Error).message}` }),
      );
      this.keyrings.set(region, ring);
    }
    return ring;
  }

  async verifyTrail(trail: TrailToVerify): Promise<TrailIntegrity> {
    const out: TrailIntegrity = {
      trailArn: trail.trailArn,
      trailName: trail.trailName,
      homeRegion: trail.homeRegion,
      bucket: trail.bucket,
      ...(trail.prefix ? { prefix: trail.prefix } : {}),
      ...(trail.organizationId ? { organizationId: trail.organizationId } : {}),
      from: isoSeconds(this.options.from.getTime()),
      to: isoSeconds(this.options.to.getTime()),
      chains: [],
      errors: [],
    };
    const places: { accountId: string; region: string }[] = [];
    try {
      const root = accountBase(trail.prefix, trail.organizationId, 'x').slice(0, -2);
      const accounts = trail.accounts ?? unique([...(await this.folders(trail.bucket, root, /^\d{12}$/)), ...(trail.expectedAccounts ?? [])]);
      for (const accountId of accounts) {
        const base = accountBase(trail.prefix, trail.organizationId, accountId);
        const regions = trail.regions ?? unique([...(await this.folders(trail.bucket, `${base}CloudTrail-Digest/`, /^[a-z]{2}(-[a-z]+)+-\d+$/)), ...(trail.expectedRegions ?? [])]);
        for (const region of regions) places.push({ accountId, region });
      }
    } catch (err) {
      out.errors.push(`cannot list s3://${trail.bucket}/${trail.prefix ?? ''}: ${(err as Error).message}`);
      return out;
    }
    const chains: ChainResult[] = new Array(places.length);
    await forEachLimit(
      places.map((p, i) => ({ ...p, i })),
      this.options.chainConcurrency ?? 8,
      async (p) => {
        chains[p.i] = await this.verifyChain(trail, p.accountId, p.region);
      },
    );
    out.chains = chains;
    return out;
  }

  private async folders(bucket: string, prefix: string, shape: RegExp): Promise<string[]> {
    const found = await listFolders(this.source, bucket, prefix);
    return found.map((f) => f.slice(prefix.length, -1)).filter((f) => shape.test(f));
  }

  private async verifyChain(trail: TrailToVerify, accountId: string, region: string): Promise<ChainResult> {
    const base = accountBase(trail.prefix, trail.organizationId, accountId);
    const chain: ChainResult = {
      accountId,
      region,
      base,
      digests: emptyCounts(),
      backfillDigests: emptyCounts(),
      logs: emptyCounts(),
      windows: [],
      gaps: [],
      links: [],
      unreferenced: [],
      files: [],
      notes: [],
    };
    const from = this.options.from.getTime();
    const to = this.options.to.getTime();
    const digestPrefix = `${base}CloudTrail-Digest/${region}/`;
    const standard: DigestKeyInfo[] = [];
    const backfill: DigestKeyInfo[] = [];
    try {
      const last = `${digestPrefix}${dayFolder(to + HOUR + 24 * HOUR)}`;
      for await (const key of listAll(this.source, trail.bucket, digestPrefix, `${digestPrefix}${dayFolder(from).slice(0, -1)}`)) {
        if (key > last) break;
        const info = parseDigestKey(key, trail.trailName, trail.homeRegion);
        if (!info || info.endMs < from || info.endMs > to + HOUR) continue;
        (info.backfill ? backfill : standard).push(info);
      }
    } catch (err) {
      chain.notes.push(`cannot list s3://${trail.bucket}/${digestPrefix}: ${(err as Error).message}`);
      chain.digests.error++;
      return chain;
    }
    const ring = await this.keyring(region);
    if (ring.error) chain.notes.push(ring.error);
    const referenced = new Set<string>();
    const trace = await this.traverse(chain, trail, region, standard, false, ring, referenced);
    if (backfill.length > 0) await this.traverse(chain, trail, region, backfill, true, ring, referenced);
    if (standard.length === 0) chain.notes.push(`No digests found for account ${accountId} in ${region}`);
    const windows = mergeWindows(trace.valid, from, to);
    chain.windows = windows.map((w) => ({ start: isoSeconds(w[0]), end: isoSeconds(w[1]) }));
    if (trace.valid.length > 0) {
      chain.found = { start: isoSeconds(Math.max(from, Math.min(...trace.valid.map((w) => w[0])))), end: isoSeconds(Math.min(to, Math.max(...trace.valid.map((w) => w[1])))) };
    }
    await this.findUnreferenced(chain, trail.bucket, base, region, referenced, windows, from, to);
    chain.gaps = labelGaps(windows, trace, chain, trail.loggingEvents ?? []);
    return chain;
  }

  /** aws-cli's traversal: newest first, follow `previousDigest*`; on a break resume at the next older listed key. */
  private async traverse(chain: ChainResult, trail: TrailToVerify, region: string, listed: DigestKeyInfo[], backfill: boolean, ring: KeyRing, referenced: Set<string>): Promise<Trace> {
    const from = this.options.from.getTime();
    const counts = backfill ? chain.backfillDigests : chain.digests;
    const trace: Trace = { valid: [], starting: new Set(), broken: [] };
    listed.sort((a, b) => b.endMs - a.endMs || (a.key < b.key ? 1 : -1));
    const visited = new Set<string>();
    let current: { bucket: string; key: string; endMs: number } | undefined = listed[0] ? { bucket: trail.bucket, ...listed[0] } : undefined;
    let linkFrom: Loaded | undefined;
    const logJobs: Promise<void>[] = [];
    const nextOlder = (endMs: number, key: string) => {
      const n = listed.find((l) => (l.endMs < endMs || (l.endMs === endMs && l.key < key)) && !visited.has(l.key));
      return n ? { bucket: trail.bucket, ...n } : undefined;
    };
    while (current && !visited.has(current.key)) {
      visited.add(current.key);
      const loaded = await this.loadDigest(current.bucket, current.key, region, ring, backfill, linkFrom);
      this.record(chain, { kind: 'digest', backfill, bucket: current.bucket, key: current.key, status: loaded.status, ...(loaded.reason ? { reason: loaded.reason } : {}) });
      bump(counts, loaded.status);
      const d = loaded.digest;
      if (d) for (const l of d.logFiles) referenced.add(`${l.s3Bucket}/${l.s3Object}`);
      if (!d || loaded.status === 'INVALID' || loaded.status === 'ERROR') {
        trace.broken.push(current.endMs);
        if (current.endMs - HOUR < from) break;
        current = nextOlder(current.endMs, current.key);
        linkFrom = undefined;
        continue;
      }
      const startMs = Date.parse(d.digestStartTime);
      const endMs = Date.parse(d.digestEndTime);
      if (linkFrom?.digest) checkLink(chain, linkFrom, loaded, current.key);
      // Offline without metadata an UNVERIFIED digest still covers its hour (it is there, only unproven).
      if (!backfill) trace.valid.push([startMs, endMs]);
      for (const l of d.logFiles) logJobs.push(this.limiter.run(() => this.checkLog(chain, l.s3Bucket, l.s3Object, l.hashValue, l.hashAlgorithm, backfill)));
      if (startMs < from) break;
      if (d.previousDigestS3Object !== null && d.previousDigestS3Bucket !== null) {
        const prevKey = d.previousDigestS3Object;
        const info = parseDigestKey(prevKey, trail.trailName, trail.homeRegion);
        current = { bucket: d.previousDigestS3Bucket, key: prevKey, endMs: info?.endMs ?? startMs };
        linkFrom = loaded;
      } else {
        if (!backfill) trace.starting.add(startMs);
        current = nextOlder(current.endMs, current.key);
        linkFrom = undefined;
      }
    }
    await Promise.all(logJobs);
    return trace;
  }

  private record(chain: ChainResult, f: FileResult): void {
    if (f.status !== 'valid' || this.options.keepValid) chain.files.push(f);
  }

  private async loadDigest(bucket: string, key: string, region: string, ring: KeyRing, backfill: boolean, linkFrom: Loaded | undefined): Promise<Loaded> {
    const got = await this.source.get(bucket, key, MAX_DIGEST_BYTES);
    if (got.kind === 'notFound') return { status: 'INVALID', reason: 'not found' };
    if (got.kind === 'error') return { status: 'ERROR', reason: `${got.code}: ${got.message}` };
    const unzipped = gunzipStrict(got.body, MAX_DIGEST_BYTES * 8);
    if (!unzipped.ok) return { status: 'INVALID', reason: unzipped.reason === 'trailing' ? 'unexpected data after end of compressed stream' : 'invalid format' };
    const text = unzipped.data.toString('utf8');
    const digest = parseDigest(text);
    if (!digest) return { status: 'INVALID', reason: 'invalid format' };
    const hash = sha256Hex(unzipped.data);
    const base: Loaded = { status: 'INVALID', digest, hash };
    if (backfill && got.metadata && !got.metadata['backfill-generation-timestamp']) return { ...base, reason: 'invalid format' };
    if (digest.digestS3Bucket !== bucket || digest.digestS3Object !== key) return { ...base, reason: 'has been moved from its original location' };
    // Online the signature is the object's metadata; offline without it, the newer digest's
    // previousDigestSignature (AWS docs, "Validating digest and log files offline").
    let signature: string | undefined;
    if (got.metadata) {
      if (!got.metadata.signature || !got.metadata['signature-algorithm']) return { ...base, reason: 'signature verification failed' };
      if (got.metadata['signature-algorithm'] !== 'SHA256withRSA') return { ...base, reason: `unsupported algorithm ${got.metadata['signature-algorithm']}` };
      signature = got.metadata.signature;
    } else if (linkFrom?.digest?.previousDigestSignature) {
      signature = linkFrom.digest.previousDigestSignature;
    } else {
      return { status: 'UNVERIFIED', reason: 'no signature available', digest, hash };
    }
    if (digest.digestSignatureAlgorithm !== null && digest.digestSignatureAlgorithm !== 'SHA256withRSA') return { ...base, reason: `unsupported algorithm ${digest.digestSignatureAlgorithm}` };
    const fingerprint = digest.digestPublicKeyFingerprint.toLowerCase();
    const key2 = ring.byFingerprint.get(fingerprint);
    if (!key2 && ring.unloadable.has(fingerprint)) return { ...base, reason: `Unable to load PKCS #1 key with fingerprint ${digest.digestPublicKeyFingerprint}` };
    if (!key2) return { ...base, reason: `public key not found in region ${region} for fingerprint ${digest.digestPublicKeyFingerprint}` };
    if (!isHex(signature) || !verifySignature(stringToSign(digest, hash), signature, key2.key)) return { ...base, reason: 'signature verification failed' };
    return { status: 'valid', digest, hash, signature };
  }

  private async checkLog(chain: ChainResult, bucket: string, key: string, hashValue: string, algorithm: string | undefined, backfill: boolean): Promise<void> {
    const result = await this.logStatus(bucket, key, hashValue, algorithm);
    bump(chain.logs, result.status);
    this.record(chain, { kind: 'log', backfill, bucket, key, ...result });
  }

  private async logStatus(bucket: string, key: string, hashValue: string, algorithm: string | undefined): Promise<Pick<FileResult, 'status' | 'reason'>> {
    if (algorithm !== undefined && algorithm !== 'SHA-256') return { status: 'INVALID', reason: `unsupported algorithm ${algorithm}` };
    const got = await this.source.get(bucket, key, MAX_LOG_BYTES);
    if (got.kind === 'notFound') return { status: 'INVALID', reason: 'not found' };
    if (got.kind === 'error') return { status: 'ERROR', reason: `${got.code}: ${got.message}` };
    const unzipped = gunzipStrict(got.body, MAX_LOG_OUTPUT);
    if (!unzipped.ok) return { status: 'INVALID', reason: unzipped.reason === 'trailing' ? 'unexpected data after end of compressed stream' : 'invalid format' };
    return sha256Hex(unzipped.data) === hashValue.toLowerCase() ? { status: 'valid' } : { status: 'INVALID', reason: "hash value doesn't match" };
  }

  /** Log files in the bucket that no digest lists, within the digests' range. */
  private async findUnreferenced(chain: ChainResult, bucket: string, base: string, region: string, referenced: Set<string>, windows: [number, number][], from: number, to: number): Promise<void> {
    if (windows.length === 0) return;
    const first = windows[0]![0];
    const last = windows[windows.length - 1]![1];
    const prefix = `${base}CloudTrail/${region}/`;
    const stop = `${prefix}${dayFolder(Math.min(to, last) + 24 * HOUR)}`;
    try {
      for await (const key of listAll(this.source, bucket, prefix, `${prefix}${dayFolder(Math.max(from, first)).slice(0, -1)}`)) {
        if (key > stop) break;
        const t = parseLogKeyTime(key);
        if (t === undefined || t < first || t >= last || referenced.has(`${bucket}/${key}`)) continue;
        const inside = windows.some(([s, e]) => t >= s && t < e);
        chain.unreferenced.push({ bucket, key, time: isoSeconds(t), likely: inside ? 'injected' : 'in-gap' });
      }
    } catch (err) {
      chain.notes.push(`cannot list s3://${bucket}/${prefix} for unreferenced log files: ${(err as Error).message}`);
    }
  }
}

interface Loaded {
  status: FileResult['status'];
  reason?: string;
  digest?: Digest;
  hash?: string;
  signature?: string;
}

interface Trace {
  /** [start, end] of valid (or UNVERIFIED) standard digests. */
  valid: [number, number][];
  /** Start times of valid starting digests (previousDigest* null). */
  starting: Set<number>;
  /** End times (from key names) of missing or invalid digests. */
  broken: number[];
}

function bump(c: Counts, status: FileResult['status']): void {
  if (status === 'valid') c.valid++;
  else if (status === 'INVALID') c.invalid++;
  else if (status === 'UNVERIFIED') c.unverified++;
  else c.error++;
}

/** aws-cli checks none of these; online the signatures make them redundant, offline they do not. */
function checkLink(chain: ChainResult, newer: Loaded, older: Loaded, olderKey: string): void {
  const n = newer.digest!;
  const o = older.digest!;
  const newerKey = n.digestS3Object;
  if (n.previousDigestHashValue !== null && older.hash && n.previousDigestHashValue.toLowerCase() !== older.hash) chain.links.push({ newer: newerKey, older: olderKey, field: 'previousDigestHashValue' });
  if (older.signature && n.previousDigestSignature !== null && n.previousDigestSignature.toLowerCase() !== older.signature.toLowerCase()) chain.links.push({ newer: newerKey, older: olderKey, field: 'previousDigestSignature' });
  if (n.digestStartTime !== o.digestEndTime) chain.links.push({ newer: newerKey, older: olderKey, field: 'digestStartTime' });
}

export function mergeWindows(windows: [number, number][], from: number, to: number): [number, number][] {
  const sorted = windows.map(([s, e]) => [Math.max(s, from), Math.min(e, to)] as [number, number]).filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push([...w]);
  }
  return out;
}

function labelGaps(windows: [number, number][], trace: Trace, chain: ChainResult, events: { time: string; what: string }[]): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < windows.length; i++) {
    const start = windows[i - 1]![1];
    const end = windows[i]![0];
    const broken = trace.broken.filter((e) => e > start && e - HOUR < end).length;
    const inGap = chain.unreferenced.filter((u) => {
      const t = Date.parse(u.time);
      return t >= start && t < end;
    }).length;
    const restart = trace.starting.has(end) && broken === 0 && inGap === 0;
    const hours = Math.round(((end - start) / HOUR) * 100) / 100;
    let explanation: string;
    // A stop/start recorded within an hour of the gap's edges says which it was.
    const near = events.filter((e) => {
      const t = Date.parse(e.time);
      return t >= start - HOUR && t <= end + HOUR;
    });
    if (restart) explanation = `the next digest starts a new chain: logging or log file validation was off${near.length ? ` (${near.map((e) => `${e.what} at ${e.time}`).join(', ')})` : ''}`;
    else if (broken > 0) explanation = `${broken} digest file(s) in this period are missing or invalid`;
    else if (inGap > 0) explanation = `${inGap} log file(s) were delivered in this period but no digest covers it: digests were deleted, or validation was off while logging was on`;
    else explanation = 'no valid digest covers this period and the chain does not restart here';
    gaps.push({ start: isoSeconds(start), end: isoSeconds(end), hours, label: restart ? 'chain-restart' : 'unexplained', explanation });
  }
  return gaps;
}

const unique = (xs: string[]) => [...new Set(xs)].sort();
