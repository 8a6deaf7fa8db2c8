/**
 * The account port: the one account this client store belongs to (its root seed) and the
 * user's settings. The device's own ID and key rings are part of the device-group snapshot
 * (`DeviceStateStore`, core's port), which every membership transition replaces whole; keeping
 * them there, and only there, means they cannot drift apart from the group state they belong to.
 *
 * Times are unix milliseconds.
 */
import type { DowngradePolicy, SecretKey } from '@session-ts/core';
import { DEFAULT_DOWNGRADE_POLICY } from '@session-ts/core';

/** The account as stored. */
export interface StoredAccount {
  /** The 32-byte Ed25519 seed, the account's root secret (`identityFromSeed` expands it). */
  readonly seed: SecretKey<'ed25519-seed'>;
  /** When the account was created or restored on this device. */
  readonly createdAt: number;
}

/** What the user chose. Every field has a default (`DEFAULT_ACCOUNT_SETTINGS`). */
export interface AccountSettings {
  /**
   * No device joins the group without an existing device's approval (issue #6: "approval
   * required"; upstream only plans it). Off by default, as upstream's behaviour.
   */
  readonly approvalRequired: boolean;
  /** What a send may do when PFS is not possible (core's downgrade policy). */
  readonly downgradePolicy: DowngradePolicy;
  /** Send read receipts. */
  readonly readReceipts: boolean;
  /** Send typing indicators. */
  readonly typingIndicators: boolean;
}

/** Settings before the user changes any. */
export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  approvalRequired: false,
  downgradePolicy: DEFAULT_DOWNGRADE_POLICY,
  readReceipts: false,
  typingIndicators: false,
};

/** Where the account and its settings live. */
export interface AccountStore {
  /** The account, or `undefined` before one is created or restored. */
  getAccount(): Promise<StoredAccount | undefined>;
  /**
   * Stores the account. Storing the same seed again is a no-op (the first `createdAt` stays);
   * a different seed fails with `StoreError('constraint')`: wipe the store first.
   */
  putAccount(account: StoredAccount): Promise<void>;
  /** The settings, defaults filled in. */
  getSettings(): Promise<AccountSettings>;
  /** Changes some settings and returns them all. */
  updateSettings(patch: Partial<AccountSettings>): Promise<AccountSettings>;
}
