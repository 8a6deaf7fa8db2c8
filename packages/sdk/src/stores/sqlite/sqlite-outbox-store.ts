/** The SQLite `OutboxStore` (table `outbox`). */
import type { Database } from '@session-ts/sqlite';
import type { OutboxItem, OutboxStore, OutboxWait } from '../outbox-store.ts';
import {
  checkLimit,
  compact,
  copyBytes,
  noConversation,
  opt,
  promised,
} from '../internal/records.ts';

interface OutboxRow {
  id: string;
  conversation_id: string;
  recipient: string;
  content: Uint8Array;
  sent_at: number;
  ttl_ms: number;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  waiting_for: OutboxWait;
  last_error: string | null;
}

const COLUMNS =
  'id, conversation_id, recipient, content, sent_at, ttl_ms, created_at, attempts, ' +
  'next_attempt_at, waiting_for, last_error';

function toItem(row: OutboxRow): OutboxItem {
  return compact<OutboxItem>({
    id: row.id,
    conversationId: row.conversation_id,
    recipient: row.recipient,
    content: copyBytes(row.content),
    sentAt: row.sent_at,
    ttlMs: row.ttl_ms,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    waitingFor: row.waiting_for,
    lastError: opt(row.last_error),
  });
}

/** The outbox port over `db` (migrated). */
export function createSqliteOutboxStore(db: Database): OutboxStore {
  const get = (id: string): OutboxItem | undefined => {
    const row = db.get<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`, [id]);
    return row === undefined ? undefined : toItem(row);
  };
  return {
    enqueue: (item) =>
      promised(() =>
        db.transaction(() => {
          const exists = db.get('SELECT 1 FROM conversations WHERE id = ?', [item.conversationId]);
          if (exists === undefined) throw noConversation('outbox item', item.conversationId);
          const { changes } = db.run(
            `INSERT INTO outbox (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ` +
              'ON CONFLICT (id) DO NOTHING',
            [
              item.id,
              item.conversationId,
              item.recipient,
              item.content,
              item.sentAt,
              item.ttlMs,
              item.createdAt,
              item.attempts,
              item.nextAttemptAt,
              item.waitingFor,
              item.lastError ?? null,
            ],
          );
          return changes === 0 ? 'duplicate' : 'added';
        }),
      ),
    getOutboxItem: (id) => promised(() => get(id)),
    listDue: (now, limit) =>
      promised(() =>
        db
          .all<OutboxRow>(
            `SELECT ${COLUMNS} FROM outbox WHERE next_attempt_at <= ? ` +
              'ORDER BY next_attempt_at, created_at, id LIMIT ?',
            [now, checkLimit(limit) ?? -1],
          )
          .map(toItem),
      ),
    listForRecipient: (recipient) =>
      promised(() =>
        db
          .all<OutboxRow>(
            `SELECT ${COLUMNS} FROM outbox WHERE recipient = ? ORDER BY created_at, id`,
            [recipient],
          )
          .map(toItem),
      ),
    updateOutboxItem: (id, patch) =>
      promised(() =>
        db.transaction(() => {
          const held = get(id);
          if (held === undefined) return undefined;
          const next = compact<OutboxItem>({ ...held, ...patch, id });
          db.run(
            'UPDATE outbox SET attempts = ?, next_attempt_at = ?, waiting_for = ?, last_error = ? ' +
              'WHERE id = ?',
            [next.attempts, next.nextAttemptAt, next.waitingFor, next.lastError ?? null, id],
          );
          return next;
        }),
      ),
    removeOutboxItem: (id) =>
      promised(() => db.run('DELETE FROM outbox WHERE id = ?', [id]).changes > 0),
  };
}
