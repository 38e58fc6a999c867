/** What the generated package is built from. */
export interface TemplateInput {
  /** npm package name. */
  name: string;
  /** The sample check's id. */
  checkId: string;
  description: string;
  /** Semver range of @trailwarden/core and @trailwarden/testing, e.g. `^0.1.0`. */
  coreRange: string;
  /**
   * Where the kit comes from when it is not on the registry: tarballs (`file:` specs) for the dev
   * dependencies; the peer dependency keeps `coreRange`, which is what users of the plugin install.
   */
  kitFrom?: { core: string; testing: string };
  license: string;
}

/** Tool versions the generated package is known to build and test with. */
export const TOOL_VERSIONS = { typescript: '^5.9.3', vitest: '^4.1.12', typesNode: '^22.19.0' };

export function renderFiles(t: TemplateInput): Record<string, string> {
  return {
    'package.json': packageJson(t),
    'tsconfig.json': tsconfig(),
    'tsconfig.build.json': tsconfigBuild(),
    'src/index.ts': indexTs(t),
    'src/index.test.ts': indexTestTs(),
    'README.md': readme(t),
    '.gitignore': 'node_modules/\ndist/\n*.tgz\ncoverage/\n',
  };
}

function packageJson(t: TemplateInput): string {
  const pkg = {
    name: t.name,
    version: '0.1.0',
    description: t.description,
    license: t.license,
    type: 'module',
    keywords: ['trailwarden', 'trailwarden-plugin', 'trailwarden-check', 'cloudtrail', 'aws', 'compliance'],
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    engines: { node: '>=22' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json',
      test: 'vitest run',
      prepublishOnly: 'npm run build && npm test',
    },
    peerDependencies: { '@trailwarden/core': t.coreRange },
    devDependencies: {
      '@trailwarden/core': t.kitFrom?.core ?? t.coreRange,
      '@trailwarden/testing': t.kitFrom?.testing ?? t.coreRange,
      '@types/node': TOOL_VERSIONS.typesNode,
      typescript: TOOL_VERSIONS.typescript,
      vitest: TOOL_VERSIONS.vitest,
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function tsconfig(): string {
  const cfg = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      declaration: true,
      sourceMap: true,
      skipLibCheck: true,
      verbatimModuleSyntax: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
      noEmit: true,
    },
    include: ['src'],
  };
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

function tsconfigBuild(): string {
  const cfg = { extends: './tsconfig.json', compilerOptions: { noEmit: false }, exclude: ['src/**/*.test.ts'] };
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

function indexTs(t: TemplateInput): string {
  return `import { createCheck } from '@trailwarden/core';

export interface Options {
  /** The account that must own every trail bucket. Required: the check cannot judge a trail without it. */
  logArchiveAccountId: string;
}

const messages = {
  archived: 'Trail {{name}} delivers to bucket {{bucket}} in the log-archive account {{archive}}.',
  elsewhere: 'Trail {{name}} delivers to bucket {{bucket}} in account {{owner}}, not in the log-archive account {{archive}}.',
  // ERRORs have message ids too: "cannot decide", in the check's own words.
  noBucket: 'Cannot decide: trail {{name}} names no S3 bucket, so where its logs go is unknown.',
} as const;

/**
 * ${t.description}
 *
 * Every trail must deliver its log files to a bucket owned by the organization's designated
 * log-archive account, where workload accounts' administrators cannot delete or rewrite them.
 */
// Options has a required member that no default can supply, so the types are named here rather than inferred.
export default createCheck<Options, keyof typeof messages>({
  id: '${t.checkId}',
  meta: {
    title: 'Trails deliver to the designated log-archive account',
    description:
      'Every CloudTrail trail must deliver to an S3 bucket owned by the designated log-archive account. Logs kept in the account they describe can be deleted or altered by whoever compromises that account.',
    severity: 'high',
    resource: 'AWS::CloudTrail::Trail',
    // Framework id → control ids, e.g. { 'acme-logging-policy': ['LOG-3'] }: Trailwarden adds them to its
    // framework packs (built-in checks are mapped by the packs in @trailwarden/core instead).
    frameworks: {},
    remediation: {
      text: 'Point the trail at the log-archive bucket (and let cloudtrail.amazonaws.com write to it in the bucket policy), or replace it with the organization trail.',
      cli: 'aws cloudtrail update-trail --name <trail-arn> --s3-bucket-name <log-archive-bucket>',
      terraform: 'resource "aws_cloudtrail" "main" {\\n  # ...\\n  s3_bucket_name = "<log-archive-bucket>"\\n}',
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        logArchiveAccountId: {
          type: 'string',
          pattern: '^\\\\d{12}$',
          description: 'The account that must own every trail bucket (12 digits).',
        },
      },
      // Required, so no default: a config without it stops the run with one line saying what to set.
      required: ['logArchiveAccountId'],
      additionalProperties: false,
    },
    defaults: {},
  },
  requires: ['trails', 'buckets'],
  evaluate(ctx) {
    const archive = ctx.options.logArchiveAccountId;
    // Every trail gets a finding: a trail skipped silently would read as compliant.
    ctx.forEachTrail((trail) => {
      const { name } = trail.trail;
      // The bucket, resolved in whichever scanned account owns it.
      const bucket = trail.bucket();
      if (bucket === null) {
        ctx.report({ status: 'ERROR', resource: trail.resource, messageId: 'noBucket', data: { name } });
        return;
      }
      if (bucket.error) {
        // The bucket could not be read (owner not scanned, access denied...): unknown, never PASS.
        ctx.report({ status: 'ERROR', resource: trail.resource, error: bucket.error, evidence: { bucket: trail.trail.s3BucketName ?? null } });
        return;
      }
      const owner = bucket.value.bucket.ownerAccountId;
      const data = { name, bucket: bucket.value.bucket.name, owner, archive };
      const evidence = { bucket: bucket.value.bucket.name, bucketOwner: owner, logArchiveAccountId: archive };
      ctx.report({ status: owner === archive ? 'PASS' : 'FAIL', resource: trail.resource, messageId: owner === archive ? 'archived' : 'elsewhere', data, evidence });
    });
  },
});
`;
}

function indexTestTs(): string {
  return `import { CheckTester, account, bucket, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const MANAGEMENT = '111111111111';
const LOG_ARCHIVE = '222222222222';
const WORKLOAD = '333333333333';
const options = { logArchiveAccountId: LOG_ARCHIVE };

/** An organization whose trail \`org\` delivers to a bucket owned by \`bucketOwner\`. */
const org = (bucketOwner: string) =>
  snapshot({
    organization: organization({ managementAccountId: MANAGEMENT }),
    accounts: [
      account(MANAGEMENT, { trails: [trail({ name: 'org', organization: true, bucket: 'org-logs-bucket' })] }),
      account(LOG_ARCHIVE, bucketOwner === LOG_ARCHIVE ? { buckets: [bucket('org-logs-bucket')] } : {}),
      account(WORKLOAD, bucketOwner === WORKLOAD ? { buckets: [bucket('org-logs-bucket')] } : {}),
    ],
  });

new CheckTester().run(check, {
  valid: [
    { name: 'the organization trail delivers to the log-archive account', snapshot: org(LOG_ARCHIVE), options },
  ],
  invalid: [
    {
      name: 'a bucket in a workload account',
      snapshot: org(WORKLOAD),
      options,
      // Assert the message id and its data (as ESLint's RuleTester does), not the English.
      findings: [{ status: 'FAIL', messageId: 'elsewhere', data: { name: 'org', owner: WORKLOAD, archive: LOG_ARCHIVE }, resource: 'org', accountId: MANAGEMENT }],
    },
    {
      name: 'a trail that keeps its logs in its own account',
      snapshot: snapshot({ accounts: [account(WORKLOAD, { trails: [trail({ name: 'local' })] })] }),
      options,
      findings: [{ status: 'FAIL', messageId: 'elsewhere', data: { owner: WORKLOAD, archive: LOG_ARCHIVE } }],
    },
    {
      name: 'a bucket nobody could read is an ERROR, not a PASS',
      snapshot: snapshot({
        accounts: [account(WORKLOAD, { trails: [trail({ name: 'local', bucket: 'hidden-bucket', unresolved: { bucket: unreadable('AccessDenied', 'ListBuckets') } })] })],
      }),
      options,
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { code: 'AccessDenied', operation: 'ListBuckets' } }],
    },
  ],
});

describe('options', () => {
  it('refuses to run without logArchiveAccountId, naming the option to set', async () => {
    await expect(runCheck(check, org(LOG_ARCHIVE))).rejects.toThrow(/needs option "logArchiveAccountId"/);
  });
});
`;
}

function readme(t: TemplateInput): string {
  return `# ${t.name}

A check plugin for Trailwarden, the CloudTrail compliance scanner.

## \`${t.checkId}\` — Trails deliver to the designated log-archive account

**What.** ${t.description}

**Why.** Logs kept in the account they describe can be deleted or altered by whoever compromises
that account. A separate log-archive account, with a locked-down bucket, keeps the evidence out of
reach.

**How it decides.** For every trail (once, in the account that owns it — organization trails
included), the check resolves the bucket the trail delivers to, wherever it lives:

| Situation | Finding |
|---|---|
| The bucket is owned by \`logArchiveAccountId\` | PASS |
| The bucket is owned by any other account | FAIL |
| The bucket could not be read (owner not scanned, access denied) | ERROR |
| The trail names no bucket | ERROR (never skipped: a trail without a finding would read as compliant) |

Severity: **high**. Resource: \`AWS::CloudTrail::Trail\`. Snapshot sections: \`trails\`, \`buckets\`.

**Remediation.** Point the trail at the log-archive bucket, or replace it with the organization trail:

\`\`\`sh
aws cloudtrail update-trail --name <trail-arn> --s3-bucket-name <log-archive-bucket>
\`\`\`

## Options

| Option | Type | Default | Meaning |
|---|---|---|---|
| \`logArchiveAccountId\` | string (12 digits) | required (no default) | The account that must own every trail bucket. A config without it stops the run with one line saying what to set. |

## Frameworks

None mapped yet: add your controls to \`meta.frameworks\` in \`src/index.ts\`.

## Use it

\`\`\`sh
npm install --save-dev ${t.name}
\`\`\`

\`\`\`yaml
# trailwarden.config.yaml
plugins:
  - ${t.name}
checks:
  ${t.checkId}:
    options:
      logArchiveAccountId: "222222222222"
\`\`\`

## Develop

\`\`\`sh
npm install
npm test          # CheckTester cases in src/index.test.ts
npm run build     # dist/
npm publish       # runs build and tests first
\`\`\`
`;
}
