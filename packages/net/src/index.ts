/**
 * `@session-ts/net`: moving bytes for Session clients (and nodes that talk to nodes): the
 * transport port with its HTTP and in-process adapters, the node pool, onion paths, the swarm
 * cache, the network clock, retries, and `createNetwork`, which ties them together
 * (docs/network.md). This file is the package's whole public surface.
 */
export { NetworkError, isNetworkError, NETWORK_ERROR_CODES } from './network-error.ts';
export type { NetworkErrorCode } from './network-error.ts';
export { SILENT_LOGGER } from './net-logger.ts';
export type { NetLogger, NetLogFields } from './net-logger.ts';

export { targetUrl, targetHost, responseText, responseJson } from './transport.ts';
export type {
  FetchHandler,
  Transport,
  TransportRequestOptions,
  TransportResponse,
  TransportTarget,
} from './transport.ts';
export { createHttpTransport } from './http-transport.ts';
export type { HttpTransportOptions } from './http-transport.ts';
export { createInProcessNetwork } from './in-process-transport.ts';
export type { Delivery, InProcessNetwork } from './in-process-transport.ts';

export { parseServiceNodeStates, parseSwarmNodes, swarmNodeJson } from './node-info.ts';
export type { NodeInfo } from './node-info.ts';
export { fetchNodesFromSeed, SEED_TIMEOUT_MS } from './seed-client.ts';
export type { SeedNode } from './seed-client.ts';
export { createNodePool, intersectNodeLists, POOL_DEFAULTS } from './node-pool.ts';
export type { NodePool, NodePoolOptions } from './node-pool.ts';
export { createPathManager, COVER_HEADERS, PATH_DEFAULTS } from './onion-paths.ts';
export type { OnionPath, PathChoice, PathManager, PathManagerOptions } from './onion-paths.ts';
export { sendOnion, hopOf, createHopCache } from './onion-sender.ts';
export type { OnionOutcome, OnionServer, OnionTarget, SendOnionOptions } from './onion-sender.ts';
export { createSwarmCache, MIN_SWARM_NODES } from './swarm-cache.ts';
export type { SwarmCache } from './swarm-cache.ts';
export { createNetworkClock } from './network-clock.ts';
export type { NetworkClock } from './network-clock.ts';
export { backoffDelay, realSleep, withRetries } from './retry.ts';
export type { BackoffOptions, RetryOptions, Sleep } from './retry.ts';
export { batchRequest, sequenceRequest, parseBatchResults } from './batch.ts';
export type { BatchResult, RpcRequest } from './batch.ts';
export { createNetwork } from './network.ts';
export type {
  Network,
  NetworkOptions,
  OnionAnswer,
  RequestOptions,
  RpcAnswer,
  RpcParams,
} from './network.ts';

// The transport contract, for any other adapter to run (as core exports its store contracts).
export { transportContract } from './test-support/transport-contract.ts';
export type { TransportContractCase, TransportHarness } from './test-support/transport-contract.ts';
