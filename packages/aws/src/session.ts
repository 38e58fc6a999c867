import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type ClientFactory, withCredentials } from './clients.js';
import type { AnyCommand, Caller, Sender } from './pacing/caller.js';
import type { Service } from './pacing/quotas.js';

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
  ) {}

  send<T>(service: Service, region: string, command: AnyCommand): Promise<T> {
    const client = this.factory.get(service, region);
    return withCredentials(this.credentials, () => this.caller.send<T>({ accountId: this.accountId, region, service }, client, command));
  }

  /**
   * Send through a client the collector does not build itself (a plugin's `collect` entry): same
   * credentials, pacing (by `service`), retries and read-only guard.
   */
  sendVia<T>(service: string, region: string, client: Sender, command: AnyCommand): Promise<T> {
    return withCredentials(this.credentials, () => this.caller.send<T>({ accountId: this.accountId, region, service }, client, command));
  }

  /**
   * Send a collector command paced in its own bucket (`pace`, e.g. `cloudtrail:LookupEvents`, whose
   * quota is not the service's).
   */
  sendPaced<T>(service: Service, pace: string, region: string, command: AnyCommand): Promise<T> {
    const client = this.factory.get(service, region);
    return withCredentials(this.credentials, () => this.caller.send<T>({ accountId: this.accountId, region, service: pace }, client, command));
  }

  /** Forget the account's pacing state; its data is in the snapshot already. */
  close(): void {
    this.caller.releaseAccount(this.accountId);
  }
}
