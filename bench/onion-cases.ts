/**
 * Benchmarks for onion requests (issue #5), each judged against a baseline measured in the same
 * run:
 *
 * - **relay one layer** (per cipher): what a relaying node does per request — parse the
 *   envelope, derive the layer key, decrypt, read the inner frame and re-frame the envelope for
 *   the next hop (`decodeOnionEnvelope` → `peelOnionLayer` → `encodeOnionEnvelope`), on a
 *   1 KiB request — against the raw cryptography of one hop with the libraries called directly
 *   (libsodium X25519, OpenSSL HMAC-SHA256 + AES-256-GCM, or libsodium BLAKE2b +
 *   XChaCha20-Poly1305) on the same bytes. Target: ≥ 0.6×.
 * - **3-hop latency**: a request through three relays to a fourth node, against the same
 *   request sent directly, on loopback over real HTTP (`createHttpTransport`), one at a time.
 *   The nodes are server-kit apps with the real `createOnionEndpoint`, served by `listen`. The
 *   table's rates are 1000 / p50; the note gives p50, p99 and the latency ratio.
 */
import { createHmac, createDecipheriv } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import sodium from 'sodium-native';
import {
  buildOnion,
  decodeOnionEnvelope,
  encodeOnionEnvelope,
  identityFromSeed,
  onionHop,
  peelOnionLayer,
  toHex,
  type Identity,
  type OnionEncType,
  type Rng,
} from '@session-ts/core';
import {
  createHttpTransport,
  sendOnion,
  type NodeInfo,
  type OnionPath,
  type Transport,
} from '@session-ts/net';
import {
  createApp,
  createOnionEndpoint,
  createSilentLogger,
  listen,
  readJson,
  type Listener,
} from '@session-ts/server-kit';
import type { BenchPair, BenchResult } from './harness.ts';

const PAYLOAD_BYTES = 1024;

/** A fast deterministic Rng (benchmarks measure code, not the system CSPRNG). */
function benchRng(): Rng {
  let x = 0x2545f491;
  return {
    randomBytes(n: number) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        out[i] = x & 0xff;
      }
      return out;
    },
  };
}

/** Relay throughput vs raw per-hop crypto, for each cipher. */
export function onionRelayCases(): BenchPair[] {
  const rng = benchRng();
  const node = identityFromSeed(new Uint8Array(32).fill(1));
  const next = identityFromSeed(new Uint8Array(32).fill(2));
  const dest = identityFromSeed(new Uint8Array(32).fill(3));
  const nodeSk = Buffer.from(node.x25519SecretKey.exportBytes());
  const nodePk = Buffer.from(node.x25519PublicKey);
  return (['aes-gcm', 'xchacha20'] as OnionEncType[]).map((encType) => {
    const body = buildOnion({
      path: [onionHop(node.ed25519PublicKey), onionHop(next.ed25519PublicKey)],
      destination: { kind: 'node', ...onionHop(dest.ed25519PublicKey) },
      payload: rng.randomBytes(PAYLOAD_BYTES),
      encType,
      rng,
    }).body;
    const envelope = decodeOnionEnvelope(body);
    const eph = Buffer.from(envelope.ephemeralKey);
    const sealed = Buffer.from(envelope.ciphertext);
    const shared = Buffer.alloc(32);
    const key = Buffer.alloc(32);
    const relay = (): Uint8Array => {
      const env = decodeOnionEnvelope(body);
      const layer = peelOnionLayer(node, env);
      if (layer.kind !== 'relay') throw new Error('expected a relay layer');
      return encodeOnionEnvelope({ ...layer.layer, hopNo: env.hopNo + 1 });
    };
    const raw =
      encType === 'aes-gcm'
        ? (): Buffer => {
            sodium.crypto_scalarmult(shared, nodeSk, eph);
            const k = createHmac('sha256', 'LOKI').update(shared).digest();
            const d = createDecipheriv('aes-256-gcm', k, sealed.subarray(0, 12));
            d.setAuthTag(sealed.subarray(sealed.length - 16));
            return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
          }
        : (): Buffer => {
            sodium.crypto_scalarmult(shared, nodeSk, eph);
            sodium.crypto_generichash_batch(key, [shared, eph, nodePk]);
            const m = Buffer.alloc(sealed.length - 40);
            sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
              m,
              null,
              sealed.subarray(24),
              null,
              sealed.subarray(0, 24),
              key,
            );
            return m;
          };
    // Both sides must agree before they are timed.
    if (
      relay().length === 0 ||
      raw().length !== sealed.length - (encType === 'aes-gcm' ? 28 : 40)
    ) {
      throw new Error('benchmark setup is wrong');
    }
    return {
      name: `onion relay one layer (${encType}, 1 KiB)`,
      subject: { name: 'parse + peel + re-frame', fn: relay },
      baseline: { name: 'X25519 + KDF + AEAD open', fn: raw },
      note: 'raw per-hop crypto (libsodium/OpenSSL directly)',
    };
  });
}

interface BenchNode {
  readonly identity: Identity;
  readonly listener: Listener;
  readonly info: NodeInfo;
}

async function startNodes(count: number, transport: Transport): Promise<BenchNode[]> {
  const rng = benchRng();
  const logger = createSilentLogger();
  const nodes: BenchNode[] = [];
  const byKey = new Map<string, NodeInfo>();
  const info = (): Response => Response.json({ version: [2, 8, 0], t: Date.now(), hf: [19, 4] });
  for (let i = 0; i < count; i++) {
    const identity = identityFromSeed(new Uint8Array(32).fill(10 + i));
    const app = createApp({
      logger,
      routes: [
        {
          method: 'POST',
          path: '/storage_rpc/v1',
          handler: async (req) => {
            await readJson(req, 1 << 20);
            return info();
          },
        },
        createOnionEndpoint({
          identity,
          rng,
          logger,
          handleFinal: () =>
            Promise.resolve({ status: 200, json: { version: [2, 8, 0], t: Date.now() } }),
          relay: async (next, envelope, signal) => {
            const target = byKey.get(toHex(next));
            if (target === undefined) return { kind: 'unknown' };
            try {
              const res = await transport.request(target, encodeOnionEnvelope(envelope), {
                path: '/onion_req/v2',
                timeoutMs: 30_000,
                signal,
              });
              return { kind: 'response', status: res.status, body: res.body };
            } catch {
              return { kind: 'unreachable' };
            }
          },
        }),
      ],
    });
    const listener = await listen(app, { host: '127.0.0.1', port: 0 });
    const node: NodeInfo = {
      pubkeyEd25519: toHex(identity.ed25519PublicKey),
      pubkeyX25519: toHex(identity.x25519PublicKey),
      ip: '127.0.0.1',
      port: listener.port,
      swarmId: undefined,
    };
    byKey.set(node.pubkeyEd25519, node);
    nodes.push({ identity, listener, info: node });
  }
  return nodes;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timeEach(n: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

/** 3-hop vs direct latency on loopback HTTP, as a result row. */
export async function onionLatencyResults(options: { quick: boolean }): Promise<BenchResult[]> {
  const transport = createHttpTransport();
  const nodes = await startNodes(4, transport);
  try {
    const [a, b, c, d] = nodes.map((n) => n.info) as [NodeInfo, NodeInfo, NodeInfo, NodeInfo];
    const path: OnionPath = { id: 1, nodes: [a, b, c] };
    const rng = benchRng();
    const payload = new TextEncoder().encode('{"method":"info","params":{}}');
    const direct = async (): Promise<void> => {
      const res = await transport.request(d, payload, {
        path: '/storage_rpc/v1',
        timeoutMs: 10_000,
      });
      if (res.status !== 200) throw new Error(`direct: ${res.status}`);
    };
    const onion = async (): Promise<void> => {
      const out = await sendOnion({
        transport,
        path,
        target: { kind: 'node', node: d },
        payload,
        rng,
        timeoutMs: 10_000,
      });
      if (out.kind !== 'answer' || out.status !== 200) throw new Error(`onion: ${out.kind}`);
    };
    const n = options.quick ? 20 : 400;
    await timeEach(Math.max(5, n / 10), direct);
    await timeEach(Math.max(5, n / 10), onion);
    // Interleave halves so drift hits both alike.
    const d1 = await timeEach(n / 2, direct);
    const o1 = await timeEach(n / 2, onion);
    const d2 = await timeEach(n / 2, direct);
    const o2 = await timeEach(n / 2, onion);
    const ds = [...d1, ...d2].sort((x, y) => x - y);
    const os = [...o1, ...o2].sort((x, y) => x - y);
    const dp50 = percentile(ds, 50);
    const op50 = percentile(os, 50);
    const fmt = (x: number): string => x.toFixed(2);
    return [
      {
        name: '3-hop onion request vs direct (loopback HTTP)',
        subject: '3 relays + destination',
        baseline: 'direct /storage_rpc/v1',
        subjectOpsPerSec: 1000 / op50,
        baselineOpsPerSec: 1000 / dp50,
        ratio: dp50 / op50,
        note:
          `p50 ${fmt(op50)} vs ${fmt(dp50)} ms, p99 ${fmt(percentile(os, 99))} vs ` +
          `${fmt(percentile(ds, 99))} ms; latency ×${fmt(op50 / dp50)} (n=${n})`,
      },
    ];
  } finally {
    await Promise.all(nodes.map((n) => n.listener.close()));
  }
}
