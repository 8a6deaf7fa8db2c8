/**
 * A 32-byte key from a passphrase: Argon2id v1.3 (RFC 9106; libsodium `crypto_pwhash` with
 * `ALG_ARGON2ID13`). The SDK uses it to key its encrypted local store (docs/sdk-storage.md):
 * the passphrase never touches the disk, only the salt and the cost parameters do.
 *
 * Pure like the rest of core: the salt arrives as an argument (the caller draws it from its
 * `Rng` once, when the store is created, and keeps it beside the store).
 *
 * The passphrase is normalised to Unicode NFKC before UTF-8 encoding, so the same passphrase
 * typed on two keyboards (precomposed "é" or "e" + combining accent, full-width digits) gives
 * the same key; BIP-39 normalises mnemonic passphrases the same way.
 */
import { ProtocolError } from '../errors.ts';
import { assertBytes, utf8 } from '../encoding/bytes.ts';
import { argon2id } from './primitives.ts';
import { SecretKey } from './secret-key.ts';

/** Salt length (libsodium `crypto_pwhash_SALTBYTES`). */
export const PASSPHRASE_SALT_BYTES = 16;
/** Derived key length: a SQLCipher raw key or any other 256-bit symmetric key. */
export const PASSPHRASE_KEY_BYTES = 32;

/** Argon2id cost parameters. */
export interface PassphraseKdfParams {
  /** Passes over memory (libsodium `opslimit`), ≥ 1. */
  readonly opsLimit: number;
  /** Memory in bytes (libsodium `memlimit`), ≥ 8 KiB. */
  readonly memLimit: number;
}

/**
 * The default: libsodium's `crypto_pwhash_OPSLIMIT_MODERATE` (3) and `MEMLIMIT_MODERATE`
 * (256 MiB), ≈ 0.9 s on the 2-core development machine. The key is derived once per unlock,
 * so a second is affordable, and it is 256 MiB an attacker pays for every guess.
 */
export const DEFAULT_PASSPHRASE_KDF: PassphraseKdfParams = {
  opsLimit: 3,
  memLimit: 256 * 1024 * 1024,
};

/**
 * The smallest parameters libsodium accepts (`crypto_pwhash_OPSLIMIT_MIN` = 1,
 * `crypto_pwhash_MEMLIMIT_MIN` = 8192). For tests only: a guess costs microseconds.
 */
export const TEST_PASSPHRASE_KDF: PassphraseKdfParams = { opsLimit: 1, memLimit: 8192 };

/** libsodium's upper bounds for argon2id (`OPSLIMIT_MAX` = 2^32 − 1; memory capped at 4 TiB). */
const OPS_LIMIT_MAX = 0xffff_ffff;
const MEM_LIMIT_MAX = 4 * 1024 ** 4;

/** Checks cost parameters, naming what was expected. */
export function checkPassphraseKdfParams(params: PassphraseKdfParams): PassphraseKdfParams {
  const { opsLimit, memLimit } = params;
  if (!Number.isSafeInteger(opsLimit) || opsLimit < 1 || opsLimit > OPS_LIMIT_MAX) {
    throw new ProtocolError(
      'invalid-input',
      `Argon2id opsLimit: expected an integer from 1 to ${OPS_LIMIT_MAX}, got ${opsLimit}`,
    );
  }
  if (!Number.isSafeInteger(memLimit) || memLimit < 8192 || memLimit > MEM_LIMIT_MAX) {
    throw new ProtocolError(
      'invalid-input',
      `Argon2id memLimit: expected an integer number of bytes from 8192 to 4 TiB, got ${memLimit}`,
    );
  }
  return { opsLimit, memLimit };
}

/** Derives the 32-byte key for `passphrase` (non-empty) and a 16-byte `salt`. */
export function derivePassphraseKey(
  passphrase: string,
  salt: Uint8Array,
  params: PassphraseKdfParams = DEFAULT_PASSPHRASE_KDF,
): SecretKey<'symmetric-key'> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new ProtocolError('invalid-input', 'passphrase: expected a non-empty string');
  }
  assertBytes('passphrase salt', salt, PASSPHRASE_SALT_BYTES);
  const { opsLimit, memLimit } = checkPassphraseKdfParams(params);
  const password = utf8(passphrase.normalize('NFKC'));
  const key = argon2id(PASSPHRASE_KEY_BYTES, password, salt, opsLimit, memLimit);
  password.fill(0);
  const secret = new SecretKey('symmetric-key', key);
  key.fill(0);
  return secret;
}
