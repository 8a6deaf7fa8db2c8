/**
 * Onion requests through REAL service nodes (issue #5): a seed and five node daemons on
 * loopback, and a client on `@session-ts/net` that learns the nodes from the seed (pinning its
 * key), builds 3-hop paths, and stores and retrieves a message in an account's swarm through
 * the nodes' `/onion_req/v2` endpoints. The retrieve is signed with network time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSystemRng,
  identityFromSeed,
  retrieveToSign,
  signDetached,
  toBase64,
  toHex,
  utf8,
} from '@session-ts/core';
import { createHttpTransport, createNetwork } from '@session-ts/net';
import { startSeedDaemon } from '@session-ts/seed';
import { createSilentLogger } from '@session-ts/server-kit';
import { startServiceNodeDaemon, type NodeDaemon } from '@session-ts/service-node';

const clock = { now: () => Date.now() };

test('store and retrieve through 3-hop onion paths over real service nodes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-onion-'));
  const rng = createSystemRng();
  const logger = createSilentLogger();
  const seed = await startSeedDaemon({
    dataDir: join(dir, 'seed'),
    port: 0,
    sizing: { minSize: 1, idealSize: 5, newSwarmSize: 1, maxSize: 10, buffer: 0 },
    clock,
    rng,
    logger,
  });
  const nodes: NodeDaemon[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      nodes.push(
        await startServiceNodeDaemon({
          dataDir: join(dir, `node${i}`),
          seedUrl: seed.url,
          seedPubkey: undefined,
          host: '127.0.0.1',
          ip: '127.0.0.1',
          port: 0,
          pollMs: 200,
          maxDbBytes: 64 * 1024 * 1024,
          clock,
          rng,
          logger,
        }),
      );
    }
    // Let every node see the final list (they poll the seed every 200 ms).
    await new Promise((r) => setTimeout(r, 800));
    const network = createNetwork({
      transport: createHttpTransport(),
      seeds: [{ url: seed.url, pubkey: seed.pubkey }],
      clock,
      rng,
      pool: { minSize: 5, refreshAgreement: 1 },
      paths: { guardsWanted: 1, guardsNeeded: 1 },
      timeouts: { requestMs: 10_000 },
    });
    const alice = identityFromSeed(rng.randomBytes(32));
    const data = utf8('hello through the onion');
    const stored = await network.storageRpc(alice.sessionId, 'store', (now) => ({
      pubkey: alice.sessionId,
      timestamp: now,
      ttl: 60_000,
      data: toBase64(data),
    }));
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    const retrieved = await network.storageRpc(alice.sessionId, 'retrieve', (now) => ({
      pubkey: alice.sessionId,
      pubkey_ed25519: toHex(alice.ed25519PublicKey),
      namespace: 0,
      timestamp: now,
      signature: toBase64(
        signDetached(alice.ed25519SecretKey, retrieveToSign({ namespace: 0, timestamp: now })),
      ),
    }));
    assert.equal(retrieved.status, 200, JSON.stringify(retrieved.body));
    const messages = (retrieved.body as { messages: { data: string }[] }).messages;
    assert.deepEqual(
      messages.map((m) => m.data),
      [toBase64(data)],
    );
    // A forged retrieve signature is refused at the destination, through the onion.
    const forged = await network.storageRpc(alice.sessionId, 'retrieve', (now) => ({
      pubkey: alice.sessionId,
      pubkey_ed25519: toHex(alice.ed25519PublicKey),
      namespace: 0,
      timestamp: now,
      signature: toBase64(new Uint8Array(64)),
    }));
    assert.equal(forged.status, 401);
  } finally {
    for (const n of nodes) await n.stop();
    await seed.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
