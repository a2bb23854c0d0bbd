import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';
import { isShapeId, SHAPE_HEADER, SHAPE_IDS, workspaceShape, type WorkspaceShape } from './shapes.js';
import type { EmulatedEndpoint } from './types.js';

/**
 * One emulated workspace: a shape (shapes.ts) with its endpoints looked up
 * the ways Databricks accepts them. Model Serving paths and the serving
 * endpoint API know serving endpoints by name; gateway paths also know a
 * model service by its `system.ai.` name (reference §3.4).
 */
export class EmulatedWorkspace {
  private readonly byName: Map<string, EmulatedEndpoint>;
  private readonly byServiceName: Map<string, EmulatedEndpoint>;

  constructor(readonly shape: WorkspaceShape) {
    this.byName = new Map(shape.endpoints.filter(isServingEndpoint).map((endpoint) => [endpoint.name, endpoint]));
    this.byServiceName = new Map(shape.endpoints.flatMap((endpoint) => (endpoint.modelService ? [[endpoint.modelService.name, endpoint]] : [])));
  }

  get aiGateway(): boolean {
    return this.shape.aiGateway;
  }

  set aiGateway(on: boolean) {
    this.shape.aiGateway = on;
  }

  /** Serving endpoints, as `GET /api/2.0/serving-endpoints` lists them. */
  servingEndpoints(): EmulatedEndpoint[] {
    return [...this.byName.values()];
  }

  endpoint(name: string): EmulatedEndpoint | undefined {
    return this.byName.get(name);
  }

  /** The endpoint an inference request names: gateway paths take a model service's name too. */
  addressed(name: string, onGateway: boolean): EmulatedEndpoint | undefined {
    return this.byName.get(name) ?? (onGateway ? this.byServiceName.get(name) : undefined);
  }

  /** Model services, as `GET /api/2.1/unity-catalog/model-services` lists them. */
  modelServices(): { endpoint: EmulatedEndpoint; name: string; apiTypes: readonly string[] }[] {
    return this.shape.endpoints.flatMap((endpoint) => (endpoint.modelService ? [{ endpoint, ...endpoint.modelService }] : []));
  }

  /** Whether this workspace's gateway lacks the path (a shape without `codex/v1`). */
  lacksGatewayPath(path: string): boolean {
    return this.shape.missingGatewayPaths.some((prefix) => path.startsWith(prefix));
  }
}

function isServingEndpoint(endpoint: EmulatedEndpoint): boolean {
  return endpoint.servingEndpoint !== false;
}

/**
 * The workspace a request sees: the emulator's own, or the pristine shape
 * its `x-dbx-emulator-shape` header names (made once per shape).
 */
export function workspaceChooser(global: () => EmulatedWorkspace): (request: FastifyRequest) => EmulatedWorkspace {
  const presets = new Map<string, EmulatedWorkspace>();
  return (request) => {
    const header = request.headers[SHAPE_HEADER];
    if (header === undefined) return global();
    const id = String(header).trim();
    if (!isShapeId(id)) throw badRequest(`Unknown emulator shape '${id}'. Known shapes: ${SHAPE_IDS.join(', ')}.`);
    let workspace = presets.get(id);
    if (!workspace) presets.set(id, (workspace = new EmulatedWorkspace(workspaceShape(id))));
    return workspace;
  };
}
