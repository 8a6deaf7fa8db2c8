/**
 * The bt-encoding of a synced config document (docs/sdk-sync.md), and the full config message:
 * document → `padConfig` → `encryptConfig` with the account seed and the namespace's domain
 * (protocol-v1.md §4, upstream-exact), and back with strict validation.
 *
 * Layout: `{ "k": domain, "r": { record: { field: [seqno, device, value?] } }, "v": 1 }`; a
 * two-element entry is a tombstone. Flags are the integers 0 and 1; text is UTF-8.
 */
import {
  ProtocolError,
  assertConfigMessageSize,
  btKey,
  btKeyBytes,
  decodeBencodeDict,
  decryptConfig,
  encodeBencode,
  encryptConfig,
  fromUtf8,
  isBtBytes,
  isBtDict,
  isBtInteger,
  isBtList,
  padConfig,
  stripConfigPadding,
  utf8,
  type BtDict,
  type BtValue,
  type ConfigKeyBase,
} from '@session-ts/core';
import {
  DEVICE_ID_MAX_BYTES,
  RECORD_KEY_MAX_BYTES,
  SYNC_SCHEMAS,
  checkFieldValue,
  type FieldType,
  type FieldValue,
  type SyncKind,
} from './config-schema.ts';
import type { ConfigDocument, FieldEntry } from './config-document.ts';

/** The document format version. */
export const CONFIG_DOCUMENT_VERSION = 1;

/** The canonical bt-encoding of `doc`. */
export function encodeConfigDocument(doc: ConfigDocument): Uint8Array {
  const records = new Map<string, BtValue>();
  for (const [key, fields] of doc.records) {
    const out = new Map<string, BtValue>();
    for (const [name, entry] of fields) {
      const list: BtValue[] = [entry.seqno, utf8(entry.device)];
      if (entry.value !== undefined) list.push(encodeValue(entry.value));
      out.set(btKey(utf8(name)), list);
    }
    records.set(btKey(utf8(key)), out);
  }
  return encodeBencode(
    new Map<string, BtValue>([
      ['k', utf8(SYNC_SCHEMAS[doc.kind].domain)],
      ['r', records],
      ['v', CONFIG_DOCUMENT_VERSION],
    ]),
  );
}

function encodeValue(value: FieldValue): BtValue {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function invalid(what: string): ProtocolError {
  return new ProtocolError('invalid-bencode', `config document: ${what}`);
}

/**
 * Parses a bt-encoded document of `kind`, checking every record key, field, stamp and value
 * against the schema. Throws `ProtocolError` (`invalid-bencode`) saying what was expected.
 */
export function decodeConfigDocument(bytes: Uint8Array, kind: SyncKind): ConfigDocument {
  const schema = SYNC_SCHEMAS[kind];
  const top = decodeBencodeDict(bytes, { maxDepth: 5 });
  for (const key of top.keys()) {
    if (key !== 'k' && key !== 'r' && key !== 'v') throw invalid(`unexpected key "${key}"`);
  }
  const version = top.get('v');
  if (version !== CONFIG_DOCUMENT_VERSION && version !== BigInt(CONFIG_DOCUMENT_VERSION)) {
    throw invalid(`expected version ${CONFIG_DOCUMENT_VERSION}`);
  }
  const domain = top.get('k');
  if (!isBtBytes(domain) || strictText(domain, 'kind') !== schema.domain) {
    throw invalid(`expected kind "${schema.domain}"`);
  }
  const recordsValue = top.get('r');
  if (!isBtDict(recordsValue)) throw invalid('expected a dict of records');
  const records = new Map<string, Map<string, FieldEntry>>();
  for (const [rawKey, fieldsValue] of recordsValue) {
    const key = keyText(rawKey, 'record key', RECORD_KEY_MAX_BYTES);
    const bad = schema.checkRecordKey(key);
    if (bad !== undefined) throw invalid(`record "${key}": ${bad}`);
    if (!isBtDict(fieldsValue) || fieldsValue.size === 0) {
      throw invalid(`record "${key}": expected a non-empty dict of fields`);
    }
    records.set(key, decodeFields(fieldsValue, schema.fields, key));
  }
  return { kind, records };
}

function decodeFields(
  dict: BtDict,
  types: Readonly<Record<string, FieldType>>,
  record: string,
): Map<string, FieldEntry> {
  const fields = new Map<string, FieldEntry>();
  for (const [rawName, value] of dict) {
    const name = keyText(rawName, 'field name', 64);
    const type = types[name];
    if (type === undefined) throw invalid(`record "${record}": unknown field "${name}"`);
    const where = `${record}.${name}`;
    if (!isBtList(value) || value.length < 2 || value.length > 3) {
      throw invalid(`${where}: expected [seqno, device, value?]`);
    }
    const [seqnoValue, deviceValue, raw] = value;
    const seqno = safeInteger(seqnoValue);
    if (seqno === undefined || seqno < 1) throw invalid(`${where}: expected a positive seqno`);
    if (!isBtBytes(deviceValue) || deviceValue.length < 1) {
      throw invalid(`${where}: expected a device ID`);
    }
    const device = keyText(btKey(deviceValue), 'device ID', DEVICE_ID_MAX_BYTES);
    const entryValue = raw === undefined ? undefined : decodeValue(raw, type, where);
    fields.set(name, { seqno, device, value: entryValue });
  }
  return fields;
}

function decodeValue(raw: BtValue, type: FieldType, where: string): FieldValue {
  let value: FieldValue | undefined;
  switch (type.type) {
    case 'text':
      value = isBtBytes(raw) ? strictText(raw, where) : undefined;
      break;
    case 'int':
      value = safeInteger(raw);
      break;
    case 'bool': {
      const n = safeInteger(raw);
      value = n === 0 ? false : n === 1 ? true : undefined;
      break;
    }
    case 'bytes':
      value = isBtBytes(raw) ? raw : undefined;
      break;
  }
  if (value === undefined) throw invalid(`${where}: expected a ${type.type} value`);
  const reason = checkFieldValue(type, value);
  if (reason !== undefined) throw invalid(`${where}: ${reason}`);
  return value;
}

function safeInteger(value: BtValue | undefined): number | undefined {
  if (!isBtInteger(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function strictText(bytes: Uint8Array, where: string): string {
  try {
    return fromUtf8(bytes);
  } catch (cause) {
    throw new ProtocolError('invalid-bencode', `config document ${where}: expected UTF-8`, {
      cause,
    });
  }
}

function keyText(raw: string, what: string, maxBytes: number): string {
  const bytes = btKeyBytes(raw);
  if (bytes.length === 0 || bytes.length > maxBytes) {
    throw invalid(`${what}: expected 1–${maxBytes} bytes, got ${bytes.length}`);
  }
  const text = strictText(bytes, what);
  if (utf8(text).length !== bytes.length) throw invalid(`${what}: expected UTF-8`);
  return text;
}

/**
 * The config message of `doc` as stored on the swarm: encoded, padded and encrypted with
 * `keyBase` (the account seed) under the kind's domain. Throws `ProtocolError` (`too-large`)
 * when it exceeds the 76,800-byte store limit.
 */
export function sealConfigDocument(doc: ConfigDocument, keyBase: ConfigKeyBase): Uint8Array {
  const message = encryptConfig(
    padConfig(encodeConfigDocument(doc)),
    keyBase,
    SYNC_SCHEMAS[doc.kind].domain,
  );
  assertConfigMessageSize(message);
  return message;
}

/** What opening a config message gives: the document, or why it was not one. */
export type OpenConfigResult =
  | { readonly ok: true; readonly document: ConfigDocument }
  | { readonly ok: false; readonly error: ProtocolError };

/** Decrypts, unpads and parses a config message of `kind`. */
export function openConfigDocument(
  message: Uint8Array,
  keyBase: ConfigKeyBase,
  kind: SyncKind,
): OpenConfigResult {
  const opened = decryptConfig(message, keyBase, SYNC_SCHEMAS[kind].domain);
  if (!opened.ok) return opened;
  try {
    return {
      ok: true,
      document: decodeConfigDocument(stripConfigPadding(opened.plaintext), kind),
    };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error };
    throw error;
  }
}
