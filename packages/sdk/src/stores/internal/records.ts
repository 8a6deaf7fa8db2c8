/**
 * Small helpers both store implementations share, so they agree on the details the contract
 * suites check: how records drop absent fields, how bytes are copied, and the orders lists
 * come back in (the same as the SQLite implementation's `ORDER BY` clauses, with SQLite's
 * BINARY collation, which equals JavaScript's code-unit order for the ASCII IDs used here).
 */
import { StoreError } from '@session-ts/sqlite';
import type { Conversation, StoredMessage } from '../conversation-store.ts';
import type { OutboxItem } from '../outbox-store.ts';

/** `T` whose optional fields may also be given as `undefined`. */
export type Loose<T> = { [K in keyof T]: object extends Pick<T, K> ? T[K] | undefined : T[K] };

/**
 * A copy of `value` without its `undefined`-valued keys: an optional field is absent, never
 * present-and-undefined (exactOptionalPropertyTypes), whichever store it came from.
 */
export function compact<T extends object>(value: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** A plain `Uint8Array` copy (SQLite hands out Node `Buffer`s; callers get neither aliases). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes);
}

/** Ascending order of strings by code unit (SQLite BINARY collation on ASCII). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `listConversations` order: newest activity first, then by ID. */
export function compareConversations(a: Conversation, b: Conversation): number {
  return b.lastActivityAt - a.lastActivityAt || compareText(a.id, b.id);
}

/** Message order: by `sentAt`, then ID. */
export function compareMessages(a: StoredMessage, b: StoredMessage): number {
  return a.sentAt - b.sentAt || compareText(a.id, b.id);
}

/** `listDue` order. */
export function compareDue(a: OutboxItem, b: OutboxItem): number {
  return a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt || compareText(a.id, b.id);
}

/** `listForRecipient` order. */
export function compareCreated(a: OutboxItem, b: OutboxItem): number {
  return a.createdAt - b.createdAt || compareText(a.id, b.id);
}

/** Checks a `limit` argument. */
export function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new StoreError('invalid-input', `limit: expected a non-negative integer, got ${limit}`);
  }
  return limit;
}

/** The error for a message or outbox item whose conversation does not exist. */
export function noConversation(what: string, conversationId: string): StoreError {
  return new StoreError(
    'invalid-input',
    `${what}: no conversation ${conversationId.slice(0, 10)}… (create it first)`,
  );
}

/** Runs a synchronous store operation as a promise: a throw becomes a rejection. */
export function promised<T>(fn: () => T): Promise<T> {
  // The executor runs now, and a throw inside it rejects the promise.
  return new Promise<T>((resolve) => {
    resolve(fn());
  });
}

/** A nullable column as an optional field's value. */
export function opt<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}
