/**
 * Onion requests in core: the published vectors (rebuilt byte for byte and checked against
 * independent implementations), framing and envelope strictness, both layer ciphers, the
 * builder walked hop by hop as nodes peel it, the final response, and onion v4 encodings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createDecipheriv, createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { isProtocolError } from '../errors.ts';
import { bytesEqual, fromUtf8, utf8 } from '../encoding/bytes.ts';
import { fromHex, toHex } from '../encoding/hex.ts';
import { identityFromSeed, type Identity } from '../identity/identity.ts';
import { createSeededRng } from '../test-support/seeded-rng.ts';
import { onionVectorDocuments, vectorNodeSeed } from '../test-support/onion-vectors.ts';
import {
  clientLayerKey,
  nodeLayerKey,
  ONION_ENC_TYPES,
  onionLayerOverhead,
  openOnionLayer,
  parseOnionEncType,
  sealOnionLayer,
} from './onion-cipher.ts';
import { decodeOnionFrame, encodeOnionFrame } from './onion-frame.ts';
import { decodeOnionEnvelope, encodeOnionEnvelope } from './onion-envelope.ts';
import { buildOnion, onionHop, type OnionDestination } from './onion-builder.ts';
import { isOnionProxyTargetAllowed, openOnionEnvelope, peelOnionLayer } from './onion-node.ts';
import { openOnionResponse, sealOnionResponse } from './onion-response.ts';
import {
  decodeOnionV4Request,
  decodeOnionV4Response,
  encodeOnionV4Request,
  encodeOnionV4Response,
} from './onion-v4.ts';

const vectorDir = new URL('../../vectors/onion/', import.meta.url);
const readVector = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, vectorDir), 'utf8')) as Record<string, unknown>;

const nodes = [1, 2, 3, 4, 5, 6].map((i) => identityFromSeed(vectorNodeSeed(i)));
const node = (i: number): Identity => nodes[i - 1] as Identity;

test('every onion vector file is exactly what the builders produce', () => {
  for (const [name, document] of Object.entries(onionVectorDocuments())) {
    const onDisk = readFileSync(new URL(name, vectorDir), 'utf8');
    assert.equal(onDisk, `${JSON.stringify(document, null, 2)}\n`, name);
  }
});

test('framing vectors: valid frames decode, invalid ones fail with the named code', () => {
  const v = readVector('framing.json') as {
    valid: { ciphertext: string; json: Record<string, unknown>; frame: string }[];
    invalid: { name: string; frame: string; code: string }[];
  };
  for (const c of v.valid) {
    const frame = decodeOnionFrame(fromHex(c.frame));
    assert.equal(toHex(frame.ciphertext), c.ciphertext);
    assert.deepEqual(frame.json, c.json);
  }
  for (const c of v.invalid) {
    assert.throws(
      () => decodeOnionFrame(fromHex(c.frame)),
      (e: unknown) => isProtocolError(e) && e.code === c.code,
      c.name,
    );
  }
  assert.throws(
    () => decodeOnionFrame(new Uint8Array(64), 32),
    (e) => isProtocolError(e, 'too-large'),
  );
});

test('layer-cipher vectors agree with independent X25519, HMAC, BLAKE2b, AES-GCM, XChaCha20', () => {
  const v = readVector('layer-ciphers.json') as { cases: Record<string, string>[] };
  assert.equal(v.cases.length, 2);
  for (const c of v.cases) {
    const secret = fromHex(c['ephemeral_secret'] ?? '');
    const nodePk = fromHex(c['node_x25519_public'] ?? '');
    assert.equal(
      toHex(identityFromSeed(fromHex(c['node_seed'] ?? '')).x25519PublicKey),
      c['node_x25519_public'],
    );
    assert.equal(toHex(nobleX25519.getPublicKey(secret)), c['ephemeral_public']);
    const shared = nobleX25519.getSharedSecret(secret, nodePk);
    assert.equal(toHex(shared), c['shared_secret']);
    const ephPk = fromHex(c['ephemeral_public'] ?? '');
    const key =
      c['enc_type'] === 'aes-gcm'
        ? new Uint8Array(createHmac('sha256', 'LOKI').update(shared).digest())
        : nobleBlake2b(new Uint8Array([...shared, ...ephPk, ...nodePk]), { dkLen: 32 });
    assert.equal(toHex(key), c['layer_key']);
    const sealed = fromHex(c['sealed'] ?? '');
    let plaintext: Uint8Array;
    if (c['enc_type'] === 'aes-gcm') {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      plaintext = new Uint8Array(
        Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]),
      );
    } else {
      plaintext = xchacha20poly1305(key, sealed.subarray(0, 24)).decrypt(sealed.subarray(24));
    }
    assert.equal(toHex(plaintext), c['plaintext']);
    assert.equal(
      toHex(sealed.subarray(0, c['enc_type'] === 'aes-gcm' ? 12 : 24)),
      c['iv_or_nonce'],
    );
    // And the node side derives the same key.
    const encType = parseOnionEncType(c['enc_type']);
    assert.ok(encType !== undefined);
    // A different node derives a different key and cannot open the layer.
    const other = nodeLayerKey(encType, node(1).x25519SecretKey, node(1).x25519PublicKey, ephPk);
    assert.ok(other !== undefined);
    assert.equal(openOnionLayer(other, sealed), undefined);
    const target = identityFromSeed(fromHex(c['node_seed'] ?? ''));
    const right = nodeLayerKey(encType, target.x25519SecretKey, target.x25519PublicKey, ephPk);
    assert.equal(toHex(right?.key.exportBytes() ?? new Uint8Array(0)), c['layer_key']);
  }
});

test('3-hop vectors: each node reads its recorded layer, node 4 gets the payload and answers', () => {
  for (const encType of ONION_ENC_TYPES) {
    const v = readVector(`onion-3-hop-${encType}.json`) as {
      payload: string;
      request: string;
      layers: { node: number; role: string; plaintext: string; next?: string }[];
      response_key: string;
      response: { status: number; body: string; sealed_base64: string };
    };
    assert.equal(v.layers.length, 4);
    let envelope = decodeOnionEnvelope(fromHex(v.request));
    assert.equal(envelope.encType, encType);
    for (const layer of v.layers) {
      const id = node(layer.node);
      assert.equal(
        toHex(openOnionEnvelope(id, envelope)?.plaintext ?? new Uint8Array(0)),
        layer.plaintext,
      );
      const peeled = peelOnionLayer(id, envelope);
      assert.equal(peeled.kind, layer.role);
      if (peeled.kind === 'relay') {
        assert.equal(toHex(peeled.next), layer.next);
        envelope = { ...peeled.layer, hopNo: envelope.hopNo + 1 };
      } else if (peeled.kind === 'final') {
        assert.equal(fromUtf8(peeled.body), v.payload);
        assert.equal(toHex(peeled.key.key.exportBytes()), v.response_key);
      }
    }
    const destKey = nodeLayerKey(
      encType,
      node(4).x25519SecretKey,
      node(4).x25519PublicKey,
      envelope.ephemeralKey,
    );
    assert.ok(destKey !== undefined);
    const opened = openOnionResponse(destKey, utf8(v.response.sealed_base64));
    assert.deepEqual(opened, { ok: true, status: 200, body: v.response.body });
  }
});

test('frames round-trip any ciphertext and JSON object', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.dictionary(fc.string(), fc.jsonValue()),
      (ct, json) => {
        const frame = decodeOnionFrame(encodeOnionFrame(ct, json));
        assert.ok(bytesEqual(frame.ciphertext, ct));
        assert.deepEqual(frame.json, JSON.parse(JSON.stringify(json)));
      },
    ),
    { numRuns: 200 },
  );
});

test('arbitrary bytes never crash the frame or envelope decoders (only ProtocolErrors)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      for (const decode of [decodeOnionFrame, decodeOnionEnvelope]) {
        try {
          decode(bytes);
        } catch (e) {
          assert.ok(isProtocolError(e), String(e));
        }
      }
    }),
    { numRuns: 500 },
  );
});

test('envelopes: enc_type aliases and default, hop_no rules, strict ephemeral key', () => {
  const eph = 'ab'.repeat(32);
  const env = (json: Record<string, unknown>) =>
    decodeOnionEnvelope(encodeOnionFrame(new Uint8Array(3), json));
  assert.equal(env({ ephemeral_key: eph }).encType, 'aes-gcm');
  assert.equal(env({ ephemeral_key: eph, enc_type: 'gcm' }).encType, 'aes-gcm');
  assert.equal(env({ ephemeral_key: eph, enc_type: 'xchacha20-poly1305' }).encType, 'xchacha20');
  assert.equal(env({ ephemeral_key: eph, hop_no: -4 }).hopNo, 0);
  assert.equal(env({ ephemeral_key: eph, hop_no: 7 }).hopNo, 7);
  for (const bad of [
    {},
    { ephemeral_key: 'ab' },
    { ephemeral_key: eph, enc_type: 'aes-cbc' },
    { ephemeral_key: eph, hop_no: 1.5 },
    { ephemeral_key: eph, hop_no: '3' },
  ]) {
    assert.throws(
      () => env(bad),
      (e) => isProtocolError(e),
    );
  }
  const round = decodeOnionEnvelope(
    encodeOnionEnvelope({
      ciphertext: utf8('x'),
      ephemeralKey: fromHex(eph),
      encType: 'xchacha20',
      hopNo: 3,
    }),
  );
  assert.deepEqual([round.hopNo, round.encType, fromUtf8(round.ciphertext)], [3, 'xchacha20', 'x']);
});

test('both ciphers: round trip, tamper detection, overhead, keys that never print', () => {
  const rng = createSeededRng('onion-test/ciphers');
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 500 }),
      fc.constantFrom(...ONION_ENC_TYPES),
      fc.nat(),
      (pt, encType, flip) => {
        const secret = rng.randomBytes(32);
        const eph = nobleX25519.getPublicKey(secret);
        const client = clientLayerKey(encType, secret, eph, node(2).x25519PublicKey);
        const server = nodeLayerKey(encType, node(2).x25519SecretKey, node(2).x25519PublicKey, eph);
        assert.ok(client !== undefined && server !== undefined);
        const sealed = sealOnionLayer(client, pt, rng);
        assert.equal(sealed.length, pt.length + onionLayerOverhead(encType));
        assert.ok(bytesEqual(openOnionLayer(server, sealed) ?? utf8('no'), pt));
        const tampered = Uint8Array.from(sealed);
        const i = flip % tampered.length;
        tampered[i] = (tampered[i] ?? 0) ^ 1;
        assert.equal(openOnionLayer(server, tampered), undefined);
        assert.equal(openOnionLayer(server, sealed.subarray(0, 20)), undefined);
      },
    ),
    { numRuns: 100 },
  );
  // A small-order ephemeral key yields no key rather than a zero shared secret.
  assert.equal(
    nodeLayerKey('aes-gcm', node(1).x25519SecretKey, node(1).x25519PublicKey, new Uint8Array(32)),
    undefined,
  );
  const k = clientLayerKey(
    'aes-gcm',
    rng.randomBytes(32),
    nobleX25519.getPublicKey(rng.randomBytes(32)),
    node(1).x25519PublicKey,
  );
  assert.ok(k !== undefined);
  assert.doesNotMatch(inspect(k) + JSON.stringify(k), /[0-9a-f]{32}/);
});

test('onions of 1–6 hops to nodes and servers are peeled hop by hop by the right nodes', () => {
  const rng = createSeededRng('onion-test/walk');
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.constantFrom(...ONION_ENC_TYPES),
      fc.boolean(),
      fc.record({ json: fc.boolean(), base64: fc.boolean() }),
      fc.uint8Array({ maxLength: 200 }),
      (hops, encType, toServer, format, payload) => {
        const path = nodes.slice(0, hops).map((n) => onionHop(n.ed25519PublicKey));
        const dest = nodes[5] as Identity;
        const destination: OnionDestination = toServer
          ? {
              kind: 'server',
              host: 'files.example',
              port: 8080,
              protocol: 'http',
              x25519: dest.x25519PublicKey,
            }
          : { kind: 'node', ...onionHop(dest.ed25519PublicKey) };
        const built = buildOnion({ path, destination, payload, encType, format, rng, hopNo: 2 });
        let envelope = decodeOnionEnvelope(built.body);
        assert.equal(envelope.hopNo, 2);
        for (let i = 0; i < hops; i++) {
          const peeled = peelOnionLayer(nodes[i] as Identity, envelope);
          // Another node cannot open this layer.
          assert.equal(
            peelOnionLayer(nodes[(i + 1) % 6] as Identity, envelope).kind,
            'undecryptable',
          );
          if (i < hops - 1 || !toServer) {
            assert.equal(peeled.kind, 'relay');
            if (peeled.kind !== 'relay') return;
            const nextIndex = i < hops - 1 ? i + 1 : 5;
            assert.ok(bytesEqual(peeled.next, (nodes[nextIndex] as Identity).ed25519PublicKey));
            envelope = { ...peeled.layer, hopNo: envelope.hopNo + 1 };
          } else {
            assert.equal(peeled.kind, 'proxy');
            if (peeled.kind !== 'proxy') return;
            assert.deepEqual(peeled.target, {
              host: 'files.example',
              port: 8080,
              protocol: 'http',
              target: '/oxen/v4/lsrpc',
              method: 'POST',
            });
            assert.ok(peeled.allowed);
            // The server parses the whole layer as an envelope and decrypts with its own key.
            const serverEnv = decodeOnionEnvelope(peeled.payload);
            const opened = openOnionEnvelope(dest, serverEnv);
            assert.ok(opened !== undefined && bytesEqual(opened.plaintext, payload));
            const reply = sealOnionLayer(opened.key, utf8('v4 reply'), rng);
            assert.equal(
              fromUtf8(openOnionLayer(built.responseKey, reply) ?? utf8('')),
              'v4 reply',
            );
            return;
          }
        }
        const final = peelOnionLayer(dest, envelope);
        assert.equal(final.kind, 'final');
        if (final.kind !== 'final') return;
        assert.ok(bytesEqual(final.body, payload));
        assert.deepEqual([final.json, final.base64], [format.json, format.base64]);
        const sealed = sealOnionResponse(
          final.key,
          { status: 421, json: { snodes: [] } },
          format,
          rng,
        );
        const opened = openOnionResponse(built.responseKey, sealed, format.base64);
        assert.deepEqual(opened, {
          ok: true,
          status: 421,
          body: format.json ? { snodes: [] } : '{"snodes":[]}',
        });
      },
    ),
    { numRuns: 60 },
  );
});

test('malformed decrypted layers are "invalid" (answered encrypted), proxy targets follow upstream', () => {
  const rng = createSeededRng('onion-test/invalid');
  const seal = (plaintext: Uint8Array) => {
    const secret = rng.randomBytes(32);
    const eph = nobleX25519.getPublicKey(secret);
    const key = clientLayerKey('aes-gcm', secret, eph, node(1).x25519PublicKey);
    assert.ok(key !== undefined);
    return {
      ciphertext: sealOnionLayer(key, plaintext, rng),
      ephemeralKey: eph,
      encType: 'aes-gcm' as const,
    };
  };
  for (const bad of [
    utf8('xy'),
    encodeOnionFrame(new Uint8Array(0), { nothing: 1 }),
    encodeOnionFrame(new Uint8Array(0), { destination: 'zz', ephemeral_key: 'ab'.repeat(32) }),
    encodeOnionFrame(new Uint8Array(0), { host: 'h' }),
    encodeOnionFrame(new Uint8Array(0), { host: 'h', target: '/oxen/v4/lsrpc', port: 70000 }),
    encodeOnionFrame(new Uint8Array(0), { headers: '', json: 'yes' }),
  ]) {
    assert.equal(peelOnionLayer(node(1), seal(bad)).kind, 'invalid');
  }
  const proxy = peelOnionLayer(
    node(1),
    seal(encodeOnionFrame(new Uint8Array(0), { host: 'h', target: '/oxen/v4/lsrpc?x' })),
  );
  assert.ok(
    proxy.kind === 'proxy' &&
      !proxy.allowed &&
      proxy.target.port === 443 &&
      proxy.target.protocol === 'https',
  );
  assert.ok(isOnionProxyTargetAllowed('/loki/v3/lsrpc'));
  assert.ok(!isOnionProxyTargetAllowed('/oxen/v4/other'));
  assert.ok(!isOnionProxyTargetAllowed('/file/lsrpc'));
  assert.equal(openOnionResponse(seal(utf8('x')) as never, utf8('not base64!')).ok, false);
});

test('onion v4 vectors and round trips; malformed v4 input is refused', () => {
  const v = readVector('onion-v4.json') as {
    requests: {
      method: string;
      endpoint: string;
      headers: Record<string, string>;
      body?: string;
      encoded: string;
    }[];
    responses: { code: number; headers: Record<string, string>; body: string; encoded: string }[];
  };
  for (const r of v.requests) {
    const decoded = decodeOnionV4Request(fromHex(r.encoded));
    assert.deepEqual(
      { ...decoded, body: decoded.body === undefined ? undefined : toHex(decoded.body) },
      { method: r.method, endpoint: r.endpoint, headers: r.headers, body: r.body },
    );
  }
  assert.equal(
    fromUtf8(fromHex(v.requests[0]?.encoded ?? '')),
    'l79:{"method":"GET","endpoint":"/room/some-room","headers":{"Some-Header":"12345"}}e',
  );
  for (const r of v.responses) {
    const decoded = decodeOnionV4Response(fromHex(r.encoded));
    assert.equal(decoded.code, r.code);
    assert.equal(toHex(decoded.body), r.body);
    assert.equal(decoded.headers['content-length'], undefined);
  }
  fc.assert(
    fc.property(
      fc.constantFrom('GET', 'POST'),
      fc.string().map((s) => '/' + s),
      fc.dictionary(fc.string(), fc.string()),
      fc.option(fc.uint8Array({ maxLength: 100 }), { nil: undefined }),
      (method, endpoint, rawHeaders, body) => {
        const headers = { ...rawHeaders };
        const req =
          body === undefined ? { method, endpoint, headers } : { method, endpoint, headers, body };
        assert.deepEqual(decodeOnionV4Request(encodeOnionV4Request(req)), req);
        const res = decodeOnionV4Response(
          encodeOnionV4Response({ code: 200, headers: {}, body: body ?? new Uint8Array(0) }),
        );
        assert.ok(bytesEqual(res.body, body ?? new Uint8Array(0)));
      },
    ),
    { numRuns: 100 },
  );
  for (const bad of [
    '',
    'le',
    'l2:{}e',
    'l3:abce',
    'l2:[]e',
    'li1ee',
    'l2:{}2:{}2:{}e',
    'd1:a1:be',
    'l45:{"method":"GET","endpoint":"x","headers":{}}e',
  ]) {
    assert.throws(
      () => decodeOnionV4Request(utf8(bad)),
      (e) => isProtocolError(e),
      bad,
    );
  }
  assert.throws(
    () => decodeOnionV4Response(utf8('l11:{"code":200}e')),
    (e) => isProtocolError(e),
  );
  assert.throws(
    () => encodeOnionV4Request({ method: 'GET', endpoint: 'x', headers: {} }),
    (e) => isProtocolError(e),
  );
});
