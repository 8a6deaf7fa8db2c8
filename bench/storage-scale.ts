/**
 * `npm run bench:storage`: memory and disk of a service node's message store at scale
 * (issue #4: "memory and disk with 1M stored messages"). Not part of `npm test`; takes minutes.
 *
 * Stores N messages (default 1,000,000 of 1 KiB, over 10,000 accounts, namespace 0, real
 * message hashes) into the SQLite store in a temporary directory, in groups of 256 as the
 * group commit writes them under load, then reports: the write rate, the database and WAL
 * file sizes, what `stats()` says, the process's memory, the latency of a retrieve (last_hash
 * paging, one account), an expiry purge of a tenth of the messages, and reopening.
 *
 * Options: `--count N`, `--size BYTES`, `--accounts N`, `--json`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, identityFromSeed, messageHash } from '@session-ts/core';
import { openSqliteMessageStore, type StoredMessage } from '@session-ts/service-node';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${name}: expected a positive integer`);
  return v;
}

const count = option('--count', 1_000_000);
const size = option('--size', 1024);
const accountCount = option('--accounts', 10_000);
const json = process.argv.includes('--json');
const GROUP = 256;
const DAY = 86_400_000;
const now = Date.now();

const accounts = Array.from({ length: accountCount }, (_, i) => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  return identityFromSeed(seed).sessionId;
});
const accountBytes = accounts.map((a) => fromHex(a));

function message(i: number): StoredMessage {
  const a = i % accountCount;
  const data = new Uint8Array(size);
  new DataView(data.buffer).setUint32(0, i);
  return {
    account: accounts[a] as string,
    hash: messageHash(accountBytes[a] as Uint8Array, 0, data),
    namespace: 0,
    timestamp: now,
    // A tenth expire "soon" so the purge below has work to do.
    expiry: i % 10 === 0 ? now + 60_000 : now + 14 * DAY,
    data,
  };
}

const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};
const mib = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;

const dir = mkdtempSync(join(tmpdir(), 'session-ts-storage-scale-'));
const path = join(dir, 'storage.db');
const report: Record<string, unknown> = { count, size, accounts: accountCount };
try {
  let store = openSqliteMessageStore({ path });
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  for (let i = 0; i < count; i += GROUP) {
    const group: StoredMessage[] = [];
    for (let j = i; j < Math.min(count, i + GROUP); j++) group.push(message(j));
    store.storeMany(group);
    if (!json && i % 100_000 === 0 && i > 0) {
      process.stderr.write(`  ${i.toLocaleString('en-US')} stored…\n`);
    }
  }
  const insertSeconds = (performance.now() - t0) / 1000;
  report['storesPerSecond'] = Math.round(count / insertSeconds);
  report['insertSeconds'] = Math.round(insertSeconds);
  report['dbFileMiB'] = mib(fileSize(path));
  report['walFileMiB'] = mib(fileSize(`${path}-wal`));
  report['stats'] = store.stats();
  report['payloadMiB'] = mib(count * size);
  const mem = process.memoryUsage();
  report['rssMiB'] = mib(mem.rss);
  report['rssGrowthMiB'] = mib(mem.rss - rssBefore);
  report['heapUsedMiB'] = mib(mem.heapUsed);

  // Retrieve: one account's mailbox (≈ count/accounts messages), paging 20 at a time.
  const latencies: number[] = [];
  for (let k = 0; k < 2000; k++) {
    const account = accounts[(k * 7919) % accountCount] as string;
    const t = performance.now();
    store.retrieve({ account, namespace: 0, maxCount: 20, maxSize: 1_560_000, now });
    latencies.push((performance.now() - t) * 1000);
  }
  latencies.sort((a, b) => a - b);
  report['retrieveP50Micros'] = Math.round(latencies[1000] ?? 0);
  report['retrieveP99Micros'] = Math.round(latencies[1980] ?? 0);

  const tc = performance.now();
  report['purged'] = store.cleanExpired(now + 120_000);
  report['purgeSeconds'] = Math.round((performance.now() - tc) / 100) / 10;
  store.close();

  const to = performance.now();
  store = openSqliteMessageStore({ path });
  report['reopenMillis'] = Math.round(performance.now() - to);
  report['afterPurge'] = store.stats();
  store.close();
  report['dbFileAfterCloseMiB'] = mib(fileSize(path));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (json) console.log(JSON.stringify(report));
else
  for (const [k, v] of Object.entries(report)) console.log(`${k.padEnd(22)} ${JSON.stringify(v)}`);
