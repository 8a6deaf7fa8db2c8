/**
 * Benchmark cases for the device-group message (issue #3): encrypt for 1, 4, 16 and 50 devices
 * against the raw cost of the N ML-KEM-768 encapsulations it must do (measured in the same run,
 * libsodium 1.0.22 WebAssembly), and decrypt of a 50-device message by one member against one
 * decapsulation plus the AEAD over the same payload. Target: a 50-device message in < 50 ms
 * (> 20 ops/s).
 */
import {
  toHex,
  deviceKeysFromSeed,
  createDeviceRecord,
  encryptDeviceGroupMessage,
  decryptDeviceGroupMessage,
  parseDeviceGroupMessage,
  createSystemRng,
  identityFromSeed,
  SecretKey,
} from '@session-ts/core';
import type { PayloadDeviceEntry } from '@session-ts/core';
import sodium from 'sodium-native';
import sumo from 'libsodium-wrappers-sumo';
import type { BenchPair } from './harness.ts';

/** Device counts measured. */
export const DEVICE_GROUP_SIZES = [1, 4, 16, 50] as const;

/** Builds the device-group benchmark pairs with fresh keys. */
export function deviceGroupCases(sizes: readonly number[] = DEVICE_GROUP_SIZES): BenchPair[] {
  const rng = createSystemRng();
  const account = identityFromSeed(rng.randomBytes(32));
  const accountKeys = [
    { seed: new SecretKey('hybrid-key-seed', rng.randomBytes(32)), created: 1_760_000_000 },
  ];
  const groupId = rng.randomBytes(8);
  const all = Array.from({ length: Math.max(...sizes) }, () => ({
    id: rng.randomBytes(32),
    keys: deviceKeysFromSeed(rng.randomBytes(32)),
  }));
  const payloadFor = (n: number) => {
    const devices = new Map<string, PayloadDeviceEntry>();
    for (const d of all.slice(0, n)) {
      devices.set(toHex(d.id), {
        kind: 'record',
        record: createDeviceRecord({
          seqno: 1,
          timestamp: 1_760_000_000,
          mlkemPublicKey: d.keys.mlkemPublicKey,
          x25519PublicKey: d.keys.x25519PublicKey,
          description: 'benchmark device',
          type: 'd',
          version: 1_013_000,
        }),
      });
    }
    return { devices, accountKeys };
  };

  const pairs: BenchPair[] = sizes.map((n) => {
    const payload = payloadFor(n);
    const pks = all.slice(0, n).map((d) => d.keys.mlkemPublicKey);
    return {
      name: `device-group encrypt ${n} device${n === 1 ? '' : 's'}`,
      subject: {
        name: 'encryptDeviceGroupMessage',
        fn: () => encryptDeviceGroupMessage({ account, groupId, payload, rng }),
      },
      baseline: {
        name: `${n} × mlkem768 encaps`,
        fn: () =>
          pks.map((pk) => sumo.crypto_kem_mlkem768_enc_deterministic(pk, rng.randomBytes(32))),
      },
      note: `raw cost of the ${n} ML-KEM encapsulations alone`,
    };
  });

  const largest = Math.max(...sizes);
  const message = encryptDeviceGroupMessage({
    account,
    groupId,
    payload: payloadFor(largest),
    rng,
  });
  const reader = all[largest - 1];
  if (reader !== undefined) {
    const r = { account, deviceId: reader.id, deviceKeys: [reader.keys] };
    const { fields } = parseDeviceGroupMessage(message);
    const d = Buffer.from(fields.encryptedPayload);
    const ct = fields.ciphertexts.subarray(0, 1088);
    const sk = reader.keys.mlkemSecretKey.exportBytes();
    const key = Buffer.alloc(32, 1);
    const nonce = Buffer.alloc(24, 2);
    const sealed = Buffer.alloc(d.length);
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed,
      d.subarray(0, d.length - 16),
      null,
      null,
      nonce,
      key,
    );
    const opened = Buffer.alloc(d.length - 16);
    pairs.push({
      name: `device-group decrypt (${largest} devices)`,
      subject: {
        name: 'decryptDeviceGroupMessage',
        fn: () => decryptDeviceGroupMessage(message, r),
      },
      baseline: {
        name: 'mlkem768 decaps + AEAD open of "d"',
        fn: () => {
          sumo.crypto_kem_mlkem768_dec(ct, sk);
          sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(opened, null, sealed, null, nonce, key);
        },
      },
      note: 'one decapsulation + the payload AEAD',
    });
  }
  return pairs;
}
