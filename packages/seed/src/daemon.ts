/**
 * The seed as a running process: its key file and SQLite registry under a data directory, the
 * app on a socket, and the expiry timer. `main.ts` and `session-cli seed run` both start it
 * from their flags; everything ambient (argv, environment, signals) stays with them.
 *
 * Files under the data directory: `key_ed25519` (the seed key, mode 0600, created on first
 * start) and `seed.db` (the registry, SQLite in WAL mode).
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Clock, Rng, SwarmSizing } from '@session-ts/core';
import { listen, loadOrCreateIdentity, type Logger } from '@session-ts/server-kit';
import { openDatabase } from '@session-ts/sqlite';
import { createPingProbe, createSeed } from './app.ts';
import { createSqliteRegistryStore } from './sqlite-registry-store.ts';

/** How to run a seed. */
export interface SeedDaemonConfig {
  readonly dataDir: string;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  readonly sizing?: SwarmSizing;
  readonly refreshIntervalMs?: number;
  readonly entryTtlMs?: number;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly logger: Logger;
}

/** A running seed. */
export interface SeedDaemon {
  /** Where it listens, e.g. `http://127.0.0.1:22027`. */
  readonly url: string;
  /** Its Ed25519 public key (hex), which clients pin. */
  readonly pubkey: string;
  /** Stops serving, closes the database; resolves when done. */
  stop(): Promise<void>;
}

/** Starts a seed from its data directory. */
export async function startSeedDaemon(config: SeedDaemonConfig): Promise<SeedDaemon> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { identity, created } = loadOrCreateIdentity(
    join(config.dataDir, 'key_ed25519'),
    config.rng,
  );
  const db = openDatabase({ path: join(config.dataDir, 'seed.db') });
  let store: ReturnType<typeof createSqliteRegistryStore>;
  try {
    store = createSqliteRegistryStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const seed = createSeed({
    identity,
    store,
    clock: config.clock,
    rng: config.rng,
    logger: config.logger,
    ...(config.sizing === undefined ? {} : { sizing: config.sizing }),
    ...(config.refreshIntervalMs === undefined
      ? {}
      : { refreshIntervalMs: config.refreshIntervalMs }),
    ...(config.entryTtlMs === undefined ? {} : { entryTtlMs: config.entryTtlMs }),
    probe: createPingProbe(),
  });
  const listener = await listen(seed.app, {
    host: config.host ?? '127.0.0.1',
    port: config.port,
  }).catch((error: unknown) => {
    store.close();
    throw error;
  });
  seed.startExpiry();
  config.logger.info('seed ready', { url: listener.url, pubkey: seed.pubkey, newKey: created });
  let stopping: Promise<void> | undefined;
  return {
    url: listener.url,
    pubkey: seed.pubkey,
    stop() {
      stopping ??= (async () => {
        seed.stop();
        await listener.close();
        store.close();
        config.logger.info('seed stopped');
      })();
      return stopping;
    },
  };
}
