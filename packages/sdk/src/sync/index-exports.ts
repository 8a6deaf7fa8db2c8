/**
 * The sync module's public names, re-exported by the package's `index.ts` (docs/sdk-sync.md):
 * the config document model and its merge, the typed views and edits, the codec (bt document
 * inside upstream's padding and encryption), and `createConfigSync`.
 */
export {
  SYNC_KINDS,
  SYNC_SCHEMAS,
  EXISTS_FIELD,
  PROFILE_RECORD,
  NAME_MAX_BYTES,
  AVATAR_URL_MAX_BYTES,
  AVATAR_KEY_BYTES,
  syncKindForNamespace,
} from './config-schema.ts';
export type { SyncKind, FieldType, FieldValue, KindSchema } from './config-schema.ts';
export {
  emptyConfigDocument,
  documentSeqno,
  compareEntries,
  mergeConfigDocuments,
  applyLocalChange,
  liveRecord,
  liveRecords,
} from './config-document.ts';
export type {
  ConfigChange,
  ConfigDocument,
  ConfigRecordFields,
  FieldEntry,
} from './config-document.ts';
export {
  CONFIG_DOCUMENT_VERSION,
  encodeConfigDocument,
  decodeConfigDocument,
  sealConfigDocument,
  openConfigDocument,
} from './config-codec.ts';
export type { OpenConfigResult } from './config-codec.ts';
export {
  profileView,
  contactsView,
  convoInfoView,
  setProfile,
  setContact,
  setConvoInfo,
  removeRecord,
  diffConfigDocuments,
} from './config-views.ts';
export type {
  AvatarPointer,
  SyncedProfile,
  SyncedContact,
  SyncedConvoInfo,
  FieldChange,
} from './config-views.ts';
export { createConfigSync, CONFIG_TTL_MS } from './config-sync.ts';
export type {
  ConfigSync,
  ConfigSyncDeps,
  ConfigSyncSwarm,
  ConfigSyncAnswer,
  ConfigSyncLogger,
  SyncUpdated,
  PullReport,
  PushReport,
} from './config-sync.ts';
