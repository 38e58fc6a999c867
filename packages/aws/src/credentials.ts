import { AssumeRoleCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CollectorError } from './errors.js';
import type { AccountSession } from './session.js';

export const SESSION_NAME = 'trailwarden';
/** Refresh this long before expiry: longer than the SDK's own 5-minute window, so it never loops. */
const REFRESH_MARGIN_MS = 10 * 60_000;

export interface RoleOptions {
  partition: string;
  roleName: string;
  /** Another role name for some accounts (the management account, which has no OrganizationAccountAccessRole). */
  roleNames?: ReadonlyMap<string, string>;
  externalId?: string;
  /** Region of the STS endpoint. */
  region: string;
  durationSeconds?: number;
  /** Wall clock for expiry (credentials are real-time, never part of the output). */
  clock?: () => number;
}

/** `OrganizationAccountAccessRole` or `path/to/Role` → the role ARN in an account. */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  const name = roleName.replace(/^\/+/, '');
  return `arn:${partition}:iam::${accountId}:role/${name}`;
}

/**
 * Assumes the scan role in member accounts with the caller's session; credentials are cached per
 * account and refreshed before they expire. Concurrent requests for one account share one call.
 */
export class RoleAssumer {
  private readonly cache = new Map<string, Promise<AwsCredentialIdentity>>();
  /** When each cached session was asked for (wall clock). */
  private readonly obtainedAt = new Map<string, number>();
  private readonly clock: () => number;

  constructor(
    private readonly callerSession: AccountSession,
    private readonly options: RoleOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  roleArn(accountId: string): string {
    return roleArn(this.options.partition, accountId, this.options.roleNames?.get(accountId) ?? this.options.roleName);
  }

  /** A provider for SDK clients of this account. */
  provider(accountId: string): AwsCredentialIdentityProvider {
    return () => this.credentials(accountId);
  }

  /**
   * Forget an account's session (AWS said it expired) if it was obtained before `before` (a call
   * sent with it): the next ask assumes the role again. A session obtained since is kept.
   */
  forget(accountId: string, before = Number.POSITIVE_INFINITY): void {
    const at = this.obtainedAt.get(accountId);
    if (at !== undefined && at > before) return;
    this.cache.delete(accountId);
  }

  async credentials(accountId: string): Promise<AwsCredentialIdentity> {
    const cached = this.cache.get(accountId);
    if (cached) {
      const creds = await cached.catch(() => undefined);
      if (creds && (!creds.expiration || creds.expiration.getTime() - this.clock() > REFRESH_MARGIN_MS)) return creds;
    }
    const fresh = this.assume(accountId);
    this.cache.set(accountId, fresh);
    this.obtainedAt.set(accountId, Date.now());
    // A failed assumption is not cached: a later ask (e.g. in the resources phase) tries again.
    fresh.catch(() => {
      if (this.cache.get(accountId) === fresh) this.cache.delete(accountId);
    });
    return fresh;
  }

  private async assume(accountId: string): Promise<AwsCredentialIdentity> {
    const out = await this.callerSession.send<AssumeRoleCommandOutput>(
      'sts',
      this.options.region,
      new AssumeRoleCommand({
        RoleArn: this.roleArn(accountId),
        RoleSessionName: SESSION_NAME,
        DurationSeconds: this.options.durationSeconds ?? 3600,
        ...(this.options.externalId ? { ExternalId: this.options.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new CollectorError('NoCredentials', 'AssumeRole returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  }
}
