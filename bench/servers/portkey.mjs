// Portkey's OSS gateway (bench/peers, see install-peers.sh), bound to
// loopback: its start script listens on every interface, so listen() is
// pinned to 127.0.0.1 before the script loads. Headless (no UI routes).
// Usage: node bench/servers/portkey.mjs <port>   Prints `READY <url>` once it answers.
import http from 'node:http';
import net from 'node:net';

const port = Number(process.argv[2]);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function pinnedToLoopback(...args) {
  if (typeof args[0] === 'number') return listen.call(this, args[0], '127.0.0.1', ...args.slice(1).filter((arg) => typeof arg === 'function'));
  if (typeof args[0] === 'object' && args[0] !== null) return listen.call(this, { ...args[0], host: '127.0.0.1' }, ...args.slice(1));
  return listen.apply(this, args);
};
process.argv = [process.argv[0], 'start-server.js', `--port=${port}`, '--headless'];
// Its banner (console.clear, a spinner) is noise here.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
console.clear = () => {};
await import('../peers/node_modules/@portkey-ai/gateway/build/start-server.js');
const ready = await new Promise((resolve) => http.get(`http://127.0.0.1:${port}/`, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false)));
if (!ready) throw new Error('portkey did not answer');
write(`READY http://127.0.0.1:${port}\n`);
process.on('SIGTERM', () => process.exit(0));
