/**
 * The outbox port: sends that could not go out yet: the recipient's keys are being fetched
 * (issue #6: "sends queued while fetching"), the network is away, or the user must first
 * confirm a downgrade (core's downgrade policy answered `blocked`). Each item holds the
 * plaintext `Content` and the message timestamp fixed when the user wrote it, so a retry sends
 * the same message. An item belongs to a conversation: deleting the conversation drops it.
 *
 * Times are unix milliseconds.
 */

/** What an item waits for. */
export const OUTBOX_WAITS = ['keys', 'network', 'confirmation'] as const;
export type OutboxWait = (typeof OUTBOX_WAITS)[number];

/** One queued send. */
export interface OutboxItem {
  /** Unique; usually the `StoredMessage` ID it sends. */
  readonly id: string;
  readonly conversationId: string;
  /** The recipient's Session ID. */
  readonly recipient: string;
  /** The encoded protobuf `Content`, not yet encrypted. */
  readonly content: Uint8Array;
  /** The message's timestamp (what the recipient sees and dedupes on). */
  readonly sentAt: number;
  /** Swarm TTL to store it with. */
  readonly ttlMs: number;
  readonly createdAt: number;
  readonly attempts: number;
  /** Not before this time. */
  readonly nextAttemptAt: number;
  readonly waitingFor: OutboxWait;
  /** Why the last attempt failed (no key material, no message text). */
  readonly lastError?: string;
}

/** The fields `updateOutboxItem` may change (`lastError: undefined` clears it). */
export type OutboxPatch = Partial<Pick<OutboxItem, 'attempts' | 'nextAttemptAt' | 'waitingFor'>> & {
  readonly lastError?: string | undefined;
};

/** Where queued sends live. */
export interface OutboxStore {
  /**
   * Queues a send for an existing conversation (`StoreError('invalid-input')` otherwise). An
   * ID already queued is a `duplicate` and changes nothing.
   */
  enqueue(item: OutboxItem): Promise<'added' | 'duplicate'>;
  getOutboxItem(id: string): Promise<OutboxItem | undefined>;
  /** Items with `nextAttemptAt <= now`, earliest first (then by creation, then ID). */
  listDue(now: number, limit?: number): Promise<OutboxItem[]>;
  /** Every item for a recipient (to release them when its keys arrive), oldest first. */
  listForRecipient(recipient: string): Promise<OutboxItem[]>;
  updateOutboxItem(id: string, patch: OutboxPatch): Promise<OutboxItem | undefined>;
  /** Removes a sent or abandoned item. */
  removeOutboxItem(id: string): Promise<boolean>;
}
