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
import { createSilentLogger } from '@session-ts/server-kit';
import { startInProcessNetwork } from '@session-ts/testnet';

const clock = { now: () => Date.now() };

test('store and retrieve through 3-hop onion paths over real service nodes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-onion-'));
  const rng = createSystemRng();
  const logger = createSilentLogger();
  const local = await startInProcessNetwork({ dir, nodes: 5, clock, rng, logger });
  try {
    const network = createNetwork({
      transport: createHttpTransport(),
      seeds: [{ url: local.seed.url, pubkey: local.seed.pubkey }],
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
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
