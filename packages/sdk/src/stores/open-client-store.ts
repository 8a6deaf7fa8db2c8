/**
 * `openClientStore(...)`: a device's client store on disk, encrypted at rest
 * (docs/sdk-storage.md). SQLCipher-4-compatible encryption of every page (`@session-ts/sqlite`
 * `openEncryptedDatabase`) under a 32-byte key from a passphrase (Argon2id, header beside the
 * database) or from a key file (mode 0600). Opening creates the store when it does not exist
 * (unless `create: false`); a wrong passphrase or key fails with `StoreError('wrong-key')`.
 *
 * This lives in the SDK, not core: it touches the disk.
 */
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import {
  DEFAULT_PASSPHRASE_KDF,
  type PassphraseKdfParams,
  type Rng,
  type SecretKey,
} from '@session-ts/core';
import {
  StoreError,
  openEncryptedDatabase,
  type OpenEncryptedDatabaseOptions,
} from '@session-ts/sqlite';
import type { ClientStore } from './client-store.ts';
import { promised } from './internal/records.ts';
import { createSqliteStores } from './sqlite/sqlite-stores.ts';
import {
  createKeyFile,
  keyFromPassphrase,
  newPassphraseHeader,
  passphraseHeaderPath,
  readKeyFile,
  readPassphraseHeader,
  writePassphraseHeader,
  type PassphraseHeader,
} from './store-key.ts';

/** What every way of opening takes. */
export interface ClientStoreFileOptions {
  /** The database file. Its passphrase header, if any, is `<path>.kdf.json`. */
  readonly path: string;
  /** Randomness for a new store's salt or key file. */
  readonly rng: Rng;
  /** Create the store when it does not exist (default true); false: fail with `open-failed`. */
  readonly create?: boolean;
  /** As `openDatabase`: `NORMAL` (default) survives process crashes, `FULL` power loss too. */
  readonly synchronous?: OpenEncryptedDatabaseOptions['synchronous'];
}

/** Keyed by a passphrase. */
export interface PassphraseStoreOptions extends ClientStoreFileOptions {
  readonly passphrase: string;
  /**
   * Argon2id cost for a **new** store (an existing one uses the cost in its header). Default
   * `DEFAULT_PASSPHRASE_KDF` (3 passes, 256 MiB); tests pass `TEST_PASSPHRASE_KDF`.
   */
  readonly kdf?: PassphraseKdfParams;
}

/** Keyed by a key file (created, mode 0600, with a new store). */
export interface KeyFileStoreOptions extends ClientStoreFileOptions {
  readonly keyFile: string;
}

/** How to open a client store. */
export type OpenClientStoreOptions = PassphraseStoreOptions | KeyFileStoreOptions;

function storeExists(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

/** Opens (or creates) the encrypted client store at `options.path`. */
export function openClientStore(options: OpenClientStoreOptions): Promise<ClientStore> {
  return promised(() => open(options));
}

function open(options: OpenClientStoreOptions): ClientStore {
  const { path } = options;
  if (typeof path !== 'string' || path === '' || path === ':memory:') {
    throw new StoreError('invalid-input', 'path: expected a file path (use createMemoryStores)');
  }
  const exists = storeExists(path);
  if (!exists && options.create === false) {
    throw new StoreError('open-failed', `no client store at ${path}`);
  }

  const extraFiles: string[] = [];
  let key: SecretKey<'symmetric-key'> | undefined;
  if ('passphrase' in options) {
    const headerPath = passphraseHeaderPath(path);
    extraFiles.push(headerPath);
    let header: PassphraseHeader;
    if (exists) {
      if (!existsSync(headerPath)) {
        throw new StoreError(
          'open-failed',
          `passphrase header ${headerPath} is missing: the store's key cannot be derived`,
        );
      }
      header = readPassphraseHeader(headerPath);
    } else {
      header = newPassphraseHeader(options.rng, options.kdf ?? DEFAULT_PASSPHRASE_KDF);
      key = keyFromPassphrase(options.passphrase, header); // before writing: check the input
      writePassphraseHeader(headerPath, header);
    }
    key ??= keyFromPassphrase(options.passphrase, header);
  } else if (existsSync(options.keyFile)) {
    key = readKeyFile(options.keyFile);
  } else if (exists) {
    throw new StoreError(
      'open-failed',
      `key file ${options.keyFile} is missing: the store cannot be opened without it`,
    );
  } else {
    key = createKeyFile(options.keyFile, options.rng);
  }

  // A new database file starts private; SQLite gives its WAL and shared-memory files the
  // database file's permissions.
  if (!exists) closeSync(openSync(path, 'a', 0o600));
  const db = openEncryptedDatabase({
    path,
    key: key.borrowBytes(),
    ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
  });
  return createSqliteStores(db, { extraFiles });
}
