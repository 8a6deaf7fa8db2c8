/**
 * `@session-ts/service-node`: the Session storage server — storage RPC, message storage,
 * swarms and replication. This file is the package's whole surface.
 */

// --- RPC, storage and the app (issue #4, storage part) ---------------------------------------
export { createServiceNode, rpcToHttp, CLEANUP_PERIOD_MS } from './app.ts';
export type { ServiceNode, ServiceNodeDeps, Scheduler } from './app.ts';
export { STORAGE_SERVER_VERSION, DEFAULT_HARDFORK } from './rpc/handler.ts';
export type { RpcCall, RpcResponse } from './rpc/handler.ts';
export { createRateLimiter } from './rpc/rate-limiter.ts';
export type { RateLimiter, RateLimiterOptions } from './rpc/rate-limiter.ts';
export { MAX_REVOKED_SUBACCOUNTS, RETRIEVE_MESSAGE_OVERHEAD } from './storage/message-store.ts';
export type {
  ExpiryChange,
  MessageStore,
  NamespacedHash,
  RetrieveQuery,
  RetrieveResult,
  StoredMessage,
  StoreOutcome,
  StoreStats,
} from './storage/message-store.ts';
export { createMemoryMessageStore } from './storage/memory-message-store.ts';
export type { MemoryMessageStoreOptions } from './storage/memory-message-store.ts';
export {
  createSqliteMessageStore,
  openSqliteMessageStore,
  DEFAULT_MAX_DB_BYTES,
} from './storage/sqlite-message-store.ts';
export type { SqliteMessageStoreOptions } from './storage/sqlite-message-store.ts';
export { createSingleNodeSwarmView, NO_PEERS } from './swarm-port.ts';
export type { NodeInfo, PeerForwarder, PeerResult, SwarmInfo, SwarmView } from './swarm-port.ts';

// --- Swarms, replication and the daemon (issue #4, swarm part) -------------------------------
export { startServiceNodeDaemon } from './daemon.ts';
export type { NodeDaemon, NodeDaemonConfig } from './daemon.ts';
export { NODE_CONFIG, readNodeConfig } from './node-config.ts';
export type { NodeSettings } from './node-config.ts';
export { createMetrics, instrumentApp } from './metrics.ts';
export type { Metrics, MetricSource } from './metrics.ts';
export { createSwarmState } from './swarm/swarm-state.ts';
export type { SwarmEvents, SwarmState } from './swarm/swarm-state.ts';
export { createSeedClient } from './swarm/seed-client.ts';
export type { NodeList, SeedClient, SeedClientOptions, SelfAddress } from './swarm/seed-client.ts';
export { createPeerClient, PEER_ROUTES } from './swarm/http-peer-forwarder.ts';
export type { PeerClient } from './swarm/http-peer-forwarder.ts';
export { createPeerRoutes } from './swarm/peer-routes.ts';
export type { ForwardedRpc, PeerRoutesOptions } from './swarm/peer-routes.ts';
export { createReplicator } from './swarm/replicator.ts';
export type { Replicator, ReplicationStats } from './swarm/replicator.ts';
export { createSwarmSync } from './swarm/swarm-sync.ts';
export type { SwarmSync, SwarmSyncOptions } from './swarm/swarm-sync.ts';
export { createOnionRoutes } from './onion-routes.ts';
export type { OnionRoutesOptions, SendToNode } from './onion-routes.ts';
