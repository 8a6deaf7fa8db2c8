/**
 * `@session-ts/sdk`: the session-ts client: `createClient` (accounts, devices, conversations)
 * and its local store layer (docs/sdk-storage.md): the store ports, the in-memory and encrypted
 * SQLite implementations, and the contract suites both pass. This file is the package's whole
 * public surface (CONVENTIONS.md, habit 13).
 */

// Store ports.
export { DEFAULT_ACCOUNT_SETTINGS } from './stores/account-store.ts';
export type { AccountSettings, AccountStore, StoredAccount } from './stores/account-store.ts';
export type { Contact, ContactPatch, ContactStore } from './stores/contact-store.ts';
export {
  CONVERSATION_KINDS,
  REQUEST_STATES,
  DISAPPEARING_MODES,
  DISAPPEARING_OFF,
  MUTED_FOREVER,
  MESSAGE_DIRECTIONS,
  MESSAGE_STATUSES,
  MESSAGE_SECURITIES,
} from './stores/conversation-store.ts';
export type {
  Conversation,
  ConversationKind,
  ConversationPatch,
  ConversationStore,
  DisappearingMode,
  DisappearingSetting,
  MessageCursor,
  MessageDirection,
  MessagePatch,
  MessageQuery,
  MessageSecurity,
  MessageStatus,
  RequestState,
  StoredMessage,
} from './stores/conversation-store.ts';
export type { PollCursor, PollStateStore, SeenHash } from './stores/poll-state-store.ts';
export type { ConfigRecord, ConfigStore } from './stores/config-store.ts';
export { OUTBOX_WAITS } from './stores/outbox-store.ts';
export type { OutboxItem, OutboxPatch, OutboxStore, OutboxWait } from './stores/outbox-store.ts';
export type { ClientStore, WipeOptions } from './stores/client-store.ts';

// The client (docs/sdk.md).
export { createClient } from './client/client.ts';
export type { Client, ClientDeps, CreatedAccount, SendOptions } from './client/client.ts';
export type {
  ClientEventName,
  ClientEvents,
  Listener,
  MessageMetadata,
  SecurityNoticeKind,
} from './client/events.ts';
export { swarmApiFromNetwork } from './client/swarm-api.ts';
export type { SwarmAnswer, SwarmApi } from './client/swarm-api.ts';
export { ClientError, isClientError, CLIENT_ERROR_CODES } from './client/client-error.ts';
export type { ClientErrorCode } from './client/client-error.ts';
export type { ClientLogger } from './client/context.ts';
export type { DeviceInfo, DeviceSummary, LinkStart } from './client/devices.ts';
export type { PollSummary } from './client/incoming.ts';
export { DM_TTL_MS } from './client/outgoing.ts';

// Factories.
export { createMemoryStores } from './stores/memory/memory-stores.ts';
export { createSqliteStores } from './stores/sqlite/sqlite-stores.ts';
export type { SqliteStoresOptions } from './stores/sqlite/sqlite-stores.ts';
export { CLIENT_STORE_MIGRATIONS } from './stores/sqlite/schema.ts';
export { openClientStore } from './stores/open-client-store.ts';
export type {
  ClientStoreFileOptions,
  KeyFileStoreOptions,
  OpenClientStoreOptions,
  PassphraseStoreOptions,
} from './stores/open-client-store.ts';
export { KEY_FILE_BYTES, passphraseHeaderPath } from './stores/store-key.ts';

// Contract suites (for other implementations of the ports, and for the SDK's own tests).
export type { ContractCase, MakeClientStore } from './test-support/contract-case.ts';
export { accountStoreContract } from './test-support/account-store-contract.ts';
export { contactStoreContract } from './test-support/contact-store-contract.ts';
export { conversationStoreContract } from './test-support/conversation-store-contract.ts';
export { pollStateStoreContract } from './test-support/poll-state-store-contract.ts';
export { configStoreContract } from './test-support/config-store-contract.ts';
export { outboxStoreContract } from './test-support/outbox-store-contract.ts';
export {
  assertEmptyStore,
  clientStoreContract,
  deviceStateContract,
} from './test-support/client-store-contract.ts';
export { fillSampleStore } from './test-support/sample-client-data.ts';
export type { SampleClientData } from './test-support/sample-client-data.ts';

// Multi-device sync of profile, contacts and conversation state (docs/sdk-sync.md).
export * from './sync/index-exports.ts';
