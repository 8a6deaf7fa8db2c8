/**
 * Builders of the V2 known-answer vectors in `packages/core/vectors/v2/` (issue 3, "Fixed
 * known-answer vectors"): the generator script (`scripts/generate-v2-vectors.ts`) writes what
 * these return, and the tests rebuild each case and compare byte for byte, so a change to any
 * V2 format shows up as a vector diff.
 *
 * Every case is named by a label. Its fixed inputs (identity seeds, account-key seed, content)
 * come from `createSeededRng(label + "/fixtures")`, and everything the protocol draws at random
 * (ephemeral X25519 secret, ML-KEM coins, non-PFS random fields, XEd25519's Z) from
 * `createSeededRng(label)`, in upstream's order. Each vector also records those draws and the
 * intermediate values, so another implementation can check itself step by step without our Rng.
 */
import { toHex } from '../encoding/hex.ts';
import { utf8 } from '../encoding/bytes.ts';
import {
  blake2bSaltPersonal,
  ed25519KeyPairFromSeed,
  ed25519ScalarMultBaseNoclamp,
  mlkem768Encapsulate,
  x25519,
  x25519PublicKey,
} from '../crypto/primitives.ts';
import { identityFromSeed } from '../identity/identity.ts';
import { x25519ToEd25519Positive } from '../identity/xed25519.ts';
import { accountKeysFromSeed } from '../v2/keys/hybrid-keys.ts';
import { makeAccountKeyEntry } from '../v2/keys/account-key-ring.ts';
import { accountRotationUniform, nextAccountRotation } from '../v2/keys/account-key-rotation.ts';
import { deviceIdFromBytes } from '../v2/keys/device-id.ts';
import { buildAccountPubkeyMessage } from '../v2/account-pubkeys/account-pubkey-message.ts';
import { encryptV2Dm, encryptV2DmNonPfs } from '../v2/dm/dm-encrypt.ts';
import { encodeInnerDict } from '../v2/dm/dm-inner.ts';
import {
  keyIndicatorSecret,
  nonPfsKeyNonce,
  nonPfsSharedSecret,
  pfsKeyNonce,
  xor2,
  xwingSharedSecret,
} from '../v2/dm/dm-keys.ts';
import { createSeededRng, recordingRng } from './seeded-rng.ts';

/** What names a DM case. */
export interface DmCaseSpec {
  readonly name: string;
  readonly label: string;
  /** UTF-8 content, or `contentLength` bytes drawn from the fixtures stream. */
  readonly contentUtf8?: string;
  readonly contentLength?: number;
  /** Whether the message carries a `~P` Session Pro signature. */
  readonly pro?: boolean;
}

/** The DM cases of dm.json and non-pfs-dm.json. */
export const DM_CASES: readonly DmCaseSpec[] = [
  { name: 'short text', label: 'v2-dm/short', contentUtf8: 'hello, post-quantum world' },
  { name: 'empty content', label: 'v2-dm/empty', contentUtf8: '' },
  { name: '1 KiB content', label: 'v2-dm/1k', contentLength: 1024 },
  { name: 'largest content in 1536 bytes', label: 'v2-dm/edge-396', contentLength: 279 },
  { name: 'smallest content in 1792 bytes', label: 'v2-dm/edge-397', contentLength: 280 },
  { name: 'with a Session Pro signature', label: 'v2-dm/pro', contentUtf8: 'pro hello', pro: true },
];

function fixtures(spec: DmCaseSpec) {
  const f = createSeededRng(`${spec.label}/fixtures`);
  const senderSeed = f.randomBytes(32);
  const recipientSeed = f.randomBytes(32);
  const accountKeySeed = f.randomBytes(32);
  const proSeed = f.randomBytes(32);
  const content =
    spec.contentUtf8 !== undefined
      ? utf8(spec.contentUtf8)
      : f.randomBytes(spec.contentLength ?? 0);
  const sender = identityFromSeed(senderSeed);
  const recipient = identityFromSeed(recipientSeed);
  const pro = spec.pro === true ? ed25519KeyPairFromSeed(proSeed) : undefined;
  return { senderSeed, recipientSeed, accountKeySeed, proSeed, content, sender, recipient, pro };
}

function common(spec: DmCaseSpec, fx: ReturnType<typeof fixtures>) {
  return {
    name: spec.name,
    rngLabel: spec.label,
    senderSeed: toHex(fx.senderSeed),
    senderSessionId: fx.sender.sessionId,
    senderEd25519PublicKey: toHex(fx.sender.ed25519PublicKey),
    recipientSeed: toHex(fx.recipientSeed),
    recipientSessionId: fx.recipient.sessionId,
    ...(fx.pro === undefined
      ? {}
      : { proSeed: toHex(fx.proSeed), proEd25519PublicKey: toHex(fx.pro.publicKey) }),
    content: toHex(fx.content),
  };
}

function r33(sessionId: string): Uint8Array {
  return Uint8Array.from(Buffer.from(sessionId, 'hex'));
}

/** Builds one PFS vector (dm.json). */
export function buildDmVector(spec: DmCaseSpec) {
  const fx = fixtures(spec);
  const account = accountKeysFromSeed(fx.accountKeySeed);
  const rng = recordingRng(createSeededRng(spec.label));
  const ciphertext = encryptV2Dm({
    sender: fx.sender,
    recipient: fx.recipient.sessionId,
    recipientKeys: account,
    content: fx.content,
    rng,
    ...(fx.pro === undefined ? {} : { proSecretKey: fx.pro.secretKey }),
  });
  const [e = new Uint8Array(), coins = new Uint8Array()] = rng.draws;
  const E = x25519PublicKey(e);
  const S = fx.recipient.x25519PublicKey;
  const kiss = keyIndicatorSecret(x25519(e, S) ?? new Uint8Array(), E, S);
  const kem = mlkem768Encapsulate(account.mlkemPublicKey, coins);
  const ssX = x25519(e, account.x25519PublicKey) ?? new Uint8Array();
  const ss = xwingSharedSecret(kem.sharedSecret, ssX, E, account.x25519PublicKey);
  const { key, nonce } = pfsKeyNonce(ss);
  const inner = encodeInnerDict(
    {
      ed25519SecretKey: fx.sender.ed25519SecretKey.borrowBytes(),
      ed25519PublicKey: fx.sender.ed25519PublicKey,
      ...(fx.pro === undefined ? {} : { proSecretKey: fx.pro.secretKey }),
    },
    r33(fx.recipient.sessionId),
    fx.content,
  );
  return {
    ...common(spec, fx),
    accountKeySeed: toHex(fx.accountKeySeed),
    accountX25519PublicKey: toHex(account.x25519PublicKey),
    accountMlkemPublicKey: toHex(account.mlkemPublicKey),
    draws: { ephemeralSecret: toHex(e), kemCoins: toHex(coins) },
    intermediates: {
      ephemeralPublicKey: toHex(E),
      kiss: toHex(kiss),
      keyIndicator: toHex(xor2(account.mlkemPublicKey, kiss)),
      kemCiphertext: toHex(kem.ciphertext),
      kemSharedSecret: toHex(kem.sharedSecret),
      x25519SharedSecret: toHex(ssX),
      xwingSharedSecret: toHex(ss),
      aeadKey: toHex(key),
      aeadNonce: toHex(nonce),
      innerDict: toHex(inner),
    },
    ciphertextLength: ciphertext.length,
    ciphertext: toHex(ciphertext),
  };
}

/** Builds one non-PFS vector (non-pfs-dm.json). */
export function buildNonPfsDmVector(spec: DmCaseSpec) {
  const fx = fixtures(spec);
  const label = spec.label.replace('v2-dm/', 'v2-non-pfs-dm/');
  const rng = recordingRng(createSeededRng(label));
  const ciphertext = encryptV2DmNonPfs({
    sender: fx.sender,
    recipient: fx.recipient.sessionId,
    content: fx.content,
    rng,
    ...(fx.pro === undefined ? {} : { proSecretKey: fx.pro.secretKey }),
  });
  const [e = new Uint8Array(), ki = new Uint8Array(), slot = new Uint8Array()] = rng.draws;
  const E = x25519PublicKey(e);
  const R = fx.recipient.x25519PublicKey;
  const ssR = x25519(e, R) ?? new Uint8Array();
  const ss = nonPfsSharedSecret(ssR, R, E);
  const { key, nonce } = nonPfsKeyNonce(ss);
  return {
    ...common(spec, fx),
    rngLabel: label,
    draws: { ephemeralSecret: toHex(e), keyIndicator: toHex(ki), kemSlot: toHex(slot) },
    intermediates: {
      ephemeralPublicKey: toHex(E),
      x25519SharedSecret: toHex(ssR),
      nonPfsSharedSecret: toHex(ss),
      aeadKey: toHex(key),
      aeadNonce: toHex(nonce),
    },
    ciphertextLength: ciphertext.length,
    ciphertext: toHex(ciphertext),
  };
}

/** Builds one account pubkey message vector (account-pubkeys.json). */
export function buildAccountPubkeyVector(label: string) {
  const f = createSeededRng(`${label}/fixtures`);
  const identitySeed = f.randomBytes(32);
  const accountKeySeed = f.randomBytes(32);
  const identity = identityFromSeed(identitySeed);
  const account = accountKeysFromSeed(accountKeySeed);
  const rng = recordingRng(createSeededRng(label));
  const message = buildAccountPubkeyMessage({ identity, accountKeys: account, rng });
  const a =
    ed25519ScalarMultBaseNoclamp(identity.x25519SecretKey.borrowBytes()) ?? new Uint8Array(32);
  return {
    rngLabel: label,
    identitySeed: toHex(identitySeed),
    sessionId: identity.sessionId,
    accountKeySeed: toHex(accountKeySeed),
    accountX25519PublicKey: toHex(account.x25519PublicKey),
    accountMlkemPublicKey: toHex(account.mlkemPublicKey),
    aSignBit: ((a[31] ?? 0) & 0x80) >> 7,
    aPos: toHex(x25519ToEd25519Positive(identity.x25519PublicKey) ?? new Uint8Array()),
    draws: { z: toHex(rng.draws[0] ?? new Uint8Array()) },
    signature: toHex(message.subarray(message.length - 65, message.length - 1)),
    messageLength: message.length,
    message: toHex(message),
  };
}

/** Builds one rotation-schedule vector (account-key-rotation.json). */
export function buildRotationVector(label: string, registeredDevices: number) {
  const f = createSeededRng(`${label}/fixtures`);
  const seed = f.randomBytes(32);
  const deviceId = deviceIdFromBytes(f.randomBytes(32));
  const created = 1_760_000_000;
  const ring = [makeAccountKeyEntry({ seed, created })];
  return {
    rngLabel: label,
    accountKeySeed: toHex(seed),
    deviceId: toHex(deviceId),
    created,
    registeredDevices,
    hash: toHex(
      blake2bSaltPersonal(8, deviceId, { key: seed, personalization: utf8('SessionAccKeyRot') }),
    ),
    u: accountRotationUniform(seed, deviceId),
    next: nextAccountRotation({ ring, deviceId, registeredDevices }),
  };
}

const SOURCE_NOTE =
  'generated by session-ts from protocol-v2.md §N with derandomised ephemerals; cross-check against libsession pending';
const GENERATOR = 'packages/core/scripts/generate-v2-vectors.ts';
const RNG =
  'createSeededRng(label) in packages/core/src/test-support/seeded-rng.ts: block_i = SHAKE256("session-ts seeded rng v1" ‖ LE-u32(len(label)) ‖ label ‖ LE-u64(i)), 64 bytes; fixtures from label + "/fixtures"';

function source(section: string): string {
  return SOURCE_NOTE.replace('§N', section);
}

/** Labels of the account pubkey vectors: the first two with each sign bit of A = a·G. */
export function accountPubkeyLabels(): string[] {
  const picked: string[] = [];
  const perSign = [0, 0];
  for (let i = 0; picked.length < 4; i++) {
    const label = `v2-account-pubkeys/${i}`;
    const sign = buildAccountPubkeyVector(label).aSignBit;
    if ((perSign[sign] ?? 0) < 2) {
      perSign[sign] = (perSign[sign] ?? 0) + 1;
      picked.push(label);
    }
  }
  return picked;
}

/** Every V2 vector file, by file name, as the generator writes it. */
export function v2VectorDocuments(): Record<string, unknown> {
  return {
    'dm.json': {
      source: source('§7'),
      generator: GENERATOR,
      rng: RNG,
      description:
        'V2 PFS + PQ one-to-one messages. The rng draws, in order: ephemeral X25519 secret e (32), ML-KEM-768 encapsulation coins (32). Recipient account keys = SHAKE256("SessionAccountKeys" ‖ accountKeySeed) → X25519 secret (32) ‖ ML-KEM seed d‖z (64). Identities are Ed25519 seeds.',
      cases: DM_CASES.map(buildDmVector),
    },
    'non-pfs-dm.json': {
      source: source('§8'),
      generator: GENERATOR,
      rng: RNG,
      description:
        'V2 non-PFS one-to-one messages (same layout, prefix 00 02). The rng draws, in order: ephemeral X25519 secret e (32), key indicator (2), ML-KEM ciphertext slot (1088). Fixtures are those of the dm.json case with the same name.',
      cases: DM_CASES.map(buildNonPfsDmVector),
    },
    'account-pubkeys.json': {
      source: source('§5'),
      generator: GENERATOR,
      rng: RNG,
      description:
        'Namespace −21 account pubkey messages {M, X, ~} with the XEd25519-style signature. The rng draws Z (64). aSignBit is the sign bit of a·G before negation; cases cover both.',
      cases: accountPubkeyLabels().map(buildAccountPubkeyVector),
    },
    'account-key-rotation.json': {
      source: source('§3'),
      generator: GENERATOR,
      rng: RNG,
      description:
        'next_account_rotation: u = LE-u64(BLAKE2b-8(key = account seed, pers = "SessionAccKeyRot", device ID)) / 2^64 as a double; next = created + 11 h + 2 h·(1 − u^N), unix seconds.',
      cases: [1, 2, 4, 50].map((n, i) => buildRotationVector(`v2-rotation/${i}`, n)),
    },
  };
}
