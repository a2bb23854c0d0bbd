import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { ROOT } from '../helpers/built-cli.js';

/**
 * The sidecar examples (compose.yaml, .devcontainer/) agree with the image:
 * the port it listens on, the user's home where profiles are mounted, the
 * Dockerfile targets they name, a stop timeout longer than the stream grace,
 * and the hardening the image is proven to run under (scripts/image-check.sh).
 */
type Service = Record<string, any>;
const read = (path: string): Record<string, any> => parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const streamGraceSeconds = ConfigSchema.parse({}).server.shutdownGraceMs / 1000;

describe.each([
  ['compose.yaml', 'agent'],
  ['.devcontainer/compose.yaml', 'workspace'],
])('%s', (path, agentName) => {
  const services = read(path).services as Record<string, Service>;
  const proxy = services['dbx-proxy']!;
  const agent = services[agentName]!;

  it('runs the proxy read-only, without capabilities, with a writable /tmp and a stop timeout past the stream grace', () => {
    expect(proxy).toMatchObject({ read_only: true, init: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    expect(proxy.tmpfs).toContain('/tmp');
    expect(Number.parseInt(proxy.stop_grace_period, 10)).toBeGreaterThan(streamGraceSeconds);
  });

  it('passes credentials by environment and requires a local key, the agent waiting for the proxy to be healthy', () => {
    for (const name of ['DATABRICKS_HOST', 'DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET', 'DBX_PROXY_API_KEYS']) {
      expect(proxy.environment).toContain(name);
    }
    expect(agent.depends_on['dbx-proxy']).toEqual({ condition: 'service_healthy' });
  });

  it('points the agent at the proxy service on the port the image listens on', () => {
    const port = /DBX_PROXY_PORT=(\d+)/.exec(dockerfile)?.[1];
    expect(agent.environment.OPENAI_BASE_URL).toBe(`http://dbx-proxy:${port}/v1`);
    expect(agent.environment.ANTHROPIC_BASE_URL).toBe(`http://dbx-proxy:${port}`);
  });
});

it('the commented mounts and targets name what the image has: the user\'s home and the CLI target', () => {
  const text = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
  expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  expect(text).toContain('/home/node/.databrickscfg:ro');
  const target = /target: (\S+)/.exec(text)?.[1];
  expect(dockerfile).toContain(`AS ${target}`);
});
