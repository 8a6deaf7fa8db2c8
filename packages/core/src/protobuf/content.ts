/**
 * `Content`: the plaintext protobuf every Session message carries (a data message, a receipt,
 * a typing indicator, a call message, ...), as defined by
 * session-foundation/libsession-util:proto/SessionProtos.proto and our
 * proto/session/SessionProtos.proto (protocol-v1.md §3.5).
 *
 * These are the serialized bytes before V1 padding and encryption (v1/padding.ts,
 * v1/encrypt.ts) and after decryption and unpadding on the way in.
 */
import type { MessageInitShape } from '@bufbuild/protobuf';
import { ContentSchema } from './gen/session/SessionProtos_pb.ts';
import type { Content } from './gen/session/SessionProtos_pb.ts';
import { decodeProtobuf, encodeProtobuf } from './codec.ts';

/** What `encodeContent` accepts: a built `Content` or a plain init object for one. */
export type ContentInit = MessageInitShape<typeof ContentSchema>;

/**
 * Serializes a `Content` message. Throws `invalid-input` when a required field of a set
 * sub-message is missing (for example a `typingMessage` without `timestamp`), since upstream's
 * parser would reject the result.
 */
export function encodeContent(content: ContentInit): Uint8Array {
  return encodeProtobuf(ContentSchema, content);
}

/**
 * Parses serialized `Content` (already unpadded). Throws `invalid-protobuf` when the bytes are
 * not a well-formed `Content` or a set sub-message lacks a required field.
 */
export function decodeContent(bytes: Uint8Array): Content {
  return decodeProtobuf(ContentSchema, bytes);
}
