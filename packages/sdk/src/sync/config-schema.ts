/**
 * The fields of each synced config document (issue 6, "Multi-device sync"): which records a
 * document holds, which fields a record has and what values they take. The namespaces and
 * encryption domains are upstream's (protocol-v1.md §4, core's `CONFIG_NAMESPACES`); the
 * document model inside the encryption is ours (docs/sdk-sync.md), not libsession-util's
 * config-merge format.
 */
import { CONFIG_NAMESPACES } from '@session-ts/core';

/** The user configs this module syncs (namespaces 2–5). */
export const SYNC_KINDS = ['userProfile', 'contacts', 'convoInfoVolatile', 'userGroups'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/** A field's value type. */
export type FieldType =
  | { readonly type: 'text'; readonly maxBytes: number }
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'bool' }
  | { readonly type: 'bytes'; readonly length: number };

/** A field value: text, a safe integer, a flag or bytes, as the field's type says. */
export type FieldValue = string | number | boolean | Uint8Array;

/** The name of the field every record has: whether the record exists (false: deleted). */
export const EXISTS_FIELD = 'exists';

/** Upstream's profile name limit (`session::config::UserProfile`, `MAX_NAME_LENGTH` = 100). */
export const NAME_MAX_BYTES = 100;
/** Upstream's avatar URL limit (`profile_pic::MAX_URL_LENGTH` = 223). */
export const AVATAR_URL_MAX_BYTES = 223;
/** The avatar's symmetric key (`profile_pic` key: 32 bytes). */
export const AVATAR_KEY_BYTES = 32;
/** Longest record key we accept (an account ID is 66 hex characters; a group ID likewise). */
export const RECORD_KEY_MAX_BYTES = 128;
/** Longest device ID we accept in a field's stamp. */
export const DEVICE_ID_MAX_BYTES = 64;

const TIME: FieldType = { type: 'int', min: 0, max: Number.MAX_SAFE_INTEGER };
const FLAG: FieldType = { type: 'bool' };
const NAME: FieldType = { type: 'text', maxBytes: NAME_MAX_BYTES };

/** One config kind's shape. */
export interface KindSchema {
  readonly namespace: number;
  readonly domain: string;
  /** Checks a record key; returns a reason when it is not one of this kind's keys. */
  readonly checkRecordKey: (key: string) => string | undefined;
  readonly fields: Readonly<Record<string, FieldType>>;
}

/** The record key of the single profile record. */
export const PROFILE_RECORD = 'self';

const ACCOUNT_ID = /^(05|03)[0-9a-f]{64}$/;

function accountKey(key: string): string | undefined {
  return ACCOUNT_ID.test(key) ? undefined : 'expected a 05- or 03-prefixed account ID in hex';
}

/** Every synced kind's schema. */
export const SYNC_SCHEMAS: Readonly<Record<SyncKind, KindSchema>> = {
  userProfile: {
    ...CONFIG_NAMESPACES.userProfile,
    checkRecordKey: (key) => (key === PROFILE_RECORD ? undefined : `expected "${PROFILE_RECORD}"`),
    fields: {
      [EXISTS_FIELD]: FLAG,
      name: NAME,
      avatarUrl: { type: 'text', maxBytes: AVATAR_URL_MAX_BYTES },
      avatarKey: { type: 'bytes', length: AVATAR_KEY_BYTES },
    },
  },
  contacts: {
    ...CONFIG_NAMESPACES.contacts,
    checkRecordKey: accountKey,
    fields: {
      [EXISTS_FIELD]: FLAG,
      approved: FLAG,
      blocked: FLAG,
      nickname: NAME,
      name: NAME,
    },
  },
  convoInfoVolatile: {
    ...CONFIG_NAMESPACES.convoInfoVolatile,
    checkRecordKey: accountKey,
    fields: {
      [EXISTS_FIELD]: FLAG,
      readAt: TIME,
      mutedUntil: TIME,
      disappearingMode: { type: 'text', maxBytes: 16 },
      disappearingSeconds: { type: 'int', min: 0, max: 0xffff_ffff },
    },
  },
  userGroups: {
    ...CONFIG_NAMESPACES.userGroups,
    checkRecordKey: accountKey,
    fields: {
      [EXISTS_FIELD]: FLAG,
      name: NAME,
      priority: { type: 'int', min: 0, max: 0xffff_ffff },
    },
  },
};

/** The sync kind stored in `namespace`, if any. */
export function syncKindForNamespace(namespace: number): SyncKind | undefined {
  return SYNC_KINDS.find((k) => SYNC_SCHEMAS[k].namespace === namespace);
}

/** Checks a value against a field's type; returns a reason when it does not fit. */
export function checkFieldValue(type: FieldType, value: FieldValue): string | undefined {
  switch (type.type) {
    case 'text': {
      if (typeof value !== 'string') return 'expected text';
      const bytes = Buffer.byteLength(value, 'utf8');
      return bytes <= type.maxBytes ? undefined : `expected ≤ ${type.maxBytes} bytes, got ${bytes}`;
    }
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return 'expected an integer';
      return value >= type.min && value <= type.max
        ? undefined
        : `expected ${type.min}..${type.max}, got ${value}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'expected a flag';
    case 'bytes':
      if (!(value instanceof Uint8Array)) return 'expected bytes';
      return value.length === type.length
        ? undefined
        : `expected ${type.length} bytes, got ${value.length}`;
  }
}
