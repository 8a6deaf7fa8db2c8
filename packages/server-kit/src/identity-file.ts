/**
 * A server's persistent Ed25519 identity on disk: the 32-byte seed in a file only its owner may
 * read (mode 0600), created on first start and reused afterwards, so a service node or seed
 * keeps its keys (and its place in the network) across restarts. Upstream's storage server
 * keeps its keys in files under its data directory the same way
 * (session-foundation/session-storage-server `oxenss/daemon/oxenss.cpp`, `key_ed25519`).
 *
 * The file holds the seed as 64 hex characters and a newline. A file that other users can read
 * or write is refused rather than used: its key may already be someone else's.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  fromHexOfLength,
  identityFromSeed,
  toHex,
  type Identity,
  type Rng,
} from '@session-ts/core';

/** What `loadOrCreateIdentity` did. */
export interface IdentityFile {
  readonly identity: Identity;
  /** True when the file was created now. */
  readonly created: boolean;
}

/** Permission bits that must be clear on a key file (group and other). */
const FOREIGN_ACCESS = 0o077;

/**
 * Loads the identity stored at `path`, or creates one from `rng` (creating the directory too).
 * Throws when the file exists but is malformed or readable by others.
 */
export function loadOrCreateIdentity(path: string, rng: Rng): IdentityFile {
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(path);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  if (stat !== undefined) {
    if (process.platform !== 'win32' && (Number(stat.mode) & FOREIGN_ACCESS) !== 0) {
      throw new Error(
        `key file ${path} is accessible to other users (mode ${(Number(stat.mode) & 0o777).toString(8)}); ` +
          'run chmod 600 on it, or move it away to create a new identity',
      );
    }
    const text = readFileSync(path, 'utf8').trim();
    const seed = fromHexOfLength(text, 32, `key file ${path}`);
    return { identity: identityFromSeed(seed), created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const seed = rng.randomBytes(32);
  // `wx`: never overwrite a key another process created meanwhile.
  writeFileSync(path, toHex(seed) + '\n', { mode: 0o600, flag: 'wx' });
  // The mode passed to open is filtered by the umask; make sure it is exactly 0600.
  chmodSync(path, 0o600);
  return { identity: identityFromSeed(seed), created: true };
}
