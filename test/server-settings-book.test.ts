// The book of server settings, as a cluster's front-ends use it: they read every server's settings again now
// and then (another front-end may have changed them), and a read under way never undoes a change made here
// meanwhile.
import { describe, expect, it } from 'vitest';
import { ServerSettingsBook, type ServerSettings } from '../src/queue/server-settings.js';

describe('server settings book', () => {
  it('a read begun before a change made here does not undo it; a later read takes what another wrote', async () => {
    const stored = new Map<string, ServerSettings>([['discord:G1', { maxJobsPerUser: 2 }]]);
    let slow = false;
    let answer: (() => void) | undefined;
    const book = new ServerSettingsBook({
      // A slow read answers with what was stored when it was asked, once the test lets it.
      serverSettings: () => {
        const rows = [...stored].map(([key, value]) => ({ key, value: structuredClone(value) }));
        if (!slow) return Promise.resolve(rows);
        return new Promise((resolve) => (answer = () => resolve(rows)));
      },
      saveServerSettings: async (key, value) => void stored.set(key, value),
    });
    await book.load();
    slow = true;
    const reading = book.load();
    await book.change('discord', 'G1', { paused: true });
    answer?.();
    await reading;
    expect(book.get('discord', 'G1')).toEqual({ maxJobsPerUser: 2, paused: true });

    // Another front-end changes them in the store; the next read brings it here.
    slow = false;
    stored.set('discord:G1', { maxJobsPerUser: 1 });
    await book.load();
    expect(book.get('discord', 'G1')).toEqual({ maxJobsPerUser: 1 });
  });
});
