/** The in-memory `ConfigStore` (see config-store.ts). */
import type { ConfigRecord, ConfigStore } from '../config-store.ts';
import { compareText, copyBytes } from '../internal/records.ts';
import { onOpen, type MemoryState } from './memory-state.ts';

function key(owner: string, namespace: number): string {
  return `${owner}\0${namespace}`;
}

function copy(record: ConfigRecord): ConfigRecord {
  return { ...record, data: copyBytes(record.data), hashes: [...record.hashes] };
}

/** The config port over `state`. */
export function createMemoryConfigStore(state: MemoryState): ConfigStore {
  return {
    getConfig: (owner, namespace) =>
      onOpen(state, () => {
        const held = state.configs.get(key(owner, namespace));
        return held === undefined ? undefined : copy(held);
      }),
    putConfig: (record) =>
      onOpen(state, () => {
        state.configs.set(key(record.owner, record.namespace), copy(record));
      }),
    listConfigs: (owner) =>
      onOpen(state, () =>
        [...state.configs.values()]
          .filter((r) => owner === undefined || r.owner === owner)
          .sort((a, b) => compareText(a.owner, b.owner) || a.namespace - b.namespace)
          .map(copy),
      ),
    deleteConfig: (owner, namespace) =>
      onOpen(state, () => state.configs.delete(key(owner, namespace))),
  };
}
