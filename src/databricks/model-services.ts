import type { CatalogEntry } from './catalog-entry.js';
import { dialectsOfApiTypes, familyFromDeclarations } from './declarations.js';

/**
 * Unity AI Gateway model services (reference §3.3):
 * `GET /api/2.1/unity-catalog/model-services` lists
 * `{model_services: [{name: "model-services/system.ai.<name>", supported_api_types}]}`.
 * The reference shows `page_size`; the page token follows Unity Catalog's
 * list APIs (`page_token` / `next_page_token`), which the reference does not show.
 */
export const MODEL_SERVICES_PATH = '/api/2.1/unity-catalog/model-services';
export const MODEL_SERVICES_PAGE_SIZE = 100;

export interface ModelServicesPage {
  model_services?: { name?: unknown; supported_api_types?: unknown }[];
  next_page_token?: unknown;
}

/** A model service as a catalog entry: sent upstream by its `system.ai.` name, known to clients by its short name too. */
export function modelServiceEntries(page: ModelServicesPage): CatalogEntry[] {
  return (Array.isArray(page.model_services) ? page.model_services : []).flatMap((service) => {
    if (typeof service?.name !== 'string') return [];
    const fqn = service.name.replace(/^model-services\//, '');
    const short = fqn.replace(/^system\.ai\./, '');
    const apiTypes = Array.isArray(service.supported_api_types) ? service.supported_api_types.filter((type): type is string => typeof type === 'string') : [];
    const dialects = dialectsOfApiTypes(apiTypes);
    // A service that declares no type the proxy speaks is not a chat model for it.
    if (dialects.length === 0) return [];
    const entry: CatalogEntry = {
      endpoint: fqn,
      family: familyFromDeclarations(undefined, [short], fqn),
      task: undefined,
      kind: 'foundation',
      ready: true,
      apiTypes,
      dialects,
      onGatewayOnly: true,
    };
    if (short !== fqn) {
      entry.aliases = [short];
      entry.listedAs = short;
    }
    return [entry];
  });
}

/** The short names a serving endpoint may go by as a model service: `system.ai.claude-x` is `databricks-claude-x` (reference §3.3-3.4). */
export function serviceNamesOf(endpoint: string): string[] {
  const short = endpoint.replace(/^databricks-/, '');
  return [`system.ai.${endpoint}`, `system.ai.${short}`];
}
