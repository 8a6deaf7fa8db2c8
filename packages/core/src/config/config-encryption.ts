/**
 * Config message encryption (protocol-v1.md §4): deterministic XChaCha20-Poly1305, so every
 * client that encrypts the same config gets the same bytes and the storage server can
 * deduplicate them.
 *
 * Upstream: session-foundation/libsession-util `src/config/encrypt.cpp` (`encrypt_inplace`,
 * `decrypt_inplace`, `make_encrypt_key`), `include/session/config/encrypt.hpp`,
 * vectors from `tests/test_encrypt.cpp`.
 *
 * - key   = BLAKE2b-32(key_base ‖ BE-u64(len(pt)) ‖ domain), unkeyed;
 * - nonce = BLAKE2b-24(pt), keyed with ASCII `libsessionutil-config-encrypted-` ‖ domain
 *   (the header comment says `session-config-encrypted-message-`; the code and the vectors use
 *   `libsessionutil-config-encrypted-`, and so do we);
 * - out   = XChaCha20-Poly1305(key, nonce, pt, no AD) ‖ nonce: 40 bytes of overhead.
 *
 * `encryptConfig` does **not** pad, exactly like upstream's `encrypt()`. Upstream's
 * `ConfigBase::push` (`src/config/base.cpp`) does, in this order: serialize, optionally
 * zstd-compress (`z` prefix), `pad_message` (leading zeros, `padConfig` here), `encrypt_inplace`,
 * then fails with "Config data is too large" if the final message exceeds 76,800 bytes
 * (`assertConfigMessageSize`). A receiver decrypts, then skips leading zeros
 * (`stripConfigPadding`).
 */
import { ProtocolError } from '../errors.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import {
  blake2b,
  blake2bParts,
  xchacha20poly1305Decrypt,
  xchacha20poly1305Encrypt,
} from '../crypto/primitives.ts';
import { assertBytes, concatBytes, utf8 } from '../encoding/bytes.ts';

/** Bytes `encryptConfig` adds: 16-byte tag + 24-byte nonce (`ENCRYPT_DATA_OVERHEAD`). */
export const CONFIG_ENCRYPTION_OVERHEAD = 40;

/** Longest domain in bytes (`DOMAIN_MAX_SIZE` in encrypt.cpp; the range is 1–24). */
export const CONFIG_DOMAIN_MAX_BYTES = 24;

/** The nonce hash key prefix (`NONCE_KEY_PREFIX` in encrypt.cpp), exactly 32 ASCII bytes. */
const NONCE_KEY_PREFIX = utf8('libsessionutil-config-encrypted-');

const NONCE_BYTES = 24;
const TAG_BYTES = 16;

/** The outcome of decrypting a config message with one key. */
export type ConfigDecryptResult =
  | { readonly ok: true; readonly plaintext: Uint8Array }
  | { readonly ok: false; readonly error: ProtocolError };

/** A 32-byte key base: the account seed (user configs) or a group key (group configs). */
export type ConfigKeyBase = Uint8Array | SecretKey;

/**
 * Encrypts a (padded) config plaintext. Deterministic: same plaintext, key base and domain give
 * the same output. Throws `invalid-length` for a key base that is not 32 bytes and
 * `invalid-input` for a domain outside 1–24 bytes, as upstream throws `invalid_argument`.
 */
export function encryptConfig(
  plaintext: Uint8Array,
  keyBase: ConfigKeyBase,
  domain: string,
): Uint8Array {
  assertBytes('config plaintext', plaintext);
  const key = configEncryptionKey(keyBase, plaintext.length, domain);
  const nonce = configNonce(plaintext, domain);
  try {
    return concatBytes(xchacha20poly1305Encrypt(key, nonce, plaintext), nonce);
  } finally {
    key.fill(0);
  }
}

/**
 * Decrypts a config message. A message that is too short or does not authenticate under this
 * key base and domain is an `ok: false` result with a `decrypt-failed` error (callers try each
 * key they hold, as `ConfigBase::_merge` does); a bad key base or domain still throws.
 * The plaintext keeps its leading zero padding: see `stripConfigPadding`.
 */
export function decryptConfig(
  ciphertext: Uint8Array,
  keyBase: ConfigKeyBase,
  domain: string,
): ConfigDecryptResult {
  assertBytes('config ciphertext', ciphertext);
  // Check the inputs before the message, so a bad key base or domain is never a silent miss.
  keyBaseBytes(keyBase);
  configDomainBytes(domain);
  if (ciphertext.length < CONFIG_ENCRYPTION_OVERHEAD) {
    return failed(
      `config message: expected at least ${CONFIG_ENCRYPTION_OVERHEAD} bytes, got ${ciphertext.length}`,
    );
  }
  const size = ciphertext.length - CONFIG_ENCRYPTION_OVERHEAD;
  const nonce = ciphertext.subarray(ciphertext.length - NONCE_BYTES);
  const boxed = ciphertext.subarray(0, size + TAG_BYTES);
  const messageKey = configEncryptionKey(keyBase, size, domain);
  try {
    const plaintext = xchacha20poly1305Decrypt(messageKey, nonce, boxed);
    if (plaintext === undefined) {
      return failed('config message: does not decrypt with this key and domain');
    }
    return { ok: true, plaintext };
  } finally {
    messageKey.fill(0);
  }
}

/**
 * The per-message key: BLAKE2b-32(key_base ‖ BE-u64(size) ‖ domain), unkeyed. Upstream hashes
 * the size and domain in so that a nonce collision would also need equal sizes and domains.
 */
export function configEncryptionKey(
  keyBase: ConfigKeyBase,
  size: number,
  domain: string,
): Uint8Array {
  const base = keyBaseBytes(keyBase);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ProtocolError('invalid-input', `config size: expected a byte count, got ${size}`);
  }
  const sizeBytes = new Uint8Array(8);
  new DataView(sizeBytes.buffer).setBigUint64(0, BigInt(size), false);
  return blake2bParts(32, [base, sizeBytes, configDomainBytes(domain)]);
}

/** The deterministic nonce: BLAKE2b-24(plaintext), keyed with the prefix ‖ domain. */
export function configNonce(plaintext: Uint8Array, domain: string): Uint8Array {
  return blake2b(NONCE_BYTES, plaintext, concatBytes(NONCE_KEY_PREFIX, configDomainBytes(domain)));
}

/** The domain's bytes, checked to be 1–24 bytes long (upstream measures bytes, not chars). */
export function configDomainBytes(domain: string): Uint8Array {
  if (typeof domain !== 'string') {
    throw new ProtocolError(
      'invalid-input',
      `config domain: expected a string, got ${typeof domain}`,
    );
  }
  const bytes = utf8(domain);
  if (bytes.length < 1 || bytes.length > CONFIG_DOMAIN_MAX_BYTES) {
    throw new ProtocolError(
      'invalid-input',
      `config domain: expected 1-${CONFIG_DOMAIN_MAX_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

function keyBaseBytes(keyBase: ConfigKeyBase): Uint8Array {
  const base = keyBase instanceof SecretKey ? keyBase.borrowBytes() : keyBase;
  assertBytes('config key base', base, 32);
  return base;
}

function failed(message: string): ConfigDecryptResult {
  return { ok: false, error: new ProtocolError('decrypt-failed', message) };
}
