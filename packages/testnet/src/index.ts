/**
 * `@session-ts/testnet`: a whole Session network on one machine (issue #7, docs/devnet.md). So
 * far the devnet: a seed and service nodes as child processes of the real `session-cli`
 * binary, with their data, ports and keys kept in one directory. This file is the package's
 * whole surface.
 */
export { startDevnet, stopDevnet, devnetStatus, DEVNET_DEFAULTS } from './devnet.ts';
export type { DaemonState, Devnet, DevnetEvent, DevnetOptions, DevnetStatus } from './devnet.ts';
export { DevnetError, isDevnetError } from './devnet-error.ts';
export type { DevnetErrorCode } from './devnet-error.ts';
export { readNetworkFile, devnetPaths } from './devnet-files.ts';
export type { NetworkFile, NetworkNode, NetworkSeed } from './devnet-files.ts';
export { DEFAULT_BASE_PORT } from './ports.ts';
export { startInProcessNetwork } from './in-process-network.ts';
export type { InProcessNetwork, InProcessNetworkOptions } from './in-process-network.ts';
