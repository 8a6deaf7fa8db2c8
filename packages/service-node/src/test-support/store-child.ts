/**
 * Child process for the service node's kill -9 test (`app.test.ts`): runs a node over the
 * SQLite store at the path given as the first argument and stores messages through the RPC one
 * after another, printing each message hash on stdout only after the node answered 200 — the
 * moment a client would count the store as acknowledged. The parent kills it with SIGKILL.
 */
import { identityFromSeed, toBase64, toHex } from '@session-ts/core';
import { createSilentLogger } from '@session-ts/server-kit';
import { createServiceNode } from '../app.ts';
import { openSqliteMessageStore } from '../storage/sqlite-message-store.ts';
import { createSingleNodeSwarmView, NO_PEERS } from '../swarm-port.ts';

const path = process.argv[2];
const account = process.argv[3];
if (path === undefined || account === undefined)
  throw new Error('usage: store-child.ts DB ACCOUNT');
const identity = identityFromSeed(new Uint8Array(32).fill(9));
const store = openSqliteMessageStore({ path });
const node = createServiceNode({
  identity,
  store,
  clock: { now: () => Date.now() },
  logger: createSilentLogger(),
  swarm: createSingleNodeSwarmView({
    pubkeyEd25519: toHex(identity.ed25519PublicKey),
    pubkeyX25519: toHex(identity.x25519PublicKey),
    ip: '127.0.0.1',
    port: 1,
    swarmId: 0n,
  }),
  forwarder: NO_PEERS,
});
const payload = new Uint8Array(1024);
for (let i = 0; ; i++) {
  new DataView(payload.buffer).setUint32(0, i);
  const r = await node.handleRpc(
    'store',
    { pubkey: account, timestamp: Date.now(), ttl: 86_400_000, data: toBase64(payload) },
    { forwarded: false },
  );
  if (r.status !== 200 || typeof r.body === 'string') throw new Error(`store failed: ${r.status}`);
  const hash = String(r.body['hash']);
  await new Promise<void>((resolve) => process.stdout.write(`${hash}\n`, () => resolve()));
}
