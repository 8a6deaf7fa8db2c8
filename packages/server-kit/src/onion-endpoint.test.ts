/**
 * The onion endpoints: a request through three relays to a final node and to a v4 server,
 * upstream's statuses for each failure, and fuzzing that shows malformed input only ever gets a
 * 4xx (or, for a layer that decrypts but is malformed inside, an encrypted 400), never a crash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildOnion,
  clientLayerKey,
  decodeOnionFrame,
  decodeOnionV4Response,
  encodeOnionEnvelope,
  encodeOnionFrame,
  encodeOnionV4Request,
  fromUtf8,
  identityFromSeed,
  onionHop,
  openOnionLayer,
  openOnionResponse,
  sealOnionLayer,
  toHex,
  utf8,
  type Identity,
  type OnionDestination,
  type OnionLayerKey,
  type Rng,
} from '@session-ts/core';
import { createApp, type App } from './app.ts';
import { createSilentLogger } from './logger.ts';
import {
  createOnionEndpoint,
  onionProxyUrl,
  type OnionEndpointOptions,
  type OnionForwardOutcome,
} from './onion-endpoint.ts';
import { createOnionV4Endpoint } from './onion-v4-endpoint.ts';

/** A counter-based Rng: deterministic, fine for tests (never for keys that matter). */
function testRng(): Rng {
  let n = 0;
  return {
    randomBytes(length: number) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = (n++ * 131 + 7) & 0xff;
      return out;
    },
  };
}

const rng = testRng();
const logger = createSilentLogger();
const ids = [1, 2, 3, 4, 5].map((i) => identityFromSeed(new Uint8Array(32).fill(i)));
const id = (i: number): Identity => ids[i] as Identity;
const server = identityFromSeed(new Uint8Array(32).fill(99));

interface Net {
  readonly apps: Map<string, App>;
  readonly finals: string[];
  readonly proxied: { url: string; bytes: number }[];
}

function network(overrides: Partial<OnionEndpointOptions> = {}): Net {
  const apps = new Map<string, App>();
  const finals: string[] = [];
  const proxied: { url: string; bytes: number }[] = [];
  const serverApp = createApp({
    logger,
    routes: [
      createOnionV4Endpoint({
        identity: server,
        rng,
        logger,
        handle: async (req) =>
          Response.json(
            { path: new URL(req.url).pathname, got: await req.text() },
            { status: 201 },
          ),
      }),
    ],
  });
  for (const node of ids) {
    const app = createApp({
      logger,
      errorBody: 'text',
      routes: [
        createOnionEndpoint({
          identity: node,
          rng,
          logger,
          handleFinal: (body) => {
            finals.push(fromUtf8(body));
            return Promise.resolve({
              status: 200,
              json: { served_by: toHex(node.ed25519PublicKey).slice(0, 8) },
            });
          },
          relay: async (next, envelope): Promise<OnionForwardOutcome> => {
            const target = apps.get(toHex(next));
            if (target === undefined) return { kind: 'unknown' };
            const res = await target.fetch(
              new Request('http://node/onion_req/v2', {
                method: 'POST',
                body: encodeOnionEnvelope(envelope),
              }),
            );
            return {
              kind: 'response',
              status: res.status,
              body: new Uint8Array(await res.arrayBuffer()),
            };
          },
          proxyToServer: async (url, payload) => {
            proxied.push({ url, bytes: payload.length });
            const res = await serverApp.fetch(new Request(url, { method: 'POST', body: payload }));
            return {
              kind: 'response',
              status: res.status,
              body: new Uint8Array(await res.arrayBuffer()),
            };
          },
          ...overrides,
        }),
      ],
    });
    apps.set(toHex(node.ed25519PublicKey), app);
  }
  return { apps, finals, proxied };
}

async function post(net: Net, entry: number, body: Uint8Array): Promise<Response> {
  const app = net.apps.get(toHex(id(entry).ed25519PublicKey));
  assert.ok(app);
  return app.fetch(new Request('http://node/onion_req/v2', { method: 'POST', body }));
}

function onion(path: number[], destination: OnionDestination, payload: string, hopNo = 0) {
  return buildOnion({
    path: path.map((i) => onionHop(id(i).ed25519PublicKey)),
    destination,
    payload: utf8(payload),
    rng,
    hopNo,
  });
}

const toNode = (i: number): OnionDestination => ({
  kind: 'node',
  ...onionHop(id(i).ed25519PublicKey),
});

test('a request through three relays reaches the final node, whose answer only the client reads', async () => {
  const net = network();
  const built = onion([0, 1, 2], toNode(3), '{"method":"info","params":{}}');
  const res = await post(net, 0, built.body);
  assert.equal(res.status, 200);
  assert.deepEqual(net.finals, ['{"method":"info","params":{}}']);
  const opened = openOnionResponse(built.responseKey, new Uint8Array(await res.arrayBuffer()));
  assert.deepEqual(opened, {
    ok: true,
    status: 200,
    body: `{"served_by":"${toHex(id(3).ed25519PublicKey).slice(0, 8)}"}`,
  });
});

test('a v4 request through three relays reaches the server and comes back encrypted', async () => {
  const net = network();
  const v4 = encodeOnionV4Request({
    method: 'POST',
    endpoint: '/file',
    headers: { 'content-type': 'text/plain' },
    body: utf8('hello file server'),
  });
  const built = buildOnion({
    path: [0, 1, 2].map((i) => onionHop(id(i).ed25519PublicKey)),
    destination: {
      kind: 'server',
      host: 'files.local',
      port: 8080,
      protocol: 'http',
      x25519: server.x25519PublicKey,
    },
    payload: v4,
    encType: 'xchacha20',
    rng,
  });
  const res = await post(net, 0, built.body);
  assert.equal(res.status, 200);
  assert.equal(net.proxied[0]?.url, 'http://files.local:8080/oxen/v4/lsrpc');
  const plain = openOnionLayer(built.responseKey, new Uint8Array(await res.arrayBuffer()));
  assert.ok(plain !== undefined);
  const reply = decodeOnionV4Response(plain);
  assert.equal(reply.code, 201);
  assert.equal(reply.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(fromUtf8(reply.body)), { path: '/file', got: 'hello file server' });
});

async function sealedStatus(res: Response, key: OnionLayerKey): Promise<unknown> {
  const opened = openOnionResponse(key, new Uint8Array(await res.arrayBuffer()));
  return opened.ok ? [opened.status, opened.body] : opened.reason;
}

test("upstream's statuses: 400, encrypted 400, 502, 503, 504 and the hop limit", async () => {
  const net = network();
  const text = async (r: Response) => [r.status, await r.text()];
  assert.deepEqual((await text(await post(net, 0, utf8('xx'))))[0], 400);
  // Undecryptable: encrypted to node 1, sent to node 0.
  const wrong = onion([1], toNode(3), '{}');
  assert.deepEqual(await text(await post(net, 0, wrong.body)), [400, 'Invalid ciphertext']);
  // The hop limit: over 15 is refused, here directly and one relay later.
  assert.deepEqual(await text(await post(net, 0, onion([0], toNode(3), '{}', 16).body)), [
    400,
    'onion request max path length exceeded',
  ]);
  assert.equal((await post(net, 0, onion([0], toNode(3), '{}', 15).body)).status, 400);
  assert.equal((await post(net, 0, onion([0], toNode(3), '{}', 14).body)).status, 200);
  // Next node unknown.
  const stranger = identityFromSeed(new Uint8Array(32).fill(77));
  const lost = onion([0], { kind: 'node', ...onionHop(stranger.ed25519PublicKey) }, '{}');
  assert.deepEqual(await text(await post(net, 0, lost.body)), [
    502,
    `Next node not found: ${toHex(stranger.ed25519PublicKey)}`,
  ]);
  // The next hop's failure comes back through the path unchanged.
  const deep = onion([0, 1], { kind: 'node', ...onionHop(stranger.ed25519PublicKey) }, '{}');
  assert.equal((await post(net, 0, deep.body)).status, 502);
  // A disallowed proxy target: upstream seals "Invalid url" with the proxying hop's own layer
  // key, which the client does not keep, so the client sees a 200 it cannot open.
  const bad = buildOnion({
    path: [onionHop(id(0).ed25519PublicKey)],
    destination: { kind: 'server', host: 'x', target: '/admin', x25519: server.x25519PublicKey },
    payload: new Uint8Array(0),
    rng,
  });
  const badRes = await post(net, 0, bad.body);
  assert.equal(badRes.status, 200);
  const unreadable = openOnionResponse(bad.responseKey, new Uint8Array(await badRes.arrayBuffer()));
  assert.deepEqual(unreadable, { ok: false, reason: 'undecryptable' });
  assert.equal(net.proxied.length, 0);
  // Not ready, timeouts and unreachable next nodes.
  const notReady = network({ ready: () => false });
  assert.deepEqual(await text(await post(notReady, 0, onion([0], toNode(3), '{}').body)), [
    503,
    'Snode not ready',
  ]);
  const slow = network({ relay: () => new Promise<never>(() => undefined), relayTimeoutMs: 30 });
  assert.deepEqual(await text(await post(slow, 0, onion([0], toNode(3), '{}').body)), [
    504,
    'Request time out',
  ]);
  const down = network({ relay: () => Promise.resolve({ kind: 'unreachable' }) });
  assert.equal((await post(down, 0, onion([0], toNode(3), '{}').body)).status, 502);
  const crashy = network({ handleFinal: () => Promise.reject(new Error('boom')) });
  const c = onion([0], toNode(0), '{}');
  // Path [0] then destination 0 itself: node 0 relays to itself and answers as final node.
  assert.deepEqual(await sealedStatus(await post(crashy, 0, c.body), c.responseKey), [
    500,
    'request failed',
  ]);
});

test('the proxy URL keeps default ports implicit', () => {
  const t = { host: 'h', target: '/oxen/v4/lsrpc', method: 'POST' };
  assert.equal(onionProxyUrl({ ...t, port: 443, protocol: 'https' }), 'https://h/oxen/v4/lsrpc');
  assert.equal(onionProxyUrl({ ...t, port: 80, protocol: 'http' }), 'http://h/oxen/v4/lsrpc');
  assert.equal(
    onionProxyUrl({ ...t, port: 8080, protocol: 'http' }),
    'http://h:8080/oxen/v4/lsrpc',
  );
});

test('fuzz: arbitrary bodies and frames get 4xx, never a crash or a 5xx', async () => {
  const net = network();
  const v4net = createApp({
    logger,
    routes: [
      createOnionV4Endpoint({
        identity: server,
        rng,
        logger,
        handle: () => Promise.resolve(new Response('x')),
      }),
    ],
  });
  const arbitraryFrame = fc
    .tuple(
      fc.uint8Array({ maxLength: 64 }),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
    )
    .map(([ct, json]) => encodeOnionFrame(ct, json));
  const envelopeLike = fc
    .tuple(
      fc.uint8Array({ maxLength: 128 }),
      fc.constantFrom('aes-gcm', 'xchacha20', 'gcm', 'bogus', undefined),
      fc.option(fc.integer({ min: -5, max: 40 }), { nil: undefined }),
    )
    .map(([ct, encType, hop]) =>
      encodeOnionFrame(ct, {
        ephemeral_key: toHex(id(4).x25519PublicKey),
        enc_type: encType,
        hop_no: hop,
      }),
    );
  const valid = onion([0, 1, 2], toNode(3), '{"method":"info","params":{}}').body;
  const mutated = fc
    .tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 }))
    .map(([i, x]) => {
      const copy = Uint8Array.from(valid);
      copy[i] = (copy[i] ?? 0) ^ x;
      return copy;
    });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.uint8Array({ maxLength: 200 }), arbitraryFrame, envelopeLike, mutated),
      async (body) => {
        const res = await post(net, 0, body);
        const out = new Uint8Array(await res.arrayBuffer());
        // 200 only when a mutation left the envelope intact (e.g. a JSON byte that still parses);
        // anything else is a client error.
        assert.ok(
          res.status === 200 || (res.status >= 400 && res.status < 500),
          `status ${res.status}`,
        );
        assert.ok(out.length < 4096);
        const v4 = await v4net.fetch(
          new Request('http://s/oxen/v4/lsrpc', { method: 'POST', body }),
        );
        assert.ok(
          v4.status === 200 || (v4.status >= 400 && v4.status < 500),
          `v4 status ${v4.status}`,
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('fuzz: layers that decrypt but are malformed inside get an encrypted 400', async () => {
  const net = network();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 80 }),
      fc.constantFrom('aes-gcm', 'xchacha20' as const),
      async (garbage, encType) => {
        // A layer sealed properly to node 0 whose plaintext is garbage instead of a frame.
        const eph = identityFromSeed(new Uint8Array(32).fill(200 + (n++ % 50)));
        const key = clientLayerKey(
          encType,
          eph.x25519SecretKey.exportBytes(),
          eph.x25519PublicKey,
          id(0).x25519PublicKey,
        );
        assert.ok(key !== undefined);
        const body = encodeOnionEnvelope({
          ciphertext: sealOnionLayer(key, garbage, rng),
          ephemeralKey: eph.x25519PublicKey,
          encType,
          hopNo: 0,
        });
        const res = await post(net, 0, body);
        assert.equal(res.status, 200);
        const opened = openOnionResponse(key, new Uint8Array(await res.arrayBuffer()));
        let isFrame = true;
        try {
          decodeOnionFrame(garbage);
        } catch {
          isFrame = false;
        }
        if (!isFrame) assert.deepEqual(opened, { ok: true, status: 400, body: 'Invalid json' });
      },
    ),
    { numRuns: 100 },
  );
});
