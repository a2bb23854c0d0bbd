// The servers one scenario is sent to, each with its own form of the request.
import { clientFor } from './http.mjs';
import { peerRequest, TOKEN } from './scenarios.mjs';

/**
 * direct: the emulator itself (the upstream request, with the credential);
 * floor: the bare pass-through proxy (same request, it adds the credential);
 * proxy: dbx-proxy (the client's request); peer: the peer serving it, if any.
 */
export function targetsFor(scenario, servers) {
  const withToken = { ...scenario.upstream, headers: { ...scenario.upstream.headers, authorization: `Bearer ${TOKEN}` } };
  const targets = [
    { name: 'direct', url: servers.emulator.url, request: withToken },
    { name: 'floor', url: servers.floor.url, request: scenario.upstream },
    { name: 'proxy', url: servers.proxy.url, request: scenario.proxy },
  ];
  const peer = scenario.peer && servers[scenario.peer];
  if (peer) targets.push({ name: scenario.peer, url: peer.url, request: peerRequest(scenario.peer, scenario, servers.emulator.url) });
  return targets.map((target) => ({ ...target, client: clientFor(target.url) }));
}

export async function closeTargets(targets) {
  await Promise.all(targets.map((target) => target.client.close()));
}
