import { describe, expect, it } from 'vitest';
import { CENSOR, redactCredentials } from '../../src/logging/redact.js';
import { createLogger } from '../../src/logging/logger.js';
import { LogCapture } from '../helpers/stack.js';

describe('redactCredentials', () => {
  it('censors credential fields at any depth, in objects and arrays, whatever their case', () => {
    const line = {
      token: 'dapi-top-level-0000',
      req: { headers: { Authorization: 'Bearer abcdefgh', 'x-api-key': 'k-1', host: '127.0.0.1' } },
      attempts: [{ access_token: 'eyJ.a.b', status: 401 }],
      config: { databricks: { clientSecret: 's3cr3t', client_secret: 's3cr3t', host: 'https://w' }, server: { apiKeys: ['k-1'] } },
    };
    expect(redactCredentials(line)).toEqual({
      token: CENSOR,
      req: { headers: { Authorization: CENSOR, 'x-api-key': CENSOR, host: '127.0.0.1' } },
      attempts: [{ access_token: CENSOR, status: 401 }],
      config: { databricks: { clientSecret: CENSOR, client_secret: CENSOR, host: 'https://w' }, server: { apiKeys: CENSOR } },
    });
  });

  it("never changes the caller's objects, and hands back the same object when there is nothing to censor", () => {
    const headers = { authorization: 'Bearer abcdefgh' };
    const line = { headers, path: '/v1/messages' };
    const redacted = redactCredentials(line);
    expect(headers.authorization).toBe('Bearer abcdefgh');
    expect(redacted).not.toBe(line);
    const clean = { method: 'POST', status: 200, stream: { frames: 12, usage: { input: 3 } } };
    expect(redactCredentials(clean)).toBe(clean);
  });

  it('keeps empty credential fields as they are (nothing to hide) and leaves errors to their serializer', () => {
    const error = Object.assign(new Error('boom'), { token: 'x' });
    expect(redactCredentials({ token: null, err: error })).toEqual({ token: null, err: error });
  });

  it('stops at a cycle without looping', () => {
    const cyclic: Record<string, unknown> = { token: 'dapi-0000' };
    cyclic.self = cyclic;
    expect(redactCredentials(cyclic).token).toBe(CENSOR);
  });
});

describe('the proxy logger', () => {
  it("censors credentials in logged fields and in a child logger's bindings", () => {
    const logs = new LogCapture();
    createLogger('info', logs).child({ authorization: 'Bearer child-binding-value' }).info({ headers: { 'x-api-key': 'line-field-value' } }, 'hello');
    const text = logs.lines.join('\n');
    expect(text).toContain('hello');
    expect(text).not.toContain('child-binding-value');
    expect(text).not.toContain('line-field-value');
    expect(text.match(/\[redacted\]/g)).toHaveLength(2);
  });
});
