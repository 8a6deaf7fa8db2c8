/**
 * Where the client store's 32-byte database key comes from (docs/sdk-storage.md):
 *
 * - **A passphrase**: Argon2id (core's `derivePassphraseKey`) with a random 16-byte salt and
 *   the cost parameters kept in a small header file beside the database, `<db>.kdf.json`. The
 *   header holds nothing secret; without the passphrase it is useless.
 * - **A key file**: 32 random bytes in a file only its owner may read (mode 0600), like an SSH
 *   private key. An existing key file that its group or others can read, or that another user
 *   owns, is refused rather than used: the key would already be exposed.
 *
 * Files made here are created with mode 0600 and never overwritten in place.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import {
  PASSPHRASE_SALT_BYTES,
  SecretKey,
  checkPassphraseKdfParams,
  derivePassphraseKey,
  fromHexOfLength,
  toHex,
  type PassphraseKdfParams,
  type Rng,
} from '@session-ts/core';
import { StoreError } from '@session-ts/sqlite';

/** Bytes in a key file. */
export const KEY_FILE_BYTES = 32;

/** What the passphrase header says. */
export interface PassphraseHeader {
  readonly salt: Uint8Array;
  readonly params: PassphraseKdfParams;
}

const HEADER_FORMAT = 'session-ts client store key derivation';
const HEADER_VERSION = 1;
const HEADER_KDF = 'argon2id13';

/** The header's path for a database at `dbPath`. */
export function passphraseHeaderPath(dbPath: string): string {
  return `${dbPath}.kdf.json`;
}

/** Writes `bytes` to a new file with mode 0600, atomically (temp file, fsync, rename). */
export function writePrivateFile(path: string, bytes: Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** A new header: a fresh salt from `rng` and the given cost. */
export function newPassphraseHeader(rng: Rng, params: PassphraseKdfParams): PassphraseHeader {
  let checked: PassphraseKdfParams;
  try {
    checked = checkPassphraseKdfParams(params);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError('invalid-input', `kdf: ${why}`, { cause });
  }
  return { salt: rng.randomBytes(PASSPHRASE_SALT_BYTES), params: checked };
}

/** Writes the header beside the database. */
export function writePassphraseHeader(path: string, header: PassphraseHeader): void {
  const text = JSON.stringify(
    {
      format: HEADER_FORMAT,
      version: HEADER_VERSION,
      kdf: HEADER_KDF,
      salt: toHex(header.salt),
      opsLimit: header.params.opsLimit,
      memLimit: header.params.memLimit,
    },
    null,
    2,
  );
  writePrivateFile(path, new TextEncoder().encode(`${text}\n`));
}

/** Reads and checks a header. */
export function readPassphraseHeader(path: string): PassphraseHeader {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (value.format !== HEADER_FORMAT || value.version !== HEADER_VERSION) {
      throw new Error(`expected format "${HEADER_FORMAT}" version ${HEADER_VERSION}`);
    }
    if (value.kdf !== HEADER_KDF) throw new Error(`expected kdf "${HEADER_KDF}"`);
    return {
      salt: fromHexOfLength(String(value.salt), PASSPHRASE_SALT_BYTES, 'salt'),
      params: checkPassphraseKdfParams({
        opsLimit: Number(value.opsLimit),
        memLimit: Number(value.memLimit),
      }),
    };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError('open-failed', `passphrase header ${path}: ${why}`, { cause });
  }
}

/** The database key for `passphrase` under `header`. */
export function keyFromPassphrase(
  passphrase: string,
  header: PassphraseHeader,
): SecretKey<'symmetric-key'> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new StoreError('invalid-input', 'passphrase: expected a non-empty string');
  }
  return derivePassphraseKey(passphrase, header.salt, header.params);
}

/**
 * Refuses a key file that is not a regular file, that another user owns (root excepted), or
 * that its group or others may access. POSIX permissions only: on Windows the check is skipped.
 */
export function checkKeyFilePermissions(path: string): void {
  const stat = statSync(path);
  if (!stat.isFile()) throw new StoreError('open-failed', `key file ${path}: not a regular file`);
  if (process.platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) {
    throw new StoreError(
      'open-failed',
      `key file ${path}: owned by user ${stat.uid}, not by this user (${uid})`,
    );
  }
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StoreError(
      'open-failed',
      `key file ${path}: mode ${mode.toString(8).padStart(4, '0')} lets others read it; ` +
        'expected 0600 (chmod 600)',
    );
  }
}

/** Reads an existing key file after checking its permissions and size. */
export function readKeyFile(path: string): SecretKey<'symmetric-key'> {
  checkKeyFilePermissions(path);
  const bytes = readFileSync(path);
  try {
    if (bytes.length !== KEY_FILE_BYTES) {
      throw new StoreError(
        'open-failed',
        `key file ${path}: expected ${KEY_FILE_BYTES} bytes, got ${bytes.length}`,
      );
    }
    return new SecretKey('symmetric-key', bytes);
  } finally {
    bytes.fill(0);
  }
}

/** Creates a key file of 32 bytes from `rng` with mode 0600; refuses to replace one. */
export function createKeyFile(path: string, rng: Rng): SecretKey<'symmetric-key'> {
  if (existsSync(path)) throw new StoreError('open-failed', `key file ${path}: already exists`);
  const bytes = rng.randomBytes(KEY_FILE_BYTES);
  try {
    writePrivateFile(path, bytes);
    return new SecretKey('symmetric-key', bytes);
  } finally {
    bytes.fill(0);
  }
}
