/**
 * Session protobufs: Content round trips, required fields on decode, and malformed input as
 * invalid-protobuf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create, equals } from '@bufbuild/protobuf';
import { fromHex, toHex } from '../encoding/hex.ts';
import { isProtocolError } from '../errors.ts';
import { decodeContent, encodeContent } from './content.ts';
import type { ContentInit } from './content.ts';
import {
  ContentSchema,
  Content_ExpirationType,
  DataMessage_Reaction_Action,
  ReceiptMessage_Type,
  TypingMessage_Action,
  CallMessage_Type,
  DataExtractionNotification_Type,
  SharedConfigMessage_Kind,
} from './gen/session/SessionProtos_pb.ts';

test('Content round trip: a data message with the common parts', () => {
  const init: ContentInit = {
    dataMessage: {
      body: 'hello 👋',
      timestamp: 1_700_000_000_123n,
      profile: { displayName: 'Alice', profilePicture: 'http://file/1', lastUpdateSeconds: 17n },
      profileKey: new Uint8Array(32).fill(3),
      attachments: [
        {
          id: 0xffff_ffff_ffff_fff0n,
          contentType: 'image/png',
          key: new Uint8Array(64).fill(1),
          size: 1234,
          digest: new Uint8Array(32).fill(2),
          url: 'http://file/2',
        },
      ],
      quote: { id: 1n, author: '05' + 'ab'.repeat(32), text: 'quoted' },
      reaction: {
        id: 2n,
        author: '05' + 'cd'.repeat(32),
        emoji: '👍',
        action: DataMessage_Reaction_Action.REACT,
      },
      openGroupInvitation: { url: 'http://community/room?public_key=00', name: 'Room' },
      groupUpdateMessage: {
        inviteMessage: {
          groupSessionId: '03' + 'ef'.repeat(32),
          name: 'Group',
          memberAuthData: new Uint8Array(100),
          adminSignature: new Uint8Array(64),
        },
      },
    },
    expirationType: Content_ExpirationType.DELETE_AFTER_SEND,
    expirationTimer: 86_400,
    sigTimestamp: 1_700_000_000_123n,
  };
  const bytes = encodeContent(init);
  const decoded = decodeContent(bytes);
  assert.ok(equals(ContentSchema, decoded, create(ContentSchema, init)));
  assert.equal(decoded.dataMessage?.body, 'hello 👋');
  assert.equal(decoded.dataMessage?.attachments[0]?.id, 0xffff_ffff_ffff_fff0n);
  assert.equal(decoded.sigTimestamp, 1_700_000_000_123n);
  assert.deepEqual(encodeContent(decoded), bytes);
});

test('Content field numbers are upstream SessionProtos.proto', () => {
  // [message, expected serialization]: the first byte(s) of each is the tag (field << 3 | wire type)
  const cases: [ContentInit, string][] = [
    [{ dataMessage: { body: 'a' } }, '0a030a0161'], // 1
    [{ callMessage: { type: CallMessage_Type.PRE_OFFER, uuid: 'u' } }, '1a0508062a0175'], // 3
    [
      { receiptMessage: { type: ReceiptMessage_Type.READ, timestamp: [5n, 6n] } },
      '2a06080110051006',
    ], // 5
    [{ typingMessage: { timestamp: 1n, action: TypingMessage_Action.STOPPED } }, '320408011001'], // 6
    [
      { dataExtractionNotification: { type: DataExtractionNotification_Type.SCREENSHOT } },
      '42020801',
    ], // 8
    [{ unsendRequest: { timestamp: 1n, author: 'a' } }, '4a050801120161'], // 9
    [{ messageRequestResponse: { isApproved: true } }, '52020801'], // 10
    [
      {
        sharedConfigMessage: {
          kind: SharedConfigMessage_Kind.CONTACTS,
          seqno: 3n,
          data: Uint8Array.of(9),
        },
      },
      '5a0708021003' + '1a0109',
    ], // 11
    [{ expirationType: Content_ExpirationType.DELETE_AFTER_READ }, '6001'], // 12
    [{ expirationTimer: 60 }, '683c'], // 13
    [{ sigTimestamp: 5n }, '7805'], // 15
    [{ proMessage: { msgBitset: 1n } }, '8201021801'], // 16
    [{ proSigForCommunityMessageOnly: Uint8Array.of(1) }, '8a010101'], // 17
  ];
  for (const [init, hex] of cases) {
    assert.equal(toHex(encodeContent(init)), hex, JSON.stringify(Object.keys(init)));
    assert.deepEqual(encodeContent(decodeContent(fromHex(hex))), fromHex(hex));
  }
});

test('unknown fields and unknown enum values survive a round trip', () => {
  // field 111 (unknown) and expirationType = 99 (not a value of the closed proto2 enum)
  for (const hex of ['f80601', '6063']) {
    const decoded = decodeContent(fromHex(hex));
    assert.equal(decoded.expirationType, Content_ExpirationType.UNKNOWN);
    assert.equal(toHex(encodeContent(decoded)), hex);
  }
});

test('malformed Content is invalid-protobuf', () => {
  const cases: [string, string][] = [
    ['ff', 'truncated tag'],
    ['0a0501', 'length past the end'],
    ['7a0100', 'sigTimestamp with the wrong wire type'],
    ['0b0c', 'a group wire type'],
    ['32021001', 'typingMessage without its required timestamp'],
    ['320408011009', 'typingMessage with an unknown required action'],
    ['0a0412022005', 'an attachment without its required id'],
  ];
  for (const [hex, why] of cases) {
    assert.throws(
      () => decodeContent(fromHex(hex)),
      (e) => isProtocolError(e, 'invalid-protobuf'),
      why,
    );
  }
  assert.throws(
    () => decodeContent(fromHex('32021001')),
    (e) => isProtocolError(e) && e.subject === 'typingMessage.timestamp',
  );
  assert.throws(
    () => decodeContent('0a' as unknown as Uint8Array),
    (e) => isProtocolError(e, 'invalid-input'),
  );
});

test('encoding without a required field is invalid-input (upstream would not parse it)', () => {
  const cases: ContentInit[] = [
    { typingMessage: { action: TypingMessage_Action.STARTED } },
    { dataMessage: { attachments: [{ contentType: 'image/png' }] } },
    { dataMessage: { quote: { id: 1n } } },
  ];
  for (const init of cases) {
    assert.throws(
      () => encodeContent(init),
      (e) => isProtocolError(e, 'invalid-input'),
    );
  }
});

test('decodeContent never throws anything but a ProtocolError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        const decoded = decodeContent(bytes);
        assert.ok(equals(ContentSchema, decodeContent(encodeContent(decoded)), decoded));
      } catch (e) {
        assert.ok(isProtocolError(e, 'invalid-protobuf'), String(e));
      }
    }),
    { numRuns: 2000 },
  );
});
