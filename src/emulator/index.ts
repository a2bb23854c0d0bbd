import type { AddressInfo } from 'node:net';
import { isShapeId, SHAPE_IDS, workspaceShape, type ShapeId } from './shapes.js';
import { Credentials, type M2mClient, type WorkspaceUser } from './credentials.js';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT } from './demo-credentials.js';
import { FaultState, type ClosedByClient } from './fault-state.js';
import { buildServer, type EmulatorCounters, type EmulatorState } from './server.js';
import { Switches } from './switches.js';
import { PromptCache } from './prompt-cache.js';
import { Transcript, type TranscriptEntry } from './transcript.js';
import type { EmulatedEndpoint } from './types.js';
import { EmulatedWorkspace, workspaceChooser } from './workspace.js';
import { ListingFaults, type ListingFault } from './listing-faults.js';

/**
 * The workspace emulator: a fake Databricks workspace for `dbx-proxy emulate`,
 * `serve --demo`, and every test's upstream.
 */

export type { EmulatorCounters } from './server.js';
export type { TranscriptEntry } from './transcript.js';
export type { M2mClient, WorkspaceUser } from './credentials.js';
export type { ClosedByClient } from './fault-state.js';

export { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT } from './demo-credentials.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted personal access tokens; default [EMULATOR_DEMO_PAT]. */
  pats?: string[];
  /** Workspace users with PATs of their own, named in the transcript's `principal` (credentials.ts). */
  users?: WorkspaceUser[];
  /** Accepted OAuth M2M clients; default [EMULATOR_DEMO_CLIENT]. */
  m2mClients?: M2mClient[];
  /** Lifetime of issued access tokens; default 3600 (reference §7.2: 1 h). */
  tokenExpiresInSeconds?: number;
  /** The workspace shape (shapes.ts); default `demo`. A request's `x-dbx-emulator-shape` header may pick another. */
  shape?: ShapeId;
  /** Whether the workspace has the AI Gateway; default: the shape's. */
  aiGateway?: boolean;
  /** Serving endpoints; default the shape's. */
  endpoints?: EmulatedEndpoint[];
  /** Quirk switches on for every request (see switches.ts). */
  quirks?: string[];
  /** Fault switches on for every request (see switches.ts). */
  faults?: string[];
  /** Play the demo workspace: text answers open with how to connect a real one; default false (tests' upstream). */
  demo?: boolean;
  /** Most recent requests kept in the transcript; default 10,000. */
  transcriptLimit?: number;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:54321 */
  readonly url: string;
  close(): Promise<void>;
  setAiGateway(on: boolean): void;
  /** The whole workspace stops answering (every connection cut, token and listing included), or answers again. */
  setUnreachable(on: boolean): void;
  /** Lifetime of tokens issued from now on. */
  setTokenExpiresIn(seconds: number): void;
  /** Replaces the global quirks; throws DatabricksApiError(400) on an unknown id. */
  setQuirks(ids: string[]): void;
  /**
   * Replaces the global faults and refills every `id*N` budget; throws
   * DatabricksApiError(400) on an unknown id. Syntax: faults.ts.
   */
  setFaults(ids: string[]): void;
  /**
   * Refuses every access token issued so far with 401 (M2M clients can get new
   * ones), with `pats: true` every personal access token from now on, and
   * with `clients: true` every OAuth client secret (no new token either).
   */
  revokeTokens(options?: { pats?: boolean; clients?: boolean }): void;
  /**
   * Live list of inference requests whose caller closed the connection before
   * the answer was complete, with when (`performance.now()`); emptied by
   * clearTranscript().
   */
  readonly closedByClient: readonly ClosedByClient[];
  /** Live counts, reset by clearTranscript(). */
  readonly counters: EmulatorCounters;
  /** Live list of recorded requests, credentials redacted. */
  readonly transcript: readonly TranscriptEntry[];
  /** Breaks one discovery listing (by path, e.g. `/api/2.1/unity-catalog/model-services`), or mends it with undefined. */
  setListingFault(path: string, fault: ListingFault | undefined): void;
  /** Empties the transcript and zeroes the counters. */
  clearTranscript(): void;
  /** Claude's prompt cache (prompt-cache.ts): `advance` moves its clock, `clear` empties it. */
  readonly promptCache: Pick<PromptCache, 'advance' | 'clear'>;
}

function formatUrl(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Fault switches every emulator of this process keeps on, whatever setFaults
 * says, from DBX_EMULATOR_FAULTS (comma-separated specs). With
 * `DBX_EMULATOR_FAULTS=echo-credentials`, a test run (and the suite-wide log
 * scan at its end) meets a workspace that quotes every credential it
 * receives in every error it writes. Tests asserting an error's exact words
 * see the echo too.
 */
function alwaysOnFaults(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.DBX_EMULATOR_FAULTS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const shapeId = options.shape ?? 'demo';
  if (!isShapeId(shapeId)) throw new Error(`Unknown emulator shape '${String(shapeId)}'. Known shapes: ${SHAPE_IDS.join(', ')}.`);
  const alwaysOn = alwaysOnFaults();
  const shape = workspaceShape(shapeId);
  if (options.endpoints) shape.endpoints = options.endpoints;
  if (options.aiGateway !== undefined) shape.aiGateway = options.aiGateway;
  const workspace = new EmulatedWorkspace(shape);
  const counters: EmulatorCounters = { oidcDiscovery: 0, tokenRequests: 0, inference: 0, byPath: {} };
  const transcript = new Transcript(options.transcriptLimit ?? 10_000);
  const state: EmulatorState = {
    workspace,
    workspaceOf: workspaceChooser(() => workspace),
    credentials: new Credentials(
      options.pats ?? [EMULATOR_DEMO_PAT],
      options.m2mClients ?? [EMULATOR_DEMO_CLIENT],
      options.tokenExpiresInSeconds ?? 3600,
      options.users,
    ),
    // Validates the ids before anything listens.
    switches: new Switches(options.quirks, [...(options.faults ?? []), ...alwaysOn]),
    faults: new FaultState(),
    listingFaults: new ListingFaults(),
    counters,
    transcript,
    baseUrl: '',
    unreachable: false,
    demo: options.demo ?? false,
    promptCache: new PromptCache(),
    hanging: new Set(),
  };

  const app = buildServer(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const { port } = app.server.address() as AddressInfo;
  const url = formatUrl(host, port);
  state.baseUrl = url;

  return {
    url,
    close: () => {
      // A hung answer's connection would hold the close forever.
      for (const socket of state.hanging) socket.destroy();
      return app.close();
    },
    setAiGateway(on) {
      state.workspace.aiGateway = on;
    },
    setUnreachable(on) {
      state.unreachable = on;
    },
    setTokenExpiresIn(seconds) {
      state.credentials.tokenExpiresInSeconds = seconds;
    },
    setQuirks(ids) {
      state.switches.setQuirks(ids);
    },
    setFaults(ids) {
      state.switches.setFaults([...ids, ...alwaysOn]);
      state.faults.refill();
    },
    setListingFault(path, fault) {
      state.listingFaults.set(path, fault);
    },
    revokeTokens(revoke) {
      state.credentials.revoke(revoke);
    },
    closedByClient: state.faults.closedByClient,
    promptCache: state.promptCache,
    counters,
    transcript: transcript.entries,
    clearTranscript() {
      transcript.clear();
      state.faults.closedByClient.length = 0;
      counters.oidcDiscovery = 0;
      counters.tokenRequests = 0;
      counters.inference = 0;
      for (const path of Object.keys(counters.byPath)) delete counters.byPath[path];
    },
  };
}
