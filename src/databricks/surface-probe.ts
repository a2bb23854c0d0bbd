import type { Logger } from '../logging/logger.js';
import type { CredentialScrubber } from '../secrets/scrubber.js';
import type { UpstreamClient } from '../upstream/client.js';
import { GATEWAY_PROBE_PATH, type Surface, type SurfaceSetting } from './surface.js';

/**
 * With `surface: auto`, a workspace whose AI Gateway answers its model listing
 * with a 2xx uses the gateway; any other answer (404 on workspaces without the
 * gateway, an error, a network failure) means Model Serving.
 */
export async function chooseSurface(setting: SurfaceSetting, client: UpstreamClient, logger: Logger, scrubber: CredentialScrubber): Promise<Surface> {
  if (setting !== 'auto') return setting;
  try {
    // Bounded by upstream.controlPlaneTimeoutMs: a gateway that never answers must not hold the start.
    const response = await client.send({ method: 'GET', path: `${GATEWAY_PROBE_PATH}?limit=1`, headers: { accept: 'application/json' }, controlPlane: true });
    await response.body.dump();
    const surface: Surface = response.statusCode < 300 ? 'ai-gateway' : 'model-serving';
    logger.info({ probe: GATEWAY_PROBE_PATH, status: response.statusCode, surface }, 'surface chosen');
    return surface;
  } catch (error) {
    logger.warn({ probe: GATEWAY_PROBE_PATH, err: scrubber.describe(error) }, 'AI Gateway probe failed; using Model Serving');
    return 'model-serving';
  }
}
