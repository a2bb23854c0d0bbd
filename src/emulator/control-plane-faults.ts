import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fault switches of the workspace's own services, the ones a proxy calls on
 * its own behalf rather than for a client: OIDC discovery and the OAuth token
 * endpoint (reference §7.2, §7.3), the serving-endpoint listing (§2.1) and the
 * AI Gateway model listing (§3.2). Written like every fault switch (faults.ts:
 * `id`, `id*N`, `id%P`), globally (`setFaults`, `--faults`): a proxy's own
 * calls carry no emulator header.
 *
 * `echo-credentials` is the careless server: every error the emulator writes
 * (Databricks errors, OAuth errors, fault answers) quotes the credentials its
 * request carried. Whether a real workspace ever does is not in the
 * reference; it is how a proxy's scrubbing of upstream messages is tested.
 */
export const CONTROL_PLANE_FAULTS = {
  'oidc-hang': 'OIDC discovery accepts the request and never answers',
  'token-hang': 'the OAuth token endpoint accepts the request and never answers',
  'token-slow': 'the OAuth token endpoint answers after TOKEN_DELAY_MS (500 ms)',
  'catalog-empty': 'the serving-endpoint listing answers 200 {} (an empty list left out)',
  'catalog-hang': 'the serving-endpoint listing never answers',
  'catalog-unavailable': 'the serving-endpoint listing answers 503 TEMPORARILY_UNAVAILABLE',
  'gateway-listing-hang': 'the AI Gateway model listing (what a proxy probes for the gateway) never answers',
  'echo-credentials': 'every error the emulator writes quotes the credentials its request carried (Authorization, decoded Basic, client_secret)',
} as const satisfies Readonly<Record<string, string>>;

export type ControlPlaneFaultId = keyof typeof CONTROL_PLANE_FAULTS;

/** Where each fault acts. */
export type ControlPlaneSite = 'oidc' | 'token' | 'catalog' | 'gateway-listing' | 'errors';

export const CONTROL_PLANE_SITES: Readonly<Record<ControlPlaneFaultId, ControlPlaneSite>> = {
  'oidc-hang': 'oidc',
  'token-hang': 'token',
  'token-slow': 'token',
  'catalog-empty': 'catalog',
  'catalog-hang': 'catalog',
  'catalog-unavailable': 'catalog',
  'gateway-listing-hang': 'gateway-listing',
  'echo-credentials': 'errors',
};

/** How long `token-slow` keeps the token endpoint silent: long enough for concurrent refreshes to overlap. */
export const TOKEN_DELAY_MS = 500;

/** What a fault does to one request of its site; `answered` when the route must not answer itself. */
type Act = (request: FastifyRequest, reply: FastifyReply, context: ActContext) => Promise<'answered' | 'continue'>;

/** What a fault's act may need besides the request. */
export interface ActContext {
  /** Connections held open by a hang, for the emulator's close. */
  hanging: Set<Socket>;
  /** What `echo-credentials` appends to an error message ('' when off). */
  echo: string;
}

const hang: Act = async (request, reply, { hanging }) => {
  reply.hijack();
  // Nothing is ever written; the caller's own limit ends it, or the emulator's close.
  const socket = request.raw.socket;
  hanging.add(socket);
  socket.once('close', () => hanging.delete(socket));
  return 'answered';
};

const ACTS: Readonly<Record<Exclude<ControlPlaneFaultId, 'echo-credentials'>, Act>> = {
  'oidc-hang': hang,
  'token-hang': hang,
  'token-slow': async () => {
    await new Promise((resolve) => setTimeout(resolve, TOKEN_DELAY_MS));
    return 'continue';
  },
  'catalog-empty': async (_request, reply) => {
    await reply.status(200).send({});
    return 'answered';
  },
  'catalog-hang': hang,
  'catalog-unavailable': async (_request, reply, { echo }) => {
    await reply.status(503).header('retry-after', '1').send({ error_code: 'TEMPORARILY_UNAVAILABLE', message: `The service is temporarily unavailable.${echo}` });
    return 'answered';
  },
  'gateway-listing-hang': hang,
};

/** Runs the fault chosen for this request (if any); `answered` when the route must stop there. */
export function actControlPlaneFault(
  fault: ControlPlaneFaultId | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
  context: ActContext,
): Promise<'answered' | 'continue'> {
  if (fault === undefined || fault === 'echo-credentials') return Promise.resolve('continue');
  return ACTS[fault](request, reply, context);
}

/**
 * The words `echo-credentials` appends to an error: the Authorization header
 * as received, a Basic value decoded too, and a `client_secret` form field.
 */
export function credentialEcho(request: FastifyRequest): string {
  const carried: string[] = [];
  const authorization = request.headers.authorization;
  if (authorization) carried.push(`Authorization: ${authorization}`);
  const basic = authorization === undefined ? null : /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic?.[1]) carried.push(`decoded: ${Buffer.from(basic[1], 'base64').toString('utf8')}`);
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body && typeof body === 'object' && typeof body.client_secret === 'string') carried.push(`client_secret=${body.client_secret}`);
  return carried.length === 0 ? '' : ` (the request carried ${carried.join('; ')})`;
}
