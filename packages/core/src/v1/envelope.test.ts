/**
 * WebSocketMessage/Envelope wrapping, including the real stored message in
 * vectors/upstream/message-hash.json (protocol-v1.md §3.5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create, toBinary } from '@bufbuild/protobuf';
import hashVectors from '../../vectors/upstream/message-hash.json' with { type: 'json' };
import dm from '../../vectors/upstream/v1-dm.json' with { type: 'json' };
import { fromBase64 } from '../encoding/base64.ts';
import { fromHex } from '../encoding/hex.ts';
import { isProtocolError } from '../errors.ts';
import { identityFromSeed } from '../identity/identity.ts';
import { decodeProtobuf } from '../protobuf/codec.ts';
import { decodeContent, encodeContent } from '../protobuf/content.ts';
import { EnvelopeSchema, Envelope_Type } from '../protobuf/gen/session/SessionProtos_pb.ts';
import {
  WebSocketMessageSchema,
  WebSocketMessage_Type,
} from '../protobuf/gen/session/WebSocketResources_pb.ts';
import { unwrapV1Envelope, wrapV1Envelope } from './envelope.ts';
import type { V1EnvelopeInit } from './envelope.ts';
import { encryptV1Deterministic } from './encrypt.ts';
import { decryptV1, V1_MIN_CIPHERTEXT_LENGTH } from './decrypt.ts';
import { padContent, unpadContent, V1_PADDING_BLOCK } from './padding.ts';

const stored = hashVectors.vectors[0]!;

function frame(request: object | undefined): Uint8Array {
  return toBinary(
    WebSocketMessageSchema,
    create(WebSocketMessageSchema, {
      type: WebSocketMessage_Type.REQUEST,
      ...(request === undefined ? {} : { request }),
    }),
  );
}

function expectMalformed(data: Uint8Array, why: string): void {
  assert.throws(
    () => unwrapV1Envelope(data),
    (e) => isProtocolError(e, 'invalid-protobuf'),
    why,
  );
}

test('a real stored one-to-one message (message-hash.json) unwraps', () => {
  const data = fromBase64(stored.data_b64);
  const raw = decodeProtobuf(WebSocketMessageSchema, data);
  assert.equal(raw.type, WebSocketMessage_Type.REQUEST);
  assert.equal(raw.request?.verb, 'PUT');
  assert.equal(raw.request?.path, '/api/v1/message');
  assert.equal(raw.request?.requestId, 0n);

  const envelope = unwrapV1Envelope(data);
  assert.equal(envelope.type, Envelope_Type.SESSION_MESSAGE);
  assert.equal(envelope.timestamp, 1_616_650_861_885);
  assert.equal(envelope.source, undefined);
  assert.equal(envelope.sourceDevice, undefined);
  assert.equal(envelope.serverTimestamp, undefined);
  assert.equal(envelope.proSig, undefined);
  // a V1 sealed box of a session-desktop-padded Content: 144 bytes of overhead, 159 padded bytes
  assert.ok(envelope.content.length >= V1_MIN_CIPHERTEXT_LENGTH);
  assert.equal((envelope.content.length - 144) % V1_PADDING_BLOCK, V1_PADDING_BLOCK - 1);
});

test('wrapping reproduces the stored message byte for byte', () => {
  const data = fromBase64(stored.data_b64);
  const { content, timestamp } = unwrapV1Envelope(data);
  assert.deepEqual(wrapV1Envelope({ content, timestamp }), data);
});

test('wrap/unwrap round trip with every optional field', () => {
  const init: V1EnvelopeInit = {
    content: new Uint8Array(200).fill(9),
    timestamp: 1_700_000_000_000,
    source: dm.vector.sender_session_id.toUpperCase(),
    sourceDevice: 1,
    proSig: new Uint8Array(64).fill(4),
    requestId: 2n ** 64n - 1n,
  };
  const data = wrapV1Envelope(init);
  const envelope = unwrapV1Envelope(data);
  assert.deepEqual(envelope, {
    type: Envelope_Type.SESSION_MESSAGE,
    timestamp: init.timestamp,
    source: dm.vector.sender_session_id,
    sourceDevice: 1,
    content: init.content,
    proSig: init.proSig,
  });
  assert.equal(decodeProtobuf(WebSocketMessageSchema, data).request?.requestId, init.requestId);
});

test('the whole V1 pipeline: Content → pad → encrypt → wrap → unwrap → decrypt → unpad → Content', () => {
  const sender = identityFromSeed(fromHex(dm.vector.sender_seed));
  const recipient = identityFromSeed(fromHex(dm.vector.recipient_seed));
  const sentAt = 1_700_000_000_456;
  const message = padContent(
    encodeContent({ dataMessage: { body: 'hi' }, sigTimestamp: BigInt(sentAt) }),
  );
  const ciphertext = encryptV1Deterministic({ sender, recipient: recipient.sessionId, message });
  const data = wrapV1Envelope({ content: ciphertext, timestamp: sentAt });

  const envelope = unwrapV1Envelope(data);
  const opened = decryptV1(recipient, envelope.content);
  assert.ok(opened.ok);
  assert.equal(opened.senderSessionId, sender.sessionId);
  const content = decodeContent(unpadContent(opened.message));
  assert.equal(content.dataMessage?.body, 'hi');
  assert.equal(content.sigTimestamp, BigInt(envelope.timestamp));
});

test('malformed stored data is invalid-protobuf', () => {
  const content = new Uint8Array(150);
  const goodEnvelope = toBinary(
    EnvelopeSchema,
    create(EnvelopeSchema, { type: Envelope_Type.SESSION_MESSAGE, timestamp: 1n, content }),
  );
  const envelopeWith = (fields: object): Uint8Array =>
    toBinary(
      EnvelopeSchema,
      create(EnvelopeSchema, {
        type: Envelope_Type.SESSION_MESSAGE,
        timestamp: 1n,
        content,
        ...fields,
      }),
    );
  const body = (b: Uint8Array): Uint8Array => frame({ verb: 'PUT', body: b });

  assert.doesNotThrow(() => unwrapV1Envelope(body(goodEnvelope)));
  expectMalformed(Uint8Array.of(0xff, 0xff), 'not protobuf');
  expectMalformed(frame(undefined), 'no request');
  expectMalformed(frame({ verb: 'PUT', path: '/api/v1/message' }), 'request without body');
  expectMalformed(body(Uint8Array.of(0x42, 0x05, 1)), 'body not an Envelope');
  // Envelope { type: 6, content: 0x00 } lacks the required timestamp
  expectMalformed(body(Uint8Array.of(0x08, 0x06, 0x42, 0x01, 0x00)), 'no timestamp');
  // Envelope { timestamp: 1, content: 0x00 } lacks the required type
  expectMalformed(body(Uint8Array.of(0x28, 0x01, 0x42, 0x01, 0x00)), 'no type');
  // Envelope { type: 6, timestamp: 1 } has no content
  expectMalformed(body(Uint8Array.of(0x08, 0x06, 0x28, 0x01)), 'no content');
  expectMalformed(body(envelopeWith({ proSig: new Uint8Array(63) })), 'short proSig');
  expectMalformed(body(envelopeWith({ source: 'abc' })), 'bad source length');
  expectMalformed(body(envelopeWith({ source: 'zz'.repeat(33) })), 'bad source hex');
  expectMalformed(body(envelopeWith({ timestamp: 2n ** 63n })), 'timestamp out of range');
  expectMalformed(body(envelopeWith({ serverTimestamp: 2n ** 60n })), 'server timestamp too big');

  // an empty source is accepted and reported as absent (older iOS/Android clients send it)
  assert.equal(unwrapV1Envelope(body(envelopeWith({ source: '' }))).source, undefined);
});

test('bad wrap arguments are typed errors', () => {
  const content = new Uint8Array(150);
  const cases: [V1EnvelopeInit, string][] = [
    [{ content, timestamp: -1 }, 'invalid-input'],
    [{ content, timestamp: 1.5 }, 'invalid-input'],
    [{ content, timestamp: Number.NaN }, 'invalid-input'],
    [{ content, timestamp: 2 ** 53 }, 'invalid-input'],
    [{ content: 'x' as unknown as Uint8Array, timestamp: 1 }, 'invalid-input'],
    [{ content, timestamp: 1, proSig: new Uint8Array(63) }, 'invalid-length'],
    [{ content, timestamp: 1, source: 'nope' }, 'invalid-account-id'],
    [{ content, timestamp: 1, sourceDevice: -1 }, 'invalid-input'],
    [{ content, timestamp: 1, requestId: -1n }, 'invalid-input'],
  ];
  for (const [index, [init, code]] of cases.entries()) {
    assert.throws(
      () => wrapV1Envelope(init),
      (e) => isProtocolError(e, code as never),
      `case ${index}: expected ${code}`,
    );
  }
  assert.throws(
    () => unwrapV1Envelope([1] as unknown as Uint8Array),
    (e) => isProtocolError(e, 'invalid-input'),
  );
});
