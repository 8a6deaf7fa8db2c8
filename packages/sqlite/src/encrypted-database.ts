/**
 * An encrypted database: the same `Database` port as `openDatabase`, over
 * better-sqlite3-multiple-ciphers (SQLite3 Multiple Ciphers) in its SQLCipher v4 mode, so a file
 * it writes opens in SQLCipher 4 and the reverse (https://utelle.github.io/SQLite3MultipleCiphers/
 * docs/ciphers/cipher_sqlcipher/: `cipher='sqlcipher'`, `legacy=4`).
 *
 * The key is 32 raw bytes, given as `key = "x'<64 hex>'"`: SQLCipher's raw-key form, which skips
 * its own PBKDF2 because the caller already derived the key (Argon2id from a passphrase, or a
 * random key file: docs/sdk-storage.md). Every page is encrypted with AES-256-CBC and
 * authenticated with HMAC-SHA512 (SQLCipher 4 defaults), the WAL too; only the 16-byte random
 * salt at the start of the file is in the clear.
 *
 * SQLite reads nothing until the first statement, so a wrong key only shows when a page is
 * read: we read `sqlite_master` straight away and turn SQLITE_NOTADB into `wrong-key` (a
 * plaintext file opened with a key fails the same way). After that the settings are those of
 * `openDatabase`: WAL, `synchronous=NORMAL`, foreign keys, a 15 s busy timeout.
 *
 * The port adapter is shared with `openDatabase` (driver-adapter.ts): one driver serves both.
 */
import Cipher from 'better-sqlite3-multiple-ciphers';
import type { Database } from './database.ts';
import { adaptDatabase, DEFAULT_BUSY_TIMEOUT_MS } from './driver-adapter.ts';
import { StoreError } from './store-error.ts';

/** Options of `openEncryptedDatabase`. */
export interface OpenEncryptedDatabaseOptions {
  /** A file path (created when missing). */
  readonly path: string;
  /** The 32-byte raw key. The caller keeps it secret; this function keeps no copy. */
  readonly key: Uint8Array;
  /** As `openDatabase`: `NORMAL` (default) survives process crashes, `FULL` power loss too. */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  /** How long to wait for another connection's lock (default 15 s, as `openDatabase`). */
  readonly busyTimeoutMs?: number;
}

/** Bytes in a raw SQLCipher key (AES-256). */
export const ENCRYPTED_DATABASE_KEY_BYTES = 32;

function hexOf(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * Opens (creating if needed) an encrypted database. Throws `invalid-input` for a key that is
 * not 32 bytes, `wrong-key` when the file does not open with it, `open-failed` otherwise.
 */
export function openEncryptedDatabase(options: OpenEncryptedDatabaseOptions): Database {
  const { path, key } = options;
  if (!(key instanceof Uint8Array) || key.length !== ENCRYPTED_DATABASE_KEY_BYTES) {
    const got = key instanceof Uint8Array ? `${key.length} bytes` : typeof key;
    throw new StoreError(
      'invalid-input',
      `database key: expected ${ENCRYPTED_DATABASE_KEY_BYTES} bytes, got ${got}`,
    );
  }
  let raw: Cipher.Database;
  try {
    raw = new Cipher(path);
  } catch (cause) {
    throw new StoreError('open-failed', `cannot open database ${path}`, { cause });
  }
  try {
    raw.pragma(`cipher = 'sqlcipher'`);
    raw.pragma('legacy = 4');
    raw.pragma(`key = "x'${hexOf(key)}'"`);
  } catch (cause) {
    raw.close();
    throw new StoreError('open-failed', `cannot set the cipher of ${path}`, { cause });
  }
  try {
    raw.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    raw.close();
    if ((cause as { code?: unknown } | null)?.code === 'SQLITE_NOTADB') {
      throw new StoreError(
        'wrong-key',
        `database ${path}: wrong key, or not a database encrypted this way`,
        { cause },
      );
    }
    throw new StoreError('open-failed', `cannot read database ${path}`, { cause });
  }
  try {
    raw.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
    raw.pragma('foreign_keys = ON');
    if (path !== ':memory:') raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  } catch (cause) {
    raw.close();
    throw new StoreError('open-failed', `cannot configure database ${path}`, { cause });
  }
  return adaptDatabase(raw, path);
}
