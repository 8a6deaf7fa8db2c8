/**
 * `@session-ts/sqlite`: a small `Database` port, its adapter over better-sqlite3-multiple-ciphers (WAL; plain or encrypted), numbered
 * migrations, and the storage layer's error class. This file is the package's whole surface.
 */
export type { Database, RunResult, SqlParams, SqlValue, Statement } from './database.ts';
export { openDatabase } from './better-sqlite3.ts';
export type { OpenDatabaseOptions } from './better-sqlite3.ts';
export { openEncryptedDatabase, ENCRYPTED_DATABASE_KEY_BYTES } from './encrypted-database.ts';
export type { OpenEncryptedDatabaseOptions } from './encrypted-database.ts';
export { migrate, schemaVersion } from './migrations.ts';
export type { Migration, MigrationResult } from './migrations.ts';
export { StoreError, isStoreError, STORE_ERROR_CODES } from './store-error.ts';
export type { StoreErrorCode } from './store-error.ts';
