import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionWatch } from './fault-state.js';
import type { FaultId } from './faults.js';
import { redactFields, redactHeaders, type Transcript } from './transcript.js';

/**
 * How the fault switches act (registry and spec syntax: faults.ts). A faulty
 * answer is written by hand on the raw response, so that the emulator decides
 * exactly which bytes reach the socket before it breaks; it is recorded in the
 * transcript, with its fault, before its first byte, as every answer is.
 */

/**
 * The Retry-After of 429 and 503 answers, in seconds. The reference says to
 * pass Retry-After through (databricks.md §6) but not what value Databricks
 * sends: one second is the emulator's choice.
 */
export const RETRY_AFTER_SECONDS = 1;
/**
 * Pause between two frames of a `slow-drip` stream: longer than the 100 ms a
 * client disconnect may take to reach the upstream, so a proxy that only
 * noticed at the next frame would be caught.
 */
export const SLOW_DRIP_MS = 200;
/**
 * Pause between two frames of a `steady-drip` stream: the 64-deltas-at-20-ms
 * pace of the Busbar gateway benchmark (peers notes), so bench/ can check a
 * proxy adds no delay between frames.
 */
export const STEADY_DRIP_MS = 20;
/**
 * Size of a `giant-frame` frame or answer: the 40 MB of the case that showed
 * the proxy's frame splitting was quadratic, above its default 32 MB cap.
 */
export const GIANT_FRAME_BYTES = 40 * 1024 * 1024;
/** One write of an `endless-frame` body; each waits for the socket to take the last. */
const ENDLESS_PIECE = 'x'.repeat(256 * 1024);
/** Frames a mid-stream fault lets through first (fewer when the stream is shorter: its last frame never goes). */
export const FRAMES_BEFORE_FAULT = 2;

/** One faulty request in progress. */
export interface FaultRun {
  fault: FaultId;
  request: FastifyRequest;
  reply: FastifyReply;
  watch: ConnectionWatch;
  transcript: Transcript;
  /** What `echo-credentials` appends to an error message ('' when off). */
  echo: string;
}

/** What the model said, before the fault gets to it. */
export type ModelAnswer = { kind: 'json'; body: unknown } | { kind: 'stream'; frames: readonly string[] };

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Faults that answer instead of the model. The reference gives the 429 code
 * (REQUEST_LIMIT_EXCEEDED, databricks.md §6) but no wording; the 503 code is
 * not documented for serving endpoints, TEMPORARILY_UNAVAILABLE is the code the
 * Databricks SDK's own error types use for that status. Both messages are the
 * emulator's own.
 */
const INSTEAD_OF_MODEL: Partial<Record<FaultId, (run: FaultRun) => void>> = {
  'rate-limit': (run) => errorAnswer(run, 429, 'REQUEST_LIMIT_EXCEEDED', 'The request rate limit of this endpoint was exceeded. Try again later.'),
  unavailable: (run) => errorAnswer(run, 503, 'TEMPORARILY_UNAVAILABLE', 'The service is temporarily unavailable. Try again later.'),
  // The gateway's "not here" answer (reference §4.4), without Retry-After: nothing says to wait.
  'gateway-not-found': (run) => errorAnswer(run, 404, 'ENDPOINT_NOT_FOUND', 'The endpoint is not served on the AI Gateway right now.', false),
  'reset-before-headers': (run) => {
    record(run, 0, false);
    run.watch.closingOurselves();
    run.request.raw.socket.destroy();
  },
  // Nothing is ever written; the caller's headers timeout (or its own close) ends it.
  'hang-before-headers': (run) => record(run, 0, false),
};

/** What a fault does to the answer's bytes: where it breaks, how it paces, what it garbles. */
interface BodyFault {
  /** Replaces everything from the break on (the break is FRAMES_BEFORE_FAULT frames in, or half a JSON body). */
  atBreak?: (run: FaultRun) => Promise<void>;
  /** Replaces the text at the break, then the rest follows. */
  garble?: (text: string) => string;
  /** Pause before every frame but the first. */
  paceMs?: number;
}

const BODY_FAULTS: Partial<Record<FaultId, BodyFault>> = {
  'disconnect-mid-stream': {
    atBreak: async (run) => {
      run.watch.closingOurselves();
      run.request.raw.socket.destroy();
    },
  },
  stall: { atBreak: (run) => run.watch.closed },
  'giant-frame': { garble: giantPiece },
  'endless-frame': { atBreak: endlessBytes },
  'slow-drip': { paceMs: SLOW_DRIP_MS },
  'steady-drip': { paceMs: STEADY_DRIP_MS },
  'malformed-frame': { garble: halfFrame },
};

/** True when the fault answers instead of the model, so the model need not run. */
export function answersInsteadOfModel(fault: FaultId): boolean {
  return INSTEAD_OF_MODEL[fault] !== undefined;
}

/** Answers a request with its fault acting; resolves once the emulator is done with the connection. */
export async function answerWithFault(run: FaultRun, answer?: ModelAnswer): Promise<void> {
  run.reply.hijack();
  const instead = INSTEAD_OF_MODEL[run.fault];
  if (instead) return instead(run);
  const fault = BODY_FAULTS[run.fault];
  if (!fault || !answer) throw new Error(`The fault ${run.fault} needs the model's answer`);
  const raw = run.reply.raw;
  let closed = false;
  void run.watch.closed.then(() => (closed = true));
  const pieces = answer.kind === 'stream' ? answer.frames : halves(JSON.stringify(answer.body));
  const breakAt = answer.kind === 'stream' ? Math.min(FRAMES_BEFORE_FAULT, pieces.length - 1) : 1;
  record(run, 200, answer.kind === 'stream');
  raw.writeHead(200, answer.kind === 'stream' ? SSE_HEADERS : JSON_HEADERS);
  for (const [index, piece] of pieces.entries()) {
    if (closed) return;
    if (index === breakAt && fault.atBreak) return fault.atBreak(run);
    if (fault.paceMs !== undefined && index > 0) await Promise.race([delay(fault.paceMs), run.watch.closed]);
    await write(raw, index === breakAt && fault.garble ? fault.garble(piece) : piece, run.watch);
  }
  if (!closed) raw.end();
}

function errorAnswer(run: FaultRun, status: number, errorCode: string, message: string, retryAfter = true): void {
  record(run, status, false);
  run.reply.raw.writeHead(status, retryAfter ? { ...JSON_HEADERS, 'retry-after': String(RETRY_AFTER_SECONDS) } : JSON_HEADERS);
  run.reply.raw.end(JSON.stringify({ error_code: errorCode, message: message + run.echo }));
}

/** Resolves once the text is handed to the socket (so a break after it cannot swallow it), or the connection is gone. */
function write(raw: ServerResponse, text: string, watch: ConnectionWatch): Promise<void> {
  return Promise.race([new Promise<void>((resolve) => raw.write(text, () => resolve())), watch.closed]);
}

/** A frame whose data is cut in half: not JSON any more, still a well-delimited SSE frame. */
function halfFrame(frame: string): string {
  return frame.replace(/^data: (.*)$/m, (_line, data: string) => `data: ${data.slice(0, Math.ceil(data.length / 2))}`);
}

/**
 * The same piece, GIANT_FRAME_BYTES long, meaning unchanged: an SSE frame gets
 * a comment line before it (readers skip comments), the closing half of a JSON
 * body whitespace before its last brace.
 */
function giantPiece(text: string): string {
  const padding = GIANT_FRAME_BYTES - text.length;
  if (text.endsWith('}')) return `${text.slice(0, -1)}${' '.repeat(padding)}}`;
  return `:${'x'.repeat(padding - 2)}\n${text}`;
}

/** One line that never ends (an SSE frame, or the rest of a JSON body), written as fast as the caller takes it, until it hangs up. */
async function endlessBytes(run: FaultRun): Promise<void> {
  let closed = false;
  void run.watch.closed.then(() => (closed = true));
  while (!closed) await write(run.reply.raw, ENDLESS_PIECE, run.watch);
}

function halves(text: string): string[] {
  const middle = Math.ceil(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

/** The transcript entry of a faulty request: same redaction as every other entry (server.ts). */
function record(run: FaultRun, status: number, streamed: boolean): void {
  const { request } = run;
  run.transcript.record({
    method: request.method,
    path: request.url.split('?')[0] ?? request.url,
    query: redactFields({ ...(request.query as Record<string, string | string[]>) }),
    headers: redactHeaders(request.headers),
    body: redactFields(request.body),
    status,
    streamed,
    fault: run.fault,
  });
}
