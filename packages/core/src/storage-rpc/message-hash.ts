/**
 * The storage message hash: the ID a service node gives a stored message, which clients use for
 * `last_hash` paging, deletes and expiry updates (network.md §1.5).
 *
 *     hash = base64_unpadded(BLAKE2b-256(prefix ‖ pubkey ‖ ns_string ‖ data))
 *
 * unkeyed, where `prefix ‖ pubkey` is the 33-byte account ID, `ns_string` is empty for
 * namespace 0 and otherwise the decimal namespace in ASCII, and `data` is the raw (decoded)
 * message. The result is always 43 characters.
 *
 * Upstream: session-foundation/session-storage-server `oxenss/rpc/request_handler.cpp`
 * (`computeMessageHash`, `compute_hash_blake2b_b64`); validity of a hash from a client:
 * `oxenss/rpc/client_rpc_endpoints.cpp` (`is_valid_message_hash`).
 */
import { blake2bParts } from '../crypto/primitives.ts';
import { assertBytes, utf8 } from '../encoding/bytes.ts';
import { toBase64Unpadded } from '../encoding/base64.ts';
import { type Namespace, namespaceString } from './namespaces.ts';

/** BLAKE2b output length of the hash (`HASH_SIZE = 32`). */
const HASH_BYTES = 32;

/** Length of a message hash in characters: 32 bytes in unpadded base64. */
export const MESSAGE_HASH_LENGTH = 43;

const HASH_PATTERN = /^[A-Za-z0-9+/]{43}$/;

/**
 * The hash of a message stored for `account` (the 33-byte account ID, prefix included) in
 * namespace `ns` with raw `data`.
 */
export function messageHash(account: Uint8Array, ns: Namespace, data: Uint8Array): string {
  assertBytes('account ID', account, 33);
  assertBytes('message data', data);
  // namespaceString gives '' for 0 and the decimal value otherwise, exactly the hash input.
  const nsPart = utf8(namespaceString(ns));
  return toBase64Unpadded(blake2bParts(HASH_BYTES, [account, nsPart, data]));
}

/**
 * True for text shaped like a message hash: 43 standard-base64 characters (upstream's
 * `is_valid_message_hash` and its `last_hash` check).
 */
export function isMessageHash(text: unknown): text is string {
  return typeof text === 'string' && HASH_PATTERN.test(text);
}
