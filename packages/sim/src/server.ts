/** The HTTP front: read, route, authenticate, inject, dispatch, answer — and never crash. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyCounters, countCall, emptyCounters, type SimCounters } from './counters.js';
import { IdentityStore } from './identity.js';
import { type InjectionOptions, Injector } from './inject.js';
import { errorReply, type Reply } from './protocol/reply.js';
import { readSignature, route, type SimRequest } from './protocol/route.js';
import { isReadOperation, SERVICES, type ServiceName, type ServiceSpec, SimError } from './protocol/services.js';
import { partitionOfRegion } from './world/regions.js';
import { cloudTrailHandlers } from './services/cloudtrail.js';
import { eventHistoryHandlers } from './services/event-history.js';
import { cloudTrailKeyHandlers } from './services/cloudtrail-keys.js';
import { eventDataStoreHandlers } from './services/event-data-stores.js';
import type { CallContext, Handler } from './services/context.js';
import { ec2Handlers, iamHandlers, stsHandlers } from './services/iam-sts-ec2.js';
import { kmsHandlers } from './services/kms.js';
import { cloudWatchHandlers, eventBridgeHandlers, logsHandlers, snsHandlers } from './services/monitoring.js';
import { organizationsHandlers } from './services/organizations.js';
import { s3ControlHandlers, s3Handlers } from './services/s3.js';
import { s3ObjectHandlers } from './services/s3-objects.js';
import { scpDeniesCall } from './scp.js';
import { buildModel, loadWorld, validateWorld } from './world/load.js';
import type { World } from './world/types.js';

export interface SimOptions {
  /** A world object, or the path of a .json/.yaml world file. */
  world: World | string;
  /** 0 or omitted = a free port. */
  port?: number;
  inject?: InjectionOptions;
  /** Seed of every injected random choice and of issued credentials. Default 1. */
  seed?: number;
  /** The instant CloudTrail Event History is seen from (its 90 days end there), e.g. a generated world's asOf. Default: the wall clock. */
  eventHistoryAsOf?: string;
}

export interface SimServer {
  /** e.g. http://127.0.0.1:45123 — the endpoint of every SDK client (S3 needs forcePathStyle). */
  url: string;
  port: number;
  /** The world's caller (default: user `admin` in the management account). */
  callerCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  counters(): SimCounters;
  resetCounters(): void;
  stop(): Promise<void>;
}

const HANDLERS: Record<ServiceName, Record<string, Handler>> = {
  cloudtrail: { ...cloudTrailHandlers, ...eventHistoryHandlers, ...cloudTrailKeyHandlers, ...eventDataStoreHandlers },
  kms: kmsHandlers,
  organizations: organizationsHandlers,
  sts: stsHandlers,
  iam: iamHandlers,
  ec2: ec2Handlers,
  s3: { ...s3Handlers, ...s3ObjectHandlers },
  s3control: s3ControlHandlers,
  logs: logsHandlers,
  cloudwatch: cloudWatchHandlers,
  sns: snsHandlers,
  events: eventBridgeHandlers,
};

/** Services whose endpoints are regional: a region the account has not enabled refuses the credentials. */
const REGION_GATED = new Set<ServiceName>(['cloudtrail', 'kms', 'ec2', 'sts', 'logs', 'cloudwatch', 'sns', 'events']);
/** Services an SCP region-deny reaches (STS, IAM, Organizations and S3 are global or usually exempted). */
const SCP_REGION_DENIED = new Set<ServiceName>(['cloudtrail', 'kms', 'ec2', 'logs', 'cloudwatch', 'sns', 'events']);

const MAX_BODY = 4 * 1024 * 1024;

const IAM_ACTION_PREFIX: Record<ServiceName, string> = {
  cloudtrail: 'cloudtrail',
  kms: 'kms',
  organizations: 'organizations',
  sts: 'sts',
  iam: 'iam',
  ec2: 'ec2',
  s3: 's3',
  s3control: 's3',
  logs: 'logs',
  cloudwatch: 'cloudwatch',
  sns: 'sns',
  events: 'events',
};

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Each protocol's answer to expired temporary credentials: awsJson `ExpiredTokenException` (403),
 * awsQuery `ExpiredToken` (403), EC2 `RequestExpired` (400), S3 `ExpiredToken` (400, with the token).
 */
function expiredToken(spec: ServiceSpec, token: string): SimError {
  switch (spec.protocol) {
    case 'json':
      return spec.queryCompatible
        ? new SimError('ExpiredToken', 'The security token included in the request is expired', 403)
        : new SimError('ExpiredTokenException', 'The security token included in the request is expired', 403);
    case 'query':
      return new SimError('ExpiredToken', 'The security token included in the request is expired', 403);
    case 'ec2':
      return new SimError('RequestExpired', 'Request has expired.', 400);
    case 'restxml':
      return new SimError('ExpiredToken', 'The provided token has expired.', 400, { 'Token-0': token });
  }
}

const toSimError = (err: unknown): SimError =>
  err instanceof SimError ? err : new SimError('InternalError', 'We encountered an internal error. Please try again.', 500);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startSimulator(options: SimOptions): Promise<SimServer> {
  const source = typeof options.world === 'string' ? options.world : '<inline world>';
  const world = typeof options.world === 'string' ? await loadWorld(options.world) : validateWorld(options.world, source);
  const model = buildModel(world, source);
  const seed = options.seed ?? 1;
  const identities = new IdentityStore(model, seed, {
    ...(options.inject?.expireCallerCredentials ? { caller: options.inject.expireCallerCredentials } : {}),
    ...(options.inject?.expireRoleSessions ? { roleSessions: options.inject.expireRoleSessions } : {}),
  });
  const injector = new Injector(options.inject ?? {}, seed);
  const historyAsOfMs = options.eventHistoryAsOf ? Date.parse(options.eventHistoryAsOf) : undefined;
  let counters = emptyCounters();
  let sequence = 0;

  async function answer(req: IncomingMessage): Promise<Reply> {
    const requestId = `00000000-0000-4000-8000-${(++sequence).toString(16).padStart(12, '0')}`;
    const body = await readBody(req);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return errorReply('s3', new SimError('InvalidURI', 'Couldn\'t parse the specified URI.', 400), requestId);
    }
    const simReq: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: body ?? '' };
    const signature = readSignature(req.headers, url.searchParams);
    const routed = route(simReq, signature);
    const service = routed.service;
    const spec = SERVICES[service];
    if (body === undefined) return errorReply(service, new SimError('RequestEntityTooLarge', 'Request body too large', 413), requestId);
    if ('error' in routed) {
      const code = spec.protocol === 'json' ? 'UnknownOperationException' : spec.protocol === 'restxml' ? 'MethodNotAllowed' : 'InvalidAction';
      return errorReply(service, new SimError(code, routed.error, spec.protocol === 'restxml' ? 405 : 400), requestId);
    }
    try {
      return await serve(req, simReq, url, routed.operation, service, signature, requestId);
    } catch (err) {
      return errorReply(service, toSimError(err), requestId);
    }
  }

  async function serve(
    req: IncomingMessage,
    simReq: SimRequest,
    url: URL,
    operation: string,
    service: ServiceName,
    signature: ReturnType<typeof readSignature>,
    requestId: string,
  ): Promise<Reply> {
    const spec = SERVICES[service];
    const region = signature?.region ?? 'us-east-1';
    const identity = signature ? identities.lookup(signature.accessKeyId) : undefined;
    countCall(counters, `${spec.label}.${operation}`, identity?.accountId ?? 'unknown', region);

    const key = { service: spec, operation, accountId: identity?.accountId ?? 'unknown', region };
    const call = injector.next(key);
    const delay = injector.delayMs(call);
    if (delay > 0) await sleep(delay);

    const invalidToken = (message: string) => new SimError(spec.invalidToken.code, message, spec.invalidToken.status);
    if (!signature) {
      const missing = { json: ['MissingAuthenticationTokenException', 400], query: ['MissingAuthenticationToken', 403], ec2: ['AuthFailure', 401], restxml: ['AccessDenied', 403] } as const;
      const [code, status] = missing[spec.protocol];
      throw new SimError(code, 'Request is missing Authentication Token', status);
    }
    if (!identity) throw invalidToken('The security token included in the request is invalid.');
    if (identity.sessionToken !== undefined && req.headers['x-amz-security-token'] !== identity.sessionToken) {
      throw invalidToken('The security token included in the request is invalid.');
    }
    // Credentials belong to one partition: another partition's endpoints do not know them.
    if (partitionOfRegion(region) !== model.partition) {
      throw spec.protocol === 'ec2' ? invalidToken('AWS was not able to validate the provided access credentials') : invalidToken('The security token included in the request is invalid.');
    }
    if (identities.expired(identity, Date.now())) {
      counters.expired++;
      throw expiredToken(spec, identity.sessionToken ?? '');
    }
    const action = `${IAM_ACTION_PREFIX[service]}:${operation}`;
    if (!isReadOperation(operation) && operation !== 'AssumeRole') {
      counters.mutations++;
      throw new SimError(spec.accessDenied.code, `User: ${identity.arn} is not authorized to perform: ${action} (the Trailwarden simulator is read-only)`, spec.accessDenied.status);
    }
    const decision = injector.decide(key, call, Date.now());
    if (decision.kind === 'accessDenied') {
      counters.accessDenied++;
      throw new SimError(spec.accessDenied.code, `User: ${identity.arn} is not authorized to perform: ${action}`, spec.accessDenied.status);
    }
    if (decision.kind === 'throttle') {
      counters.throttled++;
      throw new SimError(spec.throttle.code, 'Rate exceeded', spec.throttle.status);
    }
    if (decision.kind === 'fault') {
      counters.faults++;
      throw decision.status === 500
        ? new SimError('InternalError', 'We encountered an internal error. Please try again.', 500)
        : new SimError('ServiceUnavailable', 'Service is unable to handle request.', 503);
    }

    const account = model.accounts.get(identity.accountId)!;
    if (REGION_GATED.has(service) && !account.enabledRegions.has(region)) {
      throw spec.protocol === 'ec2'
        ? invalidToken('AWS was not able to validate the provided access credentials')
        : invalidToken('The security token included in the request is invalid.');
    }
    // IAM's access-denied format ("Troubleshooting access denied error messages"): no region in it.
    if ((SCP_REGION_DENIED.has(service) && account.deniedRegions.has(region)) || scpDeniesCall(model, account, identity, action, region)) {
      throw new SimError(spec.accessDenied.code, `User: ${identity.arn} is not authorized to perform: ${action} with an explicit deny in a service control policy`, spec.accessDenied.status);
    }

    const handler = HANDLERS[service][operation];
    if (!handler) {
      const code = spec.protocol === 'json' ? 'UnknownOperationException' : spec.protocol === 'restxml' ? 'NotImplemented' : 'InvalidAction';
      throw new SimError(code, `${spec.label}.${operation} is not simulated`, spec.protocol === 'restxml' ? 501 : 400);
    }
    let input: Record<string, unknown> = {};
    if (spec.protocol === 'json' && simReq.body.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(simReq.body);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        throw new SimError('SerializationException', 'Start of structure or map found where not expected, or the body is not valid JSON.');
      }
    }
    const form = spec.protocol === 'query' || spec.protocol === 'ec2' ? new URLSearchParams(simReq.body) : url.searchParams;
    const ctx: CallContext = { model, identity, account, region, operation, req: simReq, requestId, nowMs: Date.now(), identities, input, form, ...(historyAsOfMs !== undefined ? { historyNowMs: historyAsOfMs } : {}) };
    return handler(ctx);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      reply = await answer(req);
    } catch (err) {
      const requestId = `00000000-0000-4000-9000-${(++sequence).toString(16).padStart(12, '0')}`;
      let service: ServiceName = 's3';
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        service = route({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: '' }, undefined).service;
      } catch {
        // keep the S3 shape for requests too broken to route
      }
      reply = errorReply(service, toSimError(err), requestId);
    }
    if (res.writableEnded || res.destroyed) return;
    const body = req.method === 'HEAD' ? '' : reply.body;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    callerCredentials: {
      accessKeyId: model.caller.accessKeyId,
      secretAccessKey: model.caller.secretAccessKey,
      ...(identities.callerSessionToken ? { sessionToken: identities.callerSessionToken } : {}),
    },
    counters: () => copyCounters(counters),
    resetCounters: () => {
      counters = emptyCounters();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
