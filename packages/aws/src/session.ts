import type { ClientFactory, Credentials, ServiceClients } from './clients.js';
import type { AnyCommand, Caller } from './pacing/caller.js';
import type { Service } from './pacing/quotas.js';

/**
 * One account's view of AWS: its credentials, its clients (built lazily per service and region,
 * dropped with the session) and the shared Caller that paces and retries every request.
 */
export class AccountSession {
  private readonly clients = new Map<string, ServiceClients[Service]>();

  constructor(
    readonly accountId: string,
    private readonly credentials: Credentials,
    private readonly factory: ClientFactory,
    private readonly caller: Caller,
  ) {}

  send<T>(service: Service, region: string, command: AnyCommand): Promise<T> {
    return this.caller.send<T>({ accountId: this.accountId, region, service }, this.client(service, region), command);
  }

  /** Forget clients and pacing state; the account's data is in the snapshot already. */
  close(): void {
    this.clients.clear();
    this.caller.releaseAccount(this.accountId);
  }

  private client(service: Service, region: string): ServiceClients[Service] {
    const key = `${service}|${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.factory.create(service, region, this.credentials);
      this.clients.set(key, client);
    }
    return client;
  }
}
