/** Reading, validating and normalizing world files. Every error names the file and the field path. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { BUILTIN_AWS_MANAGED_POLICIES, CLOUDTRAIL_SERVICE_LINKED_ROLE } from './aws-managed.js';
import type {
  AccountModel,
  BucketModel,
  IamModel,
  KeyModel,
  ManagedPolicyModel,
  OrgModel,
  OrgPolicyModel,
  OrgTarget,
  OuModel,
  RegionModel,
  SimModel,
  TrailModel,
} from './model.js';
import { DEFAULT_WORLD_REGIONS, OPT_IN_REGIONS, partitionOfRegion } from './regions.js';
import { worldSchema } from './schema.js';
import type { PolicyDocument, World, WorldAccount, WorldIamRole, WorldManagedPolicy } from './types.js';

export class WorldError extends Error {
  override name = 'WorldError';
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validateSchema = ajv.compile(worldSchema);

/** `accounts/2/trails/0/homeRegion` → `accounts[2].trails[0].homeRegion`. */
function fieldPath(instancePath: string): string {
  const parts = instancePath.split('/').slice(1);
  let out = '';
  for (const part of parts) out += /^[0-9]+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  return out || '(root)';
}

function describeAjvError(error: ErrorObject): string {
  let path = fieldPath(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${path === '(root)' ? extra : `${path}.${extra}`}: unknown field`;
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `${path === '(root)' ? missing : `${path}.${missing}`}: is required`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${path}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (path === '') path = '(root)';
  return `${path}: ${error.message ?? 'is invalid'}`;
}

/**
 * Of the errors ajv collects across `anyOf` branches, the deepest one says what is wrong (`mode: must
 * be one of …` rather than `objectLock: must be null`).
 */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  const rank = (e: ErrorObject) => (e.keyword === 'anyOf' || e.keyword === 'oneOf' ? 2 : e.keyword === 'type' && (e.params as { type?: string }).type === 'null' ? 1 : 0);
  return [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length || rank(a) - rank(b))[0];
}

/** Parses a world file's text (YAML is a superset of JSON, but JSON gets JSON's error messages). */
export function parseWorldText(text: string, source: string): unknown {
  try {
    return source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new WorldError(`${source}: not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Checks a parsed world against the JSON Schema and the cross-references the schema cannot express. */
export function validateWorld(raw: unknown, source = '<world>'): World {
  if (!validateSchema(raw)) {
    const best = mostSpecific(validateSchema.errors ?? []);
    throw new WorldError(`${source}: ${best ? describeAjvError(best) : 'invalid world'}`);
  }
  const world = raw as World;
  buildModel(world, source);
  return world;
}

export async function loadWorld(path: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new WorldError(`${path}: cannot read world file: ${(err as Error).message}`);
  }
  return validateWorld(parseWorldText(text, path), path);
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A deterministic IAM-style unique id (`AIDA` + 17 uppercase characters). */
function iamId(prefix: string, ...parts: string[]): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest();
  let out = prefix;
  for (let i = 0; out.length < 21; i++) out += alphabet[bytes[i]! % 32];
  return out;
}

export function policyText(doc: PolicyDocument): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}

const EPOCH = '2020-01-01T00:00:00Z';

/** Builds the server's model. Throws WorldError naming the field for broken cross-references. */
export function buildModel(world: World, source = '<world>'): SimModel {
  const fail = (path: string, message: string): never => {
    throw new WorldError(`${source}: ${path}: ${message}`);
  };
  const partition = world.partition ?? 'aws';
  const regions: RegionModel[] = (world.regions ?? DEFAULT_WORLD_REGIONS).map((r) =>
    typeof r === 'string' ? { name: r, optIn: OPT_IN_REGIONS.has(r) } : { name: r.name, optIn: r.optIn ?? OPT_IN_REGIONS.has(r.name) },
  );
  const regionByName = new Map(regions.map((r) => [r.name, r]));
  const checkRegion = (path: string, name: string) => {
    if (name !== 'EU' && !regionByName.has(name)) fail(path, `region ${name} is not one of the world's regions (${regions.map((r) => r.name).join(', ')})`);
    // The world may list other partitions' regions (DescribeRegions leaves them out), but nothing lives there.
    if (name !== 'EU' && partitionOfRegion(name) !== partition) fail(path, `region ${name} is in partition ${partitionOfRegion(name)}, not the world's partition ${partition}`);
  };

  const seenAccounts = new Set<string>();
  world.accounts.forEach((a, i) => {
    if (seenAccounts.has(a.id)) fail(`accounts[${i}].id`, `duplicate account id ${a.id}`);
    seenAccounts.add(a.id);
  });

  const awsManagedPolicies = new Map<string, ManagedPolicyModel>();
  const awsManagedSources = [...BUILTIN_AWS_MANAGED_POLICIES, ...(world.awsManagedPolicies ?? [])];
  awsManagedSources.forEach((p) => {
    const m = managedPolicyModel(p, partition, 'aws');
    awsManagedPolicies.set(m.arn, m);
  });

  const org = world.organization ? buildOrg(world, partition, fail) : undefined;
  const ouByPath = new Map((org?.ous ?? []).map((ou) => [ou.path, ou]));

  const accounts = new Map<string, AccountModel>();
  const buckets = new Map<string, BucketModel>();
  const keysByArn = new Map<string, KeyModel>();
  world.accounts.forEach((a, i) => {
    const at = `accounts[${i}]`;
    if (a.ou !== undefined && !org) fail(`${at}.ou`, 'an OU needs an organization');
    const enabled = new Set(regions.filter((r) => !r.optIn && partitionOfRegion(r.name) === partition).map((r) => r.name));
    (a.optInRegions ?? []).forEach((r, j) => {
      checkRegion(`${at}.optInRegions[${j}]`, r);
      if (!regionByName.get(r)?.optIn) fail(`${at}.optInRegions[${j}]`, `${r} needs no opt-in; it is always enabled`);
      enabled.add(r);
    });
    (a.deniedRegions ?? []).forEach((r, j) => {
      checkRegion(`${at}.deniedRegions[${j}]`, r);
    });
    const trails: TrailModel[] = [];
    const trailNames = new Set<string>();
    (a.trails ?? []).forEach((t, j) => {
      const tp = `${at}.trails[${j}]`;
      checkRegion(`${tp}.homeRegion`, t.homeRegion);
      if (!enabled.has(t.homeRegion)) fail(`${tp}.homeRegion`, `region ${t.homeRegion} is not enabled in account ${a.id}`);
      if (trailNames.has(t.name)) fail(`${tp}.name`, `duplicate trail name ${t.name} in account ${a.id}`);
      trailNames.add(t.name);
      if (t.organization) {
        const cloudTrailAdmin = world.organization?.delegatedAdministrators?.some(
          (d) => d.accountId === a.id && d.servicePrincipal === 'cloudtrail.amazonaws.com',
        );
        if (!org) fail(`${tp}.organization`, 'an organization trail needs an organization');
        else if (a.id !== org.managementAccountId && !cloudTrailAdmin)
          fail(`${tp}.organization`, 'only the management account or a CloudTrail delegated administrator can own an organization trail');
      }
      if (t.eventSelectors && t.advancedEventSelectors) fail(`${tp}`, 'a trail has either eventSelectors or advancedEventSelectors, not both');
      trails.push({ ...t, ownerId: a.id, arn: `arn:${partition}:cloudtrail:${t.homeRegion}:${a.id}:trail/${t.name}` });
    });
    const storeNames = new Set<string>();
    (a.eventDataStores ?? []).forEach((e, j) => {
      const ep = `${at}.eventDataStores[${j}]`;
      checkRegion(`${ep}.region`, e.region);
      if (!enabled.has(e.region)) fail(`${ep}.region`, `region ${e.region} is not enabled in account ${a.id}`);
      if (storeNames.has(`${e.region}/${e.name}`)) fail(`${ep}.name`, `duplicate event data store name ${e.name} in ${e.region} of account ${a.id}`);
      storeNames.add(`${e.region}/${e.name}`);
      // AWS keeps an organization event data store in the management account, whoever created it.
      if (e.organization && (!org || a.id !== org.managementAccountId)) fail(`${ep}.organization`, 'an organization event data store lives in the management account of an organization');
    });
    const accountBuckets: BucketModel[] = [];
    (a.buckets ?? []).forEach((b, j) => {
      const bp = `${at}.buckets[${j}]`;
      checkRegion(`${bp}.region`, b.region);
      if (buckets.has(b.name)) fail(`${bp}.name`, `bucket name ${b.name} is already used (bucket names are global)`);
      (b.accessPoints ?? []).forEach((ap, k) => {
        const taken = accountBuckets.some((o) => o.region === b.region && o.accessPoints?.some((x) => x.name === ap.name));
        if (taken || b.accessPoints!.findIndex((x) => x.name === ap.name) !== k) {
          fail(`${bp}.accessPoints[${k}].name`, `access point ${ap.name} already exists in account ${a.id}, ${b.region} (names are unique per account and region)`);
        }
      });
      const m: BucketModel = { ...b, ownerId: a.id };
      buckets.set(b.name, m);
      accountBuckets.push(m);
    });
    const keys: KeyModel[] = [];
    (a.kmsKeys ?? []).forEach((k, j) => {
      const kp = `${at}.kmsKeys[${j}]`;
      checkRegion(`${kp}.region`, k.region);
      const arn = `arn:${partition}:kms:${k.region}:${a.id}:key/${k.id}`;
      if (keysByArn.has(arn)) fail(`${kp}.id`, `duplicate key ${k.id} in ${k.region}`);
      if (k.state === 'PendingDeletion' && !k.deletionDate) fail(`${kp}.deletionDate`, 'a key pending deletion needs its deletionDate');
      const m: KeyModel = { ...k, arn, ownerId: a.id, policyText: k.policy ? policyText(k.policy) : defaultKeyPolicy(partition, a.id, k.manager, k.region) };
      keysByArn.set(arn, m);
      keys.push(m);
    });
    let parentId: string | undefined;
    if (org) {
      if (a.ou === undefined) parentId = org.rootId;
      else parentId = ouByPath.get(a.ou)?.id ?? fail(`${at}.ou`, `unknown OU ${a.ou}`);
    }
    accounts.set(a.id, {
      source: a,
      id: a.id,
      name: a.name,
      email: a.email ?? `aws+${a.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@example.com`,
      status: a.status ?? 'ACTIVE',
      parentId,
      joinedTimestamp: a.joinedTimestamp ?? EPOCH,
      enabledRegions: enabled,
      deniedRegions: new Set(a.deniedRegions ?? []),
      trails,
      buckets: accountBuckets,
      publicAccessBlock: a.publicAccessBlock ?? null,
      keys,
      iam: buildIam(a, at, partition, awsManagedPolicies, fail),
    });
  });

  if (org) {
    if (!accounts.has(org.managementAccountId)) fail('organization.managementAccountId', `account ${org.managementAccountId} is not in accounts`);
    world.organization?.delegatedAdministrators?.forEach((d, i) => {
      if (!accounts.has(d.accountId)) fail(`organization.delegatedAdministrators[${i}].accountId`, `account ${d.accountId} is not in accounts`);
      if (d.accountId === org.managementAccountId) fail(`organization.delegatedAdministrators[${i}].accountId`, 'the management account cannot be a delegated administrator');
    });
    resolvePolicyTargets(world, org, accounts, fail);
  }

  const callerAccount = world.caller?.accountId ?? org?.managementAccountId ?? world.accounts[0]!.id;
  if (!accounts.has(callerAccount)) fail('caller.accountId', `account ${callerAccount} is not in accounts`);
  const callerArn = world.caller?.arn ?? `arn:${partition}:iam::${callerAccount}:user/admin`;
  if (callerArn.split(':')[4] !== callerAccount) fail('caller.arn', `ARN ${callerArn} is not in account ${callerAccount}`);
  const caller = {
    accountId: callerAccount,
    arn: callerArn,
    accessKeyId: world.caller?.accessKeyId ?? iamId('AKIA', 'caller', callerArn).slice(0, 20),
    secretAccessKey: world.caller?.secretAccessKey ?? hash('secret', callerArn).slice(0, 40),
  };
  const orgTrails = org ? [...accounts.values()].flatMap((a) => a.trails.filter((t) => t.organization)) : [];
  const sortedAccounts = [...accounts.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { partition, regions, org, accounts, buckets, keysByArn, awsManagedPolicies, caller, orgTrails, sortedAccounts };
}

/**
 * The policy AWS gives a key created without one. An AWS managed key (aws/s3, ...) gets AWS's own
 * service-scoped policy instead: nobody, not even the account root, can change or delete it.
 */
function defaultKeyPolicy(partition: string, accountId: string, manager: 'CUSTOMER' | 'AWS' | undefined, region: string): string {
  if (manager === 'AWS') {
    return JSON.stringify({
      Version: '2012-10-17',
      Id: 'auto-s3-2',
      Statement: [
        {
          Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          Resource: '*',
        },
      ],
    });
  }
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  });
}

function managedPolicyModel(p: WorldManagedPolicy, partition: string, accountId: string): ManagedPolicyModel {
  const path = p.path ?? '/';
  const arn = p.arn ?? `arn:${partition}:iam::${accountId}:policy${path}${p.name}`;
  const created = p.createDate ?? EPOCH;
  const versions = p.versions
    ? p.versions.map((v, i, all) => ({
        id: v.id,
        document: policyText(v.document),
        default: v.default ?? (!all.some((x) => x.default) && i === all.length - 1),
        createDate: v.createDate ?? created,
      }))
    : [{ id: 'v1', document: policyText(p.document ?? { Version: '2012-10-17', Statement: [] }), default: true, createDate: created }];
  return { ...p, arn, path, id: p.id ?? iamId('ANPA', arn), versions, awsManaged: accountId === 'aws' };
}

function buildIam(
  a: WorldAccount,
  at: string,
  partition: string,
  awsManaged: Map<string, ManagedPolicyModel>,
  fail: (path: string, message: string) => never,
): IamModel {
  const iam = a.iam ?? {};
  const policies = (iam.policies ?? []).map((p) => managedPolicyModel(p, partition, a.id));
  const byName = new Map(policies.map((p) => [p.name, p]));
  const byArn = new Map(policies.map((p) => [p.arn, p]));
  const resolve = (path: string, ref: string): string => {
    if (ref.startsWith('arn:')) {
      if (byArn.has(ref) || awsManaged.has(ref)) return ref;
      return fail(path, `unknown managed policy ${ref} (AWS managed ones beyond the built-in few go in awsManagedPolicies)`);
    }
    return byName.get(ref)?.arn ?? fail(path, `unknown customer managed policy ${ref} in account ${a.id}`);
  };
  const groupNames = new Set((iam.groups ?? []).map((g) => g.name));
  const users = (iam.users ?? []).map((u, i) => {
    const path = u.path ?? '/';
    const arn = `arn:${partition}:iam::${a.id}:user${path}${u.name}`;
    (u.groups ?? []).forEach((g, j) => {
      if (!groupNames.has(g)) fail(`${at}.iam.users[${i}].groups[${j}]`, `unknown group ${g}`);
    });
    return {
      ...u,
      path,
      arn,
      id: u.id ?? iamId('AIDA', arn),
      managedPolicyArns: (u.managedPolicies ?? []).map((p, j) => resolve(`${at}.iam.users[${i}].managedPolicies[${j}]`, p)),
    };
  });
  const groups = (iam.groups ?? []).map((g, i) => {
    const path = g.path ?? '/';
    const arn = `arn:${partition}:iam::${a.id}:group${path}${g.name}`;
    return {
      ...g,
      path,
      arn,
      id: g.id ?? iamId('AGPA', arn),
      managedPolicyArns: (g.managedPolicies ?? []).map((p, j) => resolve(`${at}.iam.groups[${i}].managedPolicies[${j}]`, p)),
    };
  });
  // CloudTrail creates its service-linked role in the account that owns an organization trail.
  const declaredRoles = iam.roles ?? [];
  const needsServiceLinkedRole = (a.trails ?? []).some((t) => t.organization) && !declaredRoles.some((r) => r.name === CLOUDTRAIL_SERVICE_LINKED_ROLE.name);
  const serviceLinked: WorldIamRole = {
    ...CLOUDTRAIL_SERVICE_LINKED_ROLE,
    managedPolicies: CLOUDTRAIL_SERVICE_LINKED_ROLE.managedPolicies.map((arn) => arn.replace(/^arn:aws:/, `arn:${partition}:`)),
  };
  const roles = (needsServiceLinkedRole ? [...declaredRoles, serviceLinked] : declaredRoles).map((r, i) => {
    const path = r.path ?? '/';
    const arn = `arn:${partition}:iam::${a.id}:role${path}${r.name}`;
    let trustPolicyText = policyText(r.trustPolicy);
    try {
      JSON.parse(trustPolicyText);
    } catch {
      fail(`${at}.iam.roles[${i}].trustPolicy`, 'is not valid JSON');
    }
    trustPolicyText = typeof r.trustPolicy === 'string' ? r.trustPolicy : JSON.stringify(r.trustPolicy);
    return {
      ...r,
      path,
      arn,
      id: r.id ?? iamId('AROA', arn),
      trustPolicyText,
      managedPolicyArns: (r.managedPolicies ?? []).map((p, j) => resolve(`${at}.iam.roles[${i}].managedPolicies[${j}]`, p)),
    };
  });
  for (const [kind, list] of [['users', users], ['groups', groups], ['roles', roles]] as const) {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.name)) fail(`${at}.iam.${kind}[${i}].name`, `duplicate name ${p.name}`);
      seen.add(p.name);
    });
  }
  return { users, groups, roles, policies };
}

function buildOrg(world: World, partition: string, fail: (path: string, message: string) => never): OrgModel {
  const o = world.organization!;
  const mgmt = o.managementAccountId;
  const rootId = o.rootId ?? `r-${o.id.slice(2, 6)}`;
  const rootArn = `arn:${partition}:organizations::${mgmt}:root/${o.id}/${rootId}`;
  const paths = new Set<string>();
  const addPath = (p: string) => {
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
  };
  (o.ous ?? []).forEach(addPath);
  world.accounts.forEach((a) => {
    if (a.ou) addPath(a.ou);
  });
  const ous: OuModel[] = [];
  const idByPath = new Map<string, string>();
  for (const path of [...paths].sort()) {
    const parts = path.split('/');
    const id = `ou-${rootId.slice(2)}-${hash('ou', o.id, path).slice(0, 8)}`;
    idByPath.set(path, id);
    const parentPath = parts.slice(0, -1).join('/');
    ous.push({
      id,
      arn: `arn:${partition}:organizations::${mgmt}:ou/${o.id}/${id}`,
      name: parts[parts.length - 1]!,
      path,
      parentId: parentPath ? idByPath.get(parentPath)! : rootId,
    });
  }
  const policies: OrgPolicyModel[] = [
    {
      id: 'p-FullAWSAccess',
      arn: `arn:${partition}:organizations::aws:policy/service_control_policy/p-FullAWSAccess`,
      name: 'FullAWSAccess',
      type: 'SERVICE_CONTROL_POLICY',
      description: 'Allows access to every operation',
      content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      awsManaged: true,
      targets: [],
    },
    {
      id: 'p-RCPFullAWSAccess',
      arn: `arn:${partition}:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess`,
      name: 'RCPFullAWSAccess',
      type: 'RESOURCE_CONTROL_POLICY',
      description: 'Allows access to every operation',
      content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
      awsManaged: true,
      targets: [],
    },
  ];
  const seenIds = new Set(policies.map((p) => p.id));
  (o.policies ?? []).forEach((p, i) => {
    const id = p.id ?? `p-${hash('policy', o.id, p.name).slice(0, 8)}`;
    if (seenIds.has(id)) fail(`organization.policies[${i}].id`, `duplicate policy id ${id}`);
    seenIds.add(id);
    const content = policyText(p.document);
    try {
      JSON.parse(content);
    } catch {
      fail(`organization.policies[${i}].document`, 'is not valid JSON');
    }
    policies.push({
      id,
      arn: `arn:${partition}:organizations::${mgmt}:policy/${o.id}/${p.type.toLowerCase()}/${id}`,
      name: p.name,
      type: p.type,
      description: p.description ?? '',
      content,
      awsManaged: false,
      targets: [],
    });
  });
  return {
    id: o.id,
    arn: `arn:${partition}:organizations::${mgmt}:organization/${o.id}`,
    featureSet: o.featureSet ?? 'ALL',
    managementAccountId: mgmt,
    rootId,
    rootArn,
    ous,
    policies,
    delegatedAdministrators: (o.delegatedAdministrators ?? []).map((d) => ({
      accountId: d.accountId,
      servicePrincipal: d.servicePrincipal,
      delegationEnabledDate: d.delegationEnabledDate ?? EPOCH,
    })),
    ...(o.resourcePolicy !== undefined ? { resourcePolicy: policyText(o.resourcePolicy) } : {}),
  };
}

function resolvePolicyTargets(world: World, org: OrgModel, accounts: Map<string, AccountModel>, fail: (path: string, message: string) => never): void {
  const rootTarget: OrgTarget = { TargetId: org.rootId, Arn: org.rootArn, Name: 'Root', Type: 'ROOT' };
  // AWS attaches its FullAWSAccess policies to the root when the policy type is enabled, and to
  // every OU and account created or moved in after that: without an Allow at each level, SCP
  // evaluation would deny everything below it.
  const accountTarget = (id: string, name: string): OrgTarget => ({
    TargetId: id,
    Arn: `arn:${org.arn.split(':')[1]}:organizations::${org.managementAccountId}:account/${org.id}/${id}`,
    Name: name,
    Type: 'ACCOUNT',
  });
  for (const p of org.policies) {
    if (!p.awsManaged) continue;
    p.targets.push(rootTarget);
    for (const ou of org.ous) p.targets.push({ TargetId: ou.id, Arn: ou.arn, Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' });
    for (const [id, acct] of [...accounts].sort(([a], [b]) => (a < b ? -1 : 1))) p.targets.push(accountTarget(id, acct.name));
  }
  const custom = org.policies.filter((p) => !p.awsManaged);
  (world.organization?.policies ?? []).forEach((p, i) => {
    const model = custom[i]!;
    (p.targets ?? []).forEach((t, j) => {
      const at = `organization.policies[${i}].targets[${j}]`;
      if (t === 'root' || t === org.rootId) model.targets.push(rootTarget);
      else if (/^[0-9]{12}$/.test(t)) {
        const acct = accounts.get(t) ?? fail(at, `unknown account ${t}`);
        model.targets.push(accountTarget(t, acct.name));
      } else {
        const ou = org.ous.find((o) => o.path === t || o.id === t) ?? fail(at, `unknown target ${t} (use root, an OU path or an account id)`);
        model.targets.push({ TargetId: ou.id, Arn: ou.arn, Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' });
      }
    });
  });
}
