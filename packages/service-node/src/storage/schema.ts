/**
 * The service node's SQLite schema, as numbered migrations (network.md §1.8). It follows
 * upstream's (session-foundation/session-storage-server `oxenss/storage/database.cpp`,
 * `create_schema` and `views_triggers_indices`):
 *
 * - `owners(id, type, pubkey)`: one row per account; `type` is the prefix byte (5, 3, …) and
 *   `pubkey` the 32 key bytes, as upstream splits them.
 * - `messages(id, hash UNIQUE, owner, namespace, timestamp, expiry, data)`: `id` order is
 *   storage order, which `last_hash` paging follows, so a duplicate store that keeps its row
 *   keeps its place (§12.7).
 * - `revoked_subaccounts(owner, token, timestamp)` with the `revoked_autoclean` trigger keeping
 *   the newest 50 per owner.
 * - indices: `messages(expiry)` for the purge, `messages(owner, namespace)` for retrieve (upstream
 *   dropped the trailing timestamp column so that the index is in id order within an owner and
 *   namespace), the UNIQUE(hash) index for lookups, and `message_outbox_singleton`, which makes a
 *   public outbox (ns = −(20n+1)) hold one message (upstream's later releases enforce it the same
 *   way);
 * - `owner_autoclean` deletes an owner with no messages left.
 *
 * One deliberate difference: an owner is also kept while it has revocations (and removed when
 * its last revocation and message are gone). Upstream ties revocations to an owner row that
 * only messages create, so it silently drops a revocation for an account that has no messages
 * yet, and drops all revocations when the last message expires; a revoked group member would
 * then regain access. We keep them.
 */
import type { Migration } from '@session-ts/sqlite';

/** The schema migrations, oldest first. */
export const MESSAGE_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'owners, messages, revoked subaccounts',
    up: `
CREATE TABLE owners (
    id INTEGER PRIMARY KEY,
    type INTEGER NOT NULL,
    pubkey BLOB NOT NULL,
    UNIQUE(pubkey, type)
);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    owner INTEGER NOT NULL REFERENCES owners(id),
    namespace INTEGER NOT NULL DEFAULT 0,
    timestamp INTEGER NOT NULL,
    expiry INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE(hash)
);

CREATE INDEX messages_expiry ON messages(expiry);
CREATE INDEX messages_owner ON messages(owner, namespace);
CREATE UNIQUE INDEX message_outbox_singleton ON messages(owner, namespace)
    WHERE namespace < 0 AND namespace % 20 = -1;

CREATE TABLE revoked_subaccounts (
    owner INTEGER NOT NULL REFERENCES owners(id) ON DELETE CASCADE,
    token BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY(owner, token)
);

CREATE TRIGGER revoked_autoclean
    AFTER INSERT ON revoked_subaccounts
    WHEN (SELECT COUNT(*) FROM revoked_subaccounts WHERE owner = NEW.owner) > 50
BEGIN
    DELETE FROM revoked_subaccounts
    WHERE owner = NEW.owner AND rowid NOT IN (
        SELECT rowid FROM revoked_subaccounts WHERE owner = NEW.owner
        ORDER BY timestamp DESC, rowid DESC LIMIT 50
    );
END;

CREATE TRIGGER owner_autoclean
    AFTER DELETE ON messages FOR EACH ROW
    WHEN NOT EXISTS (SELECT 1 FROM messages WHERE owner = OLD.owner)
     AND NOT EXISTS (SELECT 1 FROM revoked_subaccounts WHERE owner = OLD.owner)
BEGIN
    DELETE FROM owners WHERE id = OLD.owner;
END;

CREATE TRIGGER owner_autoclean_revoked
    AFTER DELETE ON revoked_subaccounts FOR EACH ROW
    WHEN NOT EXISTS (SELECT 1 FROM messages WHERE owner = OLD.owner)
     AND NOT EXISTS (SELECT 1 FROM revoked_subaccounts WHERE owner = OLD.owner)
BEGIN
    DELETE FROM owners WHERE id = OLD.owner;
END;

CREATE VIEW owned_messages AS
    SELECT owners.id AS owner_id, owners.type AS type, owners.pubkey AS pubkey, messages.id AS id,
           hash, namespace, timestamp, expiry, data
    FROM messages JOIN owners ON messages.owner = owners.id;
`,
  },
];
