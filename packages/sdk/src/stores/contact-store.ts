/**
 * The contact port: the people this account knows, whom it blocked, and per account ID what the
 * V2 protocol needs to send to them: the cached account pubkeys with their fetch times
 * (core's `PfsKeyCacheEntry`, protocol-v2.md §5) and whether V2 keys were ever seen for them
 * (core's `ContactV2Record`, the memory the downgrade policy relies on).
 *
 * Keys and V2 records are kept per account ID, not per contact: a message request's sender or a
 * recipient we write to first has them before (or without) becoming a contact. Deleting a
 * contact forgets all three (issue #6: "deleting a conversation or account deletes its keys and
 * data"); a later message from them is first contact again.
 *
 * Times: contact fields are unix milliseconds; `PfsKeyCacheEntry` and `ContactV2Record` keep
 * core's unix seconds.
 */
import type { ContactV2Record, PfsKeyCacheEntry } from '@session-ts/core';

/** One contact. `accountId` is the Session ID (`05` + 64 hex). */
export interface Contact {
  readonly accountId: string;
  /** The name they gave themselves (profile). */
  readonly name?: string;
  /** The name this user gave them. */
  readonly nickname?: string;
  /** This user accepted them (sent a message or accepted their request). */
  readonly approved: boolean;
  /** They accepted this user. */
  readonly approvedMe: boolean;
  /** Their messages are dropped. */
  readonly blocked: boolean;
  readonly createdAt: number;
}

/** The fields `updateContact` may change. */
export type ContactPatch = Partial<Omit<Contact, 'accountId' | 'createdAt'>>;

/** Where contacts and their key cache live. */
export interface ContactStore {
  getContact(accountId: string): Promise<Contact | undefined>;
  /** Creates or replaces a contact. */
  putContact(contact: Contact): Promise<void>;
  /** Changes some fields; `undefined` when there is no such contact. */
  updateContact(accountId: string, patch: ContactPatch): Promise<Contact | undefined>;
  /** Every contact (or only the blocked or unblocked ones), ordered by account ID. */
  listContacts(filter?: { readonly blocked?: boolean }): Promise<Contact[]>;
  /**
   * Blocks or unblocks an account, creating an unapproved contact for it when there is none
   * (a blocked message-request sender). Returns the contact.
   */
  setBlocked(accountId: string, blocked: boolean, now: number): Promise<Contact>;
  /**
   * Forgets the contact, its cached keys and its V2 record. Returns whether anything was
   * stored.
   */
  deleteContact(accountId: string): Promise<boolean>;

  /** The cached account pubkeys and fetch times for an account ID. */
  getPfsKeys(accountId: string): Promise<PfsKeyCacheEntry | undefined>;
  /** Replaces the cache entry (core's `recordPfsKeysFetched` / `recordPfsKeysNak` make it). */
  putPfsKeys(accountId: string, entry: PfsKeyCacheEntry): Promise<void>;
  getV2Record(accountId: string): Promise<ContactV2Record | undefined>;
  /** Replaces the record (core's `noteV2KeysSeen` makes it). */
  putV2Record(accountId: string, record: ContactV2Record): Promise<void>;
}
