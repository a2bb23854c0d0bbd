import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENV_VARS } from '../../src/config/env.js';
import { ConfigError, loadConfig, type LoadConfigOptions } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config.example.yaml');
const DEFAULTS = ConfigSchema.parse({});

let root: string;
let cwd: string;
let home: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dbx-proxy-config-'));
  cwd = join(root, 'project');
  home = join(root, 'home');
  await mkdir(cwd, { recursive: true });
  await mkdir(home, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

/** loadConfig in the temp dirs with an empty environment unless one is given. */
function load(options: LoadConfigOptions = {}) {
  return loadConfig({ cwd, homeDir: home, env: {}, ...options });
}

async function loadError(options: LoadConfigOptions = {}): Promise<ConfigError> {
  const error: unknown = await load(options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('defaults', () => {
  it('gives the schema defaults and no source when nothing is configured', async () => {
    const { config, source } = await load();
    expect(source).toBeUndefined();
    expect(config).toEqual(DEFAULTS);
    expect(config.port).toBe(8420);
  });
});

describe('precedence: flags > env > file > defaults, field by field', () => {
  it('takes each field from the highest source that sets it', async () => {
    await write(
      join(cwd, 'dbx-proxy.yaml'),
      [
        'port: 1111',
        'listen: 127.0.0.2',
        'surface: model-serving',
        'log: {level: debug}',
        'databricks: {profile: FILEPROFILE}',
        'upstream: {maxAttempts: 5}',
      ].join('\n'),
    );
    const { config } = await load({
      env: { DBX_PROXY_PORT: '2222', DBX_PROXY_SURFACE: 'ai-gateway', DBX_PROXY_LOG_LEVEL: 'warn' },
      flags: { port: 3333, databricks: { host: 'https://flag.example.com' } },
    });
    expect(config.port).toBe(3333); // flag over env over file
    expect(config.surface).toBe('ai-gateway'); // env over file
    expect(config.log.level).toBe('warn'); // env over file
    expect(config.listen).toBe('127.0.0.2'); // file over default
    expect(config.upstream.maxAttempts).toBe(5); // file over default
    expect(config.upstream.idleTimeoutMs).toBe(DEFAULTS.upstream.idleTimeoutMs); // default
    // Objects merge key by key: the flag's host does not drop the file's profile.
    expect(config.databricks).toEqual({ profile: 'FILEPROFILE', host: 'https://flag.example.com' });
  });

  it('ignores flags that are undefined and env vars that are empty', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'port: 1111\nsurface: model-serving\n');
    const { config } = await load({ env: { DBX_PROXY_PORT: '2222', DBX_PROXY_SURFACE: '' }, flags: { port: undefined } });
    expect(config.port).toBe(2222);
    expect(config.surface).toBe('model-serving');
  });

  it('maps every documented environment variable', async () => {
    const { config } = await load({
      env: {
        DBX_PROXY_LISTEN: '0.0.0.0',
        DBX_PROXY_PORT: '9000',
        DBX_PROXY_DEMO: 'yes',
        DBX_PROXY_SURFACE: 'model-serving',
        DBX_PROXY_HOST: 'https://env.example.com',
        DBX_PROXY_PROFILE: 'ENVPROFILE',
        DBX_PROXY_DEFAULT_MODEL: 'databricks-claude-sonnet-4-5',
        DBX_PROXY_API_KEYS: 'first-key-123, second-key-456,,',
        DBX_PROXY_BARE: '1',
        DBX_PROXY_LOG_LEVEL: 'debug',
      },
    });
    expect(config).toMatchObject({
      listen: '0.0.0.0',
      port: 9000,
      demo: true,
      surface: 'model-serving',
      databricks: { host: 'https://env.example.com', profile: 'ENVPROFILE' },
      models: { default: 'databricks-claude-sonnet-4-5' },
      server: { apiKeys: ['first-key-123', 'second-key-456'] },
      repairs: { bare: true },
      log: { level: 'debug' },
    });
  });
});

describe('file discovery', () => {
  const xdgFile = (base: string) => join(base, 'dbx-proxy', 'config.yaml');

  it('reads ./dbx-proxy.yaml before the user config dir', async () => {
    const local = await write(join(cwd, 'dbx-proxy.yaml'), 'port: 1001\n');
    await write(xdgFile(join(home, '.config')), 'port: 1002\n');
    const { config, source } = await load();
    expect(config.port).toBe(1001);
    expect(source).toBe(local);
  });

  it('falls back to ~/.config/dbx-proxy/config.yaml', async () => {
    const user = await write(xdgFile(join(home, '.config')), 'port: 1002\n');
    const { config, source } = await load();
    expect(config.port).toBe(1002);
    expect(source).toBe(user);
  });

  it('uses an absolute $XDG_CONFIG_HOME instead of ~/.config, and ignores a relative one', async () => {
    await write(xdgFile(join(home, '.config')), 'port: 1002\n');
    const xdg = join(root, 'xdg');
    await write(xdgFile(xdg), 'port: 1003\n');
    expect((await load({ env: { XDG_CONFIG_HOME: xdg } })).config.port).toBe(1003);
    expect((await load({ env: { XDG_CONFIG_HOME: 'relative/xdg' } })).config.port).toBe(1002);
  });

  it('DBX_PROXY_CONFIG beats ./dbx-proxy.yaml, and --config beats both', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'port: 1001\n');
    await write(join(cwd, 'from-env.yaml'), 'port: 1004\n');
    const flagged = await write(join(root, 'flagged.yaml'), 'port: 1005\n');
    expect((await load({ env: { DBX_PROXY_CONFIG: 'from-env.yaml' } })).config.port).toBe(1004);
    const both = await load({ env: { DBX_PROXY_CONFIG: 'from-env.yaml' }, configPath: flagged });
    expect(both.config.port).toBe(1005);
    expect(both.source).toBe(flagged);
  });

  it('a named file that does not exist is an error naming it; a discovered one is optional', async () => {
    const error = await loadError({ configPath: 'nope.yaml' });
    expect(error.message).toBe('config: cannot read ./nope.yaml (named by --config): no such file');
    const fromEnv = await loadError({ env: { DBX_PROXY_CONFIG: join(root, 'gone.yaml') } });
    expect(fromEnv.message).toContain('gone.yaml (named by DBX_PROXY_CONFIG)');
  });
});

describe('${VAR} interpolation', () => {
  it('replaces variables in string values, nested and in lists', async () => {
    await write(
      join(cwd, 'dbx-proxy.yaml'),
      'databricks:\n  host: https://${WS}.example.com\n  token: ${TOKEN}\nserver:\n  apiKeys: ["${KEY}-suffix"]\n',
    );
    const { config } = await load({ env: { WS: 'acme', TOKEN: 'dapi-secret', KEY: 'local-key' } });
    expect(config.databricks.host).toBe('https://acme.example.com');
    expect(config.databricks.token).toBe('dapi-secret');
    expect(config.server.apiKeys).toEqual(['local-key-suffix']);
  });

  it('a missing variable is an error naming the field and the variable', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'databricks:\n  token: ${DATABRICKS_TOKEN}\n');
    const error = await loadError();
    expect(error.message).toBe(
      'config: databricks.token: environment variable DATABRICKS_TOKEN is not set (in ./dbx-proxy.yaml)',
    );
  });

  it('$${ is a literal ${ and is not looked up', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'models:\n  aliases:\n    "a": "x$${NOT_A_VAR}y"\n');
    const { config } = await load();
    expect(config.models.aliases).toEqual({ a: 'x${NOT_A_VAR}y' });
  });

  it('an unterminated ${ is an error naming the field', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'models:\n  default: "abc${oops"\n');
    const error = await loadError();
    expect(error.message).toMatch(/^config: models\.default: unterminated "\$\{"/);
  });
});

describe('validation errors name the field and the source', () => {
  it('a value out of range', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'upstream:\n  maxAttempts: 0\n');
    const error = await loadError();
    expect(error.message).toBe('config: upstream.maxAttempts: Too small: expected number to be >=1 (in ./dbx-proxy.yaml)');
  });

  it('a wrong type', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'port: "eighty"\n');
    const error = await loadError();
    expect(error.message).toBe('config: port: Invalid input: expected number, received string (in ./dbx-proxy.yaml)');
  });

  it('an unknown key, top level or nested, with the keys allowed there', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'prot: 1\nupstream:\n  maxAtempts: 2\n');
    const error = await loadError();
    expect(error.message).toContain('prot: unknown key');
    expect(error.message).toContain('upstream.maxAtempts: unknown key (known keys here: connectTimeoutMs,');
    expect(error.message).toContain('maxAttempts');
    expect(error.message).toContain('(in ./dbx-proxy.yaml)');
    expect(error.message).not.toContain('\n');
  });

  it('a __proto__ key is an unknown key and pollutes nothing', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), '__proto__:\n  polluted: yes\nupstream:\n  __proto__: {polluted: yes}\n');
    const error = await loadError({ flags: { upstream: { maxAttempts: 2 } } });
    expect(error.message).toMatch(/(^config: |; )__proto__: unknown key/);
    expect(error.message).toContain('upstream.__proto__: unknown key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an unknown family in repairs.toolCaps lists the families', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'repairs:\n  toolCaps:\n    claud: 3\n');
    const error = await loadError();
    expect(error.message).toContain('repairs.toolCaps.claud: unknown key (known keys here: claude, codex');
  });

  it('an error in a list item names its index', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'server:\n  apiKeys: [short]\n');
    const error = await loadError();
    expect(error.message).toMatch(/^config: server\.apiKeys\[0\]: Too small: .*>=8 characters \(in \.\/dbx-proxy\.yaml\)$/);
  });

  it('a file in the home directory is shown as ~/...', async () => {
    await write(join(home, '.config', 'dbx-proxy', 'config.yaml'), 'surface: gateway\n');
    const error = await loadError();
    expect(error.message).toMatch(/^config: surface: Invalid option: .* \(in ~\/\.config\/dbx-proxy\/config\.yaml\)$/);
  });

  it('a null value counts as unset', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'databricks:\nmodels:\n  default:\n  aliases:\n');
    const { config } = await load();
    expect(config.databricks).toEqual({});
    expect(config.models).toEqual({ aliases: {} });
  });

  it('invalid YAML is one line naming the file and position', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'port: 1\n  listen: [x\n');
    const error = await loadError();
    expect(error.message).toMatch(/^config: invalid YAML in \.\/dbx-proxy\.yaml: .*line \d+, column \d+$/);
  });

  it('a duplicate key is an error', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), 'port: 1\nport: 2\n');
    expect((await loadError()).message).toContain('invalid YAML in ./dbx-proxy.yaml');
  });

  it('a file that is not a mapping is an error', async () => {
    await write(join(cwd, 'dbx-proxy.yaml'), '- port\n- 1\n');
    expect((await loadError()).message).toBe('config: ./dbx-proxy.yaml must hold a mapping of settings, not a list');
  });
});

describe('environment variable errors name the variable', () => {
  it('a value the parser refuses', async () => {
    expect((await loadError({ env: { DBX_PROXY_PORT: 'abc' } })).message).toBe(
      'config: DBX_PROXY_PORT: expected an integer, got "abc"',
    );
    expect((await loadError({ env: { DBX_PROXY_BARE: 'maybe' } })).message).toMatch(/^config: DBX_PROXY_BARE: expected true\/false/);
  });

  it('a value the schema refuses', async () => {
    const error = await loadError({ env: { DBX_PROXY_PORT: '70000' } });
    expect(error.message).toBe('config: port: Too big: expected number to be <=65535 (from DBX_PROXY_PORT)');
    const surface = await loadError({ env: { DBX_PROXY_SURFACE: 'gateway' } });
    expect(surface.message).toContain('(from DBX_PROXY_SURFACE)');
  });

  it('a flag value the schema refuses says it came from the command line', async () => {
    const error = await loadError({ flags: { databricks: { host: 'not a url' } } });
    expect(error.message).toBe('config: databricks.host: Invalid URL (from the command line)');
  });
});

describe('config.example.yaml', () => {
  it('loads, validates and documents exactly the defaults', async () => {
    const { config, source } = await load({ configPath: EXAMPLE });
    expect(source).toBe(EXAMPLE);
    expect(config).toEqual(DEFAULTS);
  });

  it('mentions every setting of the schema (optional ones too)', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    interface Node {
      properties?: Record<string, Node>;
    }
    const keys: string[] = [];
    const walk = (node: Node, prefix: string): void => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        keys.push(`${prefix}${key}`);
        walk(child, `${prefix}${key}.`);
      }
    };
    walk(z.toJSONSchema(ConfigSchema, { io: 'input' }) as Node, '');
    // The schema walk covers every key of the parsed defaults as well as the optional ones.
    expect(keys).toEqual(expect.arrayContaining(['port', 'databricks.token', 'models.default', ...Object.keys(DEFAULTS)]));
    const missing = keys.filter((key) => !new RegExp(`^\\s*(# )?${key.split('.').pop()}:`, 'm').test(text));
    expect(missing).toEqual([]);
  });

  it('mentions every DBX_PROXY_* variable and shows ${DATABRICKS_TOKEN} interpolation', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    expect(ENV_VARS.map(({ name }) => name).filter((name) => !text.includes(name))).toEqual([]);
    expect(text).toContain('DBX_PROXY_CONFIG');
    expect(text).toContain('${DATABRICKS_TOKEN}');
  });
});
