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
export type { Clock } from './clock.ts';
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
  AccountIdParseOptions,
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
export {
  decodeBencode,
  decodeBencodeDict,
  decodeBencodePrefix,
} from './encoding/bencode-decode.ts';
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

export {
  TTL_MIN_MS,
  TTL_MAX_PUBLIC_MS,
  TTL_MAX_PRIVATE_MS,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGE_BASE64_CHARS,
  STORE_TOLERANCE_MS,
  SIGNATURE_TOLERANCE_MS,
  SIGNATURE_TOLERANCE_FORWARDED_MS,
  EXPIRE_PAST_TOLERANCE_MS,
  DELETE_BEFORE_FUTURE_TOLERANCE_MS,
  MIN_TIMESTAMP_MS,
  RETRIEVE_MAX_SIZE,
  RETRIEVE_DEFAULT_MAX_SIZE,
  BATCH_REQUEST_MIN,
  BATCH_REQUEST_MAX,
  MAX_SUBACCOUNT_TOKENS,
  MAX_REQUEST_BODY_BYTES,
  MONITOR_MAX_AGE_MS,
  MONITOR_MAX_FUTURE_MS,
  isWithinSignatureWindow,
  effectiveRetrieveMaxSize,
} from './storage-rpc/limits.ts';
export {
  NAMESPACE_MIN,
  NAMESPACE_MAX,
  NAMESPACES,
  isNamespace,
  parseNamespace,
  parseNamespaceSelector,
  namespaceString,
  isPublicInboxNamespace,
  isPublicOutboxNamespace,
  isUnrevocableNamespace,
  isNoAuthRetrieveNamespace,
  namespaceClass,
  namespaceRules,
} from './storage-rpc/namespaces.ts';
export type {
  Namespace,
  NamespaceSelector,
  NamespaceClass,
  NamespaceRules,
} from './storage-rpc/namespaces.ts';
export { messageHash, isMessageHash, MESSAGE_HASH_LENGTH } from './storage-rpc/message-hash.ts';
export {
  storeToSign,
  retrieveToSign,
  deleteToSign,
  deleteAllToSign,
  deleteBeforeToSign,
  expireToSign,
  expireAllToSign,
  getExpiriesToSign,
  revokeSubaccountToSign,
  unrevokeSubaccountToSign,
  revokedSubaccountsToSign,
  monitorToSign,
  storeResultToSign,
  deleteResultToSign,
  deleteAllResultToSign,
  deleteBeforeResultToSign,
  expireAllResultToSign,
  expireResultToSign,
  revokeSubaccountResultToSign,
  unrevokeSubaccountResultToSign,
} from './storage-rpc/signed-strings.ts';
export type { ExpireMode, AffectedHashes, AccountKey } from './storage-rpc/signed-strings.ts';
export {
  SUBACCOUNT_TOKEN_LENGTH,
  SUBACCOUNT_FLAGS,
  SUBACCOUNT_METHOD_ACCESS,
  buildSubaccountToken,
  parseSubaccountToken,
  subaccountTokenFromText,
  subaccountHas,
  subaccountPrefixAllowed,
} from './storage-rpc/subaccount-token.ts';
export type {
  SubaccountToken,
  SubaccountTokenFields,
  SubaccountFlag,
} from './storage-rpc/subaccount-token.ts';
export { swarmSpace, SWARM_SPACE_MAX } from './swarm/swarm-space.ts';
export {
  chooseSwarm,
  swarmForAccount,
  swarmIdToHex,
  swarmIdFromHex,
  INVALID_SWARM_ID,
} from './swarm/swarm-choice.ts';
export { DEFAULT_SWARM_SIZING, checkSwarmSizing } from './swarm/swarm-sizing.ts';
export type { SwarmSizing } from './swarm/swarm-sizing.ts';

export { encodeContent, decodeContent } from './protobuf/content.ts';
export type { ContentInit } from './protobuf/content.ts';
export { encodeProtobuf, decodeProtobuf } from './protobuf/codec.ts';
export * as SessionProtos from './protobuf/gen/session/SessionProtos_pb.ts';
export * as WebSocketProtos from './protobuf/gen/session/WebSocketResources_pb.ts';
export { padContent, unpadContent, V1_PADDING_BLOCK } from './v1/padding.ts';
export { encryptV1, encryptV1Deterministic } from './v1/encrypt.ts';
export type { EncryptV1Args, EncryptV1DeterministicArgs } from './v1/encrypt.ts';
export { decryptV1, V1_MIN_CIPHERTEXT_LENGTH } from './v1/decrypt.ts';
export type { DecryptV1Result, DecryptV1FailureReason } from './v1/decrypt.ts';
export type { V1Recipient } from './v1/keys.ts';
export { wrapV1Envelope, unwrapV1Envelope } from './v1/envelope.ts';
export type { V1Envelope, V1EnvelopeInit } from './v1/envelope.ts';
