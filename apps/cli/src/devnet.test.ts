/**
 * `session-cli devnet up|status|down` with the real binary (issue #7): a devnet of 6 nodes in
 * swarms of 3 comes up as child processes and prints its status line; every node answers;
 * another process sees it with `devnet status --json`; SIGTERM stops every child; a second
 * start in the same directory resumes with the same keys and ports; `devnet down` from another
 * process stops it. Also: `npm start` in the README is what package.json runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(import.meta.dirname, '..', 'bin', 'session-cli.js');
const run = promisify(execFile);

interface Daemon {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly pid: number | null;
  readonly running: boolean;
}
interface Status {
  readonly running: boolean;
  readonly seeds: (Daemon & { pubkey: string })[];
  readonly nodes: (Daemon & { ed25519: string; x25519: string; swarm: string })[];
}

interface Up {
  readonly child: ChildProcess;
  readonly status: Status;
  readonly exited: Promise<number | null>;
}

/** `devnet up --json` as a child process; resolves with its status line. */
function devnetUp(dir: string): Promise<Up> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'devnet',
      'up',
      '--nodes',
      '6',
      '--swarm-size',
      '3',
      '--dir',
      dir,
      '--base-port',
      '0',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      // SIGTERM: devnet up stops the children it started.
      child.kill('SIGTERM');
      reject(new Error(`devnet up ${why}: ${stderr}`));
    };
    const timer = setTimeout(() => fail('printed no status line'), 75_000);
    void exited.then((code) => fail(`exited ${code}`));
    // --json: the first stdout line is the status object.
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, status: JSON.parse(line) as Status, exited });
      } catch {
        fail(`printed a line that is not JSON: ${line}`);
      }
    });
  });
}

async function cli(...args: string[]): Promise<string> {
  return (await run(process.execPath, [BIN, ...args])).stdout;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function allGone(pids: readonly number[]): Promise<boolean> {
  const end = Date.now() + 10_000;
  while (pids.some(alive)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function pidsOf(status: Status): number[] {
  return [...status.seeds, ...status.nodes].map((d) => d.pid ?? -1);
}

test('devnet up, status from another process, SIGTERM, resume, down', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-devnet-'));
  const started: ChildProcess[] = [];
  let pids: number[] = [];
  try {
    // 1. Up: the status line, 6 nodes in 2 swarms of 3, every process answering.
    const first = await devnetUp(dir);
    started.push(first.child);
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
    pids = pidsOf(s);
    assert.ok(pids.every((p) => p > 0 && alive(p)));

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
    const seen = JSON.parse(await cli('devnet', 'status', '--dir', dir, '--json')) as Status;
    assert.equal(seen.running, true);
    assert.deepEqual(seen.nodes, s.nodes);

    // 3. SIGTERM (as Ctrl-C would) stops every child; the status says so.
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.ok(await allGone(pids), 'every child exited');
    const after = JSON.parse(await cli('devnet', 'status', '--dir', dir, '--json')) as Status;
    assert.equal(after.running, false);
    assert.ok(after.nodes.every((n) => !n.running && n.pid === null));

    // 4. Again in the same directory: same keys, same ports.
    const second = await devnetUp(dir);
    started.push(second.child);
    const key = (n: Status['nodes'][number]) => `${n.name} ${n.ed25519} ${n.port}`;
    assert.deepEqual(second.status.nodes.map(key), s.nodes.map(key));
    assert.equal(second.status.seeds[0]?.pubkey, s.seeds[0]?.pubkey);
    assert.equal(second.status.seeds[0]?.port, s.seeds[0]?.port);
    pids = pidsOf(second.status);

    // 5. `devnet down` from another process stops the supervisor and its children.
    const down = JSON.parse(await cli('devnet', 'down', '--dir', dir, '--json')) as {
      stopped: string[];
    };
    assert.ok(down.stopped.includes('supervisor'));
    assert.equal(await second.exited, 0);
    assert.ok(await allGone(pids), 'every child exited');
    const none = JSON.parse(await cli('devnet', 'down', '--dir', dir, '--json')) as {
      stopped: string[];
    };
    assert.deepEqual(none.stopped, []);
  } finally {
    for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
    for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('devnet: bad sizes are bad input, a missing devnet is a failure', async () => {
  await assert.rejects(run(process.execPath, [BIN, 'devnet', 'up', '--nodes', '0']), (e) => {
    const err = e as { code: number; stderr: string };
    assert.equal(err.code, 2);
    assert.match(err.stderr, /--nodes: expected an integer ≥ 1, got "0"/);
    return true;
  });
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-devnet-none-'));
  try {
    await assert.rejects(run(process.execPath, [BIN, 'devnet', 'status', '--dir', dir]), (e) => {
      const err = e as { code: number; stderr: string };
      assert.equal(err.code, 1);
      assert.match(err.stderr, /no devnet in/);
      return true;
    });
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
