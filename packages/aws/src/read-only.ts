/**
 * Read-only by construction: the collector sends only Get/List/Describe commands, plus STS
 * AssumeRole and GetCallerIdentity, and CloudTrail LookupEvents (reads Event History; CloudTrail
 * records it as a read-only event). Every send goes through `assertReadOnlyCommand`, and each SDK
 * client the collector builds refuses anything else too.
 */
const READ_ONLY_COMMAND = /^(Get|List|Describe)[A-Za-z0-9]+Command$/;
const STS_COMMANDS = new Set(['AssumeRoleCommand', 'GetCallerIdentityCommand']);
const OTHER_READS = new Set(['LookupEventsCommand']);

export class MutatingCallRefused extends Error {
  constructor(commandName: string) {
    super(`Trailwarden is read-only: refusing to send ${commandName}`);
    this.name = 'MutatingCallRefused';
  }
}

export function isReadOnlyCommandName(name: string): boolean {
  return READ_ONLY_COMMAND.test(name) || STS_COMMANDS.has(name) || OTHER_READS.has(name);
}

export function commandName(command: object): string {
  return (command as { constructor?: { name?: string } }).constructor?.name ?? 'UnknownCommand';
}

export function assertReadOnlyCommand(command: object): void {
  const name = commandName(command);
  if (!isReadOnlyCommandName(name)) throw new MutatingCallRefused(name);
}

/** `GetBucketPolicyCommand` → `GetBucketPolicy`. */
export function operationOf(command: object): string {
  return commandName(command).replace(/Command$/, '');
}

/** Wrap a client's `send` so that it refuses any command that is not read-only. */
export function guardClient<C extends { send: (...args: never[]) => unknown }>(client: C): C {
  const original = client.send.bind(client) as (...args: unknown[]) => unknown;
  (client as { send: unknown }).send = (command: object, ...rest: unknown[]) => {
    try {
      assertReadOnlyCommand(command);
    } catch (refusal) {
      return Promise.reject(refusal);
    }
    return original(command, ...rest);
  };
  return client;
}
