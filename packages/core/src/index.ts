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
export { toBase32z } from './encoding/base32z.ts';

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
export { signDetached, verifyDetached } from './identity/signatures.ts';

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
export {
  NODE_REGISTRATION_PREFIX,
  SEED_PUBKEY_HEADER,
  SEED_SIGNATURE_HEADER,
  checkNodeRegistration,
  isAdvertisableIpv4,
  nodeRegistrationToSign,
} from './swarm/node-registration.ts';
export type { NodeRegistrationFields } from './swarm/node-registration.ts';

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

export {
  ONION_ENC_TYPES,
  DEFAULT_ONION_ENC_TYPE,
  parseOnionEncType,
  clientLayerKey,
  nodeLayerKey,
  sealOnionLayer,
  openOnionLayer,
  onionLayerOverhead,
} from './onion/onion-cipher.ts';
export type { OnionEncType, OnionLayerKey } from './onion/onion-cipher.ts';
export {
  ONION_MAX_BYTES,
  encodeOnionFrame,
  encodeOnionFrameText,
  decodeOnionFrame,
} from './onion/onion-frame.ts';
export type { OnionFrame, OnionJson } from './onion/onion-frame.ts';
export {
  MAX_ONION_HOPS,
  encodeOnionEnvelope,
  decodeOnionEnvelope,
} from './onion/onion-envelope.ts';
export type { OnionEnvelope } from './onion/onion-envelope.ts';
export { buildOnion, onionHop } from './onion/onion-builder.ts';
export type {
  BuildOnionOptions,
  BuiltOnion,
  OnionDestination,
  OnionHop,
  OnionNodeDestination,
  OnionServerDestination,
} from './onion/onion-builder.ts';
export {
  peelOnionLayer,
  openOnionEnvelope,
  isOnionProxyTargetAllowed,
} from './onion/onion-node.ts';
export type { OnionNodeKeys, OnionProxyTarget, PeeledOnionLayer } from './onion/onion-node.ts';
export {
  DEFAULT_ONION_RESPONSE_FORMAT,
  onionResponsePlaintext,
  sealOnionResponse,
  openOnionResponse,
} from './onion/onion-response.ts';
export type {
  OnionResult,
  OnionResponseFormat,
  OnionResponseFailure,
  OpenedOnionResponse,
} from './onion/onion-response.ts';
export {
  encodeOnionV4Request,
  decodeOnionV4Request,
  encodeOnionV4Response,
  decodeOnionV4Response,
} from './onion/onion-v4.ts';
export type { OnionV4Request, OnionV4Response } from './onion/onion-v4.ts';

// Protocol V2: keys, rotation, account pubkeys, DMs, downgrade policy (protocol-v2.md §2–§8).
export {
  DEVICE_ID_LENGTH,
  newDeviceId,
  deviceIdFromBytes,
  deviceIdFromHex,
  deviceIdHex,
  deviceIdShort,
  deviceIdsEqual,
} from './v2/keys/device-id.ts';
export type { DeviceId } from './v2/keys/device-id.ts';
export {
  DEVICE_KEYS_DOMAIN,
  ACCOUNT_KEYS_DOMAIN,
  hybridKeyPairFromSeed,
  deviceKeysFromSeed,
  accountKeysFromSeed,
  keyIndicatorPrefix,
} from './v2/keys/hybrid-keys.ts';
export type { HybridKeyKind, HybridKeyPair } from './v2/keys/hybrid-keys.ts';
export {
  ACCOUNT_KEY_RETENTION_SECONDS,
  makeAccountKeyEntry,
  compareAccountKeys,
  settleAccountKeyRing,
  currentAccountKey,
  pruneAccountKeyRing,
  mergeAccountKeyRings,
  retainedAccountKeys,
} from './v2/keys/account-key-ring.ts';
export type {
  AccountKeyEntry,
  AccountKeyRing,
  RetainedAccountKey,
} from './v2/keys/account-key-ring.ts';
export {
  ACCOUNT_KEY_ROTATION_PERIOD_SECONDS,
  ACCOUNT_KEY_ROTATION_WINDOW_SECONDS,
  FORCED_ACCOUNT_ROTATION_REASONS,
  rotateAccountKey,
  accountRotationUniform,
  nextAccountRotation,
  accountRotationDue,
} from './v2/keys/account-key-rotation.ts';
export type {
  AccountKeyRotation,
  AccountRotationScheduleInput,
  AccountRotationDecision,
  ForcedAccountRotationReason,
} from './v2/keys/account-key-rotation.ts';
export {
  DEVICE_KEY_ROTATION_PERIOD_SECONDS,
  DEVICE_KEY_CONFIRMED_GRACE_SECONDS,
  DEVICE_KEY_MAX_RETENTION_SECONDS,
  currentDeviceKey,
  rotateDeviceKey,
  confirmDeviceKey,
  deviceKeyExpiry,
  pruneDeviceKeyRing,
  nextDeviceRotation,
  deviceRotationDue,
} from './v2/keys/device-key-rotation.ts';
export type {
  DeviceKeyEntry,
  DeviceKeyRing,
  DeviceRotationSchedule,
} from './v2/keys/device-key-rotation.ts';
export {
  XED25519_RANDOM_BYTES,
  xed25519Sign,
  xed25519Verify,
} from './identity/xed25519-signature.ts';
export {
  ACCOUNT_PUBKEY_MESSAGE_LENGTH,
  buildAccountPubkeyMessage,
  parseAccountPubkeyMessage,
} from './v2/account-pubkeys/account-pubkey-message.ts';
export type {
  AccountPubkeys,
  AccountPubkeyRejection,
  AccountPubkeyParseResult,
} from './v2/account-pubkeys/account-pubkey-message.ts';
export {
  PFS_KEY_FRESH_SECONDS,
  PFS_KEY_EXPIRY_SECONDS,
  PFS_KEY_NAK_SECONDS,
  pfsKeyCacheState,
  recordPfsKeysFetched,
  recordPfsKeysNak,
} from './v2/account-pubkeys/pfs-key-cache.ts';
export type {
  PfsKeyCacheEntry,
  PfsKeyCacheState,
  PfsKeyCacheStateName,
} from './v2/account-pubkeys/pfs-key-cache.ts';
export {
  V2_DM_MIN_LENGTH,
  V2_DM_HEADER_LENGTH,
  V2_DM_OVERHEAD,
  v2DmLength,
  hasV2DmPrefix,
} from './v2/dm/dm-format.ts';
export { encryptV2Dm, encryptV2DmNonPfs } from './v2/dm/dm-encrypt.ts';
export type { EncryptV2DmArgs, EncryptV2DmCommonArgs } from './v2/dm/dm-encrypt.ts';
export { decryptV2Dm } from './v2/dm/dm-decrypt.ts';
export type {
  DecryptV2DmArgs,
  DecryptV2DmResult,
  DecryptV2DmFailureReason,
  DecryptedV2Dm,
  V2DmPath,
} from './v2/dm/dm-decrypt.ts';
export { decryptIncomingDm } from './v2/dm/incoming-dm.ts';
export type {
  DecryptIncomingDmArgs,
  DecryptedIncomingDm,
  IncomingDmFailureReason,
  IncomingDmResult,
} from './v2/dm/incoming-dm.ts';
export {
  DEFAULT_DOWNGRADE_POLICY,
  chooseDmSend,
  contactHasV2Keys,
  noteV2KeysSeen,
  incomingDmSecurity,
} from './v2/policy/downgrade-policy.ts';
export type {
  ContactV2Record,
  DowngradePolicy,
  DmSendDecision,
  DmSendInput,
  IncomingDmPath,
  IncomingDmSecurity,
  IncomingSecurityContext,
} from './v2/policy/downgrade-policy.ts';

// Protocol V2: device group, records, linking, SAS, membership (protocol-v2.md §9–§13).
export {
  DEVICE_DESCRIPTION_MAX_BYTES,
  DEVICE_RECORD_DIGEST_BYTES,
  DEVICE_TYPES,
  createDeviceRecord,
  decodeDeviceRecord,
  deviceRecordDict,
  deviceRecordDigest,
  deviceVersion,
  deviceVersionParts,
  encodeDeviceRecord,
  truncateUtf8,
} from './v2/device-group/device-record.ts';
export type {
  DeviceRecord,
  DeviceRecordInit,
  DecodedDeviceRecord,
} from './v2/device-group/device-record.ts';
export {
  DEVICE_STATE_RANK,
  mergeDeviceEntry,
  mergeDeviceTable,
  payloadEntries,
  tombstoneFromValue,
  tombstoneValue,
} from './v2/device-group/device-merge.ts';
export type {
  DeviceState,
  Tombstone,
  RecordEntry,
  PayloadDeviceEntry,
  StoredDevice,
  MergeChange,
  DeviceChange,
} from './v2/device-group/device-merge.ts';
export {
  PAYLOAD_ACCOUNT_KEYS_ALLOWANCE,
  PAYLOAD_BUCKET_BYTES,
  paddedPayloadSize,
  encodeGroupPayload,
  padGroupPayload,
  decodeGroupPayload,
} from './v2/device-group/group-payload.ts';
export type { DeviceGroupPayload } from './v2/device-group/group-payload.ts';
export {
  GROUP_ID_BYTES,
  newGroupId,
  groupIdCreatedMinutes,
  cryptGroupId,
} from './v2/device-group/group-id.ts';
export {
  DEVICE_GROUP_MESSAGE_TYPE,
  parseDeviceGroupMessage,
  kickedEntry,
} from './v2/device-group/group-message-format.ts';
export type { ParsedDeviceGroupMessage } from './v2/device-group/group-message-format.ts';
export { encryptDeviceGroupMessage } from './v2/device-group/group-message-encrypt.ts';
export type { DeviceGroupMessageInit } from './v2/device-group/group-message-encrypt.ts';
export {
  decryptDeviceGroupMessage,
  verifyDeviceGroupMessage,
} from './v2/device-group/group-message-decrypt.ts';
export type {
  DeviceGroupReader,
  DeviceGroupOpened,
  DeviceGroupNotOpened,
  DeviceGroupFailureReason,
  DeviceGroupDecryptResult,
} from './v2/device-group/group-message-decrypt.ts';
export {
  LINK_REQUEST_TYPE,
  LINK_REQUEST_TTL_MS,
  createLinkRequest,
  encodeLinkRequestPlaintext,
  encryptLinkRequest,
} from './v2/link/link-request.ts';
export type { OutgoingLinkRequestMessage } from './v2/link/link-request.ts';
export { openLinkRequest, verifyLinkRequestPlaintext } from './v2/link/link-request-open.ts';
export type {
  OpenedLinkRequest,
  LinkRequestFailureReason,
  LinkRequestOpenResult,
} from './v2/link/link-request-open.ts';
export {
  LINK_REQUEST_STATUSES,
  classifyLinkRequest,
  isLinkRequestExpired,
} from './v2/link/link-request-status.ts';
export type {
  IncomingLinkRequest,
  LinkRequestStatus,
  LinkRequestDisposition,
} from './v2/link/link-request-status.ts';
export { SAS_EMOJI, SAS_EMOJI_CODE_POINTS } from './v2/sas/emoji-table.ts';
export {
  SAS_EMOJI_COUNT,
  SAS_STANDARD_COUNT,
  linkRequestSas,
  linkSasSeed,
  sasFromSeed,
  sasEqual,
} from './v2/sas/emoji-sas.ts';
export type { EmojiSas } from './v2/sas/emoji-sas.ts';
export { GROUP_SAS_BASIC_COUNT, groupSas } from './v2/sas/group-sas.ts';
export {
  MEMBERSHIPS,
  DISPLACEMENT_GRACE_MS,
  DEVICE_GROUP_TTL_MS,
  initialDeviceState,
  membershipOf,
} from './v2/membership/membership-state.ts';
export type {
  Membership,
  DeviceStateSnapshot,
  MembershipContext,
  DeviceEvent,
  Transition,
  OutgoingDeviceMessage,
  VisibleGroup,
  OwnLinkRequest,
  HeldAdmission,
} from './v2/membership/membership-state.ts';
export { receiveGroupMessage, activeDeviceKeys } from './v2/membership/receive-group-message.ts';
export type {
  SwarmDeviceMessage,
  GroupMessageOutcome,
} from './v2/membership/receive-group-message.ts';
export {
  buildGroupMessage,
  startGroup,
  removeDevice,
  leaveGroupMessage,
  renewDeviceIdentity,
  fetchCompleted,
  dismissGroup,
  ensureOwnRecord,
} from './v2/membership/group-actions.ts';
export type { StartGroupRefusal } from './v2/membership/group-actions.ts';
export {
  receiveLinkRequest,
  acceptLinkRequest,
  ignoreLinkRequest,
  requestLink,
  confirmLink,
  cancelLinkRequest,
  incomingRequestSas,
} from './v2/membership/link-actions.ts';
export type { LinkRequestOutcome, RequestLinkRefusal } from './v2/membership/link-actions.ts';
export { createMemoryDeviceStateStore } from './v2/membership/device-state-store.ts';
export type { DeviceStateStore } from './v2/membership/device-state-store.ts';
export {
  deviceStateStoreContract,
  sampleDeviceState,
} from './test-support/device-state-store-contract.ts';

// Passphrase → key (Argon2id) for the SDK's encrypted store (docs/sdk-storage.md).
export {
  PASSPHRASE_SALT_BYTES,
  PASSPHRASE_KEY_BYTES,
  DEFAULT_PASSPHRASE_KDF,
  TEST_PASSPHRASE_KDF,
  checkPassphraseKdfParams,
  derivePassphraseKey,
} from './crypto/passphrase-key.ts';
export type { PassphraseKdfParams } from './crypto/passphrase-key.ts';
