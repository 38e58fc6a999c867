import { parseArgs } from 'node:util';
import { FAIL_ON_LEVELS, type FailOn, InputError, didYouMean } from '@trailwarden/core';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; help: string; arg?: string };

export const OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  format: { type: 'string', help: 'report formats, comma-separated (default: all built in: json,sarif,html,junit)', arg: 'LIST' },
  output: { type: 'string', short: 'o', help: 'directory for the reports (default: trailwarden-out)', arg: 'DIR' },
  'fail-on': { type: 'string', help: 'exit 1 on FAIL findings at or above: critical|high|medium|low|any|none (default: any)', arg: 'LEVEL' },
  config: { type: 'string', short: 'c', help: 'config file (default: ./trailwarden.config.{json,yaml,yml} if present)', arg: 'FILE' },
  checks: { type: 'string', help: 'run only these check ids, comma-separated', arg: 'LIST' },
  now: { type: 'string', help: 'evaluate as of this ISO time (exception expiry, delivery age); default: now', arg: 'TIME' },
  quiet: { type: 'boolean', short: 'q', help: 'print only errors and the report paths' },
  ...trustOptions(),
};

/** For CI on branches you do not trust: the config file in the working directory loads code and sets the gate. */
export function trustOptions(): Record<string, OptionSpec> {
  return {
    'no-config': { type: 'boolean', help: 'ignore any config file (built-in defaults; flags still apply)' },
    'no-plugins': { type: 'boolean', help: "load only the built-in plugins, not the config's" },
  };
}

export const AWS_OPTIONS: Record<string, OptionSpec> = {
  'endpoint-url': { type: 'string', help: 'send every AWS call to this endpoint (simulator, LocalStack, moto); also AWS_ENDPOINT_URL', arg: 'URL' },
  region: { type: 'string', help: 'home region for global calls (default: AWS_REGION, else the profile\'s region, else us-east-1)', arg: 'REGION' },
  profile: { type: 'string', help: 'AWS shared config profile (default: the SDK default chain)', arg: 'NAME' },
  'role-name': { type: 'string', help: 'role to assume in each account (default: OrganizationAccountAccessRole)', arg: 'NAME' },
  'management-role-name': { type: 'string', help: 'role to assume in the management account when scanning from another account (default: --role-name)', arg: 'NAME' },
  'external-id': { type: 'string', help: 'external id for the role assumption', arg: 'ID' },
  accounts: { type: 'string', help: 'scan only these account ids, comma-separated', arg: 'LIST' },
  'exclude-accounts': { type: 'string', help: 'skip these account ids, comma-separated', arg: 'LIST' },
  ous: { type: 'string', help: 'scan only accounts under these OU ids (or root id), comma-separated', arg: 'LIST' },
  regions: { type: 'string', help: 'read only these regions, comma-separated (default: every enabled region)', arg: 'LIST' },
  concurrency: { type: 'string', help: 'accounts read in parallel (default: 16)', arg: 'N' },
  timeout: { type: 'string', help: 'stop collecting after this long, report what was read (incomplete, exit 3): 90s, 45m, 2h (default: 60m)', arg: 'TIME' },
};

/** The default overall scan time limit. */
export const DEFAULT_SCAN_TIMEOUT = '60m';

/** `90s`, `45m`, `2h`, or a bare number of seconds → milliseconds. */
export function durationOption(value: string, where: string): number {
  const m = /^([1-9][0-9]{0,6})(s|m|h)?$/.exec(value.trim());
  if (!m) throw new InputError(`"${value}" is not a duration (like 90s, 45m or 2h)`, where);
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000;
  return Number(m[1]) * unit;
}

export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show help for the command' },
  debug: { type: 'boolean', help: 'print stack traces for errors' },
};

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: string, argv: string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries({ ...specs, ...COMMON_OPTIONS }).map(([name, s]) => [name, s.short ? { type: s.type, short: s.short } : { type: s.type }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg)?.[1];
    if (unknown) {
      const name = unknown.replace(/^-+/, '');
      throw new InputError(`unknown option ${unknown}${didYouMean(name, Object.keys(options)).replace(/"([^"]+)"/, '"--$1"')}; see \`trailwarden ${command} --help\``);
    }
    throw new InputError(`${msg.replace(/\. To specify.*$/, '')}; see \`trailwarden ${command} --help\``);
  }
}

export function listOption(value: string | boolean | undefined): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export function failOnOption(value: string | boolean | undefined, fallback: FailOn | undefined): FailOn {
  if (typeof value !== 'string') return fallback ?? 'any';
  if (!(FAIL_ON_LEVELS as readonly string[]).includes(value)) {
    throw new InputError(`--fail-on: "${value}" is not a level${didYouMean(value, FAIL_ON_LEVELS)}; use one of ${FAIL_ON_LEVELS.join(', ')}`);
  }
  return value as FailOn;
}

export function accountListOption(name: string, value: string | boolean | undefined): string[] | undefined {
  const list = listOption(value);
  for (const id of list ?? []) if (!/^\d{12}$/.test(id)) throw new InputError(`--${name}: "${id}" is not a 12-digit AWS account id`);
  return list;
}

export function regionListOption(value: string | boolean | undefined): string[] | undefined {
  const list = listOption(value);
  for (const r of list ?? []) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new InputError(`--regions: "${r}" is not a region name (like eu-west-1)`);
  return list;
}

export function nowOption(value: string | boolean | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InputError(`--now: "${value}" is not an ISO date-time (like 2026-11-21T12:00:00Z)`);
  return new Date(t);
}

export function helpText(usage: string, summary: string, specs: Record<string, OptionSpec>[]): string {
  const rows = specs.flatMap((s) => Object.entries(s)).concat(Object.entries(COMMON_OPTIONS));
  const lines = rows.map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.arg ? ` ${s.arg}` : ''}`;
    return `  ${flag.padEnd(30)} ${s.help}`;
  });
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n`;
}

/** An endpoint must be a full http(s) URL: the SDK would take `localhost:4566` as a scheme-less path and fail obscurely. */
export function endpointUrlOption(value: string | undefined, where: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^https?:\/\//i.test(value)) {
    const fix = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? 'use http:// or https://' : `write it with a scheme: http://${value}`;
    throw new InputError(`${where}: "${value}" is not an http(s) URL; ${fix}`);
  }
  try {
    new URL(value);
  } catch {
    throw new InputError(`${where}: "${value}" is not a valid URL`);
  }
  return value;
}
