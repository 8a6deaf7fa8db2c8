/**
 * The end-to-end scenario of issue #7 with real processes and real HTTP. `session-cli devnet up`
 * (the real binary, in `npm start`'s default shape: a seed and 9 service nodes in 3 swarms)
 * runs as a child process, and every client step is a `session-cli` child process with its own
 * profile in a temp SESSION_TS_HOME:
 *
 * 1. Alice creates an account on A1 and restores it on A2; A1 shows the SAS A2 printed and A2
 *    confirms it. Bob (B1) creates his and names himself.
 * 2. Bob writes first: a PFS message request on A1 and on A2.
 * 3. Alice accepts on A1; A2 sees the acceptance (config sync: Bob is an approved contact).
 * 4. A conversation both ways; every message's `receive --json` metadata says `path: pfs`.
 * 5. Alice turns "approval required" on (on A1 and A2: the setting is per device) and links A3:
 *    A3 confirms its SAS and waits until A1, which showed the same SAS, approves it.
 * 6. A 10-second after-send disappearing message: every node of Bob's swarm (and of Alice's, for
 *    her sync copy) holds it, asked directly over HTTP.
 * 7. Alice removes A2; Bob's next message, sent right after, is read on A1 and A3 and is
 *    undecryptable on A2 (the SDK re-reads Alice's −21 keys before each send).
 * 8. Once its 10 s are up the disappearing message is deleted on both clients and no node of
 *    either swarm serves it any more.
 * 9. A service node of Bob's swarm is SIGKILLed while a message to him waits there: he still
 *    gets it, and the conversation goes on both ways.
 *
 * The steps run in this order so that every node is still alive when the swarm is asked about
 * the expired message; independent client commands run in parallel to keep the wall time down.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  identityFromRecoveryPassword,
  isAlive,
  jsonLines,
  messagesAtNode,
  runCli,
  startDevnetProcess,
  swarmNodesOf,
  waitForExit,
  type DevnetProcess,
} from '@session-ts/testnet';

const BIN = join(import.meta.dirname, '..', 'apps', 'cli', 'bin', 'session-cli.js');

type Json = Record<string, unknown>;

const messages = (evs: readonly Json[]): Json[] => evs.filter((e) => e['event'] === 'message');
const bodies = (evs: readonly Json[]): unknown[][] =>
  messages(evs).map((e) => [e['body'], e['path']]);

test(
  'issue #7 scenario: two people, four devices, a devnet of real processes',
  { timeout: 240_000 },
  async (t) => {
    const t0 = Date.now();
    const mark = (step: string): void =>
      t.diagnostic(`${step}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const dir = mkdtempSync(join(tmpdir(), 'session-ts-e2e-'));
    const devnetDir = join(dir, 'devnet');
    const env = { ...process.env, SESSION_TS_HOME: join(dir, 'home') };
    const network = ['--network', join(devnetDir, 'network.json'), '--json'];
    let devnet: DevnetProcess | undefined;
    try {
      // No sizes: the shape `npm start` runs.
      devnet = await startDevnetProcess({ binPath: BIN, dir: devnetDir });
      const { status } = devnet;
      assert.equal(status.nodes.length, 9);
      const swarmSizes = new Map<string, number>();
      for (const n of status.nodes) swarmSizes.set(n.swarm, (swarmSizes.get(n.swarm) ?? 0) + 1);
      assert.deepEqual([...swarmSizes.values()], [3, 3, 3], 'three swarms of three');

      // Every JSON line each profile printed, in order (expiries show up in any later run).
      const seen = new Map<string, Json[]>();
      /** Runs session-cli as PROFILE; fails the test on a non-zero exit; its JSON lines. */
      const as = async (profile: string, ...args: string[]): Promise<Json[]> => {
        const r = await runCli(BIN, [...args, '--profile', profile, ...network], { env });
        assert.equal(r.code, 0, `${profile}: ${args.join(' ')} → ${r.code}\n${r.err}`);
        const lines = jsonLines(r.out);
        seen.set(profile, [...(seen.get(profile) ?? []), ...lines]);
        return lines;
      };
      /** The result line (the last one) of a command. */
      const result = async (profile: string, ...args: string[]): Promise<Json> =>
        (await as(profile, ...args)).at(-1) ?? {};

      mark('devnet ready');
      // 1. Alice on A1 (and Bob on B1); A2 restores from the recovery password: the same SAS on
      // both of Alice's screens, then A2 confirms.
      const [alice, bob] = await Promise.all([
        result('a1', 'account', 'create'),
        result('b1', 'account', 'create'),
      ]);
      const aliceId = alice['sessionId'] as string;
      const bobId = bob['sessionId'] as string;
      assert.match(aliceId, /^05[0-9a-f]{64}$/);
      assert.match(bobId, /^05[0-9a-f]{64}$/);
      const [restored, named] = await Promise.all([
        result('a2', 'account', 'restore', alice['recoveryPassword'] as string),
        // Bob's name travels with his messages (checked on A2 in step 3).
        result('b1', 'profile', 'set', '--name', 'Bob'),
      ]);
      assert.equal(named['displayName'], 'Bob');
      assert.equal(restored['sessionId'], aliceId);
      assert.equal(restored['link'], 'requested');
      assert.equal((restored['sas'] as string).split(' ').length, 7);
      const [a1Events, a2Shown] = await Promise.all([
        as('a1', 'receive'),
        result('a2', 'account', 'show'),
      ]);
      assert.equal(a2Shown['sessionId'], aliceId);
      const a2DeviceId = a2Shown['deviceId'] as string;
      const asked = a1Events.find((e) => e['event'] === 'device-link-requested');
      assert.equal(asked?.['deviceId'], a2DeviceId, 'A1 sees the request of A2');
      assert.equal(asked?.['sas'], restored['sas'], 'A1 shows the SAS A2 printed');
      assert.equal(asked?.['autoApproved'], true, 'approval is not required yet');
      const [confirmed, a1Approval] = await Promise.all([
        result('a2', 'devices', 'link', '--confirm'),
        // From now on new devices wait for an approval (used in step 5).
        result('a1', 'devices', 'require-approval', 'on'),
      ]);
      assert.equal(confirmed['membership'], 'in-group');
      assert.deepEqual(a1Approval, { approvalRequired: true });

      mark('A2 linked');
      // 2. Bob writes first: a PFS message request on A1 and on A2.
      const [first] = await Promise.all([
        result('b1', 'send', aliceId, 'hello alice'),
        // The setting is per device: A2 must not admit A3 on its own either.
        result('a2', 'devices', 'require-approval', 'on'),
      ]);
      assert.equal(first['security'], 'pfs');
      const [onA1, onA2] = await Promise.all([as('a1', 'receive'), as('a2', 'receive')]);
      for (const [device, evs] of [
        ['A1', onA1],
        ['A2', onA2],
      ] as const) {
        assert.deepEqual(bodies(evs), [['hello alice', 'pfs']], `${device} reads it over PFS`);
        assert.equal(messages(evs)[0]?.['sender'], bobId);
        assert.ok(
          evs.some((e) => e['event'] === 'request' && e['conversationId'] === bobId),
          `${device} sees a message request`,
        );
      }
      const lists = await Promise.all(['a1', 'a2'].map((p) => result(p, 'requests', 'list')));
      for (const l of lists) {
        assert.deepEqual(
          (l['requests'] as { id: string }[]).map((r) => r.id),
          [bobId],
        );
      }

      mark('request on A1 and A2');
      // 3. Alice accepts on A1; A2 sees the acceptance. 4. The conversation, both ways over PFS.
      assert.deepEqual(await result('a1', 'requests', 'accept', bobId), {
        conversationId: bobId,
        state: 'accepted',
      });
      const [aliceOne] = await Promise.all([
        result('a1', 'send', bobId, 'alice one'),
        as('a2', 'receive'),
      ]);
      assert.equal(aliceOne['security'], 'pfs');
      const [atBob, a2Contacts] = await Promise.all([
        as('b1', 'receive'),
        result('a2', 'contacts'),
      ]);
      assert.deepEqual(bodies(atBob), [['alice one', 'pfs']]);
      const bobOnA2 = (a2Contacts['contacts'] as Json[]).find((c) => c['sessionId'] === bobId);
      assert.equal(bobOnA2?.['approved'], true, 'A2 sees that A1 accepted Bob');
      assert.equal(bobOnA2?.['name'], 'Bob');

      mark('accepted');
      // 5. Bob answers while A3 asks to link; A1 sees both, A3 waits until A1 approves it.
      const [bobOne, a3Restored] = await Promise.all([
        result('b1', 'send', aliceId, 'bob one'),
        result('a3', 'account', 'restore', alice['recoveryPassword'] as string),
      ]);
      assert.equal(bobOne['security'], 'pfs');
      assert.equal(a3Restored['link'], 'requested');
      const [atA1, a3Confirmed] = await Promise.all([
        as('a1', 'receive'),
        result('a3', 'devices', 'link', '--confirm'),
      ]);
      assert.deepEqual(bodies(atA1), [['bob one', 'pfs']]);
      const a3Request = atA1.find((e) => e['event'] === 'device-link-requested');
      assert.equal(a3Request?.['sas'], a3Restored['sas'], 'A1 shows the SAS A3 printed');
      assert.equal(a3Request?.['autoApproved'], false);
      assert.equal(a3Confirmed['membership'], 'waiting', 'A3 waits for the approval');
      const approved = await result('a1', 'devices', 'approve', a3Request['deviceId'] as string);
      assert.deepEqual(approved, {
        deviceId: a3Request['deviceId'],
        approved: true,
        sas: a3Restored['sas'],
      });
      assert.equal((await result('a3', 'devices', 'link'))['membership'], 'in-group');

      mark('A3 linked with approval');
      // 6. A 10-second after-send disappearing message. Right after the send every node of
      // Bob's swarm holds it (with that expiry), and every node of Alice's holds her sync copy.
      assert.deepEqual(await result('a1', 'disappearing', 'set', bobId, 'after-send', '10s'), {
        conversationId: bobId,
        mode: 'after-send',
        timerSeconds: 10,
      });
      const vanishing = await result('a1', 'send', bobId, 'this will vanish');
      const expiresAt = vanishing['expiresAt'] as number;
      assert.equal(typeof expiresAt, 'number', 'the message has an expiry');
      const bobKeys = identityFromRecoveryPassword(bob['recoveryPassword'] as string);
      const aliceKeys = identityFromRecoveryPassword(alice['recoveryPassword'] as string);
      const swarms = [
        { who: 'Bob', nodes: swarmNodesOf(status, bobId), keys: bobKeys },
        { who: 'Alice', nodes: swarmNodesOf(status, aliceId), keys: aliceKeys },
      ];
      /** Per swarm, the hashes of namespace-0 messages that expire within a minute. */
      const shortLived = () =>
        Promise.all(
          swarms.map(async ({ nodes, keys }) => {
            const perNode = await Promise.all(nodes.map((n) => messagesAtNode(n.url, keys)));
            return perNode.map((ms) => ({
              all: ms.length,
              short: ms.filter((m) => m.expiration < Date.now() + 60_000).map((m) => m.hash),
            }));
          }),
        );
      const [bobGotIt, before] = await Promise.all([as('b1', 'receive'), shortLived()]);
      const bobGot = messages(bobGotIt).find((e) => e['body'] === 'this will vanish');
      assert.ok(bobGot !== undefined, 'Bob receives it before it expires');
      assert.equal(typeof bobGot['expiresAt'], 'number', 'with an expiry on his side too');
      for (const [i, { who, nodes }] of swarms.entries()) {
        assert.equal(nodes.length, 3);
        const held = before[i]?.map((n) => n.short) ?? [];
        assert.equal(held.length, 3);
        for (const h of held) assert.equal(h.length, 1, `${who}'s swarm: one short-lived message`);
        assert.equal(new Set(held.map((h) => h[0])).size, 1, `on every node of ${who}'s swarm`);
      }
      assert.deepEqual(before[0]?.[0]?.short, [bobGot['hash']], "Bob's copy is the one he read");
      assert.equal((await result('a1', 'disappearing', 'set', bobId, 'off'))['mode'], 'off');

      mark('disappearing message sent');
      // 7. Alice removes A2; Bob's next message is closed to A2 at once. (Bob's receive also
      // picks up the timer being turned off, so his messages are ordinary ones again.)
      const [devices] = await Promise.all([result('a1', 'devices', 'list'), as('b1', 'receive')]);
      const list = devices['devices'] as { id: string; self: boolean; state: string }[];
      assert.equal(list.filter((d) => d.state === 'registered').length, 3, 'A1, A2, A3');
      assert.ok(list.some((d) => d.id === a2DeviceId && !d.self));
      assert.deepEqual(await result('a1', 'devices', 'remove', a2DeviceId), {
        deviceId: a2DeviceId,
        removed: true,
      });
      const afterRemoval = await result('b1', 'send', aliceId, 'bob after removal');
      assert.equal(afterRemoval['security'], 'pfs');
      const [r1, r3, r2] = await Promise.all([
        as('a1', 'receive'),
        as('a3', 'receive'),
        as('a2', 'receive'),
      ]);
      // A3 last polled before step 6: whether it still catches the sync copy of the 10 s
      // message before it expires depends on how fast this machine got here, so that one is
      // left out (step 8 checks it is gone everywhere).
      const sinceStep6 = (evs: readonly Json[]): unknown[][] =>
        bodies(evs).filter(([body]) => body !== 'this will vanish');
      assert.deepEqual(sinceStep6(r1), [['bob after removal', 'pfs']], 'A1 reads it');
      assert.deepEqual(sinceStep6(r3), [['bob after removal', 'pfs']], 'A3 reads it');
      const hash = messages(r1)[0]?.['hash'];
      assert.equal(typeof hash, 'string');
      assert.ok(
        r2.some((e) => e['event'] === 'device-removed' && e['self'] === true),
        'A2 learns it was removed',
      );
      // (What A2 reads here was sent before the removal: it had not polled since step 4.)
      assert.ok(
        !messages(r2).some((e) => e['body'] === 'bob after removal'),
        "A2 cannot read Bob's message",
      );
      assert.ok(
        r2.some(
          (e) =>
            e['event'] === 'security-notice' &&
            e['kind'] === 'undecryptable' &&
            e['detail'] === hash,
        ),
        "Bob's message is undecryptable on A2",
      );

      mark('A2 removed');
      // 8. Once its 10 s are up the message is gone: deleted on both clients (their receive runs
      // the expiry schedule), and no node of either swarm serves it.
      const wait = expiresAt - Date.now() + 500;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const [after, , , convA1, convB1] = await Promise.all([
        shortLived(),
        as('a1', 'receive'),
        as('b1', 'receive'),
        result('a1', 'conversations'),
        result('b1', 'conversations'),
      ]);
      for (const [profile, id] of [
        ['a1', vanishing['id']],
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
      const lastOf = (convs: Json, peer: string): unknown =>
        (convs['conversations'] as { id: string; lastMessage?: { body: string } }[]).find(
          (c) => c.id === peer,
        )?.lastMessage?.body;
      assert.notEqual(lastOf(convA1, bobId), 'this will vanish');
      assert.notEqual(lastOf(convB1, aliceId), 'this will vanish');
      for (const [i, { who }] of swarms.entries()) {
        for (const node of after[i] ?? []) {
          assert.deepEqual(node.short, [], `no node of ${who}'s swarm serves it`);
          // The node did look: the account's other messages are still there.
          assert.ok(node.all > 0, `a node of ${who}'s swarm still serves the other messages`);
        }
      }

      mark('disappearing message gone');
      // 9. A node of Bob's swarm dies (SIGKILL) while Alice's message waits there for him.
      const victim = swarms[0]?.nodes[0];
      const victimPid = status.nodes.find((n) => n.url === victim?.url)?.pid;
      assert.ok(typeof victimPid === 'number' && isAlive(victimPid), "a node of Bob's swarm");
      const pending = await result('a1', 'send', bobId, 'before the crash');
      assert.equal(pending['status'], 'sent');
      process.kill(victimPid, 'SIGKILL');
      assert.ok(await waitForExit(victimPid, 5_000));
      assert.deepEqual(bodies(await as('b1', 'receive')), [['before the crash', 'pfs']]);
      await result('b1', 'send', aliceId, 'bob after the crash');
      assert.deepEqual(bodies(await as('a1', 'receive')), [['bob after the crash', 'pfs']]);
      mark('done');
    } finally {
      await devnet?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
