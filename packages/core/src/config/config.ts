import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { Severity } from '../model/result.js';
import { assertValid } from '../util/ajv.js';
import { staticValidator } from '../util/validators.js';
import { InputError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import type { ExceptionRule } from './exceptions.js';
import { type FailOn, configSchema } from './schema.js';

export type CheckSetting = 'on' | 'off' | boolean | { enabled?: boolean; severity?: Severity; options?: Record<string, unknown> };

export interface TrailwardenConfig {
  plugins?: string[];
  checks?: Record<string, CheckSetting>;
  scope?: { accounts?: string[]; excludeAccounts?: string[]; ous?: string[]; regions?: string[] };
  /** No `endpointUrl`: where credentials are sent comes from the command line or environment only. */
  aws?: { roleName?: string; managementRoleName?: string; externalId?: string; region?: string; profile?: string; concurrency?: number };
  failOn?: FailOn;
  output?: { dir?: string; formats?: string[] };
  reporters?: Record<string, Record<string, unknown>>;
  exceptions?: ExceptionRule[];
  timeoutMs?: number;
  /** Overall scan time limit, like `--timeout`: `90s`, `60m`, `2h` (bare number: seconds). */
  scanTimeout?: string;
  /** IAM actions (`service:Action`) plugins may call beyond the built-in read-only allow-list. */
  collection?: { allow?: string[] };
  /** Record every scan in this SQLite history file (relative to the config file). */
  history?: { file: string };
}

export interface LoadedConfig {
  config: TrailwardenConfig;
  /** The file it came from, or undefined when no file was found (defaults). */
  path?: string;
  /** Directory that relative plugin paths resolve from. */
  baseDir: string;
}

export const CONFIG_FILE_NAMES = ['trailwarden.config.json', 'trailwarden.config.yaml', 'trailwarden.config.yml'];


/** Parse and validate config text; errors name the file, the field and, for typos, the likely fix. */
export function parseConfig(text: string, where: string): TrailwardenConfig {
  let data: unknown;
  if (/\.json$/i.test(where)) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new InputError(`is not valid JSON: ${(e as Error).message}`, where);
    }
  } else {
    try {
      data = parseYaml(text, { prettyErrors: true }) ?? {};
    } catch (e) {
      const msg = e instanceof YAMLParseError ? `${e.message.split('\n')[0]}` : (e as Error).message;
      throw new InputError(`is not valid YAML: ${msg}`, where);
    }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InputError('must be an object of settings', where);
  const top = Object.keys(configSchema.properties);
  for (const key of Object.keys(data)) {
    if (!top.includes(key)) throw new InputError(`${key}: is not a known setting${didYouMean(key, top)}; known settings: ${top.filter((k) => k !== '$schema').join(', ')}`, where);
  }
  const aws = (data as { aws?: unknown }).aws;
  if (aws && typeof aws === 'object' && 'endpointUrl' in aws) {
    throw new InputError(
      'aws.endpointUrl: is not read from a config file (a config in a branch could send the scan and its credentials anywhere); use --endpoint-url or AWS_ENDPOINT_URL',
      where,
    );
  }
  assertValid<TrailwardenConfig>(staticValidator('config', configSchema), data, where);
  for (const [i, ex] of (data as TrailwardenConfig).exceptions?.entries() ?? []) {
    if (Number.isNaN(Date.parse(`${ex.expires}T00:00:00Z`))) throw new InputError(`exceptions[${i}].expires: "${ex.expires}" is not a real date (YYYY-MM-DD)`, where);
  }
  return data as TrailwardenConfig;
}

/** Load `--config FILE`, or the first trailwarden.config.* in `cwd`, or defaults. */
export async function loadConfig(explicitPath: string | undefined, cwd: string): Promise<LoadedConfig> {
  let path = explicitPath ? resolve(cwd, explicitPath) : undefined;
  if (!path) {
    const found = CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
    if (!found) return { config: {}, baseDir: cwd };
    path = found;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  return { config: parseConfig(text, path), path, baseDir: dirname(path) };
}
