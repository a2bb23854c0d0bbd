import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Faults of the discovery listings (serving endpoints, foundation models,
 * model services), set per path by `RunningEmulator.setListingFault`:
 * `malformed` answers 200 with JSON cut short, `error` a 500. The proxy must
 * skip such a source with a warning and keep its last good answer (issue 13).
 */
export type ListingFault = 'malformed' | 'error';

export class ListingFaults {
  private readonly byPath = new Map<string, ListingFault>();

  set(path: string, fault: ListingFault | undefined): void {
    if (fault) this.byPath.set(path, fault);
    else this.byPath.delete(path);
  }

  /** Answers the request with its listing's fault, when one is set; true when it did. */
  answer(request: FastifyRequest, reply: FastifyReply, path: string): boolean {
    const fault = request.method === 'GET' ? this.byPath.get(path) : undefined;
    if (!fault) return false;
    if (fault === 'malformed') void reply.code(200).header('content-type', 'application/json').send('{"endpoints": [{"name": "databricks-');
    else void reply.code(500).send({ error_code: 'INTERNAL_ERROR', message: 'The listing failed (emulated).' });
    return true;
  }
}
