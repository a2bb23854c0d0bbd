/** What a dbx-proxy's `GET /health` says (src/health/routes.ts). */
export interface HealthBody {
  status: 'ok';
  demo: boolean;
  surface: string;
  models: number;
  workspace?: string;
  uptimeSeconds?: number;
  requests?: number;
}

export interface ReadyBody {
  ready: boolean;
  reasons: string[];
}

/** How long a probe of a local proxy may take; one on loopback answers in milliseconds. */
const PROBE_TIMEOUT_MS = 1_500;

/**
 * The `/health` of the dbx-proxy at `url`, or undefined when nothing answers
 * there or what answers is not a dbx-proxy (only dbx-proxy reports a surface).
 */
export async function probeHealth(url: string): Promise<HealthBody | undefined> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json()) as Partial<HealthBody>;
    return response.ok && body.status === 'ok' && typeof body.surface === 'string' ? (body as HealthBody) : undefined;
  } catch {
    return undefined;
  }
}

/** The `/ready` answer of a dbx-proxy (200 or 503 both carry the report), or undefined when it does not answer. */
export async function probeReady(url: string): Promise<ReadyBody | undefined> {
  try {
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json()) as Partial<ReadyBody>;
    return typeof body.ready === 'boolean' ? { ready: body.ready, reasons: body.reasons ?? [] } : undefined;
  } catch {
    return undefined;
  }
}
