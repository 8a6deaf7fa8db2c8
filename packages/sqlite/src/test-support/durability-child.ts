/**
 * Child process for the kill -9 durability test (`sqlite.test.ts`): opens the database given
 * as the first argument with the production settings (WAL, synchronous=NORMAL), then inserts
 * rows one transaction at a time and prints each row's id on stdout only after its commit
 * returned. The parent kills it with SIGKILL mid-stream and checks every printed id is there.
 */
import { openDatabase } from '../better-sqlite3.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: durability-child.ts DB_PATH');
const db = openDatabase({ path });
db.exec('CREATE TABLE IF NOT EXISTS acked (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
const insert = db.prepare('INSERT INTO acked (id, payload) VALUES (?, ?)');
const payload = new Uint8Array(512).fill(7);
for (let id = 1; ; id++) {
  db.transaction(() => insert.run([id, payload]));
  // The id leaves the process only after the commit returned; waiting for the write keeps the
  // pipe drained (an unawaited write in a tight loop would only queue in memory).
  await new Promise<void>((resolve) => process.stdout.write(`${id}\n`, () => resolve()));
}
