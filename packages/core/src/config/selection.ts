import type { LoadedCheck } from '../engine/evaluate.js';
import { type LoadedPlugin, requiredOptions } from '../plugin/loader.js';
import { compileOptionsSchema, describeAjvErrors } from '../util/ajv.js';
import { InputError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import type { CheckSetting, TrailwardenConfig } from './config.js';

export interface SelectionInput {
  plugins: LoadedPlugin[];
  config: TrailwardenConfig;
  /** Where the config came from, for error messages. */
  configWhere: string;
  /** `--checks a,b`: run only these. */
  only?: string[];
  /** Opt-in checks to turn on (e.g. `scan --verify-logs`), unless the config turns them off. */
  enable?: string[];
}

/**
 * Which checks run and with which options: every loaded check unless the config turns it off or
 * `--checks` names a subset; options are the defaults overlaid by the config, validated by the
 * check's own schema. Unknown ids and bad options name the field and the likely fix.
 */
export function selectChecks({ plugins, config, configWhere, only, enable }: SelectionInput): LoadedCheck[] {
  const available = new Map<string, { plugin: LoadedPlugin; check: LoadedPlugin['checks'][number] }>();
  for (const plugin of plugins) {
    for (const check of plugin.checks) {
      const other = available.get(check.id);
      if (other) throw new InputError(`check id "${check.id}" is defined by both ${other.plugin.name} and ${plugin.name}`, `plugin ${plugin.name}`);
      available.set(check.id, { plugin, check });
    }
  }
  const ids = [...available.keys()];
  for (const id of Object.keys(config.checks ?? {})) {
    if (!available.has(id)) throw new InputError(`unknown check id${didYouMean(id, ids)}; run \`trailwarden checks\` to list them`, `${configWhere}: checks.${id}`);
  }
  for (const id of only ?? []) {
    if (!available.has(id)) throw new InputError(`unknown check id "${id}"${didYouMean(id, ids)}; run \`trailwarden checks\` to list them`, '--checks');
  }
  const selected: LoadedCheck[] = [];
  for (const [id, { plugin, check }] of available) {
    const setting: CheckSetting | undefined = config.checks?.[id];
    const byDefault = !check.optIn || (enable ?? []).includes(id);
    const enabledByConfig =
      setting === undefined ? byDefault : setting === 'off' || setting === false ? false : typeof setting === 'object' ? setting.enabled !== false : true;
    const enabled = only ? only.includes(id) : enabledByConfig;
    if (!enabled) continue;
    const configured = typeof setting === 'object' ? (setting.options ?? {}) : {};
    const options = { ...structuredClone(check.options?.defaults ?? {}), ...structuredClone(configured) } as Record<string, unknown>;
    if (check.options) {
      const validate = compileOptionsSchema(check.options.schema);
      const missing = requiredOptions(check.options.schema).filter((name) => options[name] === undefined);
      if (missing.length > 0) {
        const names = missing.map((n) => `"${n}"`).join(', ');
        throw new InputError(
          `check ${id} needs option${missing.length > 1 ? 's' : ''} ${names} (required, no default): set ${missing.map((n) => `checks.${id}.options.${n}`).join(', ')}, or turn the check off (checks.${id}: off)`,
          configWhere,
        );
      }
      if (!validate(options)) {
        const lines = describeAjvErrors(validate.errors, `checks.${id}.options`);
        throw new InputError(lines.join('; '), configWhere);
      }
    } else if (Object.keys(configured).length > 0) {
      throw new InputError(`check ${id} takes no options`, `${configWhere}: checks.${id}.options`);
    }
    selected.push({
      check,
      plugin: { name: plugin.name, ...(plugin.version ? { version: plugin.version } : {}) },
      options,
      ...(typeof setting === 'object' && setting.severity ? { severity: setting.severity } : {}),
      ...(plugin.file ? { source: { file: plugin.file } } : {}),
    });
  }
  return selected;
}
