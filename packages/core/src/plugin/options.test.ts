import { describe, expect, it } from 'vitest';
import { selectChecks } from '../config/selection.js';
import { defineCheck, defineReporter } from './api.js';
import { assertReporterOptions, registerPluginModule } from './loader.js';

const withRequired = defineCheck<{ logArchiveAccountId: string; strict: boolean }, 'ok'>({
  id: 'test-required-option',
  meta: {
    title: 'A check with a required option',
    description: 'Needs the log-archive account id; has no sensible default.',
    severity: 'high',
    resource: 'AWS::::Account',
    remediation: { text: 'n/a' },
    messages: { ok: 'ok' },
  },
  options: {
    schema: {
      type: 'object',
      properties: { logArchiveAccountId: { type: 'string', pattern: '^\\d{12}$' }, strict: { type: 'boolean' } },
      required: ['logArchiveAccountId'],
      additionalProperties: false,
    },
    defaults: { strict: true },
  },
  requires: [],
  evaluate() {},
});

const plugin = () => registerPluginModule({ default: withRequired }, { name: 'test-plugin', specifier: 'test-plugin' });

describe('required check options', () => {
  it('load without a default', () => {
    expect(plugin().checks.map((c) => c.id)).toEqual(['test-required-option']);
  });

  it('stop the run with one line naming the option when the config does not set it', () => {
    expect(() => selectChecks({ plugins: [plugin()], config: {}, configWhere: 'trailwarden.config.yaml' })).toThrow(
      /check test-required-option needs option "logArchiveAccountId" \(required, no default\): set checks\.test-required-option\.options\.logArchiveAccountId/,
    );
  });

  it('are validated like any option once set, and merged over the defaults', () => {
    const config = (id: string) => ({ checks: { 'test-required-option': { options: { logArchiveAccountId: id } } } });
    expect(() => selectChecks({ plugins: [plugin()], config: config('12'), configWhere: 'cfg' })).toThrow(/logArchiveAccountId/);
    const [loaded] = selectChecks({ plugins: [plugin()], config: config('222222222222'), configWhere: 'cfg' });
    expect(loaded?.options).toEqual({ strict: true, logArchiveAccountId: '222222222222' });
  });

  it('need no setting when the check is off', () => {
    expect(selectChecks({ plugins: [plugin()], config: { checks: { 'test-required-option': 'off' } }, configWhere: 'cfg' })).toEqual([]);
  });

  it('must be described in the schema', () => {
    const bad = { ...withRequired, options: { schema: { type: 'object', properties: {}, required: ['ghost'] }, defaults: {} } };
    expect(() => registerPluginModule({ default: bad }, { name: 'bad-plugin', specifier: 'bad-plugin' })).toThrow(/requires "ghost" but does not describe it/);
  });

  it('still refuse defaults that break the schema otherwise', () => {
    const bad = { ...withRequired, options: { ...withRequired.options, defaults: { strict: 'yes' } } };
    expect(() => registerPluginModule({ default: bad }, { name: 'bad-plugin', specifier: 'bad-plugin' })).toThrow(/strict.*boolean/);
  });
});

describe('reporter options schema', () => {
  const reporter = defineReporter<{ maxLines?: number }>({
    id: 'lines',
    extension: '.txt',
    options: { schema: { type: 'object', properties: { maxLines: { type: 'integer', minimum: 1 } }, additionalProperties: false } },
    render: () => '',
  });

  it('is validated up front, naming reporters.<id>', () => {
    expect(() => assertReporterOptions([reporter], { lines: { maxLines: 0 } }, 'cfg')).toThrow(/reporters\.lines\.maxLines/);
    expect(() => assertReporterOptions([reporter], { lines: { maxLine: 3 } }, 'cfg')).toThrow(/maxLine/);
    expect(() => assertReporterOptions([reporter], { lines: { maxLines: 3 } }, 'cfg')).not.toThrow();
  });

  it('refuses options for a reporter that is not installed', () => {
    expect(() => assertReporterOptions([reporter], { line: {} }, 'cfg')).toThrow(/unknown reporter "line".*lines/);
  });

  it('must be a valid JSON Schema', () => {
    const bad = { ...reporter, options: { schema: { type: 'nonsense' } } };
    expect(() => registerPluginModule({ default: bad }, { name: 'bad-reporter', specifier: 'bad-reporter' })).toThrow(/options\.schema is not a valid JSON Schema/);
  });
});
