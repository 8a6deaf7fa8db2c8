/**
 * Cross-package: the client network layer (`@session-ts/net`) against nodes and a server built
 * with server-kit's real onion endpoints (`createOnionEndpoint`, `createOnionV4Endpoint`), on an
 * in-process network. Shows the two sides agree: storage RPC through 3-hop paths to a swarm,
 * and a v4 request proxied by the last hop to an HTTP server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeOnionEnvelope,
  fromUtf8,
  identityFromSeed,
  toHex,
  utf8,
  type Identity,
  type OnionResult,
  type Rng,
} from '@session-ts/core';
import {
  createInProcessNetwork,
  createNetwork,
  isNetworkError,
  swarmNodeJson,
  type InProcessNetwork,
  type NodeInfo,
} from '@session-ts/net';
import {
  createApp,
  createOnionEndpoint,
  createOnionV4Endpoint,
  createSilentLogger,
  type OnionForwardOutcome,
} from '@session-ts/server-kit';

function rng(seed: number): Rng {
  let x = seed;
  return {
    randomBytes(n: number) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        out[i] = x >>> 24;
      }
      return out;
    },
  };
}

const logger = createSilentLogger();
const NODE_COUNT = 7;
const ids: Identity[] = Array.from({ length: NODE_COUNT }, (_, i) =>
  identityFromSeed(new Uint8Array(32).fill(40 + i)),
);
const infos: NodeInfo[] = ids.map((id, i) => ({
  pubkeyEd25519: toHex(id.ed25519PublicKey),
  pubkeyX25519: toHex(id.x25519PublicKey),
  ip: `10.2.0.${i + 1}`,
  port: 22021,
  swarmId: 0n,
}));
const server = identityFromSeed(new Uint8Array(32).fill(90));

async function forward(
  net: InProcessNetwork,
  from: string,
  target: { ip: string; port: number } | { url: string },
  path: string | undefined,
  body: Uint8Array,
  signal: AbortSignal,
): Promise<OnionForwardOutcome> {
  try {
    const res = await net.transport(from).request(target, body, {
      ...(path === undefined ? {} : { path }),
      timeoutMs: 5_000,
      signal,
    });
    return { kind: 'response', status: res.status, body: res.body };
  } catch (error) {
    return isNetworkError(error, 'timeout') ? { kind: 'timeout' } : { kind: 'unreachable' };
  }
}

function build(): InProcessNetwork {
  const net = createInProcessNetwork();
  ids.forEach((identity, i) => {
    const me = infos[i] as NodeInfo;
    const rpc = (body: Uint8Array): OnionResult => {
      const { method, params } = JSON.parse(fromUtf8(body)) as {
        method: string;
        params: Record<string, unknown>;
      };
      const t = Date.now();
      if (method === 'get_swarm') {
        return {
          status: 200,
          json: { snodes: infos.map(swarmNodeJson), swarm: '0000000000000000', t },
        };
      }
      if (method === 'store')
        return { status: 200, json: { hash: `stored-by-${me.ip}`, t, got: params['data'] } };
      return { status: 200, json: { version: [2, 8, 0], t } };
    };
    const app = createApp({
      logger,
      routes: [
        {
          method: 'POST',
          path: '/storage_rpc/v1',
          handler: async (req) => {
            const r = rpc(new Uint8Array(await req.arrayBuffer()));
            return Response.json('json' in r ? r.json : r.text, { status: r.status });
          },
        },
        createOnionEndpoint({
          identity,
          rng: rng(i + 1),
          logger,
          handleFinal: (body) => Promise.resolve(rpc(body)),
          relay: (next, envelope, signal) => {
            const target = infos.find((n) => n.pubkeyEd25519 === toHex(next));
            if (target === undefined) return Promise.resolve({ kind: 'unknown' as const });
            return forward(
              net,
              me.ip,
              target,
              '/onion_req/v2',
              encodeOnionEnvelope(envelope),
              signal,
            );
          },
          proxyToServer: (url, payload, signal) =>
            forward(net, me.ip, { url }, undefined, payload, signal),
        }),
      ],
    });
    net.register(`${me.ip}:${me.port}`, (req, ctx) => app.fetch(req, ctx));
  });
  const serverApp = createApp({
    logger,
    routes: [
      createOnionV4Endpoint({
        identity: server,
        rng: rng(99),
        logger,
        handle: async (req) =>
          Response.json({
            endpoint: new URL(req.url).pathname,
            method: req.method,
            body: await req.text(),
          }),
      }),
    ],
  });
  net.register('10.5.0.1:8080', (req, ctx) => serverApp.fetch(req, ctx));
  net.register('10.9.0.1:4433', () =>
    Promise.resolve(
      Response.json({
        result: {
          service_node_states: infos.map((n) => ({
            public_ip: n.ip,
            storage_port: n.port,
            pubkey_ed25519: n.pubkeyEd25519,
            pubkey_x25519: n.pubkeyX25519,
          })),
        },
      }),
    ),
  );
  return net;
}

test('the net client and the server-kit onion endpoints interoperate', async () => {
  const net = build();
  const network = createNetwork({
    transport: net.transport('192.0.2.77'),
    seeds: [{ url: 'http://10.9.0.1:4433' }],
    clock: { now: () => Date.now() },
    rng: rng(7),
    pool: { minSize: 4, refreshAgreement: 4 },
    sleep: () => Promise.resolve(),
  });
  const account = '05' + 'ab'.repeat(32);
  const stored = await network.storageRpc(account, 'store', { pubkey: account, data: 'aGk=' });
  assert.equal(stored.status, 200);
  assert.equal((stored.body as { got: string }).got, 'aGk=');
  assert.equal(network.paths.paths().length, 2);
  // Through a path, the last hop proxies a v4 request to the HTTP server.
  const answer = await network.onionRequest(
    {
      kind: 'server',
      server: {
        host: '10.5.0.1',
        port: 8080,
        protocol: 'http',
        x25519: toHex(server.x25519PublicKey),
      },
    },
    {
      method: 'POST',
      endpoint: '/hello',
      headers: { 'content-type': 'text/plain' },
      body: utf8('over the onion'),
    },
  );
  assert.equal(answer.kind, 'server-answer');
  if (answer.kind !== 'server-answer') return;
  assert.equal(answer.response.code, 200);
  assert.deepEqual(JSON.parse(fromUtf8(answer.response.body)), {
    endpoint: '/hello',
    method: 'POST',
    body: 'over the onion',
  });
  // The server was reached by a node, never by the client.
  assert.ok(net.seenBy('10.5.0.1:8080').every((d) => d.from.startsWith('10.2.0.')));
});
