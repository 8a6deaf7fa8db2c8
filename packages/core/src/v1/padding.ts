/**
 * V1 content padding (protocol-v1.md §3.1): serialized `Content`, then one `0x80` byte, then
 * zero bytes up to a multiple of 160, so that ciphertext sizes say little about message sizes.
 *
 * Where upstream does it: the V1 encryption in session-foundation/libsession-util
 * (src/session_encrypt.cpp, `encrypt_for_recipient`) does **not** pad: it encrypts whatever
 * bytes it is given. Padding happens one layer up, in libsession's newer message-building code
 * (src/session_protocol.cpp, `pad_message` / `unpad_message`, used by `encode_for_1o1` and
 * `decode_envelope`), and in clients that build envelopes themselves (session-desktop
 * ts/session/crypto/BufferPadding.ts). Here too it is a separate step: callers pad before
 * `encryptV1` and unpad after `decryptV1`.
 *
 * Sizes differ between senders, and every receiver copes, because unpadding only looks for the
 * terminator:
 * - libsession appends `160 − ((n + 1) mod 160)` bytes after the `0x80`, so the result is always a
 *   multiple of 160, and a whole extra block when n + 1 already is one. `padContent` does
 *   exactly this.
 * - session-desktop pads to one byte short of a multiple of 160 (a quirk inherited from Signal);
 *   the real one-to-one message in vectors/upstream/message-hash.json has 159 padded bytes.
 *
 * Unpadding is stricter than upstream's: libsession treats input with no `0x80` terminator as
 * unpadded and passes it through ("we should enforce this but no client enforces it right
 * now"); we reject it as `bad-padding`, since every current sender pads.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes } from '../encoding/bytes.ts';

/** The block size one-to-one content is padded to (libsession `COMMUNITY_OR_1O1_MSG_PADDING`). */
export const V1_PADDING_BLOCK = 160;

/** The byte that ends the content and starts the padding (libsession `PADDING_TERMINATING_BYTE`). */
const TERMINATOR = 0x80;

/** Pads serialized content as libsession's `pad_message` does (see the module comment). */
export function padContent(content: Uint8Array): Uint8Array {
  assertBytes('content', content);
  const withTerminator = content.length + 1;
  const padded = withTerminator + V1_PADDING_BLOCK - (withTerminator % V1_PADDING_BLOCK);
  const out = new Uint8Array(padded);
  out.set(content);
  out[content.length] = TERMINATOR;
  return out;
}

/**
 * Strips the padding: trailing zero bytes, then exactly one `0x80`. Accepts any amount of zero
 * padding (so both libsession's and session-desktop's sizes unpad). Throws `bad-padding` when
 * the last non-zero byte is not `0x80` or there is none.
 */
export function unpadContent(padded: Uint8Array): Uint8Array {
  assertBytes('padded content', padded);
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  if (end === 0) {
    throw new ProtocolError('bad-padding', 'padded content: no 0x80 terminator (all zero bytes)');
  }
  if (padded[end - 1] !== TERMINATOR) {
    throw new ProtocolError(
      'bad-padding',
      'padded content: the last non-zero byte is not the 0x80 terminator',
    );
  }
  return padded.slice(0, end - 1);
}
