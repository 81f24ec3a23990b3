/**
 * The CRUD mix of the old Locust project: list 5 : get 3 : create 2 : update 1 : delete 1, and the
 * pool of ids a VU created. Each VU remembers only its own items, so reads, updates and deletes hit
 * real rows and never a row another VU's concurrent delete could remove. Pure: Node tests import it.
 */

export const OPERATIONS = ['list', 'get', 'create', 'update', 'delete'] as const;
/** Tag (and Prometheus label) naming the operation of a request or check. */
export const OPERATION_TAG = 'op';
export type Operation = (typeof OPERATIONS)[number];

/** Relative weights of the operations: the mix every profile runs (docs/LOAD_TESTING.md). */
export const MIX: Readonly<Record<Operation, number>> = { list: 5, get: 3, create: 2, update: 1, delete: 1 };

const TOTAL_WEIGHT = OPERATIONS.reduce((total, op) => total + MIX[op], 0);

/** The operation for a uniform random number in [0, 1), weighted by MIX. */
export function pickOperation(random: number): Operation {
  let point = random * TOTAL_WEIGHT;
  for (const op of OPERATIONS) {
    point -= MIX[op];
    if (point < 0) return op;
  }
  return 'list';
}

/** Ids this VU created and has not deleted. Bounded: the oldest are forgotten (the rows stay). */
export class ItemPool {
  private readonly ids: number[] = [];

  constructor(private readonly capacity = 200) {}

  get size(): number {
    return this.ids.length;
  }

  add(id: number): void {
    this.ids.push(id);
    if (this.ids.length > this.capacity) this.ids.shift();
  }

  pick(random: number): number | undefined {
    return this.ids[Math.floor(random * this.ids.length)];
  }

  remove(id: number): void {
    const at = this.ids.indexOf(id);
    if (at >= 0) this.ids.splice(at, 1);
  }
}

