/**
 * The client commands through `runCli`, in-process, against a small real network (a seed and
 * three service nodes on loopback, real HTTP and onion paths) described by a network.json in a
 * temp dir, with two profiles in a temp SESSION_TS_HOME: Alice and Bob create accounts, Bob
 * writes first, Alice sees a PFS message request, accepts and replies, Bob receives. Also the
 * bad-input exits (2), the profile's files and `account show`'s QR code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemRng } from '@session-ts/core';
import { createSilentLogger } from '@session-ts/server-kit';
import { startInProcessNetwork } from '@session-ts/testnet';
import { runCli } from './cli.ts';
import { runCaptured } from './run-captured.ts';
import { DEVNET_NETWORK_FILE, resolveNetworkFile } from './network-file.ts';
import { qrText } from './qr-text.ts';

const clock = { now: () => Date.now() };
const rng = createSystemRng();

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function cli(home: string) {
  return (argv: string[]): Promise<Run> =>
    runCaptured(argv, { rng, env: { SESSION_TS_HOME: home } });
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('session-cli client commands over a real local network', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-cli-client-'));
  const logger = createSilentLogger();
  const local = await startInProcessNetwork({ dir, nodes: 3, clock, rng, logger });
  try {
    const networkFile = join(dir, 'network.json');
    writeFileSync(networkFile, JSON.stringify(local.description));
    const home = join(dir, 'home');
    const run = cli(home);
    const net = ['--network', networkFile];
    const alice = [...net, '--profile', 'alice', '--json'];
    const bob = [...net, '--profile', 'bob', '--json'];

    const a = await run(['account', 'create', ...alice]);
    assert.equal(a.code, 0, a.err);
    const aliceId = (JSON.parse(a.out) as { sessionId: string }).sessionId;
    assert.match(aliceId, /^05[0-9a-f]{64}$/);
    const b = await run(['account', 'create', ...bob]);
    assert.equal(b.code, 0, b.err);
    const bobId = (JSON.parse(b.out) as { sessionId: string }).sessionId;

    // The profile's files: an encrypted store and a 0600 key file.
    const keyFile = join(home, 'profiles', 'alice', 'store.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const shown = await run(['account', 'show', '--profile', 'alice', '--json']);
    assert.equal(shown.code, 0, shown.err);
    assert.equal((JSON.parse(shown.out) as { sessionId: string }).sessionId, aliceId);
    // A second create into the same profile is refused.
    assert.equal((await run(['account', 'create', ...alice])).code, 2);

    assert.equal((await run(['profile', 'set', '--name', 'Bob', ...bob])).code, 0);
    const sent = await run(['send', aliceId, 'hello', 'alice', ...bob]);
    assert.equal(sent.code, 0, sent.err);
    assert.equal((JSON.parse(sent.out) as { security: string }).security, 'pfs');

    const received = await run(['receive', ...alice]);
    assert.equal(received.code, 0, received.err);
    const events = jsonLines(received.out);
    const message = events.find((e) => e['event'] === 'message');
    assert.equal(message?.['body'], 'hello alice');
    assert.equal(message?.['path'], 'pfs');
    assert.equal(message?.['sender'], bobId);
    assert.ok(events.some((e) => e['event'] === 'request' && e['conversationId'] === bobId));
    assert.deepEqual(events.at(-1), { event: 'done', handled: 1, undecryptable: 0 });

    const requests = await run(['requests', 'list', ...alice]);
    assert.equal(requests.code, 0, requests.err);
    const listed = (JSON.parse(requests.out) as { requests: { id: string }[] }).requests;
    assert.deepEqual(
      listed.map((r) => r.id),
      [bobId],
    );

    const accepted = await run(['requests', 'accept', bobId, ...alice]);
    assert.equal(accepted.code, 0, accepted.err);
    assert.equal(
      (JSON.parse((await run(['requests', 'list', ...alice])).out) as { requests: [] }).requests
        .length,
      0,
    );
    const reply = await run(['send', bobId, 'hi bob', ...alice]);
    assert.equal(reply.code, 0, reply.err);

    const bobReceived = jsonLines((await run(['receive', ...bob])).out);
    const replyEvent = bobReceived.find((e) => e['event'] === 'message');
    assert.equal(replyEvent?.['body'], 'hi bob');
    assert.equal(replyEvent?.['path'], 'pfs');

    const convs = await run(['conversations', ...alice]);
    const list = (
      JSON.parse(convs.out) as { conversations: { id: string; requestState: string }[] }
    ).conversations;
    assert.deepEqual(
      list.map((c) => [c.id, c.requestState]),
      [[bobId, 'accepted']],
    );
    const contacts = await run(['contacts', ...alice]);
    assert.equal(contacts.code, 0, contacts.err);
    const aliceContacts = (
      JSON.parse(contacts.out) as { contacts: { sessionId: string; name?: string }[] }
    ).contacts;
    assert.equal(aliceContacts.find((c) => c.sessionId === bobId)?.name, 'Bob');

    const timer = await run(['disappearing', 'set', bobId, 'after-send', '1h', ...alice]);
    assert.equal(timer.code, 0, timer.err);
    assert.deepEqual(JSON.parse(timer.out), {
      conversationId: bobId,
      mode: 'after-send',
      timerSeconds: 3600,
    });
    const afterRead = await run(['disappearing', 'set', bobId, 'after-read', '5m', ...alice]);
    assert.deepEqual(JSON.parse(afterRead.out), {
      conversationId: bobId,
      mode: 'after-read',
      timerSeconds: 300,
    });
    const timerOff = await run(['disappearing', 'set', bobId, 'off', ...alice]);
    assert.equal(timerOff.code, 0, timerOff.err);
    assert.equal((JSON.parse(timerOff.out) as { mode: string }).mode, 'off');

    const devices = await run(['devices', 'list', ...alice]);
    assert.equal(devices.code, 0, devices.err);
    const table = jsonLines(devices.out).at(-1) as { devices: { self: boolean }[] };
    assert.equal(table.devices.filter((d) => d.self).length, 1);

    // receive --follow: one JSON line per event as it comes, until the stop signal.
    const stop = new AbortController();
    let followed = '';
    const following = runCli(['receive', '--follow', '--interval', '200', ...bob], {
      stdout: (t) => (followed += t),
      stderr: () => undefined,
      rng,
      env: { SESSION_TS_HOME: home },
      signal: stop.signal,
    });
    assert.equal((await run(['send', bobId, 'are you there?', ...alice])).code, 0);
    const until = Date.now() + 20_000;
    while (!followed.includes('are you there?') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    stop.abort();
    assert.equal(await following, 0);
    const live = jsonLines(followed);
    assert.equal(live.find((e) => e['event'] === 'message')?.['body'], 'are you there?');
    assert.equal(live.at(-1)?.['event'], 'done');

    // A second device for Alice: the same SAS on both sides, confirmed, then removed.
    const words = (JSON.parse(a.out) as { recoveryPassword: string }).recoveryPassword;
    const alice2 = [...net, '--profile', 'alice2', '--json'];
    const restored = await run(['account', 'restore', words, ...alice2]);
    assert.equal(restored.code, 0, restored.err);
    const link = JSON.parse(restored.out) as { sessionId: string; link: string; sas: string };
    assert.equal(link.sessionId, aliceId);
    assert.equal(link.link, 'requested');
    assert.equal(link.sas.split(' ').length, 7);
    const seen = jsonLines((await run(['receive', ...alice])).out);
    const asked = seen.find((e) => e['event'] === 'device-link-requested');
    assert.equal(asked?.['sas'], link.sas);
    const confirmed = await run(['devices', 'link', '--confirm', ...alice2]);
    assert.equal(confirmed.code, 0, confirmed.err);
    assert.equal(jsonLines(confirmed.out).at(-1)?.['membership'], 'in-group');
    const two = jsonLines((await run(['devices', 'list', ...alice])).out).at(-1) as {
      devices: { id: string; self: boolean; state: string }[];
    };
    const other = two.devices.find((d) => !d.self);
    assert.equal(other?.state, 'registered');
    const removed = await run(['devices', 'remove', other?.id ?? '', ...alice]);
    assert.equal(removed.code, 0, removed.err);

    // Declining and blocking.
    const declined = await run(['requests', 'decline', bobId, ...alice]);
    assert.equal(declined.code, 0, declined.err);
    const stranger = '05' + 'cd'.repeat(32);
    const blocked = await run(['requests', 'block', stranger, ...alice]);
    assert.equal(blocked.code, 0, blocked.err);
    const after = JSON.parse((await run(['contacts', ...alice])).out) as {
      contacts: { sessionId: string; blocked: boolean }[];
    };
    assert.equal(after.contacts.find((c) => c.sessionId === stranger)?.blocked, true);

    // Bad input: exit 2 with a one-line reason, nothing on stdout.
    const missing = join(dir, 'nope.json');
    const bad: [string[], RegExp][] = [
      [['send', '05abc', 'hi', ...alice], /expected a Session ID/],
      [['send', 'not-an-id', 'hi', ...alice], /expected a Session ID/],
      [['account', 'show', '--profile', 'nobody', '--json'], /no account in profile 'nobody'/],
      [['receive', '--network', missing, '--profile', 'alice', '--json'], /--network: no file/],
      [['disappearing', 'set', bobId, 'after-send', 'soon', ...alice], /DURATION/],
      [['requests', 'accept', '05' + 'ab'.repeat(32), ...alice], /no conversation/],
      [['account', 'show', '--profile', '../etc', '--json'], /--profile/],
      [['disappearing', 'set', bobId, 'off', '1h', ...alice], /usage/],
      [['disappearing', 'set', bobId, 'sometimes', '1h', ...alice], /usage/],
      [['profile', 'set', ...alice], /--name NAME is required/],
      [['receive', '--interval', '5', ...alice], /--interval/],
      [['devices', 'remove', 'zz', ...alice], /DEVICE_ID/],
    ];
    for (const [argv, reason] of bad) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.code} ${r.err}`);
      assert.equal(r.out, '');
      const e = JSON.parse(r.err) as { error: string; message: string };
      assert.equal(e.error, 'bad-input');
      assert.match(e.message, reason);
    }
    // Human output: the Session ID, and a one-line reason on error.
    const human = await run(['account', 'show', '--profile', 'alice']);
    assert.match(human.out, new RegExp(`Session ID: ${aliceId}`));
    // The text form carries the Session ID's QR code (and not another ID's); JSON carries none.
    assert.ok(human.out.includes(qrText(aliceId)), 'QR code of the Session ID');
    assert.ok(!human.out.includes(qrText(bobId)));
    assert.ok(!shown.out.includes('█'));
    const noNet = await cli(join(dir, 'empty-home'))(['account', 'create', '--network', missing]);
    assert.equal(noNet.code, 2);
    assert.equal(noNet.err.trimEnd().split('\n').length, 1);
  } finally {
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the network file: --network, else ./.devnet/network.json, else a clear bad-input error', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'session-ts-cli-cwd-'));
  try {
    assert.throws(
      () => resolveNetworkFile(undefined, cwd),
      (e: Error & { code?: string }) => e.code === 'bad-input' && /no network/.test(e.message),
    );
    mkdirSync(join(cwd, '.devnet'));
    writeFileSync(join(cwd, DEVNET_NETWORK_FILE), '{"seeds": []}');
    assert.equal(resolveNetworkFile(undefined, cwd), join(cwd, DEVNET_NETWORK_FILE));
    assert.equal(resolveNetworkFile('.devnet/network.json', cwd), join(cwd, DEVNET_NETWORK_FILE));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
