import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, startEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startProxy } from '../../src/server/start.js';
import { isolateDatabricksEnv } from '../helpers/isolated-env.js';
import { LogCapture, startStack } from '../helpers/stack.js';

/** Each way the Databricks SDK chain can find credentials, against the emulator. */
const ask = (baseURL: string) =>
  new OpenAI({ apiKey: 'local', baseURL, maxRetries: 0 }).chat.completions.create({
    model: 'databricks-meta-llama-3-3-70b-instruct',
    messages: [{ role: 'user', content: 'ping' }],
  });

/** A proxy authenticating with OAuth M2M against an emulator whose tokens live 41 s. */
async function startM2mProxy() {
  // 41 s lifetime: the SDK refreshes 40 s before expiry, so the first token is stale after ~1 s.
  const emulator = await startEmulator({ tokenExpiresInSeconds: 41 });
  const config = ConfigSchema.parse({
    port: 0,
    databricks: { host: emulator.url, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret },
  });
  return { emulator, proxy: await startProxy(config, createLogger('silent')) };
}

// The SDK reads DATABRICKS_* and HOME from the process environment: isolate every test from the machine's.
isolateDatabricksEnv();

describe('upstream auth', () => {
  it('uses a personal access token', async () => {
    const stack = await startStack();
    try {
      expect(stack.proxy.workspace.auth.method).toBe('pat');
      const answer = await ask(stack.openaiBaseUrl);
      expect(answer.choices[0]?.message.content).toContain('ping');
    } finally {
      await stack.close();
    }
  });

  it('uses OAuth M2M, and 50 concurrent requests across a token expiry cause exactly one token request', async () => {
    const { emulator, proxy } = await startM2mProxy();
    try {
      expect(proxy.workspace.auth.method).toBe('oauth-m2m');
      expect(emulator.counters.tokenRequests).toBe(1);
      // The refreshed token lives an hour: on a loaded machine the 50 requests may take longer than
      // another 41 s token would stay fresh, and that second expiry is not what this test is about.
      emulator.setTokenExpiresIn(3600);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const answers = await Promise.all(Array.from({ length: 50 }, () => ask(`${proxy.url}/v1`)));
      expect(answers).toHaveLength(50);
      expect(emulator.counters.tokenRequests).toBe(2);
    } finally {
      await proxy.close();
      await emulator.close();
    }
  });

  it('reuses the Authorization value for a moment without asking the SDK, and asks again after invalidate()', async () => {
    const { emulator, proxy } = await startM2mProxy();
    try {
      const { auth } = proxy.workspace;
      // Fetched while the proxy started: handed out at once, no await, no token request.
      const first = auth.authorization();
      expect(typeof first).toBe('string');
      expect(first).toMatch(/^Bearer \S+/);
      auth.invalidate(auth.lastAuthorization ?? '');
      // Expired but still known: an upstream may yet echo it, so error scrubbing keeps it (src/secrets/scrubber.ts).
      expect(auth.lastAuthorization).toBe(first);
      const fresh = auth.authorization();
      expect(fresh).toBeInstanceOf(Promise);
      expect(await fresh).toMatch(/^Bearer \S+/);
      expect(emulator.counters.tokenRequests).toBe(2);
      expect(auth.authorization()).toBe(await fresh);
      expect(auth.lastAuthorization).toBe(await fresh);
    } finally {
      await proxy.close();
      await emulator.close();
    }
  });

  it('a token that cannot be fetched: 401 when the workspace refuses the credentials, 502 when it cannot be reached', async () => {
    const { emulator, proxy } = await startM2mProxy();
    try {
      const { auth } = proxy.workspace;
      emulator.revokeTokens({ clients: true });
      auth.invalidate(auth.lastAuthorization ?? '');
      const refused = await Promise.resolve(auth.authorization()).catch((reason: unknown) => reason);
      expect(refused).toMatchObject({ name: 'ProxyError', kind: 'authentication', status: 401 });
      expect((refused as Error).message).toMatch(/^Databricks authentication failed: .*oauth-m2m/);
      expect((refused as Error).message).not.toContain(EMULATOR_DEMO_CLIENT.clientSecret);

      await emulator.close();
      auth.invalidate(auth.lastAuthorization ?? '');
      const unreachable = await Promise.resolve(auth.authorization()).catch((reason: unknown) => reason);
      expect(unreachable).toMatchObject({ name: 'ProxyError', kind: 'upstream', status: 502 });
      expect((unreachable as Error).message).toMatch(/^Could not reach the Databricks workspace for a token: .*(socket hang up|ECONNREFUSED)/);
    } finally {
      await proxy.close();
      await emulator.close();
    }
  });

  it('reads a ~/.databrickscfg profile from HOME', async () => {
    const emulator = await startEmulator();
    writeFileSync(join(process.env.HOME ?? '', '.databrickscfg'), `[emulated]\nhost = ${emulator.url}\ntoken = ${EMULATOR_DEMO_PAT}\n`);
    const proxy = await startProxy(ConfigSchema.parse({ port: 0, databricks: { profile: 'emulated' } }), createLogger('silent'));
    try {
      expect(proxy.workspace.host).toBe(emulator.url);
      expect((await ask(`${proxy.url}/v1`)).choices[0]?.message.content).toContain('ping');
    } finally {
      await proxy.close();
      await emulator.close();
    }
  });

  it('uses the Databricks CLI (`databricks auth token`) found on PATH', async () => {
    const emulator = await startEmulator();
    const bin = mkdtempSync(join(tmpdir(), 'dbx-cli-'));
    const token = JSON.stringify({ access_token: EMULATOR_DEMO_PAT, token_type: 'Bearer', expiry: '2099-01-01T00:00:00Z' });
    writeFileSync(join(bin, 'databricks'), `#!/bin/sh\ncase "$1" in version) echo 0.250.0;; auth) echo '${token}';; esac\n`);
    chmodSync(join(bin, 'databricks'), 0o755);
    process.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
    const proxy = await startProxy(ConfigSchema.parse({ port: 0, databricks: { host: emulator.url, authType: 'databricks-cli' } }), createLogger('silent'));
    try {
      expect(proxy.workspace.auth.method).toBe('databricks-cli');
      expect((await ask(`${proxy.url}/v1`)).choices[0]?.message.content).toContain('ping');
    } finally {
      await proxy.close();
      await emulator.close();
    }
  });

  it('a `databricks auth login` profile without the CLI: the error names the missing command and the image target that has it', async () => {
    writeFileSync(join(process.env.HOME ?? '', '.databrickscfg'), '[cli-login]\nhost = http://127.0.0.1:9\nauth_type = databricks-cli\n');
    process.env.PATH = '/nonexistent';
    const start = startProxy(ConfigSchema.parse({ port: 0, databricks: { profile: 'cli-login' } }), createLogger('silent'));
    await expect(start).rejects.toThrow(/Databricks CLI .*`databricks` command is not on PATH\. Fix: install the Databricks CLI.*with-databricks-cli/);
    await expect(start).rejects.not.toThrow(/refused/);
  });

  it('fails to start with one message naming what was tried and how to fix it', async () => {
    process.env.PATH = '/nonexistent';
    const start = startProxy(ConfigSchema.parse({ port: 0 }), createLogger('silent'));
    await expect(start).rejects.toThrow(/Cannot authenticate to Databricks: .*Tried .*Fix: /);
  });

  it('fails to start when the workspace rejects the token, without printing the token', async () => {
    const emulator = await startEmulator();
    const logs = new LogCapture();
    const secret = 'dapi-wrong-token-0123456789';
    try {
      const start = startProxy(ConfigSchema.parse({ port: 0, databricks: { host: emulator.url, token: secret } }), createLogger('debug', logs));
      const error = await start.then(
        () => undefined,
        (reason: unknown) => reason as Error,
      );
      expect(error?.message).toMatch(/rejected the credentials.*401/);
      expect(error?.message).not.toContain(secret);
      expect(logs.lines.join('\n')).not.toContain(secret);
    } finally {
      await emulator.close();
    }
  });
});
