/**
 * Benchmark cases for V2 one-to-one messages (issue #3): send and receive of 1 KiB against
 * @signalapp/libsignal-client (Rust, native), measured side by side in the same run:
 *
 * - established session: `signalEncrypt` / `signalDecrypt` of a 1 KiB message once both sides
 *   have exchanged messages (a symmetric ratchet step, AES-CBC and HMAC, plus libsignal's
 *   store round trips);
 * - full PQXDH handshake: `processPreKeyBundle` with a Kyber (ML-KEM-1024) prekey plus the first
 *   `signalEncrypt`, and on the other side `signalDecryptPreKey` of that first message.
 *
 * A Session V2 PFS message does per message what libsignal does per session: an ephemeral
 * X25519, an ML-KEM-768 encapsulation and a signature, because Session has no interactive
 * session to ratchet. So the handshake is the like-for-like comparison, and the established
 * session shows the price of having no session.
 *
 * libsignal's stores here are in memory and keep records as objects (no serialisation), the
 * cheapest stores possible; to decrypt the same message repeatedly, the receiving store hands
 * back a fresh copy of the pre-message session record (`SessionRecord.deserialize`), which a
 * database-backed store does on every message anyway.
 */
import {
  accountKeysFromSeed,
  createSystemRng,
  decryptV2Dm,
  encryptV2Dm,
  identityFromSeed,
} from '@session-ts/core';
import type { PublicKey } from '@signalapp/libsignal-client';
import {
  IdentityChange,
  IdentityKeyPair,
  IdentityKeyStore,
  KEMKeyPair,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyBundle,
  PreKeyRecord,
  PreKeySignalMessage,
  PreKeyStore,
  PrivateKey,
  ProtocolAddress,
  SessionRecord,
  SessionStore,
  SignalMessage,
  SignedPreKeyRecord,
  SignedPreKeyStore,
  processPreKeyBundle,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import type { AsyncBenchPair } from './harness.ts';

const MESSAGE_BYTES = 1024;

class MemorySessionStore extends SessionStore {
  readonly records = new Map<string, SessionRecord>();
  /** When set, every read returns a fresh copy of this serialised record. */
  replay: Uint8Array<ArrayBuffer> | undefined;
  saveSession(address: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.records.set(address.toString(), record);
    return Promise.resolve();
  }
  getSession(address: ProtocolAddress): Promise<SessionRecord | null> {
    if (this.replay !== undefined) return Promise.resolve(SessionRecord.deserialize(this.replay));
    return Promise.resolve(this.records.get(address.toString()) ?? null);
  }
  getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return Promise.resolve(
      addresses.flatMap((a) => {
        const r = this.records.get(a.toString());
        return r === undefined ? [] : [r];
      }),
    );
  }
}

class MemoryIdentityStore extends IdentityKeyStore {
  readonly identity: IdentityKeyPair;
  readonly registrationId: number;
  constructor(identity: IdentityKeyPair, registrationId: number) {
    super();
    this.identity = identity;
    this.registrationId = registrationId;
  }
  getIdentityKey(): Promise<PrivateKey> {
    return Promise.resolve(this.identity.privateKey);
  }
  getLocalRegistrationId(): Promise<number> {
    return Promise.resolve(this.registrationId);
  }
  saveIdentity(): Promise<IdentityChange> {
    return Promise.resolve(IdentityChange.NewOrUnchanged);
  }
  isTrustedIdentity(): Promise<boolean> {
    return Promise.resolve(true);
  }
  getIdentity(): Promise<PublicKey | null> {
    return Promise.resolve(null);
  }
}

/** Bob's prekeys; removal and "used" marks are no-ops so one first message can be replayed. */
class MemoryPreKeyStores {
  readonly preKeys = new Map<number, PreKeyRecord>();
  readonly signed = new Map<number, SignedPreKeyRecord>();
  readonly kyber = new Map<number, KyberPreKeyRecord>();
  readonly preKeyStore: PreKeyStore;
  readonly signedStore: SignedPreKeyStore;
  readonly kyberStore: KyberPreKeyStore;
  constructor() {
    const { preKeys, signed, kyber } = this;
    const get = <T>(map: Map<number, T>, id: number): Promise<T> => {
      const v = map.get(id);
      return v === undefined ? Promise.reject(new Error(`no prekey ${id}`)) : Promise.resolve(v);
    };
    this.preKeyStore = new (class extends PreKeyStore {
      savePreKey(id: number, r: PreKeyRecord): Promise<void> {
        preKeys.set(id, r);
        return Promise.resolve();
      }
      getPreKey(id: number): Promise<PreKeyRecord> {
        return get(preKeys, id);
      }
      removePreKey(): Promise<void> {
        return Promise.resolve();
      }
    })();
    this.signedStore = new (class extends SignedPreKeyStore {
      saveSignedPreKey(id: number, r: SignedPreKeyRecord): Promise<void> {
        signed.set(id, r);
        return Promise.resolve();
      }
      getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
        return get(signed, id);
      }
    })();
    this.kyberStore = new (class extends KyberPreKeyStore {
      saveKyberPreKey(id: number, r: KyberPreKeyRecord): Promise<void> {
        kyber.set(id, r);
        return Promise.resolve();
      }
      getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
        return get(kyber, id);
      }
      markKyberPreKeyUsed(): Promise<void> {
        return Promise.resolve();
      }
    })();
  }
}

/** libsignal state for Alice → Bob: a bundle, stores, and an established session. */
async function libsignalSetup() {
  const aliceAddress = ProtocolAddress.new('alice', 1);
  const bobAddress = ProtocolAddress.new('bob', 1);
  const aliceIdentity = new MemoryIdentityStore(IdentityKeyPair.generate(), 1);
  const bobIdentity = new MemoryIdentityStore(IdentityKeyPair.generate(), 2);
  const bobPreKeys = new MemoryPreKeyStores();
  const preKey = PrivateKey.generate();
  const signedPreKey = PrivateKey.generate();
  const signedSig = bobIdentity.identity.privateKey.sign(signedPreKey.getPublicKey().serialize());
  const kem = KEMKeyPair.generate();
  const kemSig = bobIdentity.identity.privateKey.sign(kem.getPublicKey().serialize());
  await bobPreKeys.preKeyStore.savePreKey(1, PreKeyRecord.new(1, preKey.getPublicKey(), preKey));
  await bobPreKeys.signedStore.saveSignedPreKey(
    1,
    SignedPreKeyRecord.new(1, Date.now(), signedPreKey.getPublicKey(), signedPreKey, signedSig),
  );
  await bobPreKeys.kyberStore.saveKyberPreKey(1, KyberPreKeyRecord.new(1, Date.now(), kem, kemSig));
  const bundle = PreKeyBundle.new(
    2,
    1,
    1,
    preKey.getPublicKey(),
    1,
    signedPreKey.getPublicKey(),
    signedSig,
    bobIdentity.identity.publicKey,
    1,
    kem.getPublicKey(),
    kemSig,
  );
  const message = new Uint8Array(new ArrayBuffer(MESSAGE_BYTES));
  message.set(createSystemRng().randomBytes(MESSAGE_BYTES));

  // Establish: Alice → Bob (prekey message), Bob → Alice (reply), Alice → Bob (ordinary message).
  const aliceSessions = new MemorySessionStore();
  const bobSessions = new MemorySessionStore();
  await processPreKeyBundle(bundle, bobAddress, aliceAddress, aliceSessions, aliceIdentity);
  const first = await signalEncrypt(
    message,
    bobAddress,
    aliceAddress,
    aliceSessions,
    aliceIdentity,
  );
  const firstBytes = first.serialize();
  await signalDecryptPreKey(
    PreKeySignalMessage.deserialize(firstBytes),
    aliceAddress,
    bobAddress,
    bobSessions,
    bobIdentity,
    bobPreKeys.preKeyStore,
    bobPreKeys.signedStore,
    bobPreKeys.kyberStore,
  );
  const reply = await signalEncrypt(message, aliceAddress, bobAddress, bobSessions, bobIdentity);
  await signalDecrypt(
    SignalMessage.deserialize(reply.serialize()),
    bobAddress,
    aliceAddress,
    aliceSessions,
    aliceIdentity,
  );
  const bobBefore = (await bobSessions.getSession(aliceAddress))?.serialize();
  const established = await signalEncrypt(
    message,
    bobAddress,
    aliceAddress,
    aliceSessions,
    aliceIdentity,
  );
  if (bobBefore === undefined || established.type() !== 2) {
    throw new Error('libsignal bench: the session did not establish');
  }
  return {
    aliceAddress,
    bobAddress,
    aliceIdentity,
    bobIdentity,
    bobPreKeys,
    bundle,
    message,
    aliceSessions,
    bobBefore,
    establishedBytes: established.serialize(),
    firstBytes,
  };
}

/** Builds the V2 DM benchmark pairs with fresh keys. */
export async function v2Cases(): Promise<AsyncBenchPair[]> {
  const rng = createSystemRng();
  const alice = identityFromSeed(rng.randomBytes(32));
  const bob = identityFromSeed(rng.randomBytes(32));
  const bobAccount = accountKeysFromSeed(rng.randomBytes(32));
  const content = rng.randomBytes(MESSAGE_BYTES);
  const send = () =>
    encryptV2Dm({
      sender: alice,
      recipient: bob.sessionId,
      recipientKeys: bobAccount,
      content,
      rng,
    });
  const data = send();
  const receive = () => {
    const r = decryptV2Dm({ recipient: bob, accountKeys: [bobAccount], data });
    if (!r.ok) throw new Error(`v2 bench: ${r.reason}`);
    return r;
  };

  const s = await libsignalSetup();
  const replaying = new MemorySessionStore();
  replaying.replay = s.bobBefore;
  const fresh = () => new MemorySessionStore();
  return [
    {
      name: 'V2 DM send 1 KiB vs established session',
      subject: { name: 'encryptV2Dm (PFS+PQ)', fn: send },
      baseline: {
        name: 'libsignal signalEncrypt',
        fn: () =>
          signalEncrypt(s.message, s.bobAddress, s.aliceAddress, s.aliceSessions, s.aliceIdentity),
      },
      note: 'libsignal established-session encrypt',
    },
    {
      name: 'V2 DM receive 1 KiB vs established session',
      subject: { name: 'decryptV2Dm (PFS+PQ)', fn: receive },
      baseline: {
        name: 'libsignal signalDecrypt',
        fn: () =>
          signalDecrypt(
            SignalMessage.deserialize(s.establishedBytes),
            s.aliceAddress,
            s.bobAddress,
            replaying,
            s.bobIdentity,
          ),
      },
      note: 'libsignal established-session decrypt',
    },
    {
      name: 'V2 DM send 1 KiB vs PQXDH handshake',
      subject: { name: 'encryptV2Dm (PFS+PQ)', fn: send },
      baseline: {
        name: 'processPreKeyBundle + signalEncrypt',
        fn: async () => {
          const sessions = fresh();
          await processPreKeyBundle(
            s.bundle,
            s.bobAddress,
            s.aliceAddress,
            sessions,
            s.aliceIdentity,
          );
          return signalEncrypt(s.message, s.bobAddress, s.aliceAddress, sessions, s.aliceIdentity);
        },
      },
      note: 'libsignal PQXDH (Kyber prekey) + first message',
    },
    {
      name: 'V2 DM receive 1 KiB vs PQXDH first message',
      subject: { name: 'decryptV2Dm (PFS+PQ)', fn: receive },
      baseline: {
        name: 'signalDecryptPreKey',
        fn: () =>
          signalDecryptPreKey(
            PreKeySignalMessage.deserialize(s.firstBytes),
            s.aliceAddress,
            s.bobAddress,
            fresh(),
            s.bobIdentity,
            s.bobPreKeys.preKeyStore,
            s.bobPreKeys.signedStore,
            s.bobPreKeys.kyberStore,
          ),
      },
      note: 'libsignal PQXDH receive of the first message',
    },
  ];
}
