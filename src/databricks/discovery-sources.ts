import type { Logger } from '../logging/logger.js';
import type { CredentialScrubber } from '../secrets/scrubber.js';
import type { UpstreamClient } from '../upstream/client.js';
import { UpstreamHttpError } from '../upstream/client.js';
import type { CatalogEntry } from './catalog-entry.js';
import { mergeEntries } from './catalog-merge.js';
import { FOUNDATION_MODELS_PATH, SERVING_ENDPOINTS_PATH, toCatalogEntries, type ServingEndpointSummary } from './discovery.js';
import { MODEL_SERVICES_PAGE_SIZE, MODEL_SERVICES_PATH, modelServiceEntries, type ModelServicesPage } from './model-services.js';

/**
 * Where the catalog comes from: every source a workspace may answer
 * (reference §2.1, §3.3), merged into one entry per model (catalog-merge.ts).
 * Not every workspace has every source: a 403 or 404 means "not here" and is
 * skipped quietly (`doctor` names it); an answer that is not JSON is skipped
 * with a warning; a source that fails keeps its last good answer. Only the
 * serving-endpoint listing, which every workspace has, stops the start when
 * it refuses the credentials or fails before any answer.
 */
interface DiscoverySource {
  id: 'serving-endpoints' | 'foundation-models' | 'model-services';
  path: string;
  /** The workspace cannot be used without it (its first load must succeed). */
  required: boolean;
  read(get: (path: string) => Promise<unknown>): Promise<CatalogEntry[]>;
}

/** Model-service pages read at most: a listing that never ends must not hold discovery. */
const MAX_PAGES = 50;

const SOURCES: readonly DiscoverySource[] = [
  {
    id: 'serving-endpoints',
    path: SERVING_ENDPOINTS_PATH,
    required: true,
    read: async (get) => toCatalogEntries(endpointsOf(await get(SERVING_ENDPOINTS_PATH))),
  },
  {
    id: 'foundation-models',
    path: FOUNDATION_MODELS_PATH,
    required: false,
    read: async (get) => toCatalogEntries(endpointsOf(await get(FOUNDATION_MODELS_PATH))),
  },
  {
    id: 'model-services',
    path: MODEL_SERVICES_PATH,
    required: false,
    read: async (get) => {
      const entries: CatalogEntry[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const query = `?page_size=${MODEL_SERVICES_PAGE_SIZE}&parent=schemas/system.ai${token ? `&page_token=${encodeURIComponent(token)}` : ''}`;
        const body = (await get(`${MODEL_SERVICES_PATH}${query}`)) as ModelServicesPage;
        entries.push(...modelServiceEntries(body));
        token = typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
        if (!token) break;
      }
      return entries;
    },
  },
];

function endpointsOf(body: unknown): ServingEndpointSummary[] {
  const endpoints = (body as { endpoints?: unknown } | null)?.endpoints;
  return Array.isArray(endpoints) ? (endpoints as ServingEndpointSummary[]) : [];
}

/** What one source answered at the last discovery, for `doctor`. */
export interface SourceStatus {
  id: DiscoverySource['id'];
  path: string;
  /** answered; absent (403/404: the workspace does not have it); malformed (not JSON); failed (kept its last good answer). */
  state: 'answered' | 'absent' | 'malformed' | 'failed';
  /** Models it contributed (its last good answer when it failed). */
  models: number;
  detail?: string;
}

/** An answer that is not JSON, told apart from a failed request. */
class MalformedAnswer extends Error {}

export class Discovery {
  private readonly lastGood = new Map<DiscoverySource['id'], CatalogEntry[]>();
  private statuses: SourceStatus[] = [];

  constructor(
    private readonly client: UpstreamClient,
    private readonly logger: Logger,
    private readonly scrubber: CredentialScrubber,
  ) {}

  /** Every source, read at once and merged; `signal` ends the reading (the proxy closes). */
  async discover(signal?: AbortSignal): Promise<CatalogEntry[]> {
    const results = await Promise.all(SOURCES.map((source) => this.readSource(source, signal)));
    this.statuses = results.map(({ status }) => status);
    return mergeEntries(results.map(({ entries }) => entries));
  }

  /** What each source answered at the last discovery. */
  sources(): readonly SourceStatus[] {
    return this.statuses;
  }

  private async readSource(source: DiscoverySource, signal: AbortSignal | undefined): Promise<{ entries: CatalogEntry[]; status: SourceStatus }> {
    const status = (state: SourceStatus['state'], entries: CatalogEntry[], detail?: string) => ({
      entries,
      status: { id: source.id, path: source.path, state, models: entries.length, ...(detail ? { detail } : {}) },
    });
    try {
      const entries = (await source.read((path) => this.getJson(path, signal))).map((entry) => ({ ...entry, sources: [source.id] }));
      const before = this.lastGood.get(source.id);
      // An empty answer where there were models is taken for an incident, not for every model gone at once.
      if (entries.length === 0 && before && before.length > 0) {
        this.logger.warn({ source: source.id, path: source.path, kept: before.length }, 'discovery source listed no model; keeping its last good answer');
        return status('failed', before, 'listed no model');
      }
      this.lastGood.set(source.id, entries);
      return status('answered', entries);
    } catch (error) {
      const kept = this.lastGood.get(source.id);
      if (error instanceof UpstreamHttpError && (error.status === 403 || error.status === 404) && !source.required) {
        this.lastGood.delete(source.id);
        this.logger.debug({ source: source.id, status: error.status }, 'discovery source not available on this workspace');
        return status('absent', [], `HTTP ${error.status}`);
      }
      if (error instanceof MalformedAnswer) {
        this.logger.warn({ source: source.id, path: source.path, kept: kept?.length ?? 0 }, 'discovery source answered with malformed JSON; skipped');
        return status('malformed', kept ?? [], error.message);
      }
      if (source.required && !kept) throw error;
      // A time limit or a network failure says which; scrubbed, as the workspace's words may quote a credential.
      const detail = error instanceof UpstreamHttpError ? `HTTP ${error.status}` : this.scrubber.describe(error);
      this.logger.warn({ source: source.id, path: source.path, failure: detail, kept: kept?.length ?? 0 }, 'discovery source failed; keeping its last good answer');
      return status('failed', kept ?? [], detail);
    }
  }

  private async getJson(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    // A call on the proxy's own behalf: bounded by upstream.controlPlaneTimeoutMs.
    const response = await this.client.send({ method: 'GET', path, headers: { accept: 'application/json' }, controlPlane: true, ...(signal ? { signal } : {}) });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new UpstreamHttpError(response.statusCode, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MalformedAnswer(`not JSON (${text.length} bytes)`);
    }
  }
}
