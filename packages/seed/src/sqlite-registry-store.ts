/**
 * The registry in SQLite: one row per node plus the list version, changed in one transaction
 * per registry change so a crash never leaves half a reassignment. Swarm ids are u64s, which
 * SQLite's signed 64-bit integers cannot hold above 2^63, so they are stored as 16 hex digits
 * (their JSON form, network.md §12.3).
 */
import { swarmIdFromHex, swarmIdToHex } from '@session-ts/core';
import { migrate, type Database, type Migration } from '@session-ts/sqlite';
import type { RegistryEntry, RegistryStore } from './registry-store.ts';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry',
    up: `
      CREATE TABLE nodes (
        ed25519 TEXT PRIMARY KEY,
        x25519 TEXT NOT NULL,
        ip TEXT NOT NULL,
        port INTEGER NOT NULL,
        version TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        signature TEXT NOT NULL,
        last_seen INTEGER NOT NULL,
        swarm_id TEXT NOT NULL
      );
      CREATE TABLE registry (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
      INSERT INTO registry (id, version) VALUES (1, 0);
    `,
  },
];

interface NodeRow {
  ed25519: string;
  x25519: string;
  ip: string;
  port: number;
  version: string;
  timestamp: number;
  signature: string;
  last_seen: number;
  swarm_id: string;
}

/** A `RegistryStore` over an open database (migrated here; the caller owns `db`'s lifetime). */
export function createSqliteRegistryStore(db: Database): RegistryStore {
  migrate(db, MIGRATIONS);
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO nodes
       (ed25519, x25519, ip, port, version, timestamp, signature, last_seen, swarm_id)
     VALUES (@ed25519, @x25519, @ip, @port, @version, @timestamp, @signature, @last_seen, @swarm_id)`,
  );
  const remove = db.prepare('DELETE FROM nodes WHERE ed25519 = ?');
  const setVersion = db.prepare('UPDATE registry SET version = ? WHERE id = 1');
  return {
    load() {
      const version = Number(db.get<{ version: number }>('SELECT version FROM registry')?.version);
      const rows = db.all<NodeRow>('SELECT * FROM nodes ORDER BY ed25519');
      return { version, entries: rows.map(entryOf) };
    },
    apply(change) {
      db.transaction(() => {
        for (const key of change.remove) remove.run([key]);
        for (const e of change.upsert) {
          upsert.run({
            ed25519: e.ed25519,
            x25519: e.x25519,
            ip: e.ip,
            port: e.port,
            version: e.version.join('.'),
            timestamp: e.timestamp,
            signature: e.signature,
            last_seen: e.lastSeen,
            swarm_id: swarmIdToHex(e.swarmId),
          });
        }
        setVersion.run([change.version]);
      });
    },
    close: () => db.close(),
  };
}

function entryOf(row: NodeRow): RegistryEntry {
  const [major = 0, minor = 0, patch = 0] = row.version.split('.').map(Number);
  return {
    ed25519: row.ed25519,
    x25519: row.x25519,
    ip: row.ip,
    port: Number(row.port),
    version: [major, minor, patch],
    timestamp: Number(row.timestamp),
    signature: row.signature,
    lastSeen: Number(row.last_seen),
    swarmId: swarmIdFromHex(row.swarm_id),
  };
}
