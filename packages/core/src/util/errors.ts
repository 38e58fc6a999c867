/**
 * Bad input (config, snapshot, plugin, usage): the CLI prints `message` as one line and exits 2.
 * `where` names the file and field, e.g. `trailwarden.config.yaml: checks.trail-insights.options.x`.
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'InputError';
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof Error && (e as { name?: string }).name === 'InputError';
}
