/**
 * The lazily primed DataLoader cache (src/loaders/primed-cache.ts) behind `deviceById`: a listed
 * value answers a later load without a batch, exactly as `prime` would, and never replaces what a
 * load or an earlier list put there.
 */
import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import { PrimedCache } from '../../../src/loaders/primed-cache.js';

interface Item {
  id: number;
  from: string;
}

function loader() {
  const batches: string[][] = [];
  const cache = new PrimedCache<Item | null>((item) => String(item.id));
  const load = new DataLoader<string, Item | null>(
    async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => ({ id: Number(k), from: 'upstream' }));
    },
    { cacheMap: cache },
  );
  return { batches, cache, load };
}

describe('PrimedCache', () => {
  it('answers listed values without a batch, and fetches what no list held', async () => {
    const { batches, cache, load } = loader();
    cache.add([
      { id: 1, from: 'list' },
      { id: 2, from: 'list' },
    ]);
    expect(await load.loadMany(['2', '1', '3'])).toEqual([
      { id: 2, from: 'list' },
      { id: 1, from: 'list' },
      { id: 3, from: 'upstream' },
    ]);
    expect(batches).toEqual([['3']]);
  });

  it('keeps the first value of a key: an earlier list, or a load already made', async () => {
    const { batches, cache, load } = loader();
    cache.add([{ id: 1, from: 'first list' }]);
    cache.add([
      { id: 1, from: 'second list' },
      { id: 5, from: 'second list' },
    ]);
    expect(await load.load('1')).toEqual({ id: 1, from: 'first list' });
    expect(await load.load('7')).toEqual({ id: 7, from: 'upstream' });
    cache.add([{ id: 7, from: 'late list' }]);
    expect(await load.load('7')).toEqual({ id: 7, from: 'upstream' });
    expect(await load.load('5')).toEqual({ id: 5, from: 'second list' });
    expect(batches).toEqual([['7']]);
  });

  it('forgets listed values on clearAll and clear, like primed ones', async () => {
    const { batches, cache, load } = loader();
    cache.add([
      { id: 1, from: 'list' },
      { id: 2, from: 'list' },
    ]);
    load.clear('2');
    expect(await load.load('2')).toEqual({ id: 2, from: 'upstream' });
    load.clearAll();
    expect(await load.load('1')).toEqual({ id: 1, from: 'upstream' });
    expect(batches).toEqual([['2'], ['1']]);
  });

  it('lets prime add a value no list holds, and not replace a listed one', async () => {
    const { batches, cache, load } = loader();
    cache.add([{ id: 1, from: 'list' }]);
    load.prime('1', { id: 1, from: 'prime' });
    load.prime('4', { id: 4, from: 'prime' });
    expect(await load.loadMany(['1', '4'])).toEqual([
      { id: 1, from: 'list' },
      { id: 4, from: 'prime' },
    ]);
    expect(batches).toEqual([]);
  });
});
