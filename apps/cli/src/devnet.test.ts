/**
 * `session-cli devnet up|status|down` with the real binary (issue #7): a devnet of 6 nodes in
 * swarms of 3 comes up as child processes and prints its status line; every node answers;
 * another process sees it with `devnet status --json`; SIGTERM stops every child; a second
 * start in the same directory resumes with the same keys and ports; `devnet down` from another
 * process stops it. Also: `npm start` in the README is what package.json runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isAlive,
  runCli,
  startDevnetProcess,
  waitForExitAll,
  type DevnetProcess,
  type DevnetStatus,
} from '@session-ts/testnet';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(import.meta.dirname, '..', 'bin', 'session-cli.js');

/** 6 nodes in swarms of 3: the smallest devnet with more than one swarm. */
const up = (dir: string): Promise<DevnetProcess> =>
  startDevnetProcess({ binPath: BIN, dir, nodes: 6, swarmSize: 3, readyTimeoutMs: 75_000 });

/** stdout of a command that must succeed. */
async function cli(...args: string[]): Promise<string> {
  const r = await runCli(BIN, args);
  assert.equal(r.code, 0, `session-cli ${args.join(' ')} → ${r.code}: ${r.err}`);
  return r.out;
}

test('devnet up, status from another process, SIGTERM, resume, down', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-devnet-'));
  const started: DevnetProcess[] = [];
  try {
    // 1. Up: the status line, 6 nodes in 2 swarms of 3, every process answering.
    const first = await up(dir);
    started.push(first);
    const s = first.status;
    assert.equal(s.running, true);
    assert.equal(s.seeds.length, 1);
    assert.match(s.seeds[0]?.pubkey ?? '', /^[0-9a-f]{64}$/);
    assert.equal(s.nodes.length, 6);
    const sizes = new Map<string, number>();
    for (const n of s.nodes) {
      assert.match(n.ed25519, /^[0-9a-f]{64}$/);
      assert.match(n.x25519, /^[0-9a-f]{64}$/);
      assert.match(n.swarm, /^[0-9a-f]{16}$/);
      assert.equal(n.running, true);
      sizes.set(n.swarm, (sizes.get(n.swarm) ?? 0) + 1);
      const stats = await fetch(`${n.url}/get_stats/v1`);
      assert.equal(stats.status, 200);
    }
    assert.deepEqual([...sizes.values()], [3, 3], 'two swarms of three');
    assert.equal(first.pids.length, 7);
    assert.ok(first.pids.every(isAlive));

    // network.json has exactly the documented shape.
    const network = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as {
      seeds: Record<string, string>[];
      nodes: Record<string, string>[];
    };
    assert.deepEqual(Object.keys(network), ['seeds', 'nodes']);
    assert.deepEqual(network.seeds, [{ url: s.seeds[0]?.url, pubkey: s.seeds[0]?.pubkey }]);
    assert.deepEqual(
      network.nodes,
      s.nodes.map(({ url, ed25519, x25519, swarm }) => ({ url, ed25519, x25519, swarm })),
    );

    // 2. Another process sees it.
    const seen = JSON.parse(await cli('devnet', 'status', '--dir', dir, '--json')) as DevnetStatus;
    assert.equal(seen.running, true);
    assert.deepEqual(seen.nodes, s.nodes);

    // 3. SIGTERM (as Ctrl-C would) stops every child; the status says so.
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.ok(await waitForExitAll(first.pids, 10_000), 'every child exited');
    const after = JSON.parse(await cli('devnet', 'status', '--dir', dir, '--json')) as DevnetStatus;
    assert.equal(after.running, false);
    assert.ok(after.nodes.every((n) => !n.running && n.pid === null));

    // 4. Again in the same directory: same keys, same ports.
    const second = await up(dir);
    started.push(second);
    const key = (n: DevnetStatus['nodes'][number]) => `${n.name} ${n.ed25519} ${n.port}`;
    assert.deepEqual(second.status.nodes.map(key), s.nodes.map(key));
    assert.equal(second.status.seeds[0]?.pubkey, s.seeds[0]?.pubkey);
    assert.equal(second.status.seeds[0]?.port, s.seeds[0]?.port);

    // 5. `devnet down` from another process stops the supervisor and its children.
    const down = JSON.parse(await cli('devnet', 'down', '--dir', dir, '--json')) as {
      stopped: string[];
    };
    assert.ok(down.stopped.includes('supervisor'));
    assert.equal(await second.exited, 0);
    assert.ok(await waitForExitAll(second.pids, 10_000), 'every child exited');
    const none = JSON.parse(await cli('devnet', 'down', '--dir', dir, '--json')) as {
      stopped: string[];
    };
    assert.deepEqual(none.stopped, []);
  } finally {
    for (const d of started) await d.stop(0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('devnet: bad sizes are bad input, a missing devnet is a failure', async () => {
  const zero = await runCli(BIN, ['devnet', 'up', '--nodes', '0']);
  assert.equal(zero.code, 2);
  assert.match(zero.err, /--nodes: expected an integer ≥ 1, got "0"/);
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-devnet-none-'));
  try {
    const none = await runCli(BIN, ['devnet', 'status', '--dir', dir]);
    assert.equal(none.code, 1);
    assert.match(none.err, /no devnet in/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the README says `npm ci && npm start`, and npm start runs devnet up', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  assert.equal(pkg.scripts['start'], 'node apps/cli/bin/session-cli.js devnet up');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /npm ci && npm start/);
  // The transcript in the README shows the table `devnet up` prints.
  assert.match(readme, /node\s+swarm\s+port\s+status/);
});
