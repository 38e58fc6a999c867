import { compareControlIds } from '../catalogue/catalogue.js';
import type { Check, JsonSchema } from '../plugin/api.js';
import { BUILTIN_PACKS, UNKNOWN_CONTROL_TITLE } from '../packs/packs.js';
import type { FrameworkPack } from '../packs/types.js';
import { compareStrings } from '../util/stable.js';
import { schemaType } from './check-doc.js';

/**
 * The part of a check package's README that is generated from metadata, so it cannot drift: the
 * facts (severity, resource, sections read, opt-in), the framework controls from the packs, the
 * options and the messages. The rest of the README ("what it checks", "how it decides") is written
 * by hand around the marked region. `test/docs.test.ts` fails when the region is stale.
 */
export const README_REGION_START = '<!-- generated from the check metadata and the framework packs: edit those, then run `npm run docs:checks` -->';
export const README_REGION_END = '<!-- end of generated reference -->';

// biome-ignore lint/suspicious/noExplicitAny: documents checks of any option type
type AnyCheck = Check<any, any, any>;

export function renderReadmeReference(packageName: string, checks: readonly AnyCheck[], packs: readonly FrameworkPack[] = BUILTIN_PACKS): string {
  const out: string[] = [README_REGION_START, '', `## Reference`, ''];
  for (const check of [...checks].sort((a, b) => compareStrings(a.id, b.id))) {
    if (checks.length > 1) out.push(`### \`${check.id}\``, '');
    out.push('| | |', '|---|---|');
    out.push(`| Check id | \`${check.id}\` |`);
    out.push(`| Title | ${cell(check.meta.title)} |`);
    out.push(`| Package | \`${packageName}\` |`);
    out.push(`| Severity | ${check.meta.severity} |`);
    out.push(`| Resource | \`${check.meta.resource}\` |`);
    out.push(`| Reads | ${check.requires.map((s: string) => `\`${s}\``).join(', ') || '(nothing)'} |`);
    if (check.uses?.length) out.push(`| Also reads, when collected | ${check.uses.map((s: string) => `\`${s}\``).join(', ')} |`);
    out.push(`| Enabled | ${check.optIn ? 'only when the config enables it (opt-in)' : 'by default'} |`);
    out.push('');
    out.push(...frameworks(check.id, packs), '');
    out.push(...options(check), '');
    out.push('Messages (`messageId` of the findings):', '', '| Message id | Text |', '|---|---|');
    for (const id of Object.keys(check.meta.messages).sort(compareStrings)) out.push(`| \`${id}\` | ${cell(check.meta.messages[id] as string)} |`);
    out.push('');
  }
  out.push(README_REGION_END);
  return out.join('\n');
}

/** Replace the generated region of a README (or append it when there is none yet). */
export function withReadmeReference(readme: string, reference: string): string {
  const start = readme.indexOf(README_REGION_START);
  const end = readme.indexOf(README_REGION_END);
  if (start >= 0 && end > start) return `${readme.slice(0, start)}${reference}${readme.slice(end + README_REGION_END.length)}`;
  return `${readme.trimEnd()}\n\n${reference}\n`;
}

/** The generated region of a README, or undefined. */
export function readmeReference(readme: string): string | undefined {
  const start = readme.indexOf(README_REGION_START);
  const end = readme.indexOf(README_REGION_END);
  return start >= 0 && end > start ? readme.slice(start, end + README_REGION_END.length) : undefined;
}

function frameworks(checkId: string, packs: readonly FrameworkPack[]): string[] {
  const rows: string[] = [];
  for (const p of [...packs].sort((a, b) => compareStrings(a.id, b.id))) {
    for (const c of [...p.controls].sort((a, b) => compareControlIds(a.id, b.id))) {
      if (!c.checks.includes(checkId)) continue;
      const how = c.automation === 'partial' ? `partly: ${c.gap ?? ''}` : c.automation === 'automated' ? 'yes' : 'no';
      rows.push(`| \`${p.id}\` | ${cell(c.id)} | ${cell(c.title === UNKNOWN_CONTROL_TITLE ? '' : c.title)} | ${cell(how)} |`);
    }
  }
  if (rows.length === 0) return ['Framework controls: none (no framework pack maps this check).'];
  return ['Framework controls (from the packs in `packages/core/src/packs/`):', '', '| Framework | Control | Title | Automated |', '|---|---|---|---|', ...rows];
}

function options(check: AnyCheck): string[] {
  if (!check.options) return ['Options: none.'];
  const schema = check.options.schema as JsonSchema;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const defaults = (check.options.defaults ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(props), ...Object.keys(defaults)])].sort(compareStrings);
  if (names.length === 0) return ['Options: none.'];
  const out = ['Options:', '', '| Option | Type | Default | Description |', '|---|---|---|---|'];
  for (const name of names) {
    const s = props[name] ?? {};
    const dflt = required.has(name) && !(name in defaults) ? '(required)' : name in defaults ? `\`${JSON.stringify(defaults[name])}\`` : '—';
    const description = typeof s.description === 'string' ? s.description : typeof s.title === 'string' ? s.title : '';
    out.push(`| \`${name}\` | ${cell(schemaType(s))} | ${cell(dflt)} | ${cell(description)} |`);
  }
  return out;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
