import type { ItemsRepository } from '../../src/items/repository.js';
import type { Item, ItemCreate, ItemPatch } from '../../src/items/schema.js';

/**
 * A test double of `ItemsRepository`, kept in memory, for the in-process tests of the HTTP layer
 * (service/test/http/). A double is enough there: those tests are about what the HTTP layer makes
 * of the repository's answers (a row, null, false, a thrown error). What PostgreSQL itself does
 * (types, constraints, prepared statements, timeouts, outages) stays proven against a real
 * database by the end-to-end tier, service/test/*.test.ts through support/harness.ts.
 */
export interface ItemsRepositoryDouble extends ItemsRepository {
  /** Items by id, as stored; tests may seed or read it directly. */
  readonly items: Map<number, Item>;
  /** Every call, in order, by method name: proves a refused request never reached the repository. */
  readonly calls: string[];
  /** Every later call throws `error` (as the pool or pg would), until `failWith(undefined)`. */
  failWith(error: unknown): void;
}

/** A fixed clock: responses compare equal across runs. */
const NOW = '2026-01-02T03:04:05.678Z';

export function itemsRepositoryDouble(seed: readonly Item[] = []): ItemsRepositoryDouble {
  const items = new Map(seed.map((item) => [item.id, item]));
  const calls: string[] = [];
  let failure: { error: unknown } | undefined;
  let nextId = Math.max(0, ...items.keys()) + 1;

  const enter = (method: string): void => {
    calls.push(method);
    if (failure) throw failure.error;
  };

  return {
    items,
    calls,
    failWith(error) {
      failure = error === undefined ? undefined : { error };
    },
    async list({ limit, offset }) {
      enter('list');
      return [...items.values()].sort((a, b) => a.id - b.id).slice(offset, offset + limit);
    },
    async findById(id) {
      enter('findById');
      return items.get(id) ?? null;
    },
    async create(input: ItemCreate) {
      enter('create');
      const item: Item = { id: nextId++, name: input.name, price: input.price, description: input.description ?? null, createdAt: NOW, updatedAt: NOW };
      items.set(item.id, item);
      return item;
    },
    async update(id, changes: ItemPatch) {
      enter('update');
      const current = items.get(id);
      if (!current) return null;
      const updated: Item = {
        ...current,
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.price === undefined ? {} : { price: changes.price }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        updatedAt: NOW,
      };
      items.set(id, updated);
      return updated;
    },
    async remove(id) {
      enter('remove');
      return items.delete(id);
    },
  };
}
