/**
 * The servers under load for `service-node-cases.ts`, run in a child process so that the load
 * generator and the server do not share an event loop: a bare `node:http` server (reads the
 * body, answers a fixed JSON object) and a service node over a SQLite store in a temporary
 * directory (WAL, synchronous=NORMAL, as in production), each on a loopback port. Prints one
 * JSON line `{bare, node}` with their URLs and runs until stdin closes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityFromSeed, toHex } from '@session-ts/core';
import { createSilentLogger, listen } from '@session-ts/server-kit';
import {
  createServiceNode,
  createSingleNodeSwarmView,
  NO_PEERS,
  openSqliteMessageStore,
} from '@session-ts/service-node';

const dir = mkdtempSync(join(tmpdir(), 'session-ts-bench-'));
const store = openSqliteMessageStore({ path: join(dir, 'storage.db') });
const identity = identityFromSeed(new Uint8Array(32).fill(77));
const node = createServiceNode({
  identity,
  store,
  clock: { now: () => Date.now() },
  logger: createSilentLogger(),
  swarm: createSingleNodeSwarmView({
    pubkeyEd25519: toHex(identity.ed25519PublicKey),
    pubkeyX25519: toHex(identity.x25519PublicKey),
    ip: '127.0.0.1',
    port: 0,
    swarmId: 0n,
  }),
  forwarder: NO_PEERS,
  // One load generator on one address: per-client limiting off, as upstream's benchmarks do.
  rateLimit: false,
});
const nodeListener = await listen(node.app, { host: '127.0.0.1', port: 0 });

const answer = Buffer.from('{"ok":true}');
const bare = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const barePort = (bare.address() as AddressInfo).port;

process.stdout.write(
  JSON.stringify({ bare: `http://127.0.0.1:${barePort}`, node: nodeListener.url }) + '\n',
);
process.stdin.resume();
process.stdin.on('close', () => {
  void (async () => {
    await nodeListener.close();
    bare.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
});
