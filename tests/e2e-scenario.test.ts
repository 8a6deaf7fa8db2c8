/**
 * The end-to-end scenario of issue #7 with real processes and real HTTP: `session-cli devnet up`
 * (the real binary) starts a seed and service nodes as child processes, and every client step is
 * a `session-cli` child process with its own profile in a temp SESSION_TS_HOME:
 * Alice creates an account on A1 and restores it on A2 (the SAS A2 prints is the one A1
 * receives), A2 confirms the link; Bob (B1) writes to Alice → a PFS message request on A1 and on
 * A2; Alice accepts on A1; a conversation runs both ways over PFS (from `receive --json`
 * metadata); a service node of Alice's swarm is SIGKILLed mid-conversation and messages still
 * arrive both ways; a 10-second after-send disappearing message reaches Bob with its expiry and
 * is deleted as expired on both sides; Alice removes A2: A2 learns it, and what A1 sends after
 * that (its sync copy is under the rotated account key) is undecryptable on A2.
 * Not covered: linking A3 with approval from A1 — the CLI has no way to turn on "approval
 * required" for an account, so every link is auto-approved. Bob's own next message is NOT
 * asserted unreadable on A2: Bob encrypts to Alice's cached PFS keys (fresh for 24 h), which
 * are the pre-removal ones that A2 still holds, so A2 does read it today.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { swarmForAccount, swarmIdFromHex, swarmIdToHex } from '@session-ts/core';

const BIN = join(import.meta.dirname, '..', 'apps', 'cli', 'bin', 'session-cli.js');
const NODES = 6;
const SWARM_SIZE = 3;

interface NodeStatus {
  readonly name: string;
  readonly url: string;
  readonly swarm: string;
  readonly pid: number | null;
}
interface Status {
  readonly seeds: { readonly pid: number | null }[];
  readonly nodes: NodeStatus[];
}
interface Up {
  readonly child: ChildProcess;
  readonly status: Status;
  readonly exited: Promise<number | null>;
}

/** `devnet up --json` as a child process; resolves with its ready (status) line. */
function devnetUp(dir: string): Promise<Up> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'devnet',
      'up',
      '--nodes',
      String(NODES),
      '--swarm-size',
      String(SWARM_SIZE),
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
  // Keep draining stdout after the ready line (crash reports are JSON lines there).
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    let ready = false;
    const fail = (why: string): void => {
      if (ready) return;
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`devnet up ${why}: ${stderr}`));
    };
    const timer = setTimeout(() => fail('printed no status line'), 90_000);
    void exited.then((code) => fail(`exited ${code}`));
    lines.on('line', (line) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      try {
        resolve({ child, status: JSON.parse(line) as Status, exited });
      } catch {
        reject(new Error(`devnet up printed a line that is not JSON: ${line}`));
      }
    });
  });
}

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** One `session-cli` child process; never rejects (the exit code is part of the result). */
function cliProcess(home: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, SESSION_TS_HOME: home }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: readonly number[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (pids.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

test(
  'issue #7 scenario: two people, three devices, a devnet of real processes',
  { timeout: 170_000 },
  async (t) => {
    const t0 = Date.now();
    const mark = (step: string): void =>
      t.diagnostic(`${step}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const dir = mkdtempSync(join(tmpdir(), 'session-ts-e2e-'));
    const devnetDir = join(dir, 'devnet');
    const home = join(dir, 'home');
    const network = ['--network', join(devnetDir, 'network.json'), '--json'];
    let up: Up | undefined;
    let pids: number[] = [];
    try {
      up = await devnetUp(devnetDir);
      pids = [...up.status.seeds, ...up.status.nodes].map((d) => d.pid ?? -1).filter((p) => p > 0);
      assert.equal(up.status.nodes.length, NODES);

      /** Runs session-cli as PROFILE; fails the test on a non-zero exit. */
      const as = async (profile: string, ...args: string[]): Promise<Run> => {
        const r = await cliProcess(home, [...args, '--profile', profile, ...network]);
        assert.equal(r.code, 0, `${profile}: ${args.join(' ')} → ${r.code}\n${r.err}`);
        return r;
      };
      // Every event each profile printed, in order (expiries can show up in any later run).
      const seen = new Map<string, Record<string, unknown>[]>();
      const events = async (profile: string, ...args: string[]) => {
        const evs = jsonLines((await as(profile, ...args)).out);
        seen.set(profile, [...(seen.get(profile) ?? []), ...evs]);
        return evs;
      };
      const messages = (evs: Record<string, unknown>[]) =>
        evs.filter((e) => e['event'] === 'message');

      mark('before step 1');
      // 1. Alice on A1; A2 restores from the recovery password: the same SAS on both sides.
      const created = JSON.parse((await as('a1', 'account', 'create')).out) as {
        sessionId: string;
        recoveryPassword: string;
      };
      const aliceId = created.sessionId;
      assert.match(aliceId, /^05[0-9a-f]{64}$/);
      const restored = JSON.parse(
        (await as('a2', 'account', 'restore', created.recoveryPassword)).out,
      ) as { sessionId: string; link: string; sas: string };
      assert.equal(restored.sessionId, aliceId);
      assert.equal(restored.link, 'requested');
      assert.equal(restored.sas.split(' ').length, 7);
      const asked = (await events('a1', 'receive')).find(
        (e) => e['event'] === 'device-link-requested',
      );
      assert.equal(asked?.['sas'], restored.sas, 'A1 shows the SAS A2 printed');
      const confirmed = await events('a2', 'devices', 'link', '--confirm');
      assert.equal(confirmed.at(-1)?.['membership'], 'in-group');

      mark('before step 2');
      // 2. Bob on B1 writes first: a PFS message request on A1 and on A2.
      const bobId = (JSON.parse((await as('b1', 'account', 'create')).out) as { sessionId: string })
        .sessionId;
      const first = JSON.parse((await as('b1', 'send', aliceId, 'hello', 'alice')).out) as {
        security: string;
      };
      assert.equal(first.security, 'pfs');
      const [onA1, onA2] = await Promise.all([events('a1', 'receive'), events('a2', 'receive')]);
      for (const [device, evs] of [
        ['A1', onA1],
        ['A2', onA2],
      ] as const) {
        const m = messages(evs).find((e) => e['body'] === 'hello alice');
        assert.equal(m?.['path'], 'pfs', `${device} reads Bob's request over PFS`);
        assert.equal(m?.['sender'], bobId);
        assert.ok(
          evs.some((e) => e['event'] === 'request' && e['conversationId'] === bobId),
          `${device} sees a message request`,
        );
      }
      const lists = await Promise.all(['a1', 'a2'].map((p) => as(p, 'requests', 'list')));
      for (const l of lists) {
        const listed = (JSON.parse(l.out) as { requests: { id: string }[] }).requests;
        assert.deepEqual(
          listed.map((r) => r.id),
          [bobId],
        );
      }

      mark('before step 3');
      // 3. Alice accepts on A1; a conversation both ways, every message over PFS.
      await as('a1', 'requests', 'accept', bobId);
      const exchange = async (tag: string): Promise<void> => {
        const out = JSON.parse((await as('a1', 'send', bobId, `alice ${tag}`)).out) as {
          security: string;
        };
        assert.equal(out.security, 'pfs');
        const atBob = messages(await events('b1', 'receive'));
        assert.deepEqual(
          atBob.map((e) => [e['body'], e['path']]),
          [[`alice ${tag}`, 'pfs']],
          `Bob gets "alice ${tag}"`,
        );
        await as('b1', 'send', aliceId, `bob ${tag}`);
        const atAlice = messages(await events('a1', 'receive'));
        assert.deepEqual(
          atAlice.map((e) => [e['body'], e['path']]),
          [[`bob ${tag}`, 'pfs']],
          `Alice gets "bob ${tag}"`,
        );
      };
      await exchange('one');

      mark('before step 4');
      // 4. A service node of Alice's swarm dies (SIGKILL) mid-conversation: nothing is lost.
      const swarmIds = [...new Set(up.status.nodes.map((n) => n.swarm))].map(swarmIdFromHex);
      const aliceSwarm = swarmForAccount(aliceId, swarmIds);
      assert.ok(aliceSwarm !== undefined);
      const victim = up.status.nodes.find((n) => n.swarm === swarmIdToHex(aliceSwarm));
      assert.ok(victim?.pid !== null && victim?.pid !== undefined, "a node of Alice's swarm");
      const pending = JSON.parse((await as('a1', 'send', bobId, 'before the crash')).out) as {
        status: string;
      };
      assert.notEqual(pending.status, 'failed');
      process.kill(victim.pid, 'SIGKILL');
      await waitGone([victim.pid], 5_000);
      assert.ok(!alive(victim.pid));
      const afterCrash = messages(await events('b1', 'receive'));
      assert.deepEqual(
        afterCrash.map((e) => e['body']),
        ['before the crash'],
      );
      await exchange('two');

      mark('before step 5');
      // 5. A 10-second after-send disappearing message (checked in step 7, after it expired); the
      // timer is turned off again so step 6 sends ordinary messages.
      const timer = JSON.parse(
        (await as('a1', 'disappearing', 'set', bobId, 'after-send', '10s')).out,
      ) as { mode: string; timerSeconds: number };
      assert.deepEqual(timer, { conversationId: bobId, mode: 'after-send', timerSeconds: 10 });
      const vanishing = JSON.parse((await as('a1', 'send', bobId, 'this will vanish')).out) as {
        id: string;
        expiresAt?: number;
      };
      assert.ok(vanishing.expiresAt !== undefined, 'the message has an expiry');
      const bobGot = messages(await events('b1', 'receive')).find(
        (e) => e['body'] === 'this will vanish',
      );
      assert.ok(bobGot !== undefined, 'Bob receives it before it expires');
      assert.equal(typeof bobGot['expiresAt'], 'number', 'with an expiry on his side too');
      const lastOf = async (profile: string): Promise<string | undefined> => {
        const c = (
          JSON.parse((await as(profile, 'conversations')).out) as {
            conversations: { id: string; lastMessage?: { body: string } }[];
          }
        ).conversations.find((x) => x.id === (profile === 'b1' ? aliceId : bobId));
        return c?.lastMessage?.body;
      };
      assert.equal(await lastOf('b1'), 'this will vanish');
      await as('a1', 'disappearing', 'set', bobId, 'off');
      await as('b1', 'receive');

      mark('before step 6');
      // 6. Alice removes A2 (the account key rotates): what A1 sends after that reaches Bob and
      // A1's other devices' sync copy is under the new key, so A2 cannot read it.
      const list = (await events('a1', 'devices', 'list')).at(-1) as {
        devices: { id: string; self: boolean; state: string }[];
      };
      const a2 = list.devices.find((d) => !d.self);
      assert.equal(a2?.state, 'registered');
      await as('a1', 'devices', 'remove', a2?.id ?? '');
      await as('a1', 'send', bobId, 'alice after removal');
      await as('b1', 'send', aliceId, 'bob after removal');
      assert.deepEqual(
        messages(await events('b1', 'receive')).map((e) => [e['body'], e['path']]),
        [['alice after removal', 'pfs']],
      );
      assert.deepEqual(
        messages(await events('a1', 'receive')).map((e) => e['body']),
        ['bob after removal'],
      );
      // A2's next poll: it learns it was removed, and A1's post-removal sync copy is closed to it.
      const a2Events = await events('a2', 'receive');
      assert.ok(
        a2Events.some((e) => e['event'] === 'device-removed' && e['self'] === true),
        'A2 learns it was removed',
      );
      assert.ok(
        !messages(a2Events).some((e) => e['body'] === 'alice after removal'),
        'A2 cannot read it',
      );
      assert.ok((a2Events.at(-1)?.['undecryptable'] as number) >= 1, 'it is undecryptable on A2');

      mark('before step 7');
      // 7. Once its 10 s are up the disappearing message is deleted on both sides (the receive
      // schedules delete expired messages).
      const wait = vanishing.expiresAt - Date.now() + 1_000;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await Promise.all([events('a1', 'receive'), events('b1', 'receive')]);
      for (const [profile, id] of [
        ['a1', vanishing.id],
        ['b1', bobGot['id']],
      ] as const) {
        assert.ok(
          (seen.get(profile) ?? []).some(
            (e) =>
              e['event'] === 'message-deleted' &&
              e['messageId'] === id &&
              e['reason'] === 'expired',
          ),
          `${profile}: the disappearing message expired`,
        );
      }
      const [lastA1, lastB1] = await Promise.all([lastOf('a1'), lastOf('b1')]);
      assert.notEqual(lastA1, 'this will vanish');
      assert.notEqual(lastB1, 'this will vanish');
      mark('done');
    } finally {
      if (up !== undefined && up.child.exitCode === null) {
        up.child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([up.exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
        clearTimeout(timer);
      }
      await waitGone(pids, 5_000);
      for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
      if (up !== undefined && up.child.exitCode === null) up.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
