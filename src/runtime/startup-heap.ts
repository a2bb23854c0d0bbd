import { setFlagsFromString } from 'node:v8';

/**
 * Keeps the V8 young generation at its initial size while the proxy starts.
 *
 * Loading the modules, compiling the body schemas and resolving the
 * credentials allocate a burst of short-lived objects; V8 answers it by
 * doubling the young generation up to its ceiling (16 MB a semi-space, so
 * 32 MB and more of resident memory), and never gives that back while the
 * proxy sits idle. Measured on the idle daemon: 125 MB resident with the
 * default growth, 104 MB when the young generation stays small until the
 * server listens (BENCHMARKS.md). Growth is allowed again once the proxy
 * serves, so a busy proxy keeps the large young generation that makes its
 * garbage collection cheap (holding it small for good cost ~15% of
 * throughput at 64 concurrent requests).
 *
 * `semi_space_growth_factor` is read by V8 each time it decides to grow, so
 * setting it at run time takes effect (Node warns that run-time flags may
 * be ignored; for this one they are not, which the idle figure shows).
 * Whoever set their own young-generation flags keeps them.
 */
const GROWTH_FLAGS = /--(max-semi-space-size|semi-space-growth-factor|max-young-generation-size)\b/;
const DEFAULT_GROWTH_FACTOR = 2;

let held = false;

export function holdYoungGenerationSmall(): void {
  const userFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (held || GROWTH_FLAGS.test(userFlags)) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  held = true;
}

/** Startup is over: the young generation may grow under load again. */
export function releaseYoungGeneration(): void {
  if (!held) return;
  setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  held = false;
}
