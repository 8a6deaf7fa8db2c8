/**
 * Both transports keep one contract (`test-support/transport-contract.ts`): real HTTP on
 * loopback, and the in-process network; plus the in-process network's own hooks (dead nodes,
 * delays, the delivery log).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport } from './http-transport.ts';
import { createInProcessNetwork } from './in-process-transport.ts';
import { isNetworkError } from './network-error.ts';
import { targetUrl } from './transport.ts';
import { serveHttp, type LoopbackServer } from './test-support/http-serve.ts';
import { transportContract, type TransportHarness } from './test-support/transport-contract.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const httpHarness = (): Promise<TransportHarness> => {
  const servers: LoopbackServer[] = [];
  return Promise.resolve({
    transport: createHttpTransport(),
    async serve(handler) {
      const s = await serveHttp(handler);
      servers.push(s);
      return { node: { ip: '127.0.0.1', port: s.port }, url: s.url };
    },
    async deadTarget() {
      return { ip: '127.0.0.1', port: await freePort() };
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
    },
  });
};

const inProcessHarness = (): Promise<TransportHarness> => {
  const net = createInProcessNetwork();
  let n = 0;
  return Promise.resolve({
    transport: net.transport('192.0.2.1'),
    serve(handler) {
      n++;
      net.register(`10.1.0.${n}:80`, handler);
      return Promise.resolve({
        node: { ip: `10.1.0.${n}`, port: 80 },
        url: `http://10.1.0.${n}:80`,
      });
    },
    deadTarget: () => Promise.resolve({ ip: '10.1.9.9', port: 80 }),
    close: () => Promise.resolve(),
  });
};

for (const c of transportContract(httpHarness)) test(`http transport: ${c.name}`, c.run);
for (const c of transportContract(inProcessHarness)) test(`in-process transport: ${c.name}`, c.run);

test('in-process hooks: dead nodes, delays, and a log of what each node received', async () => {
  const net = createInProcessNetwork();
  net.register(
    '10.0.0.1:1',
    async (req, ctx) => new Response(`${ctx?.remoteAddress} sent ${await req.text()}`),
  );
  const client = net.transport('192.0.2.7');
  const target = { ip: '10.0.0.1', port: 1 };
  const res = await client.request(target, 'hi', {
    path: '/p',
    timeoutMs: 1000,
    headers: { a: 'b' },
  });
  assert.equal(new TextDecoder().decode(res.body), '192.0.2.7 sent hi');
  assert.deepEqual(
    net
      .seenBy('10.0.0.1:1')
      .map((d) => [d.from, d.to, d.path, new TextDecoder().decode(d.body), d.headers['a']]),
    [['192.0.2.7', '10.0.0.1:1', '/p', 'hi', 'b']],
  );
  net.setDown('10.0.0.1:1', true);
  await assert.rejects(client.request(target, 'x', { timeoutMs: 1000 }), (e) =>
    isNetworkError(e, 'unreachable'),
  );
  net.setDown('10.0.0.1:1', false);
  net.setDelay('10.0.0.1:1', 200);
  await assert.rejects(client.request(target, 'x', { timeoutMs: 50 }), (e) =>
    isNetworkError(e, 'timeout'),
  );
  net.setDelay('10.0.0.1:1', 0);
  assert.equal((await client.request(target, 'x', { timeoutMs: 1000 })).status, 200);
  net.clearLog();
  assert.equal(net.log.length, 0);
  assert.equal(targetUrl({ ip: '::1', port: 8 }, 'x'), 'http://[::1]:8/x');
});
