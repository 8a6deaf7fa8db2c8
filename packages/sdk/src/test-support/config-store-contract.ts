/** The contract of `ConfigStore` (see stores/config-store.ts). */
import assert from 'node:assert/strict';
import type { ConfigRecord } from '../stores/config-store.ts';
import {
  isPlainBytes,
  testAccountId,
  testBytes,
  type ContractCase,
  type MakeClientStore,
} from './contract-case.ts';

function record(owner: string, namespace: number, seqno = 1): ConfigRecord {
  return {
    owner,
    namespace,
    seqno,
    data: testBytes(`config:${owner}:${namespace}:${seqno}`, 300),
    hashes: [`h${namespace}-${seqno}`, `h${namespace}-${seqno}b`],
    needsPush: seqno % 2 === 0,
    updatedAt: 1_700_000_000_000 + seqno,
    // Every other record knows how long its newest message lives; the rest leave it out.
    ...(seqno % 2 === 0 ? { liveUntil: 1_702_000_000_000 + seqno } : {}),
  };
}

/** The cases a `ConfigStore` must pass. */
export function configStoreContract(make: MakeClientStore): ContractCase[] {
  const me = testAccountId('me');
  const group = testAccountId('group');
  return [
    {
      name: 'config: a record round-trips (copied bytes) and is replaced whole',
      run: async () => {
        const { config } = await make();
        assert.equal(await config.getConfig(me, 2), undefined);
        const r = record(me, 2);
        await config.putConfig(r);
        const expected = record(me, 2);
        r.data.fill(0);
        const back = await config.getConfig(me, 2);
        assert.deepEqual(back, expected);
        assert.ok(isPlainBytes(back?.data));
        const next = { ...record(me, 2, 2), hashes: [] };
        await config.putConfig(next);
        assert.deepEqual(await config.getConfig(me, 2), next);
      },
    },
    {
      name: 'config: listed by owner then namespace; deleted one at a time',
      run: async () => {
        const { config } = await make();
        const records = [record(me, 5), record(me, 2), record(group, 13), record(group, 12)];
        for (const r of records) await config.putConfig(r);
        const [first, second] = me < group ? [me, group] : [group, me];
        const byOwner = (o: string) =>
          records.filter((r) => r.owner === o).sort((a, b) => a.namespace - b.namespace);
        assert.deepEqual(await config.listConfigs(), [...byOwner(first), ...byOwner(second)]);
        assert.deepEqual(await config.listConfigs(me), byOwner(me));
        assert.equal(await config.deleteConfig(me, 5), true);
        assert.equal(await config.deleteConfig(me, 5), false);
        assert.deepEqual(await config.listConfigs(me), [record(me, 2)]);
      },
    },
  ];
}
