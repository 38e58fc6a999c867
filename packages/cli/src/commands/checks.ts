import { BUILTIN_PACKS, InputError, type LoadedPlugin, automationLine, controlsOf, didYouMean, frameworksOf, packAutomation, resolvePacks, terminalSafe } from '@trailwarden/core';
import { helpText, parseCommandArgs, trustOptions } from '../args.js';
import { loadEffectiveConfig } from '../trust.js';
import { type CliIO, styleFor } from '../io.js';
import { loadAllPlugins } from '../plugins.js';

const OPTIONS = {
  config: { type: 'string' as const, short: 'c', help: 'config file (its plugins are listed too)', arg: 'FILE' },
  framework: { type: 'string' as const, help: 'list the controls of a framework and the checks that cover them (e.g. cis-aws-3.0.0)', arg: 'ID' },
  json: { type: 'boolean' as const, help: 'print JSON instead of a table' },
  ...trustOptions(),
};

export const CHECKS_HELP = helpText(
  'trailwarden checks [--framework ID] [--json]',
  `List the checks (built in and from configured plugins) with their metadata, or a framework's controls: each automated, partly automated (what is not covered) or manual.\nFrameworks: ${BUILTIN_PACKS.map((p) => p.id).join(', ')}`,
  [OPTIONS],
);

export async function checksCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('checks', argv, OPTIONS);
  if (args.values.help) {
    io.stdout.write(CHECKS_HELP);
    return 0;
  }
  const config = await loadEffectiveConfig(args, io);
  const { plugins } = await loadAllPlugins(config);
  const checks = plugins.flatMap((p: LoadedPlugin) => p.checks.map((c) => ({ plugin: p, check: c }))).sort((a, b) => a.check.id.localeCompare(b.check.id));
  const s = styleFor(io, io.stdout as { isTTY?: boolean });
  const framework = typeof args.values.framework === 'string' ? args.values.framework : undefined;

  const packs = resolvePacks(checks.map(({ plugin, check }) => ({ id: check.id, meta: check.meta, plugin })));
  if (framework) {
    const controls = controlsOf(framework, packs);
    if (!controls) {
      const known = new Set(packs.map((p) => p.id));
      throw new InputError(`unknown framework "${framework}"${didYouMean(framework, known)}; known: ${[...known].sort().join(', ')}`, '--framework');
    }
    const pack = packs.find((p) => p.id === framework);
    const automation = packAutomation(controls);
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify({ framework, title: pack?.title ?? framework, scope: pack?.scope, automation, controls }, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${s.bold(terminalSafe(pack?.title ?? framework))} (${terminalSafe(framework)})\n`);
    if (pack) io.stdout.write(s.dim(`In scope: ${terminalSafe(pack.scope)}. ${automationLine(automation)}.\n`));
    for (const c of controls) {
      const by =
        c.automation === 'manual'
          ? s.yellow('manual')
          : `${terminalSafe(c.checks.join(', '))}${c.automation === 'partial' ? s.yellow(' (partly)') : ''}`;
      io.stdout.write(`  ${terminalSafe(c.id).padEnd(13)} ${terminalSafe(c.title)}\n  ${''.padEnd(13)} ${s.dim('→')} ${by}\n`);
      if (c.gap) io.stdout.write(`  ${''.padEnd(13)}   ${s.dim(terminalSafe(c.gap))}\n`);
    }
    return 0;
  }

  if (args.values.json) {
    const out = checks.map(({ plugin, check }) => ({
      id: check.id,
      title: check.meta.title,
      severity: check.meta.severity,
      resource: check.meta.resource,
      frameworks: frameworksOf(check, packs),
      requires: check.requires,
      ...(check.uses?.length ? { uses: check.uses } : {}),
      options: check.options?.defaults ?? {},
      plugin: plugin.name,
    }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(10, ...checks.map((c) => c.check.id.length));
  io.stdout.write(`${s.bold(`${'ID'.padEnd(width)}  SEVERITY  TITLE`)}\n`);
  for (const { check, plugin } of checks) {
    const origin = plugin.name.startsWith('@trailwarden/') ? '' : s.dim(`  [${terminalSafe(plugin.name)}]`);
    io.stdout.write(`${check.id.padEnd(width)}  ${check.meta.severity.padEnd(8)}  ${terminalSafe(check.meta.title)}${origin}\n`);
  }
  io.stdout.write(s.dim(`\n${checks.length} checks. \`trailwarden checks --framework cis-aws-3.0.0\` maps them to controls.\n`));
  return 0;
}
