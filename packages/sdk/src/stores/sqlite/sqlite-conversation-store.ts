/** The SQLite `ConversationStore` (tables `conversations`, `messages`). */
import type { Database } from '@session-ts/sqlite';
import type {
  Conversation,
  ConversationKind,
  ConversationStore,
  DisappearingMode,
  MessageDirection,
  MessageSecurity,
  MessageStatus,
  RequestState,
  StoredMessage,
} from '../conversation-store.ts';
import { checkLimit, compact, noConversation, opt, promised } from '../internal/records.ts';

interface ConversationRow {
  id: string;
  kind: ConversationKind;
  request_state: RequestState;
  read_at: number;
  muted_until: number | null;
  disappearing_mode: DisappearingMode;
  disappearing_seconds: number;
  created_at: number;
  last_activity_at: number;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  hash: string | null;
  direction: MessageDirection;
  sender: string;
  body: string;
  sent_at: number;
  received_at: number | null;
  expires_at: number | null;
  disappearing_mode: DisappearingMode | null;
  disappearing_seconds: number | null;
  status: MessageStatus;
  security: MessageSecurity | null;
}

const CONVERSATION_COLUMNS =
  'id, kind, request_state, read_at, muted_until, disappearing_mode, disappearing_seconds, ' +
  'created_at, last_activity_at';
const MESSAGE_COLUMNS =
  'id, conversation_id, hash, direction, sender, body, sent_at, received_at, expires_at, ' +
  'disappearing_mode, disappearing_seconds, status, security';

function toConversation(row: ConversationRow): Conversation {
  return compact<Conversation>({
    id: row.id,
    kind: row.kind,
    requestState: row.request_state,
    readAt: row.read_at,
    mutedUntil: opt(row.muted_until),
    disappearing: { mode: row.disappearing_mode, timerSeconds: row.disappearing_seconds },
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
  });
}

function conversationParams(c: Conversation): (string | number | null)[] {
  return [
    c.id,
    c.kind,
    c.requestState,
    c.readAt,
    c.mutedUntil ?? null,
    c.disappearing.mode,
    c.disappearing.timerSeconds,
    c.createdAt,
    c.lastActivityAt,
  ];
}

function toMessage(row: MessageRow): StoredMessage {
  const mode = row.disappearing_mode;
  return compact<StoredMessage>({
    id: row.id,
    conversationId: row.conversation_id,
    hash: opt(row.hash),
    direction: row.direction,
    sender: row.sender,
    body: row.body,
    sentAt: row.sent_at,
    receivedAt: opt(row.received_at),
    expiresAt: opt(row.expires_at),
    disappearing: mode === null ? undefined : { mode, timerSeconds: row.disappearing_seconds ?? 0 },
    status: row.status,
    security: opt(row.security),
  });
}

function messageParams(m: StoredMessage): (string | number | null)[] {
  return [
    m.id,
    m.conversationId,
    m.hash ?? null,
    m.direction,
    m.sender,
    m.body,
    m.sentAt,
    m.receivedAt ?? null,
    m.expiresAt ?? null,
    m.disappearing?.mode ?? null,
    m.disappearing?.timerSeconds ?? null,
    m.status,
    m.security ?? null,
  ];
}

const PLACEHOLDERS_9 = '?, ?, ?, ?, ?, ?, ?, ?, ?';
const PLACEHOLDERS_13 = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';

/**
 * The conversation port over `db` (migrated). `afterDelete` runs after a deletion that removed
 * message text (the client store checkpoints the WAL there, so old pages do not linger).
 */
export function createSqliteConversationStore(
  db: Database,
  afterDelete: () => void = () => undefined,
): ConversationStore {
  const getConversation = (id: string): Conversation | undefined => {
    const row = db.get<ConversationRow>(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = ?`,
      [id],
    );
    return row === undefined ? undefined : toConversation(row);
  };
  const putConversation = (c: Conversation): void => {
    // An upsert, not INSERT OR REPLACE: replacing would delete the row and cascade to messages.
    db.run(
      `INSERT INTO conversations (${CONVERSATION_COLUMNS}) VALUES (${PLACEHOLDERS_9}) ` +
        'ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, ' +
        'request_state = excluded.request_state, read_at = excluded.read_at, ' +
        'muted_until = excluded.muted_until, disappearing_mode = excluded.disappearing_mode, ' +
        'disappearing_seconds = excluded.disappearing_seconds, ' +
        'created_at = excluded.created_at, last_activity_at = excluded.last_activity_at',
      conversationParams(c),
    );
  };
  const getMessage = (id: string): StoredMessage | undefined => {
    const row = db.get<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`, [id]);
    return row === undefined ? undefined : toMessage(row);
  };

  return {
    getConversation: (id) => promised(() => getConversation(id)),
    putConversation: (conversation) => promised(() => putConversation(conversation)),
    updateConversation: (id, patch) =>
      promised(() =>
        db.transaction(() => {
          const held = getConversation(id);
          if (held === undefined) return undefined;
          const next = compact<Conversation>({ ...held, ...patch, id });
          putConversation(next);
          return next;
        }),
      ),
    listConversations: (filter = {}) =>
      promised(() => {
        const order = 'ORDER BY last_activity_at DESC, id';
        const rows =
          filter.requestState === undefined
            ? db.all<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations ${order}`)
            : db.all<ConversationRow>(
                `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE request_state = ? ${order}`,
                [filter.requestState],
              );
        return rows.map(toConversation);
      }),
    deleteConversation: (id) =>
      promised(() => {
        // Messages and outbox items go with it (ON DELETE CASCADE), in the same statement.
        const deleted = db.run('DELETE FROM conversations WHERE id = ?', [id]).changes > 0;
        if (deleted) afterDelete();
        return deleted;
      }),

    addMessage: (message) =>
      promised(() =>
        db.transaction(() => {
          if (getConversation(message.conversationId) === undefined) {
            throw noConversation('message', message.conversationId);
          }
          const { changes } = db.run(
            `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${PLACEHOLDERS_13}) ` +
              'ON CONFLICT DO NOTHING',
            messageParams(message),
          );
          if (changes === 0) return 'duplicate';
          db.run(
            'UPDATE conversations SET last_activity_at = max(last_activity_at, ?) WHERE id = ?',
            [message.sentAt, message.conversationId],
          );
          return 'added';
        }),
      ),
    getMessage: (id) => promised(() => getMessage(id)),
    findMessageByHash: (hash) =>
      promised(() => {
        const row = db.get<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE hash = ?`, [
          hash,
        ]);
        return row === undefined ? undefined : toMessage(row);
      }),
    listMessages: (conversationId, query = {}) =>
      promised(() => {
        const limit = checkLimit(query.limit) ?? -1; // LIMIT -1: no limit
        const before = query.before;
        const rows = db.all<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ` +
            'AND (? IS NULL OR sent_at < ? OR (sent_at = ? AND id < ?)) ' +
            'ORDER BY sent_at DESC, id DESC LIMIT ?',
          [
            conversationId,
            before === undefined ? null : 1,
            before?.sentAt ?? null,
            before?.sentAt ?? null,
            before?.id ?? null,
            limit,
          ],
        );
        return rows.reverse().map(toMessage);
      }),
    updateMessage: (id, patch) =>
      promised(() =>
        db.transaction(() => {
          const held = getMessage(id);
          if (held === undefined) return undefined;
          const next = compact<StoredMessage>({ ...held, ...patch, id });
          db.run(
            'UPDATE messages SET hash = ?, status = ?, received_at = ?, expires_at = ?, ' +
              'security = ? WHERE id = ?',
            [
              next.hash ?? null,
              next.status,
              next.receivedAt ?? null,
              next.expiresAt ?? null,
              next.security ?? null,
              id,
            ],
          );
          return next;
        }),
      ),
    deleteMessage: (id) =>
      promised(() => {
        const deleted = db.run('DELETE FROM messages WHERE id = ?', [id]).changes > 0;
        if (deleted) afterDelete();
        return deleted;
      }),
    deleteExpiredMessages: (now) =>
      promised(() => {
        const expired = db.transaction(() => {
          const rows = db.all<MessageRow>(
            `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE expires_at <= ? ORDER BY expires_at, id`,
            [now],
          );
          db.run('DELETE FROM messages WHERE expires_at <= ?', [now]);
          return rows.map(toMessage);
        });
        if (expired.length > 0) afterDelete();
        return expired;
      }),
    countUnread: (conversationId) =>
      promised(() => {
        const row = db.get<{ n: number }>(
          'SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id ' +
            "WHERE m.conversation_id = ? AND m.direction = 'incoming' AND m.sent_at > c.read_at",
          [conversationId],
        );
        return row?.n ?? 0;
      }),
  };
}
