/**
 * The Session recovery password: an account seed written as English mnemonic words with a
 * checksum word (protocol-v1.md §2, "Session recovery password"):
 *
 * | form                | entropy  | words       | account seed              |
 * |---------------------|----------|-------------|---------------------------|
 * | standard            | 16 bytes | 12 + 1 = 13 | the 16 bytes ‖ 16 zeros   |
 * | full seed (V2 core) | 32 bytes | 24 + 1 = 25 | the 32 bytes              |
 *
 * As upstream (session-foundation/libsession-util), a seed whose upper 16 bytes are zero is shown
 * in the 13-word form, any other in the 25-word form.
 */
import { assertBytes, concatBytes } from '../encoding/bytes.ts';
import { ProtocolError } from '../errors.ts';
import { SecretKey } from '../crypto/secret-key.ts';
import { hasShortSeed } from '../identity/identity.ts';
import { decodeMnemonic, encodeMnemonic, splitWords } from './mnemonic.ts';

/** The word counts a recovery password may have: 12 + 1 and 24 + 1 (protocol-v1.md §2). */
export const RECOVERY_PASSWORD_WORD_COUNTS = [13, 25] as const;

/**
 * The recovery password of a 16- or 32-byte account seed, as words joined by single spaces: 13
 * words when the seed is 16 bytes or its upper 16 bytes are zero, 25 words otherwise.
 */
export function recoveryPasswordFromSeed(seed: Uint8Array | SecretKey<'ed25519-seed'>): string {
  const raw = seed instanceof SecretKey ? seed.borrowBytes() : seed;
  assertBytes('account seed', raw, 16, 32);
  const entropy = hasShortSeed(raw) ? raw.subarray(0, 16) : raw;
  return encodeMnemonic(entropy, { checksum: true }).join(' ');
}

/**
 * The 32-byte account seed a recovery password stands for. Accepts any case, any whitespace
 * between words, and words given by their first 3 letters. A 13-word password gives its 16 bytes
 * followed by 16 zero bytes; a 25-word password gives its 32 bytes.
 *
 * Throws `ProtocolError` `invalid-mnemonic-length` unless there are 13 or 25 words, and the
 * errors of `decodeMnemonic` for a bad word, value or checksum.
 */
export function seedFromRecoveryPassword(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new ProtocolError(
      'invalid-input',
      `recovery password: expected a string, got ${typeof text}`,
    );
  }
  const words = splitWords(text);
  if (!(RECOVERY_PASSWORD_WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw new ProtocolError(
      'invalid-mnemonic-length',
      `a recovery password has 13 or 25 words, got ${words.length}`,
    );
  }
  const entropy = decodeMnemonic(words, { checksum: true });
  return entropy.length === 32 ? entropy : concatBytes(entropy, new Uint8Array(16));
}
