import { SERVING_ENDPOINTS_PATH } from '../databricks/discovery.js';
import type { Workspace } from '../databricks/workspace.js';
import type { Logger } from '../logging/logger.js';

/** What `GET /ready` reports: ready only with a token, models, and a workspace that answered recently. */
export interface ReadinessReport {
  ready: boolean;
  /** Why not ready, one sentence each naming the cause; empty when ready. */
  reasons: string[];
  /** ISO time the workspace last answered a probe (the proxy's start counts as one). */
  lastAnswer: string;
}

/** A probe gets at most this long (and never more than its interval) before the workspace counts as silent. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Whether the workspace still answers. Every `intervalSeconds` it asks for
 * one serving endpoint (a token is fetched on the way, so a credential that
 * stopped working shows too); a probe that fails or times out makes the proxy
 * not ready until one succeeds again. With the default 15 s interval and a
 * 10 s timeout, an outage and the return both show within 25 s.
 */
export class Readiness {
  private lastAnswerAt = Date.now();
  private failure: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly workspace: Workspace,
    private readonly intervalSeconds: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.probe(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  report(): ReadinessReport {
    const reasons: string[] = [];
    if (this.workspace.auth.lastAuthorization === undefined) reasons.push('no Databricks token has been obtained yet');
    if (this.workspace.catalog.entries().length === 0) reasons.push('the workspace lists no chat models (the catalog is empty)');
    if (this.failure !== undefined) reasons.push(`the workspace at ${this.workspace.host} stopped answering: ${this.failure}`);
    return { ready: reasons.length === 0, reasons, lastAnswer: new Date(this.lastAnswerAt).toISOString() };
  }

  /** One probe; overlapping ticks (a slow workspace) are skipped rather than piled up. */
  async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      const [first] = this.workspace.catalog.entries();
      // One endpoint's detail is a few hundred bytes; the full listing can be large in a big workspace.
      const path = first ? `${SERVING_ENDPOINTS_PATH}/${encodeURIComponent(first.endpoint)}` : SERVING_ENDPOINTS_PATH;
      await this.workspace.client.getJson(path, AbortSignal.timeout(Math.min(PROBE_TIMEOUT_MS, this.intervalSeconds * 1000)));
      this.answered();
    } catch (error) {
      this.silent(error);
    } finally {
      this.probing = false;
    }
  }

  private answered(): void {
    this.lastAnswerAt = Date.now();
    if (this.failure === undefined) return;
    this.failure = undefined;
    this.logger.info({ host: this.workspace.host }, 'the workspace answers again: ready');
  }

  private silent(error: unknown): void {
    // Shown on /ready and logged: the workspace's words may quote a credential (secrets/scrubber.ts).
    const message = this.workspace.scrubber.describe(error);
    const first = this.failure === undefined;
    this.failure = message.split('\n')[0] ?? message;
    if (first) this.logger.warn({ host: this.workspace.host, reason: this.failure }, 'the workspace stopped answering: not ready');
  }
}
