/**
 * A client store filled with one of everything, with the values an attacker would look for
 * returned beside it: the wipe contract checks they are all gone, and the seized-device test
 * greps the encrypted files for them.
 */
import { SecretKey, sampleDeviceState } from '@session-ts/core';
import type { ClientStore } from '../stores/client-store.ts';
import { sampleConversation, sampleMessage } from './conversation-store-contract.ts';
import { testAccountId, testBytes } from './contract-case.ts';

/** What `fillSampleStore` wrote that must never be readable without the key. */
export interface SampleClientData {
  /** The account seed. */
  readonly seed: Uint8Array;
  /** The device-group snapshot's secrets (device and account key seeds). */
  readonly deviceSecrets: readonly Uint8Array[];
  /** Message texts (each unique enough to grep for). */
  readonly messageBodies: readonly string[];
  /** Contacts' Session IDs (who talks to whom is secret too). */
  readonly contactIds: readonly string[];
  /** The queued send's plaintext content and the config data. */
  readonly outboxContent: Uint8Array;
  readonly configData: Uint8Array;
}

/** Fills every port of `store`; returns what it wrote. */
export async function fillSampleStore(store: ClientStore): Promise<SampleClientData> {
  const seed = testBytes('sample seed', 32);
  await store.account.putAccount({
    seed: new SecretKey('ed25519-seed', seed),
    createdAt: 1_700_000_000_000,
  });
  await store.account.updateSettings({ approvalRequired: true });
  const snapshot = sampleDeviceState('sample-client-data');
  await store.deviceState.put(snapshot);

  const alice = sampleConversation('alice');
  const bob = sampleConversation('bob', { requestState: 'request' });
  const messageBodies = [
    'Meet me at the north gate at 21:40, bring the documents',
    'The password for the archive is tangerine-42-osprey',
    'Zürich ✈️ Δelta — unicode message text',
  ];
  for (const c of [alice, bob]) {
    await store.conversations.putConversation(c);
    await store.contacts.putContact({
      accountId: c.id,
      name: `contact ${c.id.slice(2, 8)}`,
      approved: c === alice,
      approvedMe: true,
      blocked: false,
      createdAt: 1_700_000_000_000,
    });
    await store.contacts.putPfsKeys(c.id, {
      fetchedAt: 1_700_000_000,
      keys: {
        mlkemPublicKey: testBytes(`mlkem ${c.id}`, 1184),
        x25519PublicKey: testBytes(`x25519 ${c.id}`, 32),
      },
    });
    await store.contacts.putV2Record(c.id, { v2KeysSeenAt: 1_700_000_000 });
  }
  for (const [i, body] of messageBodies.entries()) {
    await store.conversations.addMessage(
      sampleMessage(i === 2 ? bob : alice, `sample-${i}`, 1_700_000_000_000 + i, { body }),
    );
  }
  await store.pollState.setLastHash({ node: 'node-1', account: alice.id, namespace: 0 }, 'h-0');
  await store.pollState.markSeen([{ hash: 'seen-1', expiresAt: 1_800_000_000_000 }]);
  const configData = new TextEncoder().encode('config: display name "Agent Orange" avatar url');
  await store.config.putConfig({
    owner: testAccountId('me'),
    namespace: 2,
    seqno: 7,
    data: configData,
    hashes: ['cfg-hash'],
    needsPush: true,
    updatedAt: 1_700_000_000_000,
  });
  const outboxContent = new TextEncoder().encode('queued: wire the money to account 7741-0031');
  await store.outbox.enqueue({
    id: 'queued-1',
    conversationId: alice.id,
    recipient: alice.id,
    content: outboxContent,
    sentAt: 1_700_000_000_100,
    ttlMs: 86_400_000,
    createdAt: 1_700_000_000_100,
    attempts: 0,
    nextAttemptAt: 1_700_000_000_100,
    waitingFor: 'keys',
  });
  return {
    seed,
    deviceSecrets: [...snapshot.deviceKeys, ...snapshot.accountKeys].map((k) =>
      k.seed.exportBytes(),
    ),
    messageBodies,
    contactIds: [alice.id, bob.id],
    outboxContent,
    configData,
  };
}
