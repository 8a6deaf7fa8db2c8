/**
 * Service-node benchmarks (issue #4): `store` (1 KiB, namespace 0), an authenticated
 * `retrieve`, and a 20-request `batch`, each driven over loopback HTTP by autocannon against
 * the service node and against a bare `node:http` server that only reads the body and answers
 * a fixed JSON object, measured in the same run with the same request bodies. The servers run
 * in a child process (`service-node-server.ts`) so the load generator has its own core.
 *
 * The ratio (node req/s ÷ bare req/s) is what the issue sets targets for: store ≥ 0.4×,
 * retrieve ≥ 0.4×. Every store carries unique data (a counter in the first bytes), so each one
 * is a real insert; retrieve reads after a `last_hash` and gets one 1 KiB message back.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { identityFromSeed, retrieveToSign, signDetached, toBase64, toHex } from '@session-ts/core';
import type { BenchResult } from './harness.ts';

const DAY = 86_400_000;
const user = identityFromSeed(new Uint8Array(32).fill(42));
// The store case writes tens of thousands of messages; they go to their own account so that
// the retrieve cases read the same small mailbox in every round.
const storer = identityFromSeed(new Uint8Array(32).fill(43));
const auth = { pubkey: user.sessionId, pubkey_ed25519: toHex(user.ed25519PublicKey) };

function sign(message: Uint8Array): string {
  return toBase64(signDetached(user.ed25519SecretKey, message));
}

/** Store bodies, each with a unique 1 KiB payload: the first 6 bytes are a counter. */
function storeBodies(account: string): () => string {
  const timestamp = Date.now();
  const rest = toBase64(new Uint8Array(1024 - 6).fill(0x5a));
  let n = 0;
  return () => {
    const counter = Buffer.alloc(6);
    counter.writeUIntBE(n++, 0, 6);
    const data = counter.toString('base64') + rest;
    return `{"method":"store","params":{"pubkey":"${account}","timestamp":${timestamp},"ttl":${DAY},"data":"${data}"}}`;
  };
}

function retrieveParams(ns: number, lastHash?: string): Record<string, unknown> {
  const timestamp = Date.now();
  return {
    ...auth,
    namespace: ns,
    timestamp,
    ...(lastHash === undefined ? {} : { last_hash: lastHash }),
    signature: sign(retrieveToSign({ namespace: ns, timestamp })),
  };
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/storage_rpc/v1`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`setup request failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

type AutocannonRequest = NonNullable<Parameters<typeof autocannon>[0]['requests']>[number];

interface Case {
  readonly name: string;
  readonly note: string;
  /** Fresh request definitions for one round (signatures are only good for ±60 s). */
  requests(): AutocannonRequest[];
}

async function measure(
  url: string,
  requests: AutocannonRequest[],
  seconds: number,
): Promise<number> {
  const result = await autocannon({
    url: `${url}/storage_rpc/v1`,
    connections: 16,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.average;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Starts the servers, runs the three cases, stops the servers. */
export async function serviceNodeResults(options: { quick: boolean }): Promise<BenchResult[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'service-node-server.ts')],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const urls = JSON.parse(line) as { bare: string; node: string };

    // 20 messages of 1 KiB; retrieve asks for what came after the 19th.
    let lastHash = '';
    const next = storeBodies(user.sessionId);
    for (let i = 0; i < 20; i++) {
      const r = await post(urls.node, JSON.parse(next()));
      if (i === 18) lastHash = String(r['hash']);
    }

    const poolSize = options.quick ? 20_000 : 100_000;
    const cases: Case[] = [
      {
        name: 'service node: store 1 KiB (ns 0)',
        note: 'bare node:http, same bodies',
        requests: () => {
          // Bodies are made before the round so that building them does not slow the load
          // generator (which would cap the baseline); the pool outlasts a round at these rates.
          const next = storeBodies(storer.sessionId);
          const pool = Array.from({ length: poolSize }, next);
          let i = 0;
          return [
            {
              method: 'POST',
              setupRequest: (req) => ({ ...req, body: pool[i++ % poolSize] ?? '' }),
            },
          ];
        },
      },
      {
        name: 'service node: authenticated retrieve',
        note: 'bare node:http, same bodies',
        requests: () => [
          {
            method: 'POST',
            body: JSON.stringify({ method: 'retrieve', params: retrieveParams(0, lastHash) }),
          },
        ],
      },
      {
        name: 'service node: batch of 20 retrieves',
        note: 'bare node:http, same bodies',
        requests: () => {
          const subs = Array.from({ length: 20 }, (_, i) => ({
            method: 'retrieve',
            params: i === 0 ? retrieveParams(0, lastHash) : retrieveParams(i + 1),
          }));
          return [
            {
              method: 'POST',
              body: JSON.stringify({ method: 'batch', params: { requests: subs } }),
            },
          ];
        },
      },
    ];

    const seconds = options.quick ? 1 : 5;
    const rounds = options.quick ? 1 : 3;
    const results: BenchResult[] = [];
    for (const c of cases) {
      const subject: number[] = [];
      const baseline: number[] = [];
      for (let r = 0; r < rounds; r++) {
        baseline.push(await measure(urls.bare, c.requests(), seconds));
        subject.push(await measure(urls.node, c.requests(), seconds));
      }
      const s = median(subject);
      const b = median(baseline);
      results.push({
        name: c.name,
        subject: 'createServiceNode over listen()',
        baseline: 'bare node:http',
        subjectOpsPerSec: s,
        baselineOpsPerSec: b,
        ratio: s / b,
        note: c.note,
      });
    }
    return results;
  } finally {
    child.stdin.end();
    await once(child, 'exit');
  }
}
