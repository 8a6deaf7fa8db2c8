/**
 * Cross-package: the client's "approval required" setter (`setApprovalRequired`,
 * `approvalRequired`, docs/sdk.md "Accounts and devices") against real service-node code. With
 * the policy on, a linking device stays outside the group, however often it polls, until an
 * existing device approves it; with the policy off (the default) it is admitted as soon as an
 * existing device polls. The setting survives in the store, so a new client over the same
 * store (a CLI's next process) still applies it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStores } from '@session-ts/sdk';
import { client, record, world } from './support/single-node-world.ts';

test('approval on: a linking device waits until an existing device approves it', async () => {
  const w = world();
  const store = createMemoryStores();
  const a1 = client(w, 'first', store);
  const created = await a1.createAccount();
  assert.equal(await a1.approvalRequired(), false, 'off by default');
  await a1.setApprovalRequired(true);
  assert.equal(await a1.approvalRequired(), true);

  // A later process over the same store (as session-cli runs) sees the setting.
  const again = client(w, 'first', store);
  assert.equal(await again.open(), true);
  assert.equal(await again.approvalRequired(), true);
  const prompts = record(again, 'device-link-requested');

  const a2 = client(w, 'second');
  const start = await a2.restoreAccount(created.recoveryPassword);
  assert.equal(start.kind, 'link-requested');
  await a2.confirmLink();
  for (let i = 0; i < 3; i++) {
    await again.poll();
    w.clock.advance(1000);
    await a2.poll();
    assert.equal(await a2.membership(), 'waiting');
  }
  assert.equal(prompts.length >= 1, true);
  assert.equal(prompts[0]?.autoApproved, false);
  const before = await again.listDevices();
  assert.equal(before.filter((d) => d.state === 'registered').length, 1);

  assert.equal(await again.approveDevice(prompts[0]?.requestId ?? -1), true);
  await a2.poll();
  assert.equal(await a2.membership(), 'in-group');
  await again.poll();
  const after = await again.listDevices();
  assert.equal(after.filter((d) => d.state === 'registered').length, 2);
});

test('approval off again: a linking device is admitted at the next poll', async () => {
  const w = world();
  const a1 = client(w, 'first');
  const created = await a1.createAccount();
  await a1.setApprovalRequired(true);
  await a1.setApprovalRequired(false);
  assert.equal(await a1.approvalRequired(), false);
  const prompts = record(a1, 'device-link-requested');

  const a2 = client(w, 'second');
  await a2.restoreAccount(created.recoveryPassword);
  await a2.confirmLink();
  await a1.poll();
  assert.equal(prompts[0]?.autoApproved, true);
  await a2.poll();
  assert.equal(await a2.membership(), 'in-group');
});
