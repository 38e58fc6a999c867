import { compareControlIds } from '../catalogue/catalogue.js';
import { BUILTIN_PACKS, UNKNOWN_CONTROL_TITLE, resolvePacks } from '../packs/packs.js';
import type { FrameworkPack } from '../packs/types.js';
import type { Check, JsonSchema } from '../plugin/api.js';
import { compareStrings } from '../util/stable.js';

/**
 * Per-check documentation generated from a check's own metadata, so built-in and third-party checks
 * document themselves the same way (`trailwarden docs --out DIR`).
 */
export interface CheckDocOptions {
  /** The npm package (or path) the check is loaded from, for the "enable it" snippet. */
  pluginName: string;
  /** The framework packs that map controls to checks. Default: the built-in ones (plus the check's own v1 `meta.frameworks`). */
  packs?: readonly FrameworkPack[];
  /** A check shipped with the CLI: enabled by default, so the snippet shows how to configure or turn it off. */
  builtin?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: documents checks of any option type
type AnyCheck = Check<any, any>;

/** A check together with the plugin it comes from. */
export interface DocumentedCheck {
  check: AnyCheck;
  pluginName: string;
}

/** File name of a check's page: `trail-multi-region.md`, `@acme/tags` → `acme__tags.md`. */
export function checkDocFileName(checkId: string): string {
  return `${checkId.replace(/^@/, '').replace(/\//g, '__')}.md`;
}

/** Markdown page for one check: what, severity, frameworks, options, remediation, messages, how to enable it. */
export function renderCheckDoc(check: AnyCheck, options: CheckDocOptions): string {
  const packs = resolvePacks([{ id: check.id, meta: check.meta, plugin: { name: options.pluginName } }], options.packs ?? BUILTIN_PACKS);
  const { meta } = check;
  const out: string[] = [];
  out.push(`# ${meta.title}`, '');
  out.push('| | |', '|---|---|');
  out.push(`| Check id | \`${check.id}\` |`);
  out.push(`| Severity | ${meta.severity} |`);
  out.push(`| Resource type | \`${meta.resource}\` |`);
  out.push(`| Plugin | \`${cell(options.pluginName)}\` |`);
  out.push(`| Snapshot sections read | ${check.requires.map((s) => `\`${s}\``).join(', ') || '(none)'} |`);
  if (check.uses?.length) out.push(`| Also read, when collected | ${check.uses.map((s) => `\`${s}\``).join(', ')} |`);
  if (meta.helpUri) out.push(`| More | <${meta.helpUri}> |`);
  out.push('', meta.description.trim(), '');

  out.push('## Frameworks', '');
  const rows = packRows(check.id, packs);
  if (rows.length === 0) out.push('Not mapped to any compliance framework.', '');
  else {
    out.push('From the framework packs (`trailwarden checks --framework ID` lists a whole pack).', '');
    out.push('| Framework | Control | Title | Automated |', '|---|---|---|---|');
    for (const r of rows) out.push(`| ${cell(r.framework)} | ${cell(r.control)} | ${cell(r.title)} | ${cell(r.automation)} |`);
    out.push('');
  }

  out.push('## Options', '');
  const options_ = optionRows(check);
  if (options_.length === 0) out.push('This check takes no options.', '');
  else {
    out.push('| Option | Type | Default | Description |', '|---|---|---|---|');
    for (const r of options_) out.push(`| \`${r.name}\`${r.required ? ' (required)' : ''} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`);
    out.push('');
  }

  out.push('## Remediation', '', meta.remediation.text.trim(), '');
  if (meta.remediation.cli) out.push('AWS CLI:', '', fence('sh', meta.remediation.cli), '');
  if (meta.remediation.terraform) out.push('Terraform:', '', fence('hcl', meta.remediation.terraform), '');

  out.push('## Messages', '', 'Findings carry one of these message ids (stable across wording changes); ERROR findings name what could not be read.', '');
  out.push('| Message id | Text |', '|---|---|');
  for (const id of Object.keys(meta.messages).sort(compareStrings)) out.push(`| \`${id}\` | ${cell(meta.messages[id] as string)} |`);
  out.push('');

  if (options.builtin) {
    out.push('## Configure', '', 'Built into Trailwarden and enabled by default.', '', fence('yaml', builtinSnippet(check, options_)), '');
  } else {
    out.push('## Enable and configure', '', fence('yaml', enableSnippet(check, options.pluginName, options_)), '');
  }
  if (meta.docs) out.push(`Further documentation: \`${meta.docs}\` in the plugin package.`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Markdown index of checks: id (linked to its page), title, severity, resource, frameworks. */
export function renderCheckIndex(
  checks: (AnyCheck | DocumentedCheck)[],
  options: { title?: string; link?: (checkId: string) => string; packs?: readonly FrameworkPack[] } = {},
): string {
  const link = options.link ?? checkDocFileName;
  const list = checks.map((c) => ('check' in c ? c : { check: c, pluginName: undefined })).sort((a, b) => compareStrings(a.check.id, b.check.id));
  const packs = resolvePacks(
    list.map(({ check, pluginName }) => ({ id: check.id, meta: check.meta, plugin: { name: pluginName ?? check.id } })),
    options.packs ?? BUILTIN_PACKS,
  );
  const out = [`# ${options.title ?? 'Checks'}`, '', `${list.length} check${list.length === 1 ? '' : 's'}.`, ''];
  out.push('| Check | Title | Severity | Resource | Frameworks | Plugin |', '|---|---|---|---|---|---|');
  for (const { check, pluginName } of list) {
    const fws = [...new Set(packRows(check.id, packs).map((r) => r.frameworkId))].sort(compareStrings).join(', ');
    out.push(
      `| [\`${check.id}\`](${link(check.id)}) | ${cell(check.meta.title)} | ${check.meta.severity} | \`${check.meta.resource}\` | ${cell(fws) || '—'} | ${pluginName ? `\`${cell(pluginName)}\`` : '—'} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

interface PackRow {
  frameworkId: string;
  framework: string;
  control: string;
  title: string;
  automation: string;
}

/** Every control of every pack that maps the check, framework by framework. */
function packRows(checkId: string, packs: readonly FrameworkPack[]): PackRow[] {
  const out: PackRow[] = [];
  for (const p of [...packs].sort((a, b) => compareStrings(a.id, b.id))) {
    for (const c of [...p.controls].sort((a, b) => compareControlIds(a.id, b.id))) {
      if (!c.checks.includes(checkId)) continue;
      const automation = c.automation === 'partial' ? `partly: ${c.gap ?? ''}` : c.automation === 'automated' ? 'yes' : 'no';
      out.push({ frameworkId: p.id, framework: p.title, control: c.id, title: c.title === UNKNOWN_CONTROL_TITLE ? '' : c.title, automation });
    }
  }
  return out;
}

interface OptionRow {
  name: string;
  type: string;
  default: string;
  description: string;
  required: boolean;
  example: unknown;
}

function optionRows(check: AnyCheck): OptionRow[] {
  if (!check.options) return [];
  const schema = check.options.schema as JsonSchema;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const defaults = (check.options.defaults ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(props), ...Object.keys(defaults)])];
  return names.map((name) => {
    const s = props[name] ?? {};
    const dflt = name in defaults ? defaults[name] : s.default;
    return {
      name,
      type: schemaType(s),
      default: dflt === undefined ? '—' : `\`${JSON.stringify(dflt)}\``,
      description: typeof s.description === 'string' ? s.description : typeof s.title === 'string' ? s.title : '',
      required: required.has(name),
      example: dflt,
    };
  });
}

/** A short human type: `integer (≥ 1)`, `"a" \| "b"`, `string[] (each: pattern ...)`. */
export function schemaType(s: JsonSchema): string {
  const { base, notes } = typeParts(s);
  return notes.length ? `${base} (${notes.join(', ')})` : base;
}

function typeParts(s: JsonSchema): { base: string; notes: string[] } {
  if (Array.isArray(s.enum)) return { base: s.enum.map((v) => JSON.stringify(v)).join(' | '), notes: [] };
  if ('const' in s) return { base: JSON.stringify(s.const), notes: [] };
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[k])) return { base: (s[k] as JsonSchema[]).map(schemaType).join(' | '), notes: [] };
  }
  const t = Array.isArray(s.type) ? (s.type as string[]).join(' | ') : typeof s.type === 'string' ? s.type : 'any';
  const notes: string[] = [];
  if (typeof s.minimum === 'number') notes.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === 'number') notes.push(`≤ ${s.maximum}`);
  if (typeof s.minLength === 'number') notes.push(`length ≥ ${s.minLength}`);
  if (typeof s.maxLength === 'number') notes.push(`length ≤ ${s.maxLength}`);
  if (typeof s.pattern === 'string') notes.push(`pattern \`${s.pattern}\``);
  if (typeof s.format === 'string') notes.push(`format ${s.format}`);
  if (t === 'array') {
    const items = s.items && typeof s.items === 'object' ? typeParts(s.items as JsonSchema) : { base: 'any', notes: [] };
    const own: string[] = [];
    if (typeof s.minItems === 'number') own.push(`at least ${s.minItems}`);
    if (typeof s.maxItems === 'number') own.push(`at most ${s.maxItems}`);
    if (s.uniqueItems === true) own.push('unique');
    const each = items.notes.length ? [`each ${items.notes.join(', ')}`] : [];
    return { base: `${items.base.includes(' ') ? `(${items.base})` : items.base}[]`, notes: [...own, ...each] };
  }
  return { base: t, notes };
}

function enableSnippet(check: AnyCheck, pluginName: string, rows: OptionRow[]): string {
  const lines = ['# trailwarden.config.yaml', 'plugins:', `  - ${yamlString(pluginName)}`, 'checks:'];
  if (rows.length === 0) lines.push(`  ${yamlString(check.id)}: on`);
  else {
    lines.push(`  ${yamlString(check.id)}:`, '    options:');
    for (const r of rows) lines.push(`      ${r.name}: ${r.example === undefined ? 'null' : JSON.stringify(r.example)}`);
  }
  return lines.join('\n');
}

function builtinSnippet(check: AnyCheck, rows: OptionRow[]): string {
  const lines = ['# trailwarden.config.yaml', 'checks:'];
  if (rows.length === 0) lines.push(`  ${yamlString(check.id)}: off   # to turn it off`);
  else {
    lines.push(`  ${yamlString(check.id)}:`, '    options:   # the defaults');
    for (const r of rows) lines.push(`      ${r.name}: ${r.example === undefined ? 'null' : JSON.stringify(r.example)}`);
  }
  return lines.join('\n');
}

function yamlString(s: string): string {
  return /^[A-Za-z0-9.][\w./-]*$/.test(s) ? s : JSON.stringify(s);
}

/** A table cell: one line, pipes escaped. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function fence(lang: string, body: string): string {
  const ticks = body.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${body.trimEnd()}\n${ticks}`;
}
