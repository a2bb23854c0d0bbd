import { EMULATOR_DEMO_PAT } from '../../../src/emulator/index.js';
import { startStack, type Stack, type StackOptions } from '../../helpers/stack.js';

/**
 * Shared pieces of the stream-repair tests: each repair test runs the same
 * scenario twice, with the repair on and with it disabled
 * (`repairs.disable`), against an emulator whose quirk reproduces the defect.
 */

export interface Variant {
  name: string;
  repaired: boolean;
  config: NonNullable<StackOptions['config']>;
}

/** The two variants of one repair's tests. */
export function variants(repairId: string): Variant[] {
  return [
    { name: `${repairId} on`, repaired: true, config: {} },
    { name: `${repairId} disabled`, repaired: false, config: { repairs: { disable: [repairId] } } },
  ];
}

export function stackWith(quirks: string[], variant: Variant, options: StackOptions = {}): Promise<Stack> {
  return startStack({ ...options, emulator: { ...options.emulator, quirks }, config: { ...options.config, ...variant.config } });
}

/** Runs a client call and keeps its outcome, so one test can assert either way. */
export async function outcome<T>(run: () => Promise<T>): Promise<{ value: T; error?: undefined } | { value?: undefined; error: Error }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

export interface RawFrame {
  event: string | undefined;
  data: string;
  json: Record<string, unknown> | undefined;
}

export function parseSse(text: string): RawFrame[] {
  return text
    .split(/\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      const text = data.join('\n');
      let json: Record<string, unknown> | undefined;
      try {
        const value: unknown = JSON.parse(text);
        json = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      return { event, data: text, json };
    });
}

/**
 * A `fetch` for an SDK client that keeps the raw text of every answer it
 * receives, so a test can judge the stream with the SDK and check the wire
 * frames of the very same request.
 */
export function recordingFetch(): { fetch: typeof fetch; bodies: Promise<string>[] } {
  const bodies: Promise<string>[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    const [forClient, forTest] = response.body.tee();
    bodies.push(readAll(forTest));
    return new Response(forClient, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { fetch: recording, bodies };
}

/** Everything that arrived, even when the client aborted the stream part way (an SDK that threw). */
async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  } catch {
    // Aborted by the client: keep what came.
  }
  return text + decoder.decode();
}

/** The frames of the last answer a recording fetch saw. */
export async function lastFrames(recorder: { bodies: Promise<string>[] }): Promise<RawFrame[]> {
  const last = recorder.bodies.at(-1);
  if (!last) throw new Error('no answer was recorded');
  return parseSse(await last);
}

/** POSTs straight to the emulator (no proxy), as the proxy would, and returns the raw body. */
export async function emulatorText(emulatorUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${emulatorUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${EMULATOR_DEMO_PAT}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return response.text();
}
