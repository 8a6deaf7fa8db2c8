/**
 * `@session-ts/core`: the Session protocol as pure functions. No network, disk, clock or
 * randomness of its own; those arrive as arguments. This file is the package's whole public
 * surface (CONVENTIONS.md, habit 13).
 */
export { ProtocolError, isProtocolError, PROTOCOL_ERROR_CODES } from './errors.ts';
export type { ProtocolErrorCode, ProtocolErrorDetails } from './errors.ts';

export { concatBytes, bytesEqual, utf8, fromUtf8, assertBytes } from './encoding/bytes.ts';
export { toHex, fromHex, fromHexOfLength } from './encoding/hex.ts';
export { toBase64, toBase64Unpadded, fromBase64 } from './encoding/base64.ts';

export { SecretKey } from './crypto/secret-key.ts';
export type { SecretKind } from './crypto/secret-key.ts';
export type { Rng } from './crypto/rng.ts';
export { createSystemRng } from './crypto/primitives.ts';

export {
  identityFromSeed,
  expandSeed,
  sessionIdFromEd25519,
  hasShortSeed,
} from './identity/identity.ts';
export type { Identity } from './identity/identity.ts';
export {
  parseAccountId,
  accountIdFromHex,
  parseSessionId,
  ACCOUNT_ID_PREFIXES,
  SESSION_ID_PREFIX,
} from './identity/account-id.ts';
export type {
  AccountId,
  AccountIdKind,
  AccountIdPrefix,
  AccountIdParseResult,
  SessionId,
} from './identity/account-id.ts';
export { x25519ToEd25519Positive } from './identity/xed25519.ts';

export {
  encodeMnemonic,
  decodeMnemonic,
  MNEMONIC_WORD_COUNT,
  MNEMONIC_PREFIX_LENGTH,
} from './mnemonic/mnemonic.ts';
export type { MnemonicOptions } from './mnemonic/mnemonic.ts';
export {
  recoveryPasswordFromSeed,
  seedFromRecoveryPassword,
  RECOVERY_PASSWORD_WORD_COUNTS,
} from './mnemonic/recovery-password.ts';
export { ENGLISH_WORDS } from './mnemonic/english-words.ts';

export {
  BT_DEFAULT_MAX_DEPTH,
  BT_INT_MAX,
  BT_INT_MIN,
  btDict,
  btKey,
  btKeyBytes,
  btString,
  btText,
  isBtBytes,
  isBtDict,
  isBtInteger,
  isBtList,
} from './encoding/bencode.ts';
export type { BtDict, BtInteger, BtList, BtValue } from './encoding/bencode.ts';
export { encodeBencode, encodeBencodeBytes } from './encoding/bencode-encode.ts';
export type { BencodeEncodeOptions } from './encoding/bencode-encode.ts';
export { decodeBencode, decodeBencodeDict, decodeBencodePrefix } from './encoding/bencode-decode.ts';
export type { BencodeDecodeOptions, BencodePrefix } from './encoding/bencode-decode.ts';
export {
  BT_SIGNATURE_KEY,
  BT_SIGNATURE_LENGTH,
  encodeSignedDict,
  splitSignedDict,
} from './encoding/bencode-signature.ts';
export type { SignedBtDict, SignedDictOptions } from './encoding/bencode-signature.ts';

export {
  CONFIG_DOMAIN_MAX_BYTES,
  CONFIG_ENCRYPTION_OVERHEAD,
  decryptConfig,
  encryptConfig,
} from './config/config-encryption.ts';
export type { ConfigDecryptResult, ConfigKeyBase } from './config/config-encryption.ts';
export { configPaddedSize, padConfig, stripConfigPadding } from './config/config-padding.ts';
export {
  CONFIG_MESSAGE_MAX_SIZE,
  assertConfigMessageSize,
  configMessageFits,
} from './config/config-message-size.ts';
export {
  CONFIG_NAMESPACES,
  configDomain,
  configKindForNamespace,
} from './config/config-namespaces.ts';
export type {
  ConfigDomain,
  ConfigKind,
  ConfigNamespace,
  ConfigNamespaceInfo,
  EncryptedConfigKind,
} from './config/config-namespaces.ts';
