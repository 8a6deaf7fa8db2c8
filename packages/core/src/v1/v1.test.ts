/**
 * V1 one-to-one messages: the vectors/upstream/v1-dm.json vector, round trips, padding, and
 * attacks (tampering, re-sealing, swapped sender keys) (protocol-v1.md §3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import v from '../../vectors/upstream/v1-dm.json' with { type: 'json' };
import { concatBytes, utf8 } from '../encoding/bytes.ts';
import { fromHex, toHex } from '../encoding/hex.ts';
import { isProtocolError } from '../errors.ts';
import {
  blake2bParts,
  boxKeyPairFromSeed,
  ed25519Sign,
  sealedBoxOpen,
} from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { identityFromSeed } from '../identity/identity.ts';
import type { Identity } from '../identity/identity.ts';
import { encryptV1, encryptV1Deterministic, deterministicEphemeralSeed } from './encrypt.ts';
import { decryptV1, V1_MIN_CIPHERTEXT_LENGTH } from './decrypt.ts';
import type { DecryptV1Result } from './decrypt.ts';
import { sealWithEphemeralSeed, sealedBoxNonce } from './sealed-box.ts';
import { padContent, unpadContent, V1_PADDING_BLOCK } from './padding.ts';

const sender = identityFromSeed(fromHex(v.vector.sender_seed));
const recipient = identityFromSeed(fromHex(v.vector.recipient_seed));
const third = identityFromSeed(fromHex('42'.repeat(32)));
const hello = fromHex(v.vector.message_hex);

/** A reproducible `Rng`: BLAKE2b-64 of (seed ‖ counter) blocks. */
function seededRng(seed: Uint8Array): Rng {
  let counter = 0;
  return {
    randomBytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let offset = 0; offset < length; offset += 64) {
        const block = blake2bParts(64, [seed, Uint8Array.of(counter++, counter >> 8)]);
        out.set(block.subarray(0, Math.min(64, length - offset)), offset);
      }
      return out;
    },
  };
}

function reason(result: DecryptV1Result): string {
  return result.ok ? 'ok' : result.reason;
}

/** The inner `M ‖ A ‖ Sig` of a message to `to`, as that recipient sees it. */
function openInner(to: Identity, ciphertext: Uint8Array): Uint8Array {
  const inner = sealedBoxOpen(ciphertext, to.x25519PublicKey, to.x25519SecretKey.borrowBytes());
  assert.ok(inner !== undefined);
  return inner;
}

function sealTo(to: Identity, inner: Uint8Array): Uint8Array {
  return sealWithEphemeralSeed(inner, to.x25519PublicKey, new Uint8Array(32).fill(7));
}

// ---- the upstream vector --------------------------------------------------------------------

test('v1-dm vector: keys and Session IDs', () => {
  assert.equal(toHex(sender.ed25519PublicKey), v.vector.sender_ed25519_pubkey);
  assert.equal(sender.sessionId, v.vector.sender_session_id);
  assert.equal(recipient.sessionId, v.vector.recipient_session_id);
  assert.equal(new TextDecoder().decode(hello), v.vector.message_utf8);
});

test('v1-dm vector: deterministic ciphertext and intermediates (libsession-util)', () => {
  const y = recipient.x25519PublicKey;
  const ciphertext = encryptV1Deterministic({
    sender,
    recipient: recipient.sessionId,
    message: hello,
  });
  assert.equal(ciphertext.length, v.vector.ciphertext_length);
  assert.equal(toHex(ciphertext), v.vector.ciphertext);

  const eseed = deterministicEphemeralSeed(sender, y, hello);
  const intermediates = v.deterministic_ephemeral.derived_intermediates;
  assert.equal(toHex(eseed), intermediates.ephemeral_seed);
  const epk = boxKeyPairFromSeed(eseed).publicKey;
  assert.equal(toHex(epk), intermediates.ephemeral_pubkey);
  assert.equal(toHex(sealedBoxNonce(epk, y)), intermediates.sealed_box_nonce);

  const [epkStart, epkEnd] = v.vector.layout.epk;
  const [, bodyEnd] = v.vector.layout.encrypted_message_pk_sig;
  assert.equal(toHex(ciphertext.subarray(epkStart, epkEnd)), intermediates.ephemeral_pubkey);
  assert.equal(bodyEnd, ciphertext.length);
  assert.equal(ciphertext.length, hello.length + 144);

  // the recipient key may be given as 32 bytes or as 33 with the 05 prefix, as upstream allows
  for (const key of [y, concatBytes(Uint8Array.of(5), y)]) {
    const again = encryptV1Deterministic({ sender, recipient: key, message: hello });
    assert.equal(toHex(again), v.vector.ciphertext);
  }
});

test('v1-dm vector: decrypts to the message and the sender', () => {
  const result = decryptV1(recipient, fromHex(v.vector.ciphertext));
  assert.ok(result.ok);
  assert.deepEqual(result.message, hello);
  assert.equal(toHex(result.senderEd25519PublicKey), v.vector.sender_ed25519_pubkey);
  assert.equal(result.senderSessionId, v.vector.sender_session_id);
});

// ---- round trips ----------------------------------------------------------------------------

test('round trip with an injected rng, any message', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 700 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      (message, seed) => {
        const rng = seededRng(seed);
        const first = encryptV1({ sender, recipient: recipient.sessionId, message, rng });
        const second = encryptV1({ sender, recipient: recipient.sessionId, message, rng });
        assert.equal(first.length, message.length + 144);
        assert.notDeepEqual(first.subarray(0, 32), second.subarray(0, 32), 'fresh ephemeral');
        for (const ciphertext of [first, second]) {
          const result = decryptV1(recipient, ciphertext);
          assert.ok(result.ok);
          assert.deepEqual(result.message, message);
          assert.equal(result.senderSessionId, sender.sessionId);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('the ephemeral key comes from the rng: same rng output, same ciphertext', () => {
  const message = utf8('same');
  const a = encryptV1({ sender, recipient: recipient.sessionId, message, rng: seededRng(hello) });
  const b = encryptV1({ sender, recipient: recipient.sessionId, message, rng: seededRng(hello) });
  assert.deepEqual(a, b);
});

test('an empty message is the smallest ciphertext and still opens', () => {
  const ciphertext = encryptV1Deterministic({
    sender,
    recipient: recipient.sessionId,
    message: new Uint8Array(0),
  });
  assert.equal(ciphertext.length, V1_MIN_CIPHERTEXT_LENGTH);
  const result = decryptV1(recipient, ciphertext);
  assert.ok(result.ok);
  assert.equal(result.message.length, 0);
});

test('a message to yourself opens', () => {
  const ciphertext = encryptV1Deterministic({
    sender,
    recipient: sender.sessionId,
    message: hello,
  });
  assert.equal(reason(decryptV1(sender, ciphertext)), 'ok');
});

// ---- attacks --------------------------------------------------------------------------------

test('ATTACK: flipping any byte (epk, MAC or body) makes the box not open', () => {
  const ciphertext = fromHex(v.vector.ciphertext);
  const regions = { epk: [0, 32], mac: [32, 48], body: [48, ciphertext.length] } as const;
  for (const [name, [start, end]] of Object.entries(regions)) {
    for (let i = start; i < end; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = Uint8Array.from(ciphertext);
        tampered[i] = (tampered[i] ?? 0) ^ mask;
        assert.equal(reason(decryptV1(recipient, tampered)), 'not-for-us', `${name} byte ${i}`);
      }
    }
  }
  // truncating or extending breaks the MAC as well
  assert.equal(reason(decryptV1(recipient, ciphertext.subarray(0, -1))), 'not-for-us');
  assert.equal(
    reason(decryptV1(recipient, concatBytes(ciphertext, Uint8Array.of(0)))),
    'not-for-us',
  );
});

test('ATTACK: another recipient cannot open the message', () => {
  const ciphertext = fromHex(v.vector.ciphertext);
  assert.equal(reason(decryptV1(third, ciphertext)), 'not-for-us');
  assert.equal(reason(decryptV1(sender, ciphertext)), 'not-for-us');
});

test('ATTACK: a recipient who re-seals the signed inner message to a third party is caught', () => {
  const inner = openInner(recipient, fromHex(v.vector.ciphertext));
  // the construction is sound: re-sealed to the original recipient, it still verifies ...
  assert.equal(reason(decryptV1(recipient, sealTo(recipient, inner))), 'ok');
  // ... but the signature covers the recipient's key, so forwarding it fails verification
  assert.equal(reason(decryptV1(third, sealTo(third, inner))), 'bad-signature');
});

test('ATTACK: swapping the sender key A', () => {
  const inner = openInner(recipient, fromHex(v.vector.ciphertext));
  const m = inner.subarray(0, -96);
  const sig = inner.subarray(-64);
  // another valid key: the signature no longer verifies
  const swapped = concatBytes(m, third.ed25519PublicKey, sig);
  assert.equal(reason(decryptV1(recipient, sealTo(recipient, swapped))), 'bad-signature');
  // not a usable key (a small-order point, and bytes off the curve): rejected as a sender key
  for (const bad of [new Uint8Array(32), new Uint8Array(32).fill(0xff)]) {
    const broken = concatBytes(m, bad, sig);
    assert.equal(reason(decryptV1(recipient, sealTo(recipient, broken))), 'bad-sender-key');
  }
});

test('ATTACK: a message signed by X but naming Y as the sender is rejected', () => {
  const m = utf8('I am Y');
  const y = third; // the impersonated sender
  const x = sender; // the real signer
  const sk = x.ed25519SecretKey.borrowBytes();
  const target = recipient.x25519PublicKey;
  for (const signedA of [y.ed25519PublicKey, x.ed25519PublicKey]) {
    const sig = ed25519Sign(sk, concatBytes(m, signedA, target));
    const forged = concatBytes(m, y.ed25519PublicKey, sig);
    assert.equal(reason(decryptV1(recipient, sealTo(recipient, forged))), 'bad-signature');
  }
  // and changing M after signing fails too
  const sig = ed25519Sign(sk, concatBytes(m, x.ed25519PublicKey, target));
  const altered = concatBytes(utf8('I am X'), x.ed25519PublicKey, sig);
  assert.equal(reason(decryptV1(recipient, sealTo(recipient, altered))), 'bad-signature');
});

test('too-short ciphertexts are reported before any crypto', () => {
  for (let n = 0; n < V1_MIN_CIPHERTEXT_LENGTH; n++) {
    assert.equal(reason(decryptV1(recipient, new Uint8Array(n))), 'too-short');
  }
  assert.equal(
    reason(decryptV1(recipient, new Uint8Array(V1_MIN_CIPHERTEXT_LENGTH))),
    'not-for-us',
  );
});

// ---- argument checks ------------------------------------------------------------------------

test('bad arguments are typed errors', () => {
  const message = hello;
  const rng = seededRng(hello);
  const cases: [() => unknown, string][] = [
    [
      () => encryptV1({ sender, recipient: recipient.x25519PublicKey.subarray(1), message, rng }),
      'invalid-length',
    ],
    [() => encryptV1({ sender, recipient: 'not an id', message, rng }), 'invalid-account-id'],
    [
      () => encryptV1({ sender, recipient: '15' + recipient.sessionId.slice(2), message, rng }),
      'invalid-account-id',
    ],
    [
      () =>
        encryptV1({
          sender,
          recipient: concatBytes(Uint8Array.of(0x15), recipient.x25519PublicKey),
          message,
          rng,
        }),
      'invalid-key',
    ],
    [() => encryptV1({ sender, recipient: new Uint8Array(32), message, rng }), 'invalid-key'],
    [
      () =>
        encryptV1({
          sender,
          recipient: recipient.sessionId,
          message: 'hi' as unknown as Uint8Array,
          rng,
        }),
      'invalid-input',
    ],
    [
      () =>
        encryptV1({
          sender,
          recipient: recipient.sessionId,
          message,
          rng: { randomBytes: () => new Uint8Array(31) },
        }),
      'invalid-length',
    ],
    [
      () =>
        encryptV1({
          sender,
          recipient: recipient.sessionId,
          message,
          rng: undefined as unknown as Rng,
        }),
      'invalid-input',
    ],
    [
      () => encryptV1({ sender: {} as Identity, recipient: recipient.sessionId, message, rng }),
      'invalid-input',
    ],
    [() => encryptV1(undefined as unknown as Parameters<typeof encryptV1>[0]), 'invalid-input'],
    [
      () =>
        encryptV1Deterministic({
          sender,
          recipient: recipient.sessionId,
          message: [1] as unknown as Uint8Array,
        }),
      'invalid-input',
    ],
    [() => decryptV1(recipient, 'abc' as unknown as Uint8Array), 'invalid-input'],
    [() => decryptV1(null as unknown as Identity, new Uint8Array(200)), 'invalid-input'],
  ];
  for (const [run, code] of cases) {
    assert.throws(run, (e) => isProtocolError(e, code as never), `expected ${code}`);
  }
});

// ---- padding --------------------------------------------------------------------------------

test('padding: round trip and sizes for any content', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 1000 }), (content) => {
      const padded = padContent(content);
      assert.equal(padded.length % V1_PADDING_BLOCK, 0);
      assert.ok(padded.length > content.length);
      assert.ok(padded.length - content.length <= V1_PADDING_BLOCK);
      assert.equal(padded[content.length], 0x80);
      assert.ok(padded.subarray(content.length + 1).every((b) => b === 0));
      assert.deepEqual(unpadContent(padded), content);
    }),
  );
});

test('padding: sizes as libsession pad_message gives them', () => {
  const size = (n: number): number => padContent(new Uint8Array(n).fill(1)).length;
  assert.equal(size(0), 160);
  assert.equal(size(158), 160);
  // n + 1 = 160 already a multiple: libsession adds a whole extra block
  assert.equal(size(159), 320);
  assert.equal(size(160), 320);
  assert.equal(size(318), 320);
});

test('padding: unpads any amount of zero padding (session-desktop pads to 160k − 1)', () => {
  const content = utf8('content');
  for (const zeros of [0, 1, 151, 152, 400]) {
    const padded = concatBytes(content, Uint8Array.of(0x80), new Uint8Array(zeros));
    assert.deepEqual(unpadContent(padded), content);
  }
  // exactly one terminator is removed
  assert.deepEqual(unpadContent(Uint8Array.of(1, 0x80, 0x80, 0)), Uint8Array.of(1, 0x80));
});

test('padding: no 0x80 terminator is bad-padding', () => {
  for (const bad of [
    new Uint8Array(0),
    new Uint8Array(160),
    Uint8Array.of(1, 2, 0, 0),
    Uint8Array.of(0x81),
  ]) {
    assert.throws(
      () => unpadContent(bad),
      (e) => isProtocolError(e, 'bad-padding'),
    );
  }
});
