/** The SQLite `ConfigStore` (table `configs`). */
import { StoreError, type Database } from '@session-ts/sqlite';
import type { ConfigRecord, ConfigStore } from '../config-store.ts';
import { copyBytes, promised } from '../internal/records.ts';

interface ConfigRow {
  owner: string;
  namespace: number;
  seqno: number;
  data: Uint8Array;
  hashes: string;
  needs_push: number;
  updated_at: number;
  live_until: number;
}

const COLUMNS = 'owner, namespace, seqno, data, hashes, needs_push, updated_at, live_until';

function parseHashes(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((h) => typeof h === 'string')) {
    throw new StoreError('io', 'config hashes: stored value is not a list of strings');
  }
  return value;
}

function toRecord(row: ConfigRow): ConfigRecord {
  return {
    owner: row.owner,
    namespace: row.namespace,
    seqno: row.seqno,
    data: copyBytes(row.data),
    hashes: parseHashes(row.hashes),
    needsPush: row.needs_push === 1,
    updatedAt: row.updated_at,
    ...(row.live_until === 0 ? {} : { liveUntil: row.live_until }),
  };
}

/** The config port over `db` (migrated). */
export function createSqliteConfigStore(db: Database): ConfigStore {
  return {
    getConfig: (owner, namespace) =>
      promised(() => {
        const row = db.get<ConfigRow>(
          `SELECT ${COLUMNS} FROM configs WHERE owner = ? AND namespace = ?`,
          [owner, namespace],
        );
        return row === undefined ? undefined : toRecord(row);
      }),
    putConfig: (r) =>
      promised(() => {
        db.run(`INSERT OR REPLACE INTO configs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
          r.owner,
          r.namespace,
          r.seqno,
          r.data,
          JSON.stringify(r.hashes),
          r.needsPush ? 1 : 0,
          r.updatedAt,
          r.liveUntil ?? 0,
        ]);
      }),
    listConfigs: (owner) =>
      promised(() => {
        const rows =
          owner === undefined
            ? db.all<ConfigRow>(`SELECT ${COLUMNS} FROM configs ORDER BY owner, namespace`)
            : db.all<ConfigRow>(
                `SELECT ${COLUMNS} FROM configs WHERE owner = ? ORDER BY namespace`,
                [owner],
              );
        return rows.map(toRecord);
      }),
    deleteConfig: (owner, namespace) =>
      promised(
        () =>
          db.run('DELETE FROM configs WHERE owner = ? AND namespace = ?', [owner, namespace])
            .changes > 0,
      ),
  };
}
