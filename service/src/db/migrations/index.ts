import type { Knex } from 'knex';
import type pg from 'pg';
import { createItems } from './001_create_items.js';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Ordered list of migrations. New ones go at the end; names never change once released. */
const MIGRATIONS: readonly Migration[] = [createItems];

/**
 * Migrations are imported modules rather than files knex finds on disk, so the same list works
 * under tsx (`.ts`) and in the compiled image (`.js`).
 */
export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/**
 * Number of migrations not yet applied (0 means the schema is current), read on any connection
 * from the table knex's migrator keeps, so readiness needs no knex pool.
 */
export async function pendingMigrations(client: pg.ClientBase): Promise<number> {
  const table = migrationConfig.tableName ?? 'knex_migrations';
  const exists = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
  if (!exists.rows[0]?.found) return MIGRATIONS.length;
  const applied = await client.query<{ name: string }>(`select name from "${table}"`);
  const names = new Set(applied.rows.map((row) => row.name));
  return MIGRATIONS.filter((migration) => !names.has(migration.name)).length;
}
