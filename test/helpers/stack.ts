import { Writable } from 'node:stream';
import { ConfigSchema, type Config, type ConfigInput } from '../../src/config/schema.js';
import { startEmulator, EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startProxy, type RunningProxy } from '../../src/server/start.js';
import { recordLogText } from './log-sink.js';

/** Every log line the proxy wrote during a test, for assertions (and the secrets check). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const text = chunk.toString('utf8');
    this.lines.push(...text.split('\n').filter(Boolean));
    // Also to this run's log folder, which the suite-wide secrets scan reads (log-scan-setup.ts).
    recordLogText(text);
    done();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface Stack {
  emulator: RunningEmulator;
  proxy: RunningProxy;
  config: Config;
  logs: LogCapture;
  /** Base URL for OpenAI clients (`.../v1`). */
  openaiBaseUrl: string;
  close(): Promise<void>;
}

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** Overrides of the proxy config; `databricks` defaults to the emulator's host and demo PAT. */
  config?: ConfigInput;
  /** The proxy's log level (default info). */
  logLevel?: string;
  /** The proxy authenticates as the emulator's OAuth M2M client (a service principal) instead of with the demo PAT. */
  servicePrincipal?: boolean;
}

/** The emulator and the proxy in this process, on ephemeral loopback ports. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator(options.emulator);
  const logs = new LogCapture();
  try {
    const config = ConfigSchema.parse({
      port: 0,
      databricks: options.servicePrincipal
        ? { host: emulator.url, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret }
        : { host: emulator.url, token: EMULATOR_DEMO_PAT },
      // No usage history unless a test asks for one (in a folder of its own): test runs must not fill the user's state directory.
      observability: { usage: { enabled: false } },
      ...options.config,
    });
    const proxy = await startProxy(config, createLogger(options.logLevel ?? 'info', logs));
    return {
      emulator,
      proxy,
      config,
      logs,
      openaiBaseUrl: `${proxy.url}/v1`,
      async close() {
        await proxy.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
