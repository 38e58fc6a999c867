import type { AwsCredentialIdentity } from '@smithy/types';
import { CollectorError, errorCode } from './errors.js';

/**
 * What AWS answers for expired temporary credentials: `ExpiredToken` (STS, IAM, S3 and the other
 * query/REST services), `ExpiredTokenException` (JSON services), `RequestExpired` (EC2).
 */
const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

export function isExpiredCredentials(err: unknown): boolean {
  return EXPIRED_CODES.has(errorCode(err));
}

/** What an account session does when AWS says the credentials it signed with expired. */
export interface ExpiryHandler {
  /**
   * `base`: the caller's own credentials (they also sign every AssumeRole) or an assumed role's.
   * `sentAt`: when the failed call was sent. Resolves true to send the call once more (fresh
   * credentials), false when the scan is stopping.
   */
  expired(accountId: string, base: boolean, err: unknown, what: string, sentAt: number): Promise<boolean>;
  /** The error every read gets once the scan stopped for expired credentials. */
  stopError(): CollectorError | undefined;
}

export interface CredentialExpiryOptions {
  /** When collection started (epoch ms), to say how long the credentials lasted. */
  startedAt: number;
  clock?: () => number;
  /** The caller's credentials as cached, and freshly resolved (SSO, a profile's role, a process can renew them). */
  currentBase: () => Promise<AwsCredentialIdentity>;
  refreshBase: () => Promise<AwsCredentialIdentity>;
  /** Forget an account's assumed-role session obtained before `before`, so the next call assumes the role again. */
  forgetRole: (accountId: string, before: number) => void;
  /** Accounts finished and selected so far, to estimate how long a whole scan takes. */
  progress: () => { done: number; total: number };
  /** Stop the scan: no call starts any more, in-flight ones are cancelled. */
  stop: (reason: CollectorError) => void;
}

/**
 * An assumed role's session that expired is assumed again. The caller's own credentials that
 * expired are resolved once more (their provider may renew them); if they come back the same, the
 * scan stops, once, with one message that says how long a session the scan needs.
 */
export class CredentialExpiry implements ExpiryHandler {
  private stopped: CollectorError | undefined;
  private baseCheck: Promise<boolean> | undefined;

  constructor(private readonly o: CredentialExpiryOptions) {}

  stopError(): CollectorError | undefined {
    return this.stopped;
  }

  async expired(accountId: string, base: boolean, err: unknown, what: string, sentAt: number): Promise<boolean> {
    if (this.stopped) return false;
    if (!base) {
      // Many calls fail at once on one expired session: only a session older than the call is dropped.
      this.o.forgetRole(accountId, sentAt);
      return true;
    }
    if (!this.baseCheck) {
      const check = this.checkBase(err, what);
      this.baseCheck = check;
      // Renewed: a later expiry is checked afresh. Stopped: `stopped` answers from now on.
      void check.finally(() => {
        if (this.baseCheck === check) this.baseCheck = undefined;
      });
    }
    return this.baseCheck;
  }

  private async checkBase(err: unknown, what: string): Promise<boolean> {
    const before = await this.o.currentBase().catch(() => undefined);
    const after = await this.o.refreshBase().catch(() => undefined);
    if (before && after && (after.accessKeyId !== before.accessKeyId || after.sessionToken !== before.sessionToken)) return true;
    const clock = this.o.clock ?? Date.now;
    const { done, total } = this.o.progress();
    this.stopped = new CollectorError('CredentialsExpired', expiryMessage(errorCode(err), what, clock() - this.o.startedAt, done, total));
    this.o.stop(this.stopped);
    return false;
  }
}

const QUARTER_HOUR = 15 * 60_000;
/** The longest role session AWS issues (MaxSessionDuration up to 12 hours). */
const MAX_SESSION_MS = 12 * 3_600_000;

/**
 * One line: when and where the credentials expired, how far the scan got, and the session length a
 * whole scan needs (the time per finished account so far, for every account, plus a quarter for
 * margin, in quarter hours: AWS session lengths start at 15 minutes).
 */
export function expiryMessage(code: string, what: string, elapsedMs: number, done: number, total: number): string {
  const head = `the caller's credentials expired after ${formatSpan(elapsedMs)} of scanning (${code} from ${what}${code === 'RequestExpired' ? '; or this machine’s clock is more than 15 minutes off' : ''})`;
  const progress = total > 0 ? `: ${done} of ${total} account(s) were read` : '';
  let need: string;
  if (done > 0 && total > 0) {
    const estimate = (elapsedMs * total) / done;
    const needed = Math.max(QUARTER_HOUR, Math.ceil((estimate * 1.25) / QUARTER_HOUR) * QUARTER_HOUR);
    need =
      needed > MAX_SESSION_MS
        ? `a whole scan takes about ${formatSpan(estimate)}, longer than the 12 h a role session can last: scan in parts (--accounts, --ous)`
        : `a whole scan takes about ${formatSpan(estimate)}: use credentials that last at least ${formatSpan(needed)}`;
  } else {
    need = `no account was finished, so a whole scan needs credentials that last well over ${formatSpan(elapsedMs)}`;
  }
  return `${head}${progress}; ${need} (a role's MaxSessionDuration and the duration you request, or the SSO permission set's session duration). What was read is kept`;
}

function formatSpan(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return sec > 0 && m < 10 ? `${m}m ${sec}s` : `${m}m`;
  return `${sec}s`;
}
