import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { findLeaks, secretsUsedInTests } from '../helpers/log-scan.js';
import '../helpers/log-sink.js';
import { CLIENT_KEY, LOCAL_API_KEY, TEST_SECRETS } from '../helpers/secrets.js';
import { LogCapture } from '../helpers/stack.js';

/**
 * The suite-wide secrets scan: every log line of every test file is copied to
 * this run's folder (LogCapture, and the CLI tests' child output), and
 * test/helpers/log-scan-setup.ts checks them all when vitest ends, failing
 * the run on a leak. These tests prove its parts work; the scan itself runs
 * on every `vitest run`.
 */
const TEST_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the leak finder', () => {
  const secrets = secretsUsedInTests(TEST_ROOT);

  it('knows every registered secret and every key-like literal written in a test', () => {
    expect(secrets).toEqual(expect.arrayContaining([...TEST_SECRETS, EMULATOR_DEMO_PAT, EMULATOR_DEMO_CLIENT.clientSecret]));
    // Made up inline by other test files, never registered in secrets.ts.
    expect(secrets).toEqual(expect.arrayContaining(['sk-client-key-that-must-stay-local', 'dapi-wrong-token-0123456789']));
  });

  it('finds a secret anywhere in a line, and says where without printing it', () => {
    const leaks = findLeaks(`{"level":30,"msg":"ok"}\n{"level":40,"msg":"retrying with ${EMULATOR_DEMO_PAT}"}`, secrets, 'w1.log');
    expect(leaks).toEqual([{ file: 'w1.log', line: 2, what: expect.stringMatching(/^the secret dapi…/) }]);
    expect(JSON.stringify(leaks)).not.toContain(EMULATOR_DEMO_PAT);
  });

  it('finds credentials it was never told about: a Bearer value, an unredacted credential field', () => {
    expect(findLeaks('upstream said: Bearer eyJhbGciOiJIUzI1NiJ9.payload', [])).toHaveLength(1);
    expect(findLeaks('{"req":{"headers":{"x-api-key":"whatever-it-is"}}}', [])).toEqual([{ file: '(text)', line: 1, what: 'the unredacted field "x-api-key"' }]);
    expect(findLeaks('{"config":{"databricks":{"clientSecret":"s3cr3t"}}}', [])).toHaveLength(1);
  });

  it('passes what the logger writes when it redacts, and ordinary lines', () => {
    const clean = [
      '{"level":30,"headers":{"authorization":"[redacted]","x-api-key":"[redacted]"},"token":"[redacted]"}',
      '{"level":30,"method":"POST","path":"/v1/messages","status":200,"ms":3,"input_tokens":12}',
      'dbx-proxy listening on http://127.0.0.1:8420 (send "Authorization: Bearer <key>")',
    ].join('\n');
    expect(findLeaks(clean, secrets)).toEqual([]);
  });
});

describe('the copy of log lines', () => {
  it("writes every LogCapture line to this run's log folder, where the scan reads it", () => {
    const dir = inject('logScanDir');
    expect(dir).toMatch(/test-logs/);
    const logs = new LogCapture();
    const marker = `copy-check-${process.pid}-${Date.now()}`;
    createLogger('info', logs).info({ marker }, 'log copy check');
    expect(readFileSync(join(dir, `${process.pid}.log`), 'utf8')).toContain(marker);
  });

  it('the proxy logger redacts credentials given as fields, so they never reach the copy', () => {
    const logs = new LogCapture();
    createLogger('debug', logs).info(
      { headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-api-key': LOCAL_API_KEY }, databricks: { token: EMULATOR_DEMO_PAT, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret } },
      'fields that carry credentials',
    );
    expect(findLeaks(logs.lines.join('\n'), TEST_SECRETS)).toEqual([]);
  });
});
