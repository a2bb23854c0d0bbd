import type { Logger } from '../logging/logger.js';
import type { UpstreamClient } from '../upstream/client.js';
import { GATEWAY_PROBE_PATH, type Surface, type SurfaceSetting } from './surface.js';

/**
 * With `surface: auto`, a workspace whose AI Gateway answers its model listing
 * with a 2xx uses the gateway; any other answer (404 on workspaces without the
 * gateway, an error, a network failure) means Model Serving.
 */
export async function chooseSurface(setting: SurfaceSetting, client: UpstreamClient, logger: Logger): Promise<Surface> {
  if (setting !== 'auto') return setting;
  try {
    const response = await client.send({ method: 'GET', path: `${GATEWAY_PROBE_PATH}?limit=1`, headers: { accept: 'application/json' } });
    await response.body.dump();
    const surface: Surface = response.statusCode < 300 ? 'ai-gateway' : 'model-serving';
    logger.info({ probe: GATEWAY_PROBE_PATH, status: response.statusCode, surface }, 'surface chosen');
    return surface;
  } catch (error) {
    logger.warn({ probe: GATEWAY_PROBE_PATH, err: String(error) }, 'AI Gateway probe failed; using Model Serving');
    return 'model-serving';
  }
}
