import { DatabricksApiError } from './types.js';

/**
 * Constructors for the Databricks errors the control plane answers with. The
 * body shape `{error_code, message}` is documented (reference §6); the exact
 * wording of each message is the emulator's own unless a comment says otherwise.
 */

export function badRequest(message: string): DatabricksApiError {
  return new DatabricksApiError(400, 'BAD_REQUEST', message);
}

export function endpointNotFound(message: string): DatabricksApiError {
  return new DatabricksApiError(404, 'ENDPOINT_NOT_FOUND', message);
}

export function resourceDoesNotExist(message: string): DatabricksApiError {
  return new DatabricksApiError(404, 'RESOURCE_DOES_NOT_EXIST', message);
}

/**
 * The reference documents that requests need a bearer token, not the body of
 * the 401 that answers a missing or bad one: `UNAUTHENTICATED` is our choice.
 */
export function unauthenticated(message: string): DatabricksApiError {
  return new DatabricksApiError(401, 'UNAUTHENTICATED', message);
}

/** A known principal without the right: `PERMISSION_DENIED` is the code the reference quotes for 403s (§ rate limits). */
export function permissionDenied(message: string): DatabricksApiError {
  return new DatabricksApiError(403, 'PERMISSION_DENIED', message);
}

/**
 * Maps any error that reached the server's error handler to a Databricks
 * error. Framework errors (body too large, unsupported media type...) carry a
 * status but no Databricks code; the reference does not say which codes the
 * real service uses for them, so 4xx become BAD_REQUEST and the rest
 * INTERNAL_ERROR.
 */
export function toDatabricksError(error: unknown): DatabricksApiError {
  if (error instanceof DatabricksApiError) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new DatabricksApiError(status, 'BAD_REQUEST', message);
  }
  return new DatabricksApiError(500, 'INTERNAL_ERROR', message);
}
