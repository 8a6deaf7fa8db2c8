/**
 * `@session-ts/testnet`: a whole Session network on one machine (issue #7, docs/devnet.md): the
 * devnet (a seed and service nodes as child processes of the real `session-cli` binary, with
 * their data, ports and keys kept in one directory), the same daemons in one process, and what
 * tests need to drive them from outside: `devnet up` and client commands as child processes,
 * and a direct look at what a swarm's nodes store. This file is the package's whole surface.
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
export { isAlive, spawnDaemon, waitForExit, waitForExitAll } from './daemon-process.ts';
export type { DaemonProcess, SpawnDaemonOptions } from './daemon-process.ts';
export { runCli, jsonLines } from './cli-run.ts';
export type { CliRun, CliRunOptions } from './cli-run.ts';
export { startDevnetProcess } from './devnet-process.ts';
export type { DevnetProcess, DevnetProcessOptions } from './devnet-process.ts';
export { swarmNodesOf, identityFromRecoveryPassword, messagesAtNode } from './swarm-probe.ts';
export type { StoredAtNode } from './swarm-probe.ts';
export { seedNodeList, settledSwarms } from './seed-node-list.ts';
export type { ListedNode } from './seed-node-list.ts';
