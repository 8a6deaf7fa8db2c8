/**
 * `devices require-approval` and `devices approve` through `runCli`, in-process, against a small
 * real network (a seed and three service nodes on loopback, real HTTP and onion paths): with
 * approval required on A1, A2's link waits however often it polls, even after A2 confirmed the
 * SAS; `devices approve ID` on A1 admits it; an unknown ID or a bad switch is bad input (exit 2).
 * Also the progress line of a network command: on a terminal only, never with `--json`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemRng } from '@session-ts/core';
import { createSilentLogger } from '@session-ts/server-kit';
import { startInProcessNetwork } from '@session-ts/testnet';
import { runCaptured, type CapturedRun } from './run-captured.ts';

const clock = { now: () => Date.now() };
const rng = createSystemRng();

/** The last JSON line of a command's stdout (event lines come before the result). */
function result(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
}

test('approval required: A2 waits until devices approve on A1; bad IDs exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'session-ts-cli-approval-'));
  const local = await startInProcessNetwork({
    dir,
    nodes: 3,
    clock,
    rng,
    logger: createSilentLogger(),
  });
  try {
    const networkFile = join(dir, 'network.json');
    writeFileSync(networkFile, JSON.stringify(local.description));
    const env = { SESSION_TS_HOME: join(dir, 'home') };
    const run = (argv: string[], terminal = false): Promise<CapturedRun> =>
      runCaptured(argv, { rng, env, terminal });
    const a1 = ['--network', networkFile, '--profile', 'a1', '--json'];
    const a2 = ['--network', networkFile, '--profile', 'a2', '--json'];

    const created = await run(['account', 'create', ...a1]);
    assert.equal(created.code, 0, created.err);
    const words = result(created.out)['recoveryPassword'] as string;

    // The switch: shown, set, shown again; anything but on/off is bad input.
    const initially = await run(['devices', 'require-approval', '--profile', 'a1', '--json']);
    assert.deepEqual(result(initially.out), { approvalRequired: false });
    const on = await run(['devices', 'require-approval', 'on', '--profile', 'a1', '--json']);
    assert.equal(on.code, 0, on.err);
    assert.deepEqual(result(on.out), { approvalRequired: true });
    const shown = await run(['account', 'show', '--profile', 'a1', '--json']);
    assert.equal(result(shown.out)['approvalRequired'], true);
    const maybe = await run(['devices', 'require-approval', 'maybe', '--profile', 'a1', '--json']);
    assert.equal(maybe.code, 2);
    assert.match(maybe.err, /expected on or off/);

    // A2 asks to link and confirms its SAS at once; A1 sees the request but does not admit it.
    const restored = await run(['account', 'restore', words, ...a2]);
    assert.equal(restored.code, 0, restored.err);
    const sas = result(restored.out)['sas'];
    const confirmed = await run(['devices', 'link', '--confirm', ...a2]);
    assert.equal(confirmed.code, 0, confirmed.err);
    assert.equal(result(confirmed.out)['membership'], 'waiting');
    const listed = await run(['devices', 'list', ...a1]);
    assert.equal(listed.code, 0, listed.err);
    const table = result(listed.out) as {
      approvalRequired: boolean;
      devices: { id: string; state: string }[];
      pendingRequests: { deviceId: string; sas: string }[];
    };
    assert.equal(table.approvalRequired, true);
    assert.equal(table.devices.filter((d) => d.state === 'registered').length, 1);
    assert.equal(table.pendingRequests.length, 1);
    const pending = table.pendingRequests[0]!;
    assert.equal(pending.sas, sas);
    for (let i = 0; i < 2; i++) {
      const waiting = await run(['devices', 'link', ...a2]);
      assert.equal(result(waiting.out)['membership'], 'waiting');
      assert.equal((await run(['receive', ...a1])).code, 0);
    }

    // Unknown IDs are bad input and change nothing.
    for (const id of ['ffffffff', 'not-an-id', '99']) {
      const r = await run(['devices', 'approve', id, ...a1]);
      assert.equal(r.code, 2, `${id}: ${r.err}`);
      assert.equal(r.out, '');
      assert.match((JSON.parse(r.err) as { message: string }).message, /no pending link request/);
    }
    assert.equal(result((await run(['devices', 'link', ...a2])).out)['membership'], 'waiting');

    const approved = await run(['devices', 'approve', pending.deviceId, ...a1]);
    assert.equal(approved.code, 0, approved.err);
    assert.deepEqual(result(approved.out), { deviceId: pending.deviceId, approved: true, sas });
    const linked = await run(['devices', 'link', ...a2]);
    assert.equal(result(linked.out)['membership'], 'in-group');
    const after = result((await run(['devices', 'list', ...a1])).out) as {
      devices: { state: string }[];
      pendingRequests: unknown[];
    };
    assert.equal(after.devices.filter((d) => d.state === 'registered').length, 2);
    assert.deepEqual(after.pendingRequests, []);
    // Approving twice: the request is gone.
    assert.equal((await run(['devices', 'approve', pending.deviceId, ...a1])).code, 2);

    const off = await run(['devices', 'require-approval', 'off', '--profile', 'a1']);
    assert.equal(off.code, 0, off.err);
    assert.match(off.out, /approval not required/);

    // Progress: on a terminal a status line on stderr, cleared before the result; nothing with
    // --json (even on a terminal) or off a terminal.
    const human = ['devices', 'list', '--network', networkFile, '--profile', 'a1'];
    const onTerminal = await run(human, true);
    assert.equal(onTerminal.code, 0, onTerminal.err);
    assert.match(onTerminal.err, /… fetching the device group/);
    assert.ok(onTerminal.err.endsWith('\r\x1b[2K'), 'the progress line is cleared');
    assert.ok(!onTerminal.out.includes('\x1b'), 'stdout carries no progress');
    assert.equal((await run([...human, '--json'], true)).err, '');
    assert.equal((await run(human, false)).err, '');
  } finally {
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
