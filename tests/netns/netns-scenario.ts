/**
 * `npm run test:netns`: a conversation over a Session network spread across three Linux network
 * namespaces, one of which is cut off mid-conversation (docs/devnet.md "Across network
 * namespaces"). Not part of `npm test` (the file is no `*.test.ts`): it needs root.
 *
 * The seed and three service nodes run in namespace 1, three nodes each in namespaces 2 and 3
 * (9 nodes in swarms of 3, the devnet's shape, every process the real `session-cli` binary run
 * through `ip netns exec`), all joined by veth pairs to one bridge (`netns-topology.ts`). Alice
 * and Bob are `session-cli` processes in this namespace. They exchange messages; then each
 * sends one, a namespace is cut off (its link down) before either reads it, and the
 * conversation must go on both ways with nothing lost, every message over PFS. The namespace
 * cut does not hold the seed, leaves each of Alice's and Bob's swarms a node outside it, and of
 * those takes the most of their nodes. After the cut a client command may fail (its onion
 * paths still try the nodes that are gone); like a person, the scenario runs it again, and
 * reports how often that happened.
 *
 * Without root, or where `ip netns` fails, it prints why it skipped and exits 0. The namespaces
 * are deleted on every exit (success, failure, Ctrl-C).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  jsonLines,
  runCli,
  settledSwarms,
  spawnDaemon,
  swarmNodesOf,
  type DaemonProcess,
  type NetworkFile,
} from '@session-ts/testnet';
import { createTopology, netnsAvailable, type Topology } from './netns-topology.ts';

const BIN = join(import.meta.dirname, '..', '..', 'apps', 'cli', 'bin', 'session-cli.js');
const SWARM_SIZE = 3;
const NODES_PER_NAMESPACE = 3;
/** The devnet's timings (packages/testnet devnet.ts): a fresh network settles in seconds. */
const NODE_POLL_MS = 500;
const SEED_REFRESH_MS = 5_000;
const SEED_PORT = 23100;

const t0 = Date.now();
const say = (line: string): void => {
  process.stdout.write(`netns: [${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}\n`);
};

async function main(): Promise<number> {
  const available = netnsAvailable();
  if (!available.ok) {
    say(`SKIPPED: ${available.why}`);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-netns-'));
  let topology: Topology | undefined;
  const daemons: DaemonProcess[] = [];
  let keepLogs = false;
  const cleanUp = (): void => {
    for (const d of daemons) if (d.child.exitCode === null) d.child.kill('SIGKILL');
    topology?.destroy();
    topology = undefined;
    if (!keepLogs) rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    try {
      topology = createTopology((process.pid % 1_679_616).toString(36), 3);
    } catch (error) {
      say(`SKIPPED: could not build the namespaces: ${(error as Error).message.split('\n')[0]}`);
      return 0;
    }
    const { spokes } = topology;
    say(`namespaces ${spokes.map((s) => `${s.ns} (${s.ip})`).join(', ')} on a bridge`);

    // The seed in namespace 1, then three nodes in each namespace.
    const daemon = async (name: string, ns: string, args: string[]): Promise<DaemonProcess> => {
      const data = join(dir, name);
      mkdirSync(data, { recursive: true, mode: 0o700 });
      const d = await spawnDaemon({
        name,
        binPath: BIN,
        args: [...args, '--data', data],
        logPath: join(data, 'daemon.log'),
        readyTimeoutMs: 90_000,
        wrap: ['ip', 'netns', 'exec', ns],
      });
      daemons.push(d);
      return d;
    };
    const seedSpoke = spokes[0]!;
    const seed = await daemon('seed', seedSpoke.ns, [
      ...['seed', 'run', '--host', seedSpoke.ip, '--port', String(SEED_PORT)],
      ...['--min-swarm-size', '--ideal-swarm-size', '--max-swarm-size'].flatMap((f) => [
        f,
        String(SWARM_SIZE),
      ]),
      ...['--swarm-buffer', '0', '--refresh-ms', String(SEED_REFRESH_MS)],
    ]);
    const seedUrl = seed.ready['url'] ?? '';
    const seedPubkey = seed.ready['pubkey'] ?? '';
    const placed = spokes.flatMap((s, i) =>
      Array.from({ length: NODES_PER_NAMESPACE }, (_, k) => ({
        spoke: i,
        name: `node-${i * NODES_PER_NAMESPACE + k + 1}`,
        port: SEED_PORT + 1 + k,
      })),
    );
    const nodes = await Promise.all(
      placed.map(({ spoke, name, port }) => {
        const s = spokes[spoke]!;
        return daemon(name, s.ns, [
          ...['node', 'run', '--host', s.ip, '--ip', s.ip, '--port', String(port)],
          ...['--seed', seedUrl, '--seed-pubkey', seedPubkey, '--poll-ms', String(NODE_POLL_MS)],
        ]);
      }),
    );
    const keys = nodes.map((n) => n.ready['ed25519'] ?? '');
    const swarms = await settledSwarms(seedUrl, keys, NODE_POLL_MS);
    const network: NetworkFile = {
      seeds: [{ url: seedUrl, pubkey: seedPubkey }],
      nodes: nodes.map((n, i) => ({
        url: n.ready['url'] ?? '',
        ed25519: keys[i] ?? '',
        x25519: n.ready['x25519'] ?? '',
        swarm: swarms.get(keys[i] ?? '') ?? '',
      })),
    };
    const networkFile = join(dir, 'network.json');
    writeFileSync(networkFile, JSON.stringify(network));
    const spokeOf = new Map(network.nodes.map((n, i) => [n.url, placed[i]?.spoke ?? -1]));
    say(
      `seed and ${nodes.length} nodes ready in ${new Set(swarms.values()).size} swarms: ` +
        network.nodes.map((n) => `${n.url} ${n.swarm.slice(0, 4)}`).join(', '),
    );

    const env = { ...process.env, SESSION_TS_HOME: join(dir, 'home') };
    const as = async (profile: string, ...args: string[]): Promise<Record<string, unknown>[]> => {
      const r = await runCli(
        BIN,
        [...args, '--profile', profile, '--network', networkFile, '--json'],
        {
          env,
          timeoutMs: 120_000,
        },
      );
      assert.equal(r.code, 0, `${profile}: ${args.join(' ')} → ${r.code}\n${r.err}`);
      return jsonLines(r.out);
    };
    const texts = (evs: Record<string, unknown>[]): unknown[][] =>
      evs.filter((e) => e['event'] === 'message').map((e) => [e['body'], e['path']]);

    const [alice, bob] = await Promise.all([
      as('alice', 'account', 'create'),
      as('bob', 'account', 'create'),
    ]);
    const aliceId = alice.at(-1)?.['sessionId'] as string;
    const bobId = bob.at(-1)?.['sessionId'] as string;
    const swarmOf = (id: string): string => swarmNodesOf(network, id)[0]?.swarm.slice(0, 4) ?? '?';
    say(`Alice's swarm ${swarmOf(aliceId)}, Bob's ${swarmOf(bobId)}`);
    await as('bob', 'send', aliceId, 'hello alice');
    assert.deepEqual(texts(await as('alice', 'receive')), [['hello alice', 'pfs']]);
    await as('alice', 'requests', 'accept', bobId);
    await as('alice', 'send', bobId, 'hello bob');
    assert.deepEqual(texts(await as('bob', 'receive')), [['hello bob', 'pfs']]);
    say('Alice and Bob talk across the namespaces');

    // The spoke to cut: not the seed's; each of the two swarms keeps a node elsewhere; of those,
    // the one that takes the most of their nodes with it.
    const inSwarms = (i: number, who: string): number =>
      swarmNodesOf(network, who).filter((n) => spokeOf.get(n.url) === i).length;
    const candidates = [1, 2].filter(
      (i) => inSwarms(i, aliceId) < SWARM_SIZE && inSwarms(i, bobId) < SWARM_SIZE,
    );
    const hits = (i: number): number => inSwarms(i, aliceId) + inSwarms(i, bobId);
    const victim = candidates.sort((x, y) => hits(y) - hits(x))[0];
    assert.ok(victim !== undefined, 'a namespace whose loss leaves every swarm a node');
    const cutNodes = network.nodes.filter((n) => spokeOf.get(n.url) === victim);

    // Mid-conversation: a message each way is waiting in the swarms when the link goes down.
    await Promise.all([
      as('alice', 'send', bobId, 'alice before the cut'),
      as('bob', 'send', aliceId, 'bob before the cut'),
    ]);
    topology.cut(victim);
    say(
      `cut off ${spokes[victim]?.ns} mid-conversation: ${cutNodes.length} nodes unreachable, ` +
        `${inSwarms(victim, aliceId)} of Alice's swarm and ${inSwarms(victim, bobId)} of Bob's`,
    );
    assert.ok(!(await reachable(cutNodes[0]?.url ?? '')), 'the cut namespace no longer answers');

    // From here a command may fail as a person would see it fail (the client's onion paths
    // still try nodes that are gone); like that person, the test runs it again. What must hold
    // is that every message arrives, over PFS, within the deadline.
    const failures: string[] = [];
    const attempt = async (profile: string, ...args: string[]) => {
      const r = await runCli(
        BIN,
        [...args, '--profile', profile, '--network', networkFile, '--json'],
        { env, timeoutMs: 120_000 },
      );
      if (r.code !== 0) failures.push(`${profile} ${args[0]}: ${r.err.trim().slice(0, 200)}`);
      return r.code === 0 ? jsonLines(r.out) : undefined;
    };
    /** Sends until a run exits 0 (a send the network refused now stays queued: exit 0 too). */
    const send = async (from: string, to: string, body: string): Promise<void> => {
      for (let i = 0; i < 5; i++) if ((await attempt(from, 'send', to, body)) !== undefined) return;
      throw new Error(`${from} could not send "${body}" in 5 runs`);
    };
    /**
     * Alice and Bob receive (one process each, side by side) until every `[profile, body]`
     * has arrived over PFS; a receive also retries that profile's queued sends.
     */
    const untilDelivered = async (wanted: readonly (readonly [string, string])[]) => {
      const missing = new Set(wanted.map(([to, body]) => `${to}: ${body}`));
      const end = Date.now() + 150_000;
      while (missing.size > 0) {
        if (Date.now() > end) throw new Error(`not delivered in 150 s: ${[...missing].join(', ')}`);
        await Promise.all(
          ['alice', 'bob'].map(async (to) => {
            for (const [body, path] of texts((await attempt(to, 'receive')) ?? [])) {
              if (!missing.delete(`${to}: ${String(body)}`)) continue;
              assert.equal(path, 'pfs', `${to}: "${String(body)}" over PFS`);
            }
          }),
        );
      }
    };
    await untilDelivered([
      ['bob', 'alice before the cut'],
      ['alice', 'bob before the cut'],
    ]);
    say('the messages sent before the cut arrived');
    await Promise.all([
      send('alice', bobId, 'alice after the cut'),
      send('bob', aliceId, 'bob after the cut'),
    ]);
    await untilDelivered([
      ['bob', 'alice after the cut'],
      ['alice', 'bob after the cut'],
    ]);
    say(
      `${failures.length} client command(s) failed after the cut and were run again` +
        (failures.length === 0 ? '' : `; first: ${failures[0]}`),
    );
    say('every message arrived after the cut: PASS');
    return 0;
  } catch (error) {
    say(`FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    keepLogs = true;
    say(`daemon logs kept under ${dir}`);
    return 1;
  } finally {
    cleanUp();
    say('namespaces removed');
  }
}

/** True if `url` answers HTTP within 2 s. */
async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/get_stats/v1`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

process.exitCode = await main();
