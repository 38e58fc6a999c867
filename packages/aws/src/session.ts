import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type ClientFactory, withCredentials } from './clients.js';
import { type AnyCommand, type Caller, freshCopy, type Sender } from './pacing/caller.js';
import type { Service } from './pacing/quotas.js';
import { type ExpiryHandler, isExpiredCredentials } from './expiry.js';
import { operationOf } from './read-only.js';

/**
 * One account's view of AWS: its credentials and the shared Caller that paces and retries every
 * request. The SDK clients are shared by all accounts; each request carries this account's
 * credentials.
 */
export class AccountSession {
  constructor(
    readonly accountId: string,
    private readonly credentials: AwsCredentialIdentityProvider,
    private readonly factory: ClientFactory,
    private readonly caller: Caller,
    /** What to do when AWS says these credentials expired; `base`: they are the caller's own. */
    private readonly expiry?: { handler: ExpiryHandler; base: boolean },
  ) {}

  send<T>(service: Service, region: string, command: AnyCommand): Promise<T> {
    const client = this.factory.get(service, region);
    return this.renewing(service, region, command, (c) => withCredentials(this.credentials, () => this.caller.send<T>({ accountId: this.accountId, region, service }, client, c)));
  }

  /** A call whose credentials expired: sent once more with fresh ones, or the scan's stop error. */
  private async renewing<T>(service: string, region: string, command: AnyCommand, run: (command: AnyCommand) => Promise<T>): Promise<T> {
    if (!this.expiry) return run(command);
    const sentAt = Date.now();
    try {
      return await run(command);
    } catch (err) {
      if (!isExpiredCredentials(err)) throw err;
      const { handler, base } = this.expiry;
      // A fresh command: some SDK commands (S3 Control) refuse to be sent twice.
      if (await handler.expired(this.accountId, base, err, `${service}:${operationOf(command)} in ${region}`, sentAt)) return run(freshCopy(command));
      throw handler.stopError() ?? err;
    }
  }

  /**
   * Send through a client the collector does not build itself (a plugin's `collect` entry): same
   * credentials, pacing (by `service`), retries and read-only guard.
   */
  sendVia<T>(service: string, region: string, client: Sender, command: AnyCommand): Promise<T> {
    return this.renewing(service, region, command, (c) => withCredentials(this.credentials, () => this.caller.send<T>({ accountId: this.accountId, region, service }, client, c)));
  }

  /**
   * Send a collector command paced in its own bucket (`pace`, e.g. `cloudtrail:LookupEvents`, whose
   * quota is not the service's).
   */
  sendPaced<T>(service: Service, pace: string, region: string, command: AnyCommand): Promise<T> {
    const client = this.factory.get(service, region);
    return this.renewing(service, region, command, (c) => withCredentials(this.credentials, () => this.caller.send<T>({ accountId: this.accountId, region, service: pace }, client, c)));
  }

  /** Forget the account's pacing state; its data is in the snapshot already. */
  close(): void {
    this.caller.releaseAccount(this.accountId);
  }
}
