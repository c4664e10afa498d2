import { mockServices } from '@backstage/backend-test-utils';
import { RegistryIndexQueue } from './RegistryIndexQueue';

describe('RegistryIndexQueue', () => {
  it('returns at once, indexes in the background, and indexes a name queued again before its turn once', async () => {
    const indexed: string[] = [];
    let release!: () => void;
    const first = new Promise<void>(resolve => {
      release = resolve;
    });
    const queue = new RegistryIndexQueue({
      index: async name => {
        if (indexed.length === 0) await first;
        indexed.push(name);
      },
      logger: mockServices.logger.mock(),
    });
    queue.enqueue('a');
    await Promise.resolve();
    queue.enqueue('b');
    queue.enqueue('b');
    queue.enqueue('c');
    queue.enqueue('b');
    expect(indexed).toEqual([]);
    expect(queue.size).toBe(2);
    release();
    await queue.idle();
    expect(indexed).toEqual(['a', 'b', 'c']);

    // A name queued after the queue ran dry starts it again.
    queue.enqueue('a');
    await queue.idle();
    expect(indexed).toEqual(['a', 'b', 'c', 'a']);
  });

  it('logs a failure and goes on with the next name', async () => {
    const logger = mockServices.logger.mock();
    const indexed: string[] = [];
    const queue = new RegistryIndexQueue({
      index: async name => {
        if (name === 'broken') throw new Error('connection lost');
        indexed.push(name);
      },
      logger,
    });
    queue.enqueue('broken');
    queue.enqueue('fine');
    await queue.idle();
    expect(indexed).toEqual(['fine']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('registry product broken'),
    );
  });
});
