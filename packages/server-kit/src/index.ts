/**
 * `@session-ts/server-kit`: what every session-ts server shares: the Request → Response app
 * factory with error mapping, the Node socket listener, and the structured logger. The onion v4
 * endpoint and config helpers join it with the network issue.
 */
export { HttpError, isHttpError } from './http-error.ts';
export { createApp, errorResponse, readBody, readJson } from './app.ts';
export type { App, AppOptions, ErrorBodyFormat, Handler, RequestContext, Route } from './app.ts';
export { listen } from './listener.ts';
export { jsonResponse, textResponse } from './known-body.ts';
export type { Listener, ListenOptions } from './listener.ts';
export { createJsonLogger, createSilentLogger, LOG_LEVELS } from './logger.ts';
export type { JsonLoggerOptions, LogFields, Logger, LogLevel } from './logger.ts';
export { loadOrCreateIdentity } from './identity-file.ts';
export { configFlags, configHelp, readConfig } from './config.ts';
export type { ConfigField, ConfigResult, ConfigSpec, ConfigValues } from './config.ts';
export type { IdentityFile } from './identity-file.ts';
export { createOnionEndpoint, fetchOnionProxy, onionProxyUrl } from './onion-endpoint.ts';
export type { OnionEndpointOptions, OnionForwardOutcome } from './onion-endpoint.ts';
export { createOnionV4Endpoint } from './onion-v4-endpoint.ts';
export type { OnionV4EndpointOptions } from './onion-v4-endpoint.ts';
