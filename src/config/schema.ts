import { z } from 'zod';
import { CACHE_POINTS } from '../caching/breakpoints.js';
import { FAMILIES } from '../databricks/family.js';
import { isLoopback } from '../net/loopback.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../sse/frame-splitter.js';
import { normalizeOrigin } from '../net/origin.js';

/**
 * The one typed configuration of dbx-proxy. Sources are merged in this order
 * (later wins): defaults < YAML file < DBX_PROXY_* environment < CLI flags.
 * Every field is documented in config.example.yaml; keep the two in step.
 */
const port = z.number().int().min(0).max(65535);
const positiveMs = z.number().int().positive();
const familyRecord = <T extends z.ZodType>(value: T) =>
  z.partialRecord(z.enum(FAMILIES as [string, ...string[]]), value);

export const ConfigSchema = z
  .object({
    /** Address the proxy binds to. Anything but loopback requires server.apiKeys or server.passthroughAuth. */
    listen: z.string().min(1).default('127.0.0.1'),
    port: port.default(8420),
    /** Serve against the built-in workspace emulator instead of a real workspace. */
    demo: z.boolean().default(false),
    databricks: z
      .object({
        /** Workspace URL; empty means "let the SDK's chain find it" (env, profile). */
        host: z.url({ protocol: /^https?$/ }).optional(),
        /** A ~/.databrickscfg profile name. */
        profile: z.string().min(1).optional(),
        /** Path of the Databricks config file, when not ~/.databrickscfg. */
        configFile: z.string().min(1).optional(),
        /** Force one SDK auth type (pat, oauth-m2m, databricks-cli, ...). */
        authType: z.string().min(1).optional(),
        token: z.string().min(1).optional(),
        clientId: z.string().min(1).optional(),
        clientSecret: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Which inference surface to use; `auto` probes the AI Gateway at start. */
    surface: z.enum(['auto', 'ai-gateway', 'model-serving']).default('auto'),
    models: z
      .object({
        /** Used when a request names no model, or names `default`. */
        default: z.string().min(1).optional(),
        /** Client-facing name -> serving endpoint name. */
        aliases: z.record(z.string().min(1), z.string().min(1)).default({}),
      })
      .strict()
      .prefault({}),
    catalog: z
      .object({
        /** How often the serving-endpoint list is refreshed in the background. */
        refreshSeconds: z.number().int().min(10).default(300),
        /**
         * Keep each workspace's discovery in the state directory, so a restart serves at once and
         * discovers again in the background. `auto`: real workspaces, not one on loopback (an emulator).
         */
        cache: z.enum(['auto', 'on', 'off']).default('auto'),
      })
      .strict()
      .prefault({}),
    health: z
      .object({
        /** How often GET /ready checks that the workspace still answers (one small request each time). */
        probeSeconds: z.number().int().min(1).max(60).default(15),
      })
      .strict()
      .prefault({}),
    routing: z
      .object({
        /**
         * A model whose best route answered "not served here" goes straight to
         * the route that worked; after this long its best route is tried again.
         */
        recheckSeconds: z.number().int().min(1).default(600),
        /** When to send `x-databricks-use-coding-agent-mode` on the gateway's Anthropic path (upstream-headers.ts). */
        codingAgentMode: z.enum(['claude-code', 'all', 'off']).default('claude-code'),
      })
      .strict()
      .prefault({}),
    server: z
      .object({
        /** Largest accepted request body; larger ones get 413. */
        bodyLimitBytes: z.number().int().positive().default(32 * 1024 * 1024),
        /** Local API keys clients must present (Authorization: Bearer or x-api-key). */
        apiKeys: z.array(z.string().min(8)).default([]),
        /**
         * Every caller sends its own Databricks token (as its API key), which goes
         * upstream instead of the proxy's; the proxy's own credential serves only
         * discovery and the gateway probe (src/passthrough/).
         */
        passthroughAuth: z.boolean().default(false),
        /**
         * Browser origins allowed to call the proxy (all others are refused). Exact
         * origins only: `*` or `null` would let any web page (or any sandboxed one)
         * spend the user's credentials.
         */
        allowedOrigins: z
          .array(z.string().refine((value) => normalizeOrigin(value) !== undefined, 'must be an origin such as http://localhost:3000 (no wildcard, no path)'))
          .default([]),
        /**
         * On SIGTERM / SIGINT: how long running requests may take to finish before
         * their streams are ended with the client's error event.
         */
        shutdownGraceMs: z.number().int().min(0).default(10_000),
        /**
         * Time a client has to send a whole request, headers and body; past it
         * the connection gets a 408 and is closed (src/server/connection-limits.ts).
         */
        requestTimeoutMs: positiveMs.default(60_000),
        /** Connections held at once; the ones past it are closed as soon as they open. */
        maxConnections: z.number().int().positive().default(4_096),
      })
      .strict()
      .prefault({}),
    upstream: z
      .object({
        connectTimeoutMs: positiveMs.default(10_000),
        /** Time to the upstream's response headers (the model may think first). */
        headersTimeoutMs: positiveMs.default(300_000),
        /** Longest silence between two stream events. */
        idleTimeoutMs: positiveMs.default(300_000),
        /** Whole request, first byte to last. */
        totalTimeoutMs: positiveMs.default(1_800_000),
        /**
         * Each call the proxy makes on its own behalf, first byte to last: a token
         * (OIDC discovery and token request), the catalog listing, the AI Gateway probe.
         */
        controlPlaneTimeoutMs: positiveMs.default(30_000),
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** Cap on an upstream Retry-After we are willing to wait. */
        maxRetryAfterMs: z.number().int().min(0).default(30_000),
        /**
         * Largest single stream event, and largest whole (non-streamed) answer,
         * the proxy holds; past it the answer ends with the client's error.
         */
        maxFrameBytes: z.number().int().min(64 * 1024).default(DEFAULT_MAX_FRAME_BYTES),
      })
      .strict()
      .prefault({}),
    repairs: z
      .object({
        /** Turn every repair off (also --bare, DBX_PROXY_BARE=1). */
        bare: z.boolean().default(false),
        /** Repair ids to turn off one by one. */
        disable: z.array(z.string().min(1)).default([]),
        /** Per-family tool caps on Model Serving. */
        toolCaps: familyRecord(z.number().int().positive()).default({}),
      })
      .strict()
      .prefault({}),
    promptCache: z
      .object({
        /** Mark the stable prefix of Claude requests that carry no cache_control (docs/prompt-caching.md). */
        auto: z.boolean().default(true),
        /** Which points get a mark: the last tool, the last system block, the conversation (previous and latest turn). */
        points: z.array(z.enum(CACHE_POINTS)).min(1).default([...CACHE_POINTS]),
        /** Lifetime of what the marks cache: 5 minutes (writes cost 1.25x input) or 1 hour (2x). */
        ttl: z.enum(['5m', '1h']).default('5m'),
      })
      .strict()
      .prefault({}),
    /** What the proxy shows about itself: /metrics, the status page at /, the usage history, traces (docs/observability.md). */
    observability: z
      .object({
        /** `GET /metrics` in the Prometheus text format, under the API's access rules. */
        metrics: z.boolean().default(true),
        /** The live status page at `GET /`, under the API's access rules. */
        statusPage: z.boolean().default(true),
        usage: z
          .object({
            /** Keep each request's summary (never its content) in a SQLite file in the state directory. */
            enabled: z.boolean().default(true),
            /** Requests older than this many days are deleted. */
            retentionDays: z.number().int().min(1).default(90),
            /** The database file; default `<state dir>/usage.sqlite`. */
            path: z.string().min(1).optional(),
          })
          .strict()
          .prefault({}),
        traces: z
          .object({
            /** OTLP/HTTP base URL (as OTEL_EXPORTER_OTLP_ENDPOINT, which is used when this is unset); unset and no variable: no tracing at all. */
            endpoint: z.url({ protocol: /^https?$/ }).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, context) => {
    // Anyone who can reach a non-loopback address could spend the user's Databricks credentials,
    // unless every call spends the caller's own (passthrough).
    const { apiKeys, passthroughAuth } = config.server;
    if (!isLoopback(config.listen) && apiKeys.length === 0 && !passthroughAuth) {
      context.addIssue({
        code: 'custom',
        path: ['server', 'apiKeys'],
        message: `required when listen is not a loopback address (listen is ${config.listen}), unless server.passthroughAuth is on`,
      });
    }
    // Both read the client's API key: it cannot be a local key and a Databricks token at once.
    if (passthroughAuth && apiKeys.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['server', 'apiKeys'],
        message: 'must be empty when server.passthroughAuth is on: the key each client sends is then its own Databricks token',
      });
    }
  });

/** The validated configuration every module receives. */
export type Config = z.output<typeof ConfigSchema>;
/** What a file, the environment or flags may contribute before validation. */
export type ConfigInput = z.input<typeof ConfigSchema>;
