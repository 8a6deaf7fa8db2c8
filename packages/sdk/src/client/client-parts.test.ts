/**
 * The client's pure parts: the typed emitter, deterministic message IDs, the disappearing
 * setting carried in `Content` (both directions), and the error class. End-to-end behaviour
 * over real service-node code is in tests/sdk-client.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeContent, encodeContent } from '@session-ts/core';
import { DISAPPEARING_OFF, type DisappearingSetting } from '../stores/conversation-store.ts';
import { ClientError, isClientError } from './client-error.ts';
import {
  contentExpiration,
  expiresAtFor,
  messageId,
  settingFromContent,
} from './conversation-helpers.ts';
import { createEmitter } from './events.ts';

test('emitter: typed delivery in order, unsubscribe, a throwing listener does not stop others', () => {
  const errors: unknown[] = [];
  const events = createEmitter((e) => errors.push(e));
  const seen: string[] = [];
  const off = events.on('typing', (e) => seen.push(`a:${e.conversationId}:${e.started}`));
  events.on('typing', () => {
    throw new Error('listener bug');
  });
  events.on('typing', (e) => seen.push(`c:${e.conversationId}`));
  events.emit('typing', { conversationId: 'x', started: true });
  off();
  events.emit('typing', { conversationId: 'y', started: false });
  assert.deepEqual(seen, ['a:x:true', 'c:x', 'c:y']);
  assert.equal(errors.length, 2);
});

test('message IDs are the same on every device', () => {
  assert.equal(messageId('05ab', '05cd', 12), '05ab/05cd/12');
  assert.notEqual(messageId('05ab', '05cd', 12), messageId('05ab', '05cd', 13));
});

test('disappearing settings survive a Content round trip', () => {
  const settings: DisappearingSetting[] = [
    DISAPPEARING_OFF,
    { mode: 'after-send', timerSeconds: 60 },
    { mode: 'after-read', timerSeconds: 86_400 },
  ];
  for (const s of settings) {
    const bytes = encodeContent({ sigTimestamp: 1n, ...contentExpiration(s) });
    assert.deepEqual(settingFromContent(decodeContent(bytes)), s);
  }
  assert.equal(expiresAtFor({ mode: 'after-send', timerSeconds: 5 }, 1000), 6000);
  assert.equal(expiresAtFor({ mode: 'after-read', timerSeconds: 5 }, 1000), undefined);
  assert.equal(expiresAtFor(DISAPPEARING_OFF, 1000), undefined);
});

test('ClientError carries a code and a cause', () => {
  const cause = new Error('inner');
  const e = new ClientError('swarm', 'store: status 500', { cause });
  assert.ok(isClientError(e));
  assert.equal(e.code, 'swarm');
  assert.equal(e.cause, cause);
  assert.ok(!isClientError(cause));
});
