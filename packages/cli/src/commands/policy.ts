import { CollectorError, POLICY_PARTITIONS, collectorPolicy, isRoleName, planExtensions } from '@trailwarden/aws';
import { InputError, collectRequests, didYouMean, selectChecks } from '@trailwarden/core';
import { helpText, parseCommandArgs, trustOptions } from '../args.js';
import type { CliIO } from '../io.js';
import { loadAllPlugins } from '../plugins.js';
import { announceInputs, loadEffectiveConfig } from '../trust.js';

const OPTIONS = {
  partition: { type: 'string' as const, help: `the partition of the ARNs: ${POLICY_PARTITIONS.join(', ')} (default: aws)`, arg: 'NAME' },
  'role-name': { type: 'string' as const, help: 'the role the scan assumes in each account (default: config aws.roleName, else OrganizationAccountAccessRole)', arg: 'NAME' },
  'management-role-name': { type: 'string' as const, help: "the management account's role, when another (default: config aws.managementRoleName)", arg: 'NAME' },
  'verify-logs': { type: 'boolean' as const, help: 'add the object reads of verify-logs (s3:GetObject, s3:ListBucket, kms:Decrypt, cloudtrail:ListPublicKeys)' },
  config: { type: 'string' as const, short: 'c', help: "config file (its plugins' collect entries add their IAM actions)", arg: 'FILE' },
  ...trustOptions(),
};

export const POLICY_HELP = helpText(
  'trailwarden policy [--partition aws-us-gov] [--role-name NAME] [options]',
  "Print the scanning role's read-only IAM policy (JSON): every action the collector calls, sts:AssumeRole on the scan role only,\nand the actions of the enabled plugins' collect entries. With no options it is packages/aws/policy/trailwarden-collector-policy.json.",
  [OPTIONS],
);

export async function policyCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('policy', argv, OPTIONS);
  const v = args.values;
  if (v.help) {
    io.stdout.write(POLICY_HELP);
    return 0;
  }
  if (args.positionals.length) throw new InputError(`policy takes no arguments, got: ${args.positionals.join(' ')}`);
  const partition = typeof v.partition === 'string' ? v.partition : 'aws';
  if (!(POLICY_PARTITIONS as readonly string[]).includes(partition)) {
    throw new InputError(`--partition: "${partition}" is not a partition${didYouMean(partition, POLICY_PARTITIONS)}; use one of ${POLICY_PARTITIONS.join(', ')}`);
  }
  const config = await loadEffectiveConfig(args, io);
  const cfg = config.config;
  const roleName = typeof v['role-name'] === 'string' ? v['role-name'] : cfg.aws?.roleName;
  const managementRoleName = typeof v['management-role-name'] === 'string' ? v['management-role-name'] : cfg.aws?.managementRoleName;
  for (const [flag, name] of [['--role-name', roleName], ['--management-role-name', managementRoleName]] as const) {
    if (name !== undefined && !isRoleName(name)) throw new InputError(`${flag}: "${name}" is not an IAM role name (letters, digits and +=,.@-_, at most 64, optionally after a path/)`);
  }
  const pluginSet = await loadAllPlugins(config);
  announceInputs(io, config, pluginSet);
  // The enabled checks' plugins' collect entries, each checked against the allow-list as a scan would.
  const checks = selectChecks({ plugins: pluginSet.plugins, config: cfg, configWhere: config.path ?? 'config', ...(v['verify-logs'] === true ? { enable: ['trail-log-integrity'] } : {}) });
  const requests = collectRequests(checks);
  let pluginActions: string[] = [];
  if (requests.length > 0) {
    try {
      pluginActions = (await planExtensions(requests, cfg.collection?.allow ?? [])).map((p) => p.action);
    } catch (e) {
      if (e instanceof CollectorError) throw new InputError(e.message);
      throw e;
    }
  }
  const policy = collectorPolicy({
    partition,
    ...(roleName ? { roleName } : {}),
    ...(managementRoleName ? { managementRoleName } : {}),
    pluginActions,
    verifyLogs: v['verify-logs'] === true,
  });
  io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return 0;
}
