/** The contract of `ConversationStore` (see stores/conversation-store.ts). */
import assert from 'node:assert/strict';
import { isStoreError } from '@session-ts/sqlite';
import type { ClientStore } from '../stores/client-store.ts';
import type { Conversation, StoredMessage } from '../stores/conversation-store.ts';
import { DISAPPEARING_OFF } from '../stores/conversation-store.ts';
import {
  testAccountId,
  testBytes,
  type ContractCase,
  type MakeClientStore,
} from './contract-case.ts';

const T0 = 1_700_000_000_000;

/** A conversation with a peer named by `label`. */
export function sampleConversation(
  label: string,
  fields: Partial<Conversation> = {},
): Conversation {
  return {
    id: testAccountId(label),
    kind: 'direct',
    requestState: 'accepted',
    readAt: 0,
    disappearing: DISAPPEARING_OFF,
    createdAt: T0,
    lastActivityAt: T0,
    ...fields,
  };
}

/** An incoming text message in `conversation`. */
export function sampleMessage(
  conversation: Conversation,
  id: string,
  sentAt: number,
  fields: Partial<StoredMessage> = {},
): StoredMessage {
  return {
    id,
    conversationId: conversation.id,
    hash: `hash-${id}`,
    direction: 'incoming',
    sender: conversation.id,
    body: `message ${id}`,
    sentAt,
    receivedAt: sentAt + 5,
    status: 'received',
    security: 'pfs',
    ...fields,
  };
}

async function withConversation(
  make: MakeClientStore,
  fields: Partial<Conversation> = {},
): Promise<{ store: ClientStore; c: Conversation }> {
  const store = await make();
  const c = sampleConversation('peer', fields);
  await store.conversations.putConversation(c);
  return { store, c };
}

/** The cases a `ConversationStore` must pass. */
export function conversationStoreContract(make: MakeClientStore): ContractCase[] {
  return [
    {
      name: 'conversations: put, get, update (mute, unmute, disappearing), missing is undefined',
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations } = store;
        assert.deepEqual(await conversations.getConversation(c.id), c);
        assert.equal(await conversations.getConversation(testAccountId('nobody')), undefined);
        const muted = await conversations.updateConversation(c.id, {
          mutedUntil: T0 + 3600_000,
          disappearing: { mode: 'after-read', timerSeconds: 300 },
          readAt: T0 + 10,
        });
        const expected: Conversation = {
          ...c,
          mutedUntil: T0 + 3600_000,
          disappearing: { mode: 'after-read', timerSeconds: 300 },
          readAt: T0 + 10,
        };
        assert.deepEqual(muted, expected);
        assert.deepEqual(await conversations.getConversation(c.id), expected);
        const unmuted = await conversations.updateConversation(c.id, { mutedUntil: undefined });
        const rest: Conversation = {
          ...c,
          disappearing: { mode: 'after-read', timerSeconds: 300 },
          readAt: T0 + 10,
        };
        assert.deepEqual(unmuted, rest);
        assert.deepEqual(await conversations.getConversation(c.id), rest);
        assert.equal(
          await conversations.updateConversation(testAccountId('nobody'), { readAt: 1 }),
          undefined,
        );
      },
    },
    {
      name: 'conversations: listed newest activity first, then by ID; filtered by request state',
      run: async () => {
        const { conversations } = await make();
        const a = sampleConversation('a', { lastActivityAt: T0 + 2 });
        const b = sampleConversation('b', { lastActivityAt: T0 + 1, requestState: 'request' });
        const c = sampleConversation('c', { lastActivityAt: T0 + 1, requestState: 'request' });
        const d = sampleConversation('d', { lastActivityAt: T0, requestState: 'blocked' });
        for (const x of [d, c, b, a]) await conversations.putConversation(x);
        const tied = [b, c].sort((p, q) => (p.id < q.id ? -1 : 1));
        assert.deepEqual(await conversations.listConversations(), [a, ...tied, d]);
        assert.deepEqual(await conversations.listConversations({ requestState: 'request' }), tied);
        assert.deepEqual(await conversations.listConversations({ requestState: 'declined' }), []);
      },
    },
    {
      name: "messages: added once (by ID or hash), raising the conversation's activity",
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations } = store;
        const m = sampleMessage(c, 'm1', T0 + 100);
        assert.equal(await conversations.addMessage(m), 'added');
        assert.deepEqual(await conversations.getMessage('m1'), m);
        assert.equal(await conversations.addMessage(m), 'duplicate');
        assert.equal(
          await conversations.addMessage({ ...m, id: 'm1-again', body: 'other' }),
          'duplicate',
          'same hash',
        );
        assert.equal(await conversations.getMessage('m1-again'), undefined);
        assert.equal(
          await conversations.addMessage({ ...m, hash: 'other-hash', body: 'other' }),
          'duplicate',
          'same ID',
        );
        assert.deepEqual(await conversations.getMessage('m1'), m);
        assert.equal((await conversations.getConversation(c.id))?.lastActivityAt, T0 + 100);
        // An older message does not lower it.
        await conversations.addMessage(sampleMessage(c, 'm0', T0 + 50));
        assert.equal((await conversations.getConversation(c.id))?.lastActivityAt, T0 + 100);
        // Replacing the conversation keeps its messages.
        await conversations.putConversation({ ...c, requestState: 'accepted', readAt: 7 });
        assert.equal((await conversations.listMessages(c.id)).length, 2);
      },
    },
    {
      name: 'messages: a message needs its conversation',
      run: async () => {
        const { conversations } = await make();
        const orphan = sampleMessage(sampleConversation('nowhere'), 'm1', T0);
        await assert.rejects(conversations.addMessage(orphan), (e) =>
          isStoreError(e, 'invalid-input'),
        );
        assert.equal(await conversations.getMessage('m1'), undefined);
      },
    },
    {
      name: 'messages: optional fields are absent, not undefined; outgoing without hash',
      run: async () => {
        const { store, c } = await withConversation(make);
        const out: StoredMessage = {
          id: 'out-1',
          conversationId: c.id,
          direction: 'outgoing',
          sender: testAccountId('me'),
          body: 'héllo ✈️',
          sentAt: T0,
          status: 'queued',
        };
        await store.conversations.addMessage(out);
        assert.deepEqual(await store.conversations.getMessage('out-1'), out);
        const withTimer: StoredMessage = {
          ...out,
          id: 'out-2',
          disappearing: { mode: 'after-send', timerSeconds: 86400 },
          expiresAt: T0 + 86400_000,
        };
        await store.conversations.addMessage(withTimer);
        assert.deepEqual(await store.conversations.getMessage('out-2'), withTimer);
      },
    },
    {
      name: 'messages: listed oldest first; pages by cursor (ties by ID) and limit',
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations } = store;
        const ms = [
          sampleMessage(c, 'b', T0 + 2),
          sampleMessage(c, 'a', T0 + 2),
          sampleMessage(c, 'c', T0 + 1),
          sampleMessage(c, 'd', T0 + 3),
        ];
        for (const m of ms) await conversations.addMessage(m);
        const other = sampleConversation('other');
        await conversations.putConversation(other);
        await conversations.addMessage(sampleMessage(other, 'x', T0 + 2));
        const ids = async (q?: Parameters<typeof conversations.listMessages>[1]) =>
          (await conversations.listMessages(c.id, q)).map((m) => m.id);
        assert.deepEqual(await ids(), ['c', 'a', 'b', 'd']);
        assert.deepEqual(await ids({ limit: 2 }), ['b', 'd']);
        assert.deepEqual(await ids({ before: { sentAt: T0 + 2, id: 'b' } }), ['c', 'a']);
        assert.deepEqual(await ids({ before: { sentAt: T0 + 2, id: 'b' }, limit: 1 }), ['a']);
        assert.deepEqual(await ids({ limit: 0 }), []);
        assert.deepEqual(await conversations.listMessages(testAccountId('none')), []);
        await assert.rejects(conversations.listMessages(c.id, { limit: -1 }), (e) =>
          isStoreError(e, 'invalid-input'),
        );
      },
    },
    {
      name: 'messages: update status and hash; a taken hash is refused; find by hash',
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations } = store;
        const pending: StoredMessage = {
          id: 'o1',
          conversationId: c.id,
          direction: 'outgoing',
          sender: testAccountId('me'),
          body: 'outgoing',
          sentAt: T0,
          status: 'queued',
        };
        await conversations.addMessage(pending);
        await conversations.addMessage(sampleMessage(c, 'i1', T0 + 1));
        const sent = await conversations.updateMessage('o1', {
          status: 'sent',
          hash: 'h-o1',
          security: 'non-pfs',
          expiresAt: T0 + 1000,
        });
        const expected: StoredMessage = {
          ...pending,
          status: 'sent',
          hash: 'h-o1',
          security: 'non-pfs',
          expiresAt: T0 + 1000,
        };
        assert.deepEqual(sent, expected);
        assert.deepEqual(await conversations.findMessageByHash('h-o1'), expected);
        assert.equal(await conversations.findMessageByHash('hash-o1'), undefined);
        await assert.rejects(conversations.updateMessage('o1', { hash: 'hash-i1' }), (e) =>
          isStoreError(e, 'constraint'),
        );
        assert.deepEqual(await conversations.getMessage('o1'), expected);
        assert.equal(await conversations.updateMessage('nope', { status: 'read' }), undefined);
      },
    },
    {
      name: 'messages: delete one; expired ones go, soonest first, with their hashes',
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations } = store;
        const keep = sampleMessage(c, 'keep', T0);
        const later = sampleMessage(c, 'later', T0, { expiresAt: T0 + 5000 });
        const soon = sampleMessage(c, 'soon', T0, { expiresAt: T0 + 1000 });
        const now = sampleMessage(c, 'now', T0, { expiresAt: T0 + 2000 });
        for (const m of [keep, later, soon, now]) await conversations.addMessage(m);
        assert.deepEqual(await conversations.deleteExpiredMessages(T0 + 2000), [soon, now]);
        assert.deepEqual(await conversations.deleteExpiredMessages(T0 + 2000), []);
        assert.equal(await conversations.findMessageByHash('hash-soon'), undefined);
        assert.deepEqual(
          (await conversations.listMessages(c.id)).map((m) => m.id),
          ['keep', 'later'],
        );
        assert.equal(await conversations.deleteMessage('keep'), true);
        assert.equal(await conversations.deleteMessage('keep'), false);
        assert.equal(await conversations.getMessage('keep'), undefined);
      },
    },
    {
      name: 'messages: unread counts incoming messages after the read position',
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations } = store;
        await conversations.addMessage(sampleMessage(c, 'i1', T0 + 1));
        await conversations.addMessage(sampleMessage(c, 'i2', T0 + 2));
        await conversations.addMessage(sampleMessage(c, 'i3', T0 + 3));
        await conversations.addMessage(
          sampleMessage(c, 'o4', T0 + 4, { direction: 'outgoing', status: 'sent' }),
        );
        assert.equal(await conversations.countUnread(c.id), 3);
        await conversations.updateConversation(c.id, { readAt: T0 + 2 });
        assert.equal(await conversations.countUnread(c.id), 1);
        assert.equal(await conversations.countUnread(testAccountId('none')), 0);
      },
    },
    {
      name: 'conversations: deleting one deletes its messages and queued sends, nothing else',
      run: async () => {
        const { store, c } = await withConversation(make);
        const { conversations, outbox } = store;
        const other = sampleConversation('other');
        await conversations.putConversation(other);
        await conversations.addMessage(sampleMessage(c, 'm1', T0));
        await conversations.addMessage(sampleMessage(other, 'm2', T0));
        for (const [id, conv] of [
          ['q1', c],
          ['q2', other],
        ] as const) {
          await outbox.enqueue({
            id,
            conversationId: conv.id,
            recipient: conv.id,
            content: testBytes(id, 40),
            sentAt: T0,
            ttlMs: 1000,
            createdAt: T0,
            attempts: 0,
            nextAttemptAt: T0,
            waitingFor: 'keys',
          });
        }
        assert.equal(await conversations.deleteConversation(c.id), true);
        assert.equal(await conversations.getConversation(c.id), undefined);
        assert.equal(await conversations.getMessage('m1'), undefined);
        assert.equal(await conversations.findMessageByHash('hash-m1'), undefined);
        assert.deepEqual(await conversations.listMessages(c.id), []);
        assert.equal(await outbox.getOutboxItem('q1'), undefined);
        assert.ok((await conversations.getMessage('m2')) !== undefined);
        assert.ok((await outbox.getOutboxItem('q2')) !== undefined);
        assert.equal(await conversations.deleteConversation(c.id), false);
        // The hash is free again (the poll state, not the message table, dedupes the swarm).
        await conversations.putConversation(c);
        assert.equal(await conversations.addMessage(sampleMessage(c, 'm1', T0)), 'added');
      },
    },
  ];
}
