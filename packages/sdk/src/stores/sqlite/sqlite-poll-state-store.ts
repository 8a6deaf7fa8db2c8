/** The SQLite `PollStateStore` (tables `last_hashes`, `seen_hashes`). */
import type { Database } from '@session-ts/sqlite';
import type { PollStateStore } from '../poll-state-store.ts';
import { promised } from '../internal/records.ts';

/** The poll-state port over `db` (migrated). */
export function createSqlitePollStateStore(db: Database): PollStateStore {
  return {
    getLastHash: ({ node, account, namespace }) =>
      promised(
        () =>
          db.get<{ hash: string }>(
            'SELECT hash FROM last_hashes WHERE node = ? AND account = ? AND namespace = ?',
            [node, account, namespace],
          )?.hash,
      ),
    setLastHash: ({ node, account, namespace }, hash) =>
      promised(() => {
        db.run(
          'INSERT INTO last_hashes (node, account, namespace, hash) VALUES (?, ?, ?, ?) ' +
            'ON CONFLICT (node, account, namespace) DO UPDATE SET hash = excluded.hash',
          [node, account, namespace, hash],
        );
      }),
    forgetNode: (node) =>
      promised(() => db.run('DELETE FROM last_hashes WHERE node = ?', [node]).changes),
    markSeen: (entries) =>
      promised(() =>
        db.transaction(() => {
          const fresh: string[] = [];
          for (const { hash, expiresAt } of entries) {
            const held = db.get<{ expires_at: number }>(
              'SELECT expires_at FROM seen_hashes WHERE hash = ?',
              [hash],
            );
            if (held === undefined) {
              db.run('INSERT INTO seen_hashes (hash, expires_at) VALUES (?, ?)', [hash, expiresAt]);
              fresh.push(hash);
            } else if (expiresAt > held.expires_at) {
              db.run('UPDATE seen_hashes SET expires_at = ? WHERE hash = ?', [expiresAt, hash]);
            }
          }
          return fresh;
        }),
      ),
    hasSeen: (hash) =>
      promised(() => db.get('SELECT 1 FROM seen_hashes WHERE hash = ?', [hash]) !== undefined),
    pruneSeen: (now) =>
      promised(() => db.run('DELETE FROM seen_hashes WHERE expires_at <= ?', [now]).changes),
  };
}
