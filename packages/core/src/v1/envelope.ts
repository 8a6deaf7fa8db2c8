/**
 * The wrapping a V1 one-to-one message is stored in on a swarm (protocol-v1.md §3.5):
 *
 *   WebSocketMessage { type REQUEST, request { verb "PUT", path "/api/v1/message",
 *                                              body = Envelope, requestId } }
 *   Envelope { type SESSION_MESSAGE (6), timestamp, source?, sourceDevice?, content = sealed box,
 *              proSig? }
 *
 * Upstream: session-foundation/libsession-util:src/session_protocol.cpp (`encode_for_1o1`,
 * `decode_envelope`), proto/SessionProtos.proto and proto/WebSocketResources.proto. What we
 * write matches session-desktop byte for byte (vectors/upstream/message-hash.json is one of its
 * messages); libsession writes verb and path as "" and always adds `sourceDevice` 1 and a
 * (possibly decoy) 64-byte `proSig`, which callers can ask for here.
 *
 * Unwrapping checks what upstream's `decode_envelope` checks: a request with a body, an
 * Envelope with its required fields and a content, a `source` that is empty or 66 hex
 * characters, a `proSig` of 64 bytes. Like upstream it ignores the WebSocket `type`, `verb`,
 * `path` and `requestId`. The envelope timestamp is not authenticated; `Content.sigTimestamp`,
 * inside the signed plaintext, is.
 */
import { isFieldSet } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';
import { parseSessionId } from '../identity/account-id.ts';
import { decodeProtobuf, encodeProtobuf } from '../protobuf/codec.ts';
import { EnvelopeSchema, Envelope_Type } from '../protobuf/gen/session/SessionProtos_pb.ts';
import {
  WebSocketMessageSchema,
  WebSocketMessage_Type,
  WebSocketRequestMessageSchema,
} from '../protobuf/gen/session/WebSocketResources_pb.ts';

/** The legacy request line Session clients put around a stored message. */
const REQUEST_VERB = 'PUT';
const REQUEST_PATH = '/api/v1/message';
/** A Session Pro signature (or its decoy) is an Ed25519 signature. */
const PRO_SIGNATURE_LENGTH = 64;
/** An envelope `source` is a 33-byte account ID in hex. */
const SOURCE_PATTERN = /^[0-9a-fA-F]{66}$/;
const UINT32_MAX = 0xffff_ffff;

/** What `wrapV1Envelope` puts around a sealed box. */
export interface V1EnvelopeInit {
  /** The V1 ciphertext (`encryptV1`'s output). */
  readonly content: Uint8Array;
  /** The sent time in milliseconds since the epoch (the same value as `Content.sigTimestamp`). */
  readonly timestamp: number;
  /** The sender's Session ID; current clients leave it out of one-to-one envelopes. */
  readonly source?: string;
  /** libsession writes 1; session-desktop leaves it out. */
  readonly sourceDevice?: number;
  /** A 64-byte Session Pro signature over `content`, or a decoy of that shape. */
  readonly proSig?: Uint8Array;
  /** The legacy request id; 0 when not given (as session-desktop writes it). */
  readonly requestId?: bigint;
}

/** A parsed envelope. */
export interface V1Envelope {
  /** 6 (`SESSION_MESSAGE`) for one-to-one messages; 7 was legacy closed groups. */
  readonly type: Envelope_Type;
  /** The claimed sent time in milliseconds. Unauthenticated. */
  readonly timestamp: number;
  /** The claimed source account ID in lowercase hex, when one was given. Unauthenticated. */
  readonly source?: string;
  readonly sourceDevice?: number;
  /** Set by the storage server, when present. */
  readonly serverTimestamp?: number;
  /** The V1 ciphertext, for `decryptV1`. */
  readonly content: Uint8Array;
  readonly proSig?: Uint8Array;
}

/** Wraps a V1 ciphertext in an Envelope inside a WebSocketMessage, ready to store. */
export function wrapV1Envelope(init: V1EnvelopeInit): Uint8Array {
  if (typeof init !== 'object' || init === null) {
    throw new ProtocolError('invalid-input', 'envelope: expected { content, timestamp }');
  }
  assertBytes('envelope content', init.content);
  if (!Number.isSafeInteger(init.timestamp) || init.timestamp < 0) {
    throw new ProtocolError(
      'invalid-input',
      `envelope timestamp: expected non-negative integer milliseconds, got ${String(init.timestamp)}`,
    );
  }
  const envelope: MessageInitShape<typeof EnvelopeSchema> = {
    type: Envelope_Type.SESSION_MESSAGE,
    timestamp: BigInt(init.timestamp),
    content: init.content,
  };
  if (init.source !== undefined) envelope.source = parseSessionId(init.source);
  if (init.sourceDevice !== undefined) {
    const device = init.sourceDevice;
    if (!Number.isInteger(device) || device < 0 || device > UINT32_MAX) {
      throw new ProtocolError('invalid-input', `envelope sourceDevice: expected a uint32`);
    }
    envelope.sourceDevice = device;
  }
  if (init.proSig !== undefined) {
    assertBytes('envelope proSig', init.proSig, PRO_SIGNATURE_LENGTH);
    envelope.proSig = init.proSig;
  }
  const requestId = init.requestId ?? 0n;
  if (typeof requestId !== 'bigint' || requestId < 0n || requestId >= 1n << 64n) {
    throw new ProtocolError('invalid-input', 'envelope requestId: expected a uint64 bigint');
  }
  return encodeProtobuf(WebSocketMessageSchema, {
    type: WebSocketMessage_Type.REQUEST,
    request: {
      verb: REQUEST_VERB,
      path: REQUEST_PATH,
      body: encodeProtobuf(EnvelopeSchema, envelope),
      requestId,
    },
  });
}

/**
 * Parses stored message data (a serialized WebSocketMessage) down to its Envelope. Throws
 * `invalid-protobuf` for anything upstream would not parse.
 */
export function unwrapV1Envelope(data: Uint8Array): V1Envelope {
  assertBytes('message data', data);
  const frame = decodeProtobuf(WebSocketMessageSchema, data);
  const request = frame.request;
  if (request === undefined) malformed('WebSocketMessage has no request');
  if (!isFieldSet(request, WebSocketRequestMessageSchema.field.body))
    malformed('WebSocket request has no body');

  const envelope = decodeProtobuf(EnvelopeSchema, request.body);
  if (!isFieldSet(envelope, EnvelopeSchema.field.content)) malformed('Envelope has no content');

  const result: {
    -readonly [K in keyof V1Envelope]: V1Envelope[K];
  } = {
    type: envelope.type,
    timestamp: safeMilliseconds('timestamp', envelope.timestamp),
    content: envelope.content,
  };
  // Older iOS and Android clients mark `source` present but empty in one-to-one envelopes.
  if (envelope.source.length > 0) {
    if (!SOURCE_PATTERN.test(envelope.source))
      malformed('Envelope source is not 66 hex characters');
    result.source = envelope.source.toLowerCase();
  }
  if (isFieldSet(envelope, EnvelopeSchema.field.sourceDevice)) {
    result.sourceDevice = envelope.sourceDevice;
  }
  if (isFieldSet(envelope, EnvelopeSchema.field.serverTimestamp)) {
    result.serverTimestamp = safeMilliseconds('serverTimestamp', envelope.serverTimestamp);
  }
  if (isFieldSet(envelope, EnvelopeSchema.field.proSig)) {
    if (envelope.proSig.length !== PRO_SIGNATURE_LENGTH) {
      malformed(`Envelope proSig: expected 64 bytes, got ${envelope.proSig.length}`);
    }
    result.proSig = envelope.proSig;
  }
  return result;
}

function safeMilliseconds(field: string, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) malformed(`Envelope ${field} is out of range`);
  return Number(value);
}

function malformed(message: string): never {
  throw new ProtocolError('invalid-protobuf', message);
}
