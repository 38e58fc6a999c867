/** Response bodies and error shapes of the four AWS wire protocols the simulator speaks. */
import type { ServiceName, SimError } from './services.js';
import { SERVICES } from './services.js';
import { el, wrap, XML_DECL } from './xml.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Text, or the bytes of an S3 object (GetObject). */
  body: string | Buffer;
}

const QUERY_NS: Partial<Record<ServiceName, string>> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
};
export const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function jsonReply(value: unknown, requestId: string, version: '1.0' | '1.1' = '1.1'): Reply {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': requestId },
    body: JSON.stringify(value),
  };
}

/** awsQuery: `<OpResponse><OpResult>…</OpResult><ResponseMetadata/></OpResponse>`. */
export function queryReply(service: ServiceName, operation: string, resultXml: string, requestId: string): Reply {
  const body =
    XML_DECL +
    wrap(
      `${operation}Response`,
      wrap(`${operation}Result`, resultXml) + wrap('ResponseMetadata', el('RequestId', requestId)),
      `xmlns="${QUERY_NS[service]}"`,
    );
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** ec2Query: no Result wrapper, a lowercase `requestId` first. */
export function ec2Reply(operation: string, innerXml: string, requestId: string): Reply {
  const body = XML_DECL + wrap(`${operation}Response`, el('requestId', requestId) + innerXml, `xmlns="${EC2_NS}"`);
  return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
}

export function xmlReply(xml: string, requestId: string, status = 200): Reply {
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body: XML_DECL + xml };
}

export function errorReply(service: ServiceName, err: SimError, requestId: string): Reply {
  const spec = SERVICES[service];
  const status = err.status;
  switch (spec.protocol) {
    case 'json': {
      const headers: Record<string, string> = { 'content-type': `application/x-amz-json-${spec.jsonVersion ?? '1.1'}`, 'x-amzn-requestid': requestId, 'x-amzn-errortype': err.code };
      if (spec.queryCompatible) headers['x-amzn-query-error'] = `${err.code};${status >= 500 ? 'Receiver' : 'Sender'}`;
      return { status, headers, body: JSON.stringify({ __type: err.code, message: err.message }) };
    }
    case 'query': {
      const type = status >= 500 ? 'Receiver' : 'Sender';
      const body =
        XML_DECL +
        wrap(
          'ErrorResponse',
          wrap('Error', el('Type', type) + el('Code', err.code) + el('Message', err.message)) + el('RequestId', requestId),
          `xmlns="${QUERY_NS[service]}"`,
        );
      return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
    }
    case 'ec2': {
      const body = XML_DECL + wrap('Response', wrap('Errors', wrap('Error', el('Code', err.code) + el('Message', err.message))) + el('RequestID', requestId));
      return { status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
    }
    case 'restxml': {
      const extra = Object.entries(err.extra)
        .map(([k, v]) => el(k, v))
        .join('');
      const body = XML_DECL + wrap('Error', el('Code', err.code) + el('Message', err.message) + extra + el('RequestId', requestId) + el('HostId', requestId));
      return { status, headers: { ...err.headers, 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
    }
  }
}
