import type { Dialect } from '../dialects/dialect.js';
import type { EndpointKind } from '../routing/upstream-paths.js';
import type { Family } from './family.js';

/** One chat-capable model, as the proxy knows it from every discovery source. */
export interface CatalogEntry {
  /** The serving endpoint name, sent upstream as `model` (or in the Gemini path). */
  endpoint: string;
  family: Family;
  /** The endpoint's declared task (`llm/v1/chat`, `llm/v1/responses`, `agent/v1/responses`, ...). */
  task: string | undefined;
  /** `foundation` (pay-per-token), `external` (external model), `custom` or `agent`. */
  kind: EndpointKind;
  ready: boolean;
  /** The foundation model's `display_name` (reference §2.1), when the workspace declares one. */
  displayName?: string;
  /**
   * The upstream dialects the model declares (`api_types`, `supported_api_types`,
   * an agent's task), when any source declares them; absent: its family's
   * (src/routing/route-table.ts).
   */
  dialects?: readonly Dialect[];
  /** Other names a client may send for it (a model service's `system.ai.<name>` and short name). */
  aliases?: readonly string[];
  /** The name `/v1/models` lists it under, when not `endpoint` (a model service goes by its short name). */
  listedAs?: string;
  /** The API types it declares, as declared (for `doctor`). */
  apiTypes?: readonly string[];
  /** An external model's provider (`external_model.provider`). */
  provider?: string;
  /** A Unity AI Gateway model service with no serving endpoint: Model Serving paths cannot serve it. */
  onGatewayOnly?: boolean;
  /** The discovery sources that listed it. */
  sources?: readonly string[];
}
