import type { Knex } from 'knex';
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

/** Number of migrations not yet applied (0 means the schema is current). */
export async function pendingMigrations(db: Knex): Promise<number> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length;
}
