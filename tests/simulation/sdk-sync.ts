/**
 * The SDK names the config scenario uses, in one place (the harness's single seam to the SDK's
 * sync module).
 */
export {
  SYNC_KINDS,
  SYNC_SCHEMAS,
  createConfigSync,
  createMemoryStores,
  encodeConfigDocument,
  mergeConfigDocuments,
  removeRecord,
  setContact,
  setConvoInfo,
  setProfile,
} from '@session-ts/sdk';
export type {
  ClientStore,
  ConfigChange,
  ConfigDocument,
  ConfigSync,
  SyncKind,
} from '@session-ts/sdk';
