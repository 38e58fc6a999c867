import { InputError } from '@trailwarden/core';

/**
 * The part of Node's built-in `node:sqlite` (`DatabaseSync`) the history uses. Typed here because
 * the project's @types/node line (20) does not describe the module.
 */
export type SqlValue = null | number | bigint | string | Uint8Array;
export interface Statement {
  run(...params: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): Record<string, SqlValue> | undefined;
  all(...params: SqlValue[]): Record<string, SqlValue>[];
}
export interface Database {
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}
interface SqliteModule {
  DatabaseSync: new (path: string, options?: { open?: boolean; readOnly?: boolean; timeout?: number }) => Database;
}

const MODULE = 'node:sqlite';
let loaded: Promise<SqliteModule> | undefined;

/**
 * Load `node:sqlite` once. It is built into Node from 22.13 (unflagged) and 23.4, and prints an
 * ExperimentalWarning when first loaded: that one warning is kept off the user's terminal (the
 * history's file format is SQLite's own and does not change with the module's API). Any other
 * warning goes through as usual. On a Node without the module: one clear line (bad input, exit 2).
 */
export function loadSqlite(): Promise<SqliteModule> {
  loaded ??= (async () => {
    const emitWarning = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      const text = typeof warning === 'string' ? warning : warning.message;
      const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type ?? (warning as Error).name;
      if (type === 'ExperimentalWarning' && /SQLite/i.test(text)) return;
      return (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return (await import(MODULE)) as SqliteModule;
    } catch {
      throw new InputError(`the scan history needs Node's built-in SQLite (node:sqlite, Node 22.13 or newer); this is Node ${process.versions.node}`, '--history');
    } finally {
      process.emitWarning = emitWarning;
    }
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}
