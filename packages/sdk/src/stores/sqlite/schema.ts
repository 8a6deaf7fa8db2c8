/**
 * The client store's schema, as numbered migrations (`@session-ts/sqlite` `migrate`: each step
 * runs in a transaction with its version bump). Add a step; never edit a shipped one.
 * docs/sdk-storage.md describes every table.
 *
 * Tables are STRICT (SQLite ≥ 3.37: a value of the wrong type is refused, not coerced), times
 * are unix milliseconds unless a column says `_s` (seconds, as core's key-cache types). A
 * conversation owns its messages and outbox items (`ON DELETE CASCADE`; the adapter turns
 * foreign keys on).
 */
import type { Migration } from '@session-ts/sqlite';

const V1_INITIAL = `
CREATE TABLE account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seed BLOB NOT NULL CHECK (length(seed) = 32),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL -- JSON
) STRICT;

CREATE TABLE device_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  snapshot TEXT NOT NULL -- device-state-codec.ts
) STRICT;

CREATE TABLE contacts (
  account_id TEXT PRIMARY KEY,
  name TEXT,
  nickname TEXT,
  approved INTEGER NOT NULL CHECK (approved IN (0, 1)),
  approved_me INTEGER NOT NULL CHECK (approved_me IN (0, 1)),
  blocked INTEGER NOT NULL CHECK (blocked IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

-- Per account ID, contact or not: core's PfsKeyCacheEntry (upstream's pfs_key_cache table) …
CREATE TABLE pfs_key_cache (
  account_id TEXT PRIMARY KEY,
  fetched_at_s INTEGER,
  mlkem_public_key BLOB,
  x25519_public_key BLOB,
  nak_at_s INTEGER,
  CHECK ((mlkem_public_key IS NULL) = (x25519_public_key IS NULL))
) STRICT;

-- … and core's ContactV2Record.
CREATE TABLE contact_v2 (
  account_id TEXT PRIMARY KEY,
  v2_keys_seen_at_s INTEGER
) STRICT;

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('direct', 'note-to-self')),
  request_state TEXT NOT NULL
    CHECK (request_state IN ('request', 'accepted', 'declined', 'blocked')),
  read_at INTEGER NOT NULL,
  muted_until INTEGER,
  disappearing_mode TEXT NOT NULL CHECK (disappearing_mode IN ('off', 'after-send', 'after-read')),
  disappearing_seconds INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL
) STRICT;
CREATE INDEX conversations_by_activity ON conversations (last_activity_at DESC, id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  hash TEXT UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  sender TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  received_at INTEGER,
  expires_at INTEGER,
  disappearing_mode TEXT CHECK (disappearing_mode IN ('off', 'after-send', 'after-read')),
  disappearing_seconds INTEGER,
  status TEXT NOT NULL
    CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'received')),
  security TEXT CHECK (security IN ('pfs', 'non-pfs', 'v1'))
) STRICT;
CREATE INDEX messages_by_conversation ON messages (conversation_id, sent_at, id);
CREATE INDEX messages_by_expiry ON messages (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE last_hashes (
  node TEXT NOT NULL,
  account TEXT NOT NULL,
  namespace INTEGER NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (node, account, namespace)
) STRICT, WITHOUT ROWID;

CREATE TABLE seen_hashes (
  hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX seen_hashes_by_expiry ON seen_hashes (expires_at);

CREATE TABLE configs (
  owner TEXT NOT NULL,
  namespace INTEGER NOT NULL,
  seqno INTEGER NOT NULL,
  data BLOB NOT NULL,
  hashes TEXT NOT NULL, -- JSON array of strings
  needs_push INTEGER NOT NULL CHECK (needs_push IN (0, 1)),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (owner, namespace)
) STRICT;

CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  recipient TEXT NOT NULL,
  content BLOB NOT NULL,
  sent_at INTEGER NOT NULL,
  ttl_ms INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  waiting_for TEXT NOT NULL CHECK (waiting_for IN ('keys', 'network', 'confirmation')),
  last_error TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at, created_at, id);
CREATE INDEX outbox_by_recipient ON outbox (recipient, created_at, id);
CREATE INDEX outbox_by_conversation ON outbox (conversation_id);
`;

/** Every migration of the client store, in order. */
export const CLIENT_STORE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial client store', up: V1_INITIAL },
  {
    version: 2,
    name: 'config live-until',
    // 0: none known (the column cannot be NULL in a STRICT table added to with ALTER).
    up: 'ALTER TABLE configs ADD COLUMN live_until INTEGER NOT NULL DEFAULT 0;',
  },
];

/** Every table, for the account wipe (children before parents). */
export const CLIENT_STORE_TABLES = [
  'messages',
  'outbox',
  'conversations',
  'pfs_key_cache',
  'contact_v2',
  'contacts',
  'last_hashes',
  'seen_hashes',
  'configs',
  'device_state',
  'settings',
  'account',
] as const;
