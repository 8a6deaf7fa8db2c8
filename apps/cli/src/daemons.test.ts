/**
 * The daemons: `seed run` in-process through `runCli` (the dispatcher prints the ready line and
 * waits until the stop signal), then a whole local network as real processes of the
 * `session-cli` binary — a seed and three nodes, a store on one node reaching all three, a fourth
 * node receiving it on joining, `/metrics`, and a clean exit on SIGTERM with no key or message
 * data in the logs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fromHex, sessionIdFromEd25519, toBase64, utf8, type Rng } from '@session-ts/core';
import { runCli } from './cli.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'session-cli.js');

function counterRng(): Rng {
  let n = 1;
  return { randomBytes: (len) => new Uint8Array(len).map(() => (n = (n * 97 + 13) & 0xff)) };
}

function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `session-ts-${name}-`));
}

test('seed run in-process: prints the ready line, runs until the stop signal, exits 0', async () => {
  const dir = tempDir('cli-seed');
  const stop = new AbortController();
  let out = '';
  let err = '';
  try {
    const done = runCli(['seed', 'run', '--data', dir, '--port', '0', '--json'], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      rng: counterRng(),
      env: {},
      signal: stop.signal,
    });
    const deadline = Date.now() + 10_000;
    while (!out.includes('\n') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const ready = JSON.parse(out) as { url: string; pubkey: string };
    assert.deepEqual(Object.keys(ready).sort(), ['pubkey', 'url']);
    assert.match(ready.pubkey, /^[0-9a-f]{64}$/);
    const info = (await (await fetch(`${ready.url}/seed/v1/info`)).json()) as { pubkey: string };
    assert.equal(info.pubkey, ready.pubkey);
    stop.abort();
    assert.equal(await done, 0, err);
    await assert.rejects(fetch(`${ready.url}/seed/v1/info`));
    // A missing --data is a usage error, not a crash.
    let usage = '';
    const code = await runCli(['seed', 'run', '--json'], {
      stdout: () => undefined,
      stderr: (t) => (usage += t),
      rng: counterRng(),
    });
    assert.equal(code, 2);
    assert.match(usage, /--data \(or SESSION_SEED_DATA\) is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Daemon {
  readonly child: ChildProcess;
  readonly ready: Record<string, string>;
  readonly stderr: () => string;
}

/** Spawns the real binary and resolves with its first stdout line, parsed. */
function spawnDaemon(args: string[]): Promise<Daemon> {
  const child = spawn(process.execPath, [BIN, ...args, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ready line from ${args[0]}: ${stderr}`)),
      30_000,
    );
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, ready: JSON.parse(line) as Record<string, string>, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

function terminate(d: Daemon): Promise<number | null> {
  return new Promise((resolve) => {
    if (d.child.exitCode !== null) resolve(d.child.exitCode);
    d.child.once('exit', (code) => resolve(code));
    d.child.kill('SIGTERM');
  });
}

async function storedMessages(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^session_stored_messages (\d+)$/m.exec(text);
  return m === null ? -1 : Number(m[1]);
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a local network of real processes: seed, nodes, replication, SIGTERM', async () => {
  const dirs: string[] = [];
  const daemons: Daemon[] = [];
  const dir = (name: string): string => {
    const d = tempDir(name);
    dirs.push(d);
    return d;
  };
  try {
    // Every node in one swarm: min 1, ideal 5 (a second swarm needs ten nodes).
    const seed = await spawnDaemon([
      'seed',
      'run',
      '--data',
      dir('seed'),
      '--port',
      '0',
      '--min-swarm-size',
      '1',
      '--ideal-swarm-size',
      '5',
      '--refresh-ms',
      '1000',
    ]);
    daemons.push(seed);
    const seedUrl = seed.ready['url']!;
    const startNode = (i: number) =>
      spawnDaemon([
        'node',
        'run',
        '--data',
        dir(`node${i}`),
        '--port',
        '0',
        '--seed',
        seedUrl,
        '--seed-pubkey',
        seed.ready['pubkey']!,
        '--poll-ms',
        '200',
      ]);
    const nodes = await Promise.all([0, 1, 2].map(startNode));
    daemons.push(...nodes);
    for (const n of nodes) {
      assert.deepEqual(Object.keys(n.ready).sort(), ['ed25519', 'swarm', 'url', 'x25519']);
      assert.match(n.ready['ed25519']!, /^[0-9a-f]{64}$/);
      assert.equal(n.ready['x25519'], sessionIdFromEd25519(fromHex(n.ready['ed25519']!)).slice(2));
      assert.equal(n.ready['swarm'], '0000000000000000');
    }
    assert.equal(statSync(join(dirs[1]!, 'key_ed25519')).mode & 0o777, 0o600);

    // A store on one node (public inbox, no auth) reaches all three.
    const account = '05' + 'ab'.repeat(32);
    const secret = 'message text that must never be logged';
    const [n0, n1, n2] = nodes as [Daemon, Daemon, Daemon];
    await eventually('every node sees its two peers', async () => {
      const texts = await Promise.all(
        nodes.map(async (n) => (await fetch(`${n.ready['url']}/metrics`)).text()),
      );
      return texts.every((t) => /^session_swarm_peers 2$/m.test(t));
    });
    const res = await fetch(`${n0.ready['url']}/storage_rpc/v1`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'store',
        params: {
          pubkey: account,
          ttl: 600_000,
          timestamp: Date.now(),
          data: toBase64(utf8(secret)),
        },
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { swarm: Record<string, { failed?: boolean }> };
    assert.deepEqual(
      Object.keys(body.swarm).sort(),
      nodes.map((n) => n.ready['ed25519']).sort(),
      'one result per swarm member',
    );
    assert.ok(
      Object.values(body.swarm).every((r) => r.failed !== true),
      JSON.stringify(body),
    );
    for (const n of [n0, n1, n2]) assert.equal(await storedMessages(n.ready['url']!), 1);

    // A fourth node joins and receives the message stored before it came.
    const n3 = await startNode(3);
    daemons.push(n3);
    await eventually(
      'the joining node receives the stored message',
      async () => (await storedMessages(n3.ready['url']!)) === 1,
    );
    const metrics = await (await fetch(`${n0.ready['url']}/metrics`)).text();
    assert.match(metrics, /^session_rpc_requests_total\{method="store",status="200"\} 1$/m);
    assert.match(metrics, /^session_replication_lag_seconds \d/m);

    // SIGTERM: each exits 0; logs are JSON without keys or message data.
    for (const d of [...daemons].reverse()) {
      assert.equal(await terminate(d), 0, d.stderr());
      for (const line of d.stderr().trim().split('\n')) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        assert.ok(typeof entry['level'] === 'string' && typeof entry['msg'] === 'string');
      }
      for (const n of nodes)
        assert.ok(!d.stderr().includes(n.ready['ed25519']!), 'full key in logs');
      assert.ok(!d.stderr().includes(secret) && !d.stderr().includes(toBase64(utf8(secret))));
    }
  } finally {
    for (const d of daemons) if (d.child.exitCode === null) d.child.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
