/**
 * The seed: signed registrations (forged, replayed, stale, malformed), refresh and expiry with
 * the list version, the registry store contract (memory and SQLite), `get_n_service_nodes` in
 * upstream's shape with the seed's signature, and the daemon keeping its key and registry across
 * a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SEED_PUBKEY_HEADER,
  SEED_SIGNATURE_HEADER,
  fromBase64,
  fromHex,
  identityFromSeed,
  nodeRegistrationToSign,
  sessionIdFromEd25519,
  signDetached,
  toBase64,
  toHex,
  utf8,
  verifyDetached,
  type Identity,
  type Rng,
  type SwarmSizing,
} from '@session-ts/core';
import { createApp, createSilentLogger, listen } from '@session-ts/server-kit';
import { openDatabase } from '@session-ts/sqlite';
import { createSeed } from './app.ts';
import { startSeedDaemon } from './daemon.ts';
import { createMemoryRegistryStore, type RegistryStore } from './registry-store.ts';
import { createSqliteRegistryStore } from './sqlite-registry-store.ts';

const T0 = 1_700_000_000_000;
const DEVNET: SwarmSizing = { minSize: 1, idealSize: 2, newSwarmSize: 2, maxSize: 3, buffer: 0 };

function counterRng(): Rng {
  let n = 0;
  return { randomBytes: (len) => new Uint8Array(len).map(() => (n = (n * 31 + 7) & 0xff)) };
}

const nodeIdentity = (i: number): Identity => identityFromSeed(new Uint8Array(32).fill(i + 1));
const SEED_IDENTITY = identityFromSeed(new Uint8Array(32).fill(0xee));

interface RegistrationInit {
  readonly ip?: string;
  readonly port?: number;
  readonly timestamp: number;
}

function registrationBody(id: Identity, init: RegistrationInit): Record<string, unknown> {
  const fields = {
    ed25519: toHex(id.ed25519PublicKey),
    ip: init.ip ?? '127.0.0.1',
    port: init.port ?? 22021,
    version: [2, 8, 0] as const,
    timestamp: init.timestamp,
  };
  const signature = signDetached(id.ed25519SecretKey, nodeRegistrationToSign(fields));
  return {
    pubkey_ed25519: fields.ed25519,
    public_ip: fields.ip,
    storage_port: fields.port,
    storage_server_version: fields.version,
    timestamp: fields.timestamp,
    signature: toBase64(signature),
  };
}

/** The parts of a JSON-RPC reply the tests read. */
interface RpcReply {
  readonly jsonrpc?: string;
  readonly id?: unknown;
  readonly result: {
    readonly height?: number;
    readonly block_hash?: string;
    readonly service_node_states: Record<string, unknown>[];
  };
}

function setup(options: { store?: RegistryStore; sizing?: SwarmSizing } = {}) {
  const clock = { t: T0, now: () => clock.t };
  const seed = createSeed({
    identity: SEED_IDENTITY,
    store: options.store ?? createMemoryRegistryStore(),
    clock,
    rng: counterRng(),
    logger: createSilentLogger(),
    sizing: options.sizing ?? DEVNET,
    refreshIntervalMs: 1000,
    entryTtlMs: 5000,
  });
  const post = (path: string, body: unknown): Promise<Response> =>
    seed.app.fetch(
      new Request(`http://seed${path}`, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  const register = async (id: Identity, init: Partial<RegistrationInit> = {}) => {
    const res = await post(
      '/seed/v1/register',
      registrationBody(id, { timestamp: clock.t, ...init }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const list = async (params: unknown = {}) => {
    const res = await post('/json_rpc', {
      jsonrpc: '2.0',
      id: 7,
      method: 'get_n_service_nodes',
      params,
    });
    return { res, text: await res.clone().text(), json: (await res.json()) as RpcReply };
  };
  return { seed, clock, post, register, list };
}

test('registration: accepted once signed by the node, refused when forged, stale or replayed', async () => {
  const { register, clock, post, seed } = setup();
  const a = nodeIdentity(1);
  const ok = await register(a);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(ok.body, { version: 1, swarm: '0000000000000000', refresh_ms: 1000 });

  // The same signed body again is a replay; an older timestamp too.
  const replay = await post('/seed/v1/register', registrationBody(a, { timestamp: T0 }));
  assert.equal(replay.status, 409);
  assert.equal(((await replay.json()) as { error: string }).error, 'replay');
  assert.equal((await register(a, { timestamp: T0 - 1 })).status, 409);

  // Signed by someone else.
  const forged = registrationBody(a, { timestamp: T0 + 5 });
  forged['signature'] = registrationBody(nodeIdentity(2), { timestamp: T0 + 5 })['signature'];
  const bad = await post('/seed/v1/register', forged);
  assert.equal(bad.status, 401);
  // A signature over other fields (the port changed after signing).
  const moved = { ...registrationBody(a, { timestamp: T0 + 6 }), storage_port: 1234 };
  assert.equal((await post('/seed/v1/register', moved)).status, 401);

  // Outside the ±60 s window of the seed's clock.
  assert.equal((await register(a, { timestamp: clock.t + 61_000 })).status, 406);
  assert.equal((await register(a, { timestamp: clock.t - 61_000 })).status, 406);

  // Malformed: each a 400 naming the field.
  for (const [field, value] of [
    ['public_ip', '0.0.0.0'],
    ['public_ip', '::1'],
    ['storage_port', 70000],
    ['pubkey_ed25519', 'ab'],
    ['storage_server_version', [2, 8]],
    ['timestamp', 'soon'],
    ['signature', 'AAAA'],
  ] as const) {
    const res = await post('/seed/v1/register', {
      ...registrationBody(a, { timestamp: T0 + 10 }),
      [field]: value,
    });
    assert.equal(res.status, 400, field);
    assert.match(((await res.json()) as { message: string }).message, /registration/);
  }
  assert.equal((await post('/seed/v1/register', '[1]')).status, 400);
  assert.equal((await post('/seed/v1/register', '{oops')).status, 400);
  assert.equal(seed.registry.snapshot().entries.length, 1);
});

test('refresh keeps the version unless the address changes; stale entries expire', async () => {
  const { register, clock, seed } = setup();
  const [a, b, c] = [nodeIdentity(1), nodeIdentity(2), nodeIdentity(3)];
  await register(a);
  await register(b);
  assert.equal(seed.registry.snapshot().version, 2);
  clock.t += 1000;
  assert.equal((await register(a)).status, 200);
  assert.equal(seed.registry.snapshot().version, 2, 'a plain refresh is invisible');
  clock.t += 1000;
  assert.equal((await register(a, { port: 30000 })).status, 200);
  assert.equal(seed.registry.snapshot().version, 3, 'a new port is a visible change');

  clock.t += 3500; // b last seen 5500 ms ago (TTL 5000); a 3500 ms ago.
  await register(c);
  assert.equal(seed.registry.expire(), 1);
  const snap = seed.registry.snapshot();
  assert.deepEqual(
    snap.entries.map((e) => e.ed25519).sort(),
    [a, c].map((id) => toHex(id.ed25519PublicKey)).sort(),
  );
  assert.equal(snap.version, 5);
  assert.equal(seed.registry.expire(), 0);
  assert.equal(seed.registry.snapshot().version, 5, 'nothing expired, nothing changed');
  // An expired node may come back (its next signed registration is newer).
  clock.t += 1;
  assert.equal((await register(b)).status, 200);
});

test('the registry store contract: memory and SQLite keep the same state across reopening', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-seed-'));
  try {
    const path = join(dir, 'seed.db');
    const stores: [string, () => RegistryStore, () => RegistryStore][] = [];
    const memory = createMemoryRegistryStore();
    stores.push(['memory', () => memory, () => memory]);
    stores.push([
      'sqlite',
      () => createSqliteRegistryStore(openDatabase({ path })),
      () => createSqliteRegistryStore(openDatabase({ path })),
    ]);
    for (const [name, open, reopen] of stores) {
      const opened = open();
      const first = setup({ store: opened });
      for (let i = 0; i < 5; i++) await first.register(nodeIdentity(i));
      const before = first.seed.registry.snapshot();
      if (name === 'sqlite') opened.close();
      const store = reopen();
      const after = store.load();
      const norm = (s: typeof before) => ({
        version: s.version,
        entries: [...s.entries].sort((x, y) => (x.ed25519 < y.ed25519 ? -1 : 1)),
      });
      assert.deepEqual(norm(after), norm(before), name);
      assert.equal(
        new Set(after.entries.map((e) => e.swarmId)).size,
        2,
        `${name}: 5 nodes, 2 swarms`,
      );
      store.apply({ version: 9, upsert: [], remove: [after.entries[0]!.ed25519] });
      assert.equal(store.load().entries.length, 4);
      assert.equal(store.load().version, 9);
      if (name === 'sqlite') store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('get_n_service_nodes answers as upstream seeds do, signed by the seed', async () => {
  const { register, list, post } = setup();
  for (let i = 0; i < 4; i++) await register(nodeIdentity(i), { port: 20000 + i });
  const { res, text, json } = await list({
    active_only: true,
    fields: {
      public_ip: true,
      storage_port: true,
      pubkey_x25519: true,
      pubkey_ed25519: true,
      swarm_id: true,
      swarm: true,
      height: true,
    },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(json['jsonrpc'], '2.0');
  assert.equal(json['id'], 7);
  const result = json.result;
  assert.equal(result['height'], 4);
  assert.equal(result['block_hash'], '4'.padStart(64, '0'));
  const states = result['service_node_states'];
  assert.equal(states.length, 4);
  for (const s of states) {
    assert.deepEqual(Object.keys(s).sort(), [
      'pubkey_ed25519',
      'pubkey_x25519',
      'public_ip',
      'storage_port',
      'swarm',
      'swarm_id',
    ]);
    assert.equal(s['public_ip'], '127.0.0.1');
    const ed = fromHex(String(s['pubkey_ed25519']));
    assert.equal(s['pubkey_x25519'], sessionIdFromEd25519(ed).slice(2));
    assert.match(String(s['swarm']), /^[0-9a-f]{16}$/);
  }
  // swarm_id is a bare u64 in the text (2^63 − 1 here), exactly as oxend writes it.
  assert.match(text, /"swarm_id":9223372036854775807[,}]/);
  assert.match(text, /"swarm_id":0[,}]/);
  // The seed's signature over the exact body bytes.
  const sig = fromBase64(res.headers.get(SEED_SIGNATURE_HEADER) ?? '');
  assert.equal(res.headers.get(SEED_PUBKEY_HEADER), toHex(SEED_IDENTITY.ed25519PublicKey));
  assert.ok(verifyDetached(sig, utf8(text), SEED_IDENTITY.ed25519PublicKey));
  assert.ok(
    !verifyDetached(
      sig,
      utf8(text.replace('127.0.0.1', '127.0.0.2')),
      SEED_IDENTITY.ed25519PublicKey,
    ),
  );

  // Without `fields`, every field; `limit` samples; `poll_block_hash` short-circuits.
  const all = (await list()).json.result.service_node_states;
  assert.ok('storage_server_version' in all[0]!);
  assert.equal(all[0]['requested_unlock_height'], 0);
  const two = (await list({ limit: 2, fields: ['pubkey_ed25519'] })).json.result;
  assert.equal(two.service_node_states.length, 2);
  const same = (await list({ poll_block_hash: result.block_hash })).json.result;
  assert.deepEqual(same, {
    height: 4,
    block_hash: result.block_hash,
    hardfork: 19,
    snode_revision: 4,
    status: 'OK',
    unchanged: true,
  });

  // JSON-RPC errors.
  const err = async (body: string) =>
    ((await (await post('/json_rpc', body)).json()) as { error: { code: number } }).error.code;
  assert.equal(await err('{nope'), -32700);
  assert.equal(await err('[]'), -32600);
  assert.equal(await err('{"method":"get_info"}'), -32601);
  assert.equal(await err('{"method":"get_n_service_nodes","params":{"limit":-1}}'), -32602);
});

test('the daemon keeps its key (mode 0600) and registry across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-seed-daemon-'));
  const config = {
    dataDir: dir,
    port: 0,
    sizing: DEVNET,
    clock: { now: () => Date.now() },
    rng: counterRng(),
    logger: createSilentLogger(),
  };
  // A stand-in node answering the seed's reachability probe as node 1.
  const pinger = await listen(
    createApp({
      logger: createSilentLogger(),
      routes: [
        {
          method: 'POST',
          path: '/ping_test/v1',
          handler: () =>
            new Response('', {
              headers: { 'x-loki-snode-pubkey': toBase64(nodeIdentity(1).ed25519PublicKey) },
            }),
        },
      ],
    }),
    { host: '127.0.0.1', port: 0 },
  );
  try {
    const first = await startSeedDaemon(config);
    assert.equal(statSync(join(dir, 'key_ed25519')).mode & 0o777, 0o600);
    const registerAt = (i: number) =>
      fetch(`${first.url}/seed/v1/register`, {
        method: 'POST',
        body: JSON.stringify(
          registrationBody(nodeIdentity(i), { timestamp: Date.now(), port: pinger.port }),
        ),
      });
    assert.equal((await registerAt(1)).status, 200);
    // Node 2 claims node 1's address: the probe sees node 1's key there.
    const stolen = await registerAt(2);
    assert.equal(stolen.status, 422);
    assert.match(await stolen.text(), /does not answer as this node/);
    await first.stop();
    const second = await startSeedDaemon(config);
    assert.equal(second.pubkey, first.pubkey);
    const info = (await (await fetch(`${second.url}/seed/v1/info`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(info['nodes'], 1);
    assert.equal(info['version'], 1);
    await second.stop();
  } finally {
    await pinger.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
