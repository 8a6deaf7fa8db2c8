/** The contract of `AccountStore` (see stores/account-store.ts). */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { SecretKey, toHex } from '@session-ts/core';
import { isStoreError } from '@session-ts/sqlite';
import { DEFAULT_ACCOUNT_SETTINGS } from '../stores/account-store.ts';
import { testBytes, type ContractCase, type MakeClientStore } from './contract-case.ts';

function seed(label: string): SecretKey<'ed25519-seed'> {
  return new SecretKey('ed25519-seed', testBytes(`seed:${label}`, 32));
}

/** The cases an `AccountStore` must pass. */
export function accountStoreContract(make: MakeClientStore): ContractCase[] {
  return [
    {
      name: 'account: an empty store has no account and default settings',
      run: async () => {
        const { account } = await make();
        assert.equal(await account.getAccount(), undefined);
        assert.deepEqual(await account.getSettings(), DEFAULT_ACCOUNT_SETTINGS);
      },
    },
    {
      name: 'account: the seed comes back as a SecretKey with the same bytes',
      run: async () => {
        const { account } = await make();
        await account.putAccount({ seed: seed('a'), createdAt: 1_700_000_000_000 });
        const back = await account.getAccount();
        assert.ok(back !== undefined);
        assert.ok(back.seed instanceof SecretKey);
        assert.equal(back.seed.kind, 'ed25519-seed');
        assert.equal(toHex(back.seed.exportBytes()), toHex(seed('a').exportBytes()));
        assert.equal(back.createdAt, 1_700_000_000_000);
        assert.doesNotMatch(inspect(back), new RegExp(toHex(seed('a').exportBytes())));
      },
    },
    {
      name: 'account: the same seed again is a no-op; another seed is refused',
      run: async () => {
        const { account } = await make();
        await account.putAccount({ seed: seed('a'), createdAt: 1 });
        await account.putAccount({ seed: seed('a'), createdAt: 2 });
        assert.equal((await account.getAccount())?.createdAt, 1);
        await assert.rejects(account.putAccount({ seed: seed('b'), createdAt: 3 }), (e) =>
          isStoreError(e, 'constraint'),
        );
        const back = await account.getAccount();
        assert.equal(
          toHex(back?.seed.exportBytes() ?? new Uint8Array()),
          toHex(seed('a').exportBytes()),
        );
      },
    },
    {
      name: 'account: settings change field by field and persist',
      run: async () => {
        const { account } = await make();
        const policy = { fallback: 'non-pfs', onDowngrade: 'allow-v1' } as const;
        const after = await account.updateSettings({ approvalRequired: true });
        assert.deepEqual(after, { ...DEFAULT_ACCOUNT_SETTINGS, approvalRequired: true });
        await account.updateSettings({ downgradePolicy: policy, readReceipts: true });
        assert.deepEqual(await account.getSettings(), {
          ...DEFAULT_ACCOUNT_SETTINGS,
          approvalRequired: true,
          downgradePolicy: policy,
          readReceipts: true,
        });
        await account.updateSettings({ approvalRequired: false });
        assert.equal((await account.getSettings()).approvalRequired, false);
      },
    },
  ];
}
