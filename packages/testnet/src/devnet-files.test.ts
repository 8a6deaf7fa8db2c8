/**
 * The devnet directory's files and port choice, without processes (the real processes are
 * exercised by apps/cli/src/devnet.test.ts): `network.json` keeps exactly its documented shape,
 * a damaged `devnet.json` is reported, ports are consecutive from a base or system-picked, and
 * status/stop of a directory without a devnet say so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDevnetError } from './devnet-error.ts';
import { devnetPaths, readLayout, readNetworkFile, writeNetworkFile } from './devnet-files.ts';
import { devnetStatus, stopDevnet } from './devnet.ts';
import { choosePorts } from './ports.ts';

function withDir(body: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-ts-testnet-'));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'network.json has exactly {seeds: [{url, pubkey}], nodes: [{url, ed25519, x25519, swarm}]}',
  withDir((dir) => {
    const node = { url: 'http://127.0.0.1:1', ed25519: 'a', x25519: 'b', swarm: 'c' };
    writeNetworkFile(dir, {
      seeds: [{ url: 'http://127.0.0.1:2', pubkey: 'd', ...{ name: 'seed', pid: 1 } }],
      nodes: [{ ...node, ...{ name: 'node-1', running: true } }],
    });
    const text = readFileSync(devnetPaths.network(dir), 'utf8');
    assert.deepEqual(JSON.parse(text), {
      seeds: [{ url: 'http://127.0.0.1:2', pubkey: 'd' }],
      nodes: [node],
    });
    assert.deepEqual(readNetworkFile(dir)?.nodes, [node]);
  }),
);

test(
  'a damaged devnet.json is reported, a missing one is a first start',
  withDir((dir) => {
    assert.equal(readLayout(dir), undefined);
    writeFileSync(devnetPaths.layout(dir), '{"version": 1, "seed": {}}');
    assert.throws(
      () => readLayout(dir),
      (e) => isDevnetError(e, 'corrupt'),
    );
    writeFileSync(devnetPaths.layout(dir), 'not json');
    assert.throws(
      () => readLayout(dir),
      (e) => isDevnetError(e, 'corrupt'),
    );
  }),
);

test('ports: consecutive from a base, or distinct ones the system picks', async () => {
  assert.deepEqual(await choosePorts(4, 30000), [30000, 30001, 30002, 30003]);
  const picked = await choosePorts(5, 0);
  assert.equal(new Set(picked).size, 5);
  assert.ok(picked.every((p) => p > 0 && p < 65536));
});

test(
  'status and stop of a directory without a devnet say so',
  withDir(async (dir) => {
    await assert.rejects(devnetStatus(dir), (e) => isDevnetError(e, 'not-found'));
    await assert.rejects(stopDevnet(dir), (e) => isDevnetError(e, 'not-found'));
  }),
);
