/**
 * The message store port: everything the storage RPC does to a node's messages
 * (network.md §1.3, §1.8), as one small interface with two implementations — SQLite
 * (`sqlite-message-store.ts`) and an in-memory twin (`memory-message-store.ts`) — that pass one
 * contract suite (`test-support/message-store-contract.ts`).
 *
 * Semantics follow upstream's database layer (session-foundation/session-storage-server
 * `oxenss/storage/database.cpp`, `database.hpp`):
 * - a message is identified by its hash; storing a hash again keeps the one copy and its
 *   position, moving only the expiry, and only later (§12.7);
 * - a public-outbox namespace holds one message: a new one replaces it;
 * - retrieve pages in storage order after `lastHash` (from the start when the hash is unknown),
 *   counting each message as 100 bytes + hash + base64 data against `maxSize`, and always
 *   returns at least one message when there is one;
 * - every operation is atomic: on any error nothing of it is written.
 *
 * Accounts are 66-character lowercase hex account IDs (prefix included); times are epoch ms.
 * Calls are synchronous (see `@session-ts/sqlite`'s `Database`); failures are `StoreError`s.
 */
import type { Namespace, NamespaceSelector } from '@session-ts/core';
import { StoreError } from '@session-ts/sqlite';

/** A stored message. */
export interface StoredMessage {
  /** The account ID, 66 lowercase hex characters. */
  readonly account: string;
  /** The 43-character message hash (`messageHash`). */
  readonly hash: string;
  readonly namespace: Namespace;
  /** The client's timestamp (ms). */
  readonly timestamp: number;
  /** When the message expires (ms). */
  readonly expiry: number;
  readonly data: Uint8Array;
}

/** What a store did; `full` means the size cap refused it (nothing was written). */
export type StoreOutcome =
  | { readonly kind: 'new'; readonly expiry: number }
  | { readonly kind: 'extended'; readonly expiry: number }
  | { readonly kind: 'exists'; readonly expiry: number }
  | { readonly kind: 'full' };

/** A retrieve query; `maxSize` is the byte budget the RPC already worked out. */
export interface RetrieveQuery {
  readonly account: string;
  readonly namespace: Namespace;
  /** Start after this message; unknown or omitted means from the start. */
  readonly lastHash?: string | undefined;
  /** At most this many messages (values below 1 mean 1); omitted means no count limit. */
  readonly maxCount?: number | undefined;
  /** Budget in bytes (100 + hash + base64 data per message); omitted means no size limit. */
  readonly maxSize?: number | undefined;
  /** Messages with `expiry <= now` are not returned even before the cleanup removes them. */
  readonly now: number;
}

/** One page of messages. */
export interface RetrieveResult {
  readonly messages: readonly StoredMessage[];
  /** True when messages were left out by the count or size limit. */
  readonly more: boolean;
}

/** A hash and the namespace it was in (results of the "all namespaces" operations). */
export interface NamespacedHash {
  readonly namespace: Namespace;
  readonly hash: string;
}

/** How `updateExpiries` may move expiries. */
export type ExpiryChange = 'any' | 'extend' | 'shorten';

/** Counts for metrics and `get_stats`. */
export interface StoreStats {
  readonly messages: number;
  /** Accounts with at least one message (or a revocation). */
  readonly accounts: number;
  /** Bytes in use: used pages × page size for SQLite, payload bytes for memory. */
  readonly bytes: number;
}

/** Per-message overhead counted by retrieve's size budget (`DEFAULT_MSG_OVERHEAD`, database.hpp). */
export const RETRIEVE_MESSAGE_OVERHEAD = 100;

/** Revocations kept per account; the oldest go first (network.md §1.2, `revoked_autoclean`). */
export const MAX_REVOKED_SUBACCOUNTS = 50;

/** The message store port. */
export interface MessageStore {
  /** Stores a message (see the module comment for duplicates and public outboxes). */
  store(message: StoredMessage): StoreOutcome;
  /**
   * Stores several messages with one commit (group commit): the outcomes are what `store` would
   * give for each in order, and each message is stored or not on its own (one `full` does not
   * undo the others).
   */
  storeMany(messages: readonly StoredMessage[]): StoreOutcome[];
  retrieve(query: RetrieveQuery): RetrieveResult;
  /** Deletes the account's messages with these hashes; returns those deleted, in request order. */
  deleteByHashes(account: string, hashes: readonly string[]): string[];
  /** Deletes every message of one namespace or of all. */
  deleteAll(account: string, namespace: NamespaceSelector): NamespacedHash[];
  /** Deletes messages with `timestamp <= before`. */
  deleteBefore(account: string, namespace: NamespaceSelector, before: number): NamespacedHash[];
  /**
   * Sets new expiries: `expiries` has one value for all hashes or one per hash. With one value
   * a repeated hash is reported once. Returns the updated hashes with their new expiry.
   */
  updateExpiries(
    account: string,
    hashes: readonly string[],
    expiries: readonly number[],
    change: ExpiryChange,
  ): { hash: string; expiry: number }[];
  /** Lowers every later expiry to `expiry` (`expire_all`; shortens only). */
  shortenAll(account: string, namespace: NamespaceSelector, expiry: number): NamespacedHash[];
  /** Expiries of the hashes that exist (all of the account's messages for `'all'`). */
  getExpiries(account: string, hashes: readonly string[] | 'all'): Map<string, number>;
  /** Records revocations (a repeat refreshes its time), keeping the newest 50 per account. */
  revokeSubaccounts(account: string, tokens: readonly Uint8Array[], now: number): void;
  /** Removes revocations; returns how many there were. */
  unrevokeSubaccounts(account: string, tokens: readonly Uint8Array[]): number;
  isRevoked(account: string, token: Uint8Array): boolean;
  /** The account's revoked tokens, oldest first. */
  revokedSubaccounts(account: string): Uint8Array[];
  /**
   * Removes messages with `expiry <= now`, at most `limit` of them (soonest expired first) when
   * given, so a large backlog can be purged in slices; returns how many.
   */
  cleanExpired(now: number, limit?: number): number;
  stats(): StoreStats;
  /**
   * Every unexpired message in storage order, in batches (for replication to new swarm members
   * and to a dissolved swarm's new home). Between batches the store is free for other calls.
   */
  exportAll(options: { now: number; batchSize?: number }): Generator<StoredMessage[]>;
  /**
   * Stores messages pushed by a peer, atomically: a known hash keeps the later expiry; a public
   * outbox keeps the message with the later timestamp. Returns how many were new. Throws
   * `StoreError('full')` (and writes nothing) when the cap is reached.
   */
  importMessages(messages: readonly StoredMessage[]): number;
  close(): void;
}

/**
 * Cuts candidate rows (in storage order; one more than `maxCount` when a count was given) to the
 * count and byte limits, as upstream's `Database::retrieve` does: each message costs 100 bytes +
 * its hash + its data in base64, and the first message is returned whatever its size.
 */
export function pageMessages<Row extends { readonly hash: string; readonly data: Uint8Array }>(
  rows: Iterable<Row>,
  toMessage: (row: Row) => StoredMessage,
  maxCount: number | undefined,
  maxSize: number | undefined,
): RetrieveResult {
  const messages: StoredMessage[] = [];
  let size = 0;
  for (const row of rows) {
    if (maxCount !== undefined && messages.length >= maxCount) return { messages, more: true };
    if (maxSize !== undefined) {
      // C++ integer arithmetic: data.size() * 4 / 3.
      size += RETRIEVE_MESSAGE_OVERHEAD + row.hash.length + Math.floor((row.data.length * 4) / 3);
      if (messages.length > 0 && size > maxSize) return { messages, more: true };
    }
    messages.push(toMessage(row));
  }
  return { messages, more: false };
}

/** The count limit a store applies: none when omitted or negative, else at least 1. */
export function effectiveMaxCount(maxCount: number | undefined): number | undefined {
  return maxCount === undefined || maxCount < 0 ? undefined : Math.max(1, maxCount);
}

/** `expiries` must hold one value for all hashes or one per hash. */
export function assertExpiryCount(hashes: readonly string[], expiries: readonly number[]): void {
  if (expiries.length !== 1 && expiries.length !== hashes.length) {
    throw new StoreError(
      'invalid-input',
      `expiries: expected 1 or ${hashes.length} values, got ${expiries.length}`,
    );
  }
}
