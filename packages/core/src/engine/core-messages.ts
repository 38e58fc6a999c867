import type { MessageData } from '../plugin/api.js';

/**
 * Messages of the findings the engine itself reports (not a check's `meta.messages`). Their ids
 * have a `core.` prefix, which a check's own message ids cannot have (see metadata-schema.ts).
 */
export const CORE_MESSAGES = {
  /** A value the check needed could not be read: `reason` says what failed, where, in AWS's words. */
  'core.cannotDecide': 'Cannot decide: {{reason}}.',
  /** The check threw while judging one resource; its other findings stand. */
  'core.judgementFailed':
    "Cannot decide: check {{check}} failed while judging this resource ({{error}}); its data may be malformed or unusual. The check's other findings stand.",
  /** The check as a whole could not run (threw, overran its budget, lacks a snapshot section). */
  'core.checkFailed': 'Check {{check}} could not be evaluated: {{reason}}.',
} as const;
export type CoreMessageId = keyof typeof CORE_MESSAGES;

const compiledTemplates = new Map<string, string[]>();

/** `Trail {{name}} ...` with data → text. Templates are split once: this runs once per finding. */
export function formatMessage(template: string, data: MessageData | undefined): string {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    // Odd indexes are placeholder names.
    parts = template.split(/\{\{\s*([\w.-]+)\s*\}\}/);
    compiledTemplates.set(template, parts);
  }
  if (parts.length === 1) return template;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i % 2 === 0) out += part;
    else out += data && part in data ? String(data[part]) : `{{${part}}}`;
  }
  return out;
}
