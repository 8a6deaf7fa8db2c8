/**
 * The size limit of one stored config message (protocol-v1.md §4): 76,800 bytes, the storage
 * server's message limit.
 *
 * Upstream: session-foundation/libsession-util `include/session/config.hpp`
 * (`MAX_MESSAGE_SIZE = 76'800`, "Storage server's limit"), checked by `ConfigBase::push`
 * (`src/config/base.cpp`) on the final message — after padding, encryption and any wrapping —
 * as `msg.size() > MAX_MESSAGE_SIZE`, so exactly 76,800 bytes is allowed. The padding buckets
 * line up with it: `configPaddedSize(76_760) + 40 = 76_800`.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';

/** Largest config message the storage server stores, in bytes. */
export const CONFIG_MESSAGE_MAX_SIZE = 76_800;

/** True when a finished (encrypted) config message fits the storage limit. */
export function configMessageFits(message: Uint8Array): boolean {
  assertBytes('config message', message);
  return message.length <= CONFIG_MESSAGE_MAX_SIZE;
}

/** Throws `too-large` unless a finished config message fits the storage limit. */
export function assertConfigMessageSize(message: Uint8Array): void {
  if (!configMessageFits(message)) {
    throw new ProtocolError(
      'too-large',
      `config message: expected at most ${CONFIG_MESSAGE_MAX_SIZE} bytes, got ${message.length}`,
    );
  }
}
