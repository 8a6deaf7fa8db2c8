/**
 * Signed bt dicts: the final `~` entry libsession puts on signed config messages
 * (protocol-v1.md §4) and on group keys messages (§6.2).
 *
 * The signed span, as upstream computes it:
 *
 * - **Producing.** oxenc's `bt_dict_producer::append_signature(key, sign)`
 *   (session-foundation/oxen-encoding `oxenc/bt_producer.h`) calls `sign` on
 *   `view_for_signing()`: the dict's bytes from its opening `d` through the last value so far,
 *   without the closing `e`. It then appends `<len>:<key>` and the signature as a byte string.
 *   libsession-util uses the key `~` (0x7e, after every other printable key):
 *   `ConfigMessage::serialize_impl` in `src/config.cpp`, `Keys::rekey` and `Keys::key_supplement`
 *   in `src/config/groups/keys.cpp`.
 * - **Verifying.** oxenc's `bt_dict_consumer::consume_signature` passes the verifier the bytes
 *   from the dict's start to just before the signature entry's key, i.e. up to but excluding
 *   `1:~`. libsession's `verify_config_sig` (`src/config.cpp`; `Keys::load_key_message` calls it
 *   too) reaches `~` with `skip_until("~")`, requires a 64-byte value, and then requires the dict
 *   to end there: any key after `~` is rejected ("dict has invalid key(s) after ~").
 * - **Trailing bytes.** Upstream never looks past the dict's closing `e` here. `splitSignedDict`
 *   is stricter and accepts exactly one dict, so callers strip padding first (leading zeros of a
 *   config plaintext: `stripConfigPadding`; trailing zeros of a group message:
 *   `decodeBencodePrefix`).
 *
 * So: signed = everything before `1:~`; signature = the `~` value; `~` is the last key.
 */
import { ProtocolError } from '../errors.ts';
import { concatBytes } from './bytes.ts';
import { btKeyBytes, isBtBytes, type BtDict } from './bencode.ts';
import { decodeBencodeDictPrefixWithOffsets, type BencodeDecodeOptions } from './bencode-decode.ts';
import { encodeBencode, encodeBencodeBytes } from './bencode-encode.ts';

/** The signature key libsession uses (`~`, 0x7e). */
export const BT_SIGNATURE_KEY = '~';

/** Ed25519 signature length, which `verify_config_sig` requires of the `~` value. */
export const BT_SIGNATURE_LENGTH = 64;

/** A signed dict split into what was signed and the signature. */
export interface SignedBtDict {
  /** The whole decoded dict, signature entry included. */
  readonly dict: BtDict;
  /** The signed bytes: from the dict's `d` up to, not including, the signature key (`1:~`). */
  readonly signed: Uint8Array;
  /** The signature value (64 bytes). */
  readonly signature: Uint8Array;
}

/** Options for the signed-dict helpers. */
export interface SignedDictOptions extends BencodeDecodeOptions {
  /** The signature entry's key (default `~`). */
  readonly key?: string;
}

/**
 * Splits an encoded dict into its signed prefix and its signature. Returns `undefined` when the
 * dict has no signature entry (an unsigned config is a valid outcome the caller decides on).
 * Malformed bt, a key after the signature entry, a non-string signature or trailing bytes are
 * `invalid-bencode` errors; a signature that is not 64 bytes is a `bad-signature` error.
 * This does not verify the signature: pass `signed` and `signature` to the verifier.
 */
export function splitSignedDict(
  encoded: Uint8Array,
  options: SignedDictOptions = {},
): SignedBtDict | undefined {
  const key = options.key ?? BT_SIGNATURE_KEY;
  const { value: dict, length, keyOffsets } = decodeBencodeDictPrefixWithOffsets(encoded, options);
  if (length !== encoded.length) {
    throw new ProtocolError(
      'invalid-bencode',
      `signed dict: at offset ${length}: expected the end of input after the dict, found ${
        encoded.length - length
      } trailing bytes (strip padding first)`,
    );
  }
  const index = keyOffsets.findIndex((k) => k.key === key);
  if (index === -1) return undefined;
  const entry = keyOffsets[index];
  const after = keyOffsets[index + 1];
  if (entry === undefined) return undefined;
  if (after !== undefined) {
    throw new ProtocolError(
      'invalid-bencode',
      `signed dict: at offset ${after.offset}: expected the dict to end after the signature ` +
        `key ${JSON.stringify(key)}, found another key`,
    );
  }
  const signature = dict.get(key);
  if (!isBtBytes(signature)) {
    throw new ProtocolError(
      'invalid-bencode',
      `signed dict: at offset ${entry.offset}: expected the signature ${JSON.stringify(key)} to ` +
        'be a byte string',
    );
  }
  if (signature.length !== BT_SIGNATURE_LENGTH) {
    throw new ProtocolError(
      'bad-signature',
      `signed dict: signature ${JSON.stringify(key)}: expected ${BT_SIGNATURE_LENGTH} bytes, got ${
        signature.length
      }`,
    );
  }
  return { dict, signed: new Uint8Array(encoded.subarray(0, entry.offset)), signature };
}

/**
 * Encodes `dict` and appends a signature entry, as oxenc's `append_signature` does: `sign` gets
 * the encoded dict without its closing `e`, and its 64-byte result is appended under `key`
 * (default `~`), followed by the `e`. Every key of `dict` must sort before the signature key.
 */
export function encodeSignedDict(
  dict: BtDict,
  sign: (signed: Uint8Array) => Uint8Array,
  options: { readonly key?: string } = {},
): Uint8Array {
  const key = options.key ?? BT_SIGNATURE_KEY;
  for (const k of dict.keys()) {
    if (k >= key) {
      throw new ProtocolError(
        'invalid-input',
        `signed dict: key ${JSON.stringify(k)} does not sort before the signature key ` +
          `${JSON.stringify(key)}`,
      );
    }
  }
  const body = encodeBencode(dict);
  const signed = body.subarray(0, body.length - 1); // drop the closing 'e'
  const signature = sign(signed);
  if (!(signature instanceof Uint8Array) || signature.length !== BT_SIGNATURE_LENGTH) {
    throw new ProtocolError(
      'invalid-input',
      `signed dict: the signer must return ${BT_SIGNATURE_LENGTH} bytes`,
    );
  }
  return concatBytes(
    signed,
    encodeBencodeBytes(btKeyBytes(key)),
    encodeBencodeBytes(signature),
    Uint8Array.of(0x65), // 'e'
  );
}
