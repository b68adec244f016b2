// Image links on Discord (issue 10): /stylize's photo_url and style_url name a picture already posted on
// Discord instead of an upload. Only links to the allowed file hosts are followed, each image is given once,
// and a link's download has an upload's limits. The real bot and discord.js client against the fake
// Discord and its file hosts, jobs on the scripted engine, time on the manual clock.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import { ephemeralFollowUps, ephemeralReply, waitForResult } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3 });
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('Discord image links', () => {
  test('a photo_url and a library style: the linked photo is downloaded once and painted', async () => {
    const { fake, host } = h;
    h.engine.script = finishAtOnce;
    const before = host.requestsFor(h.content);
    const job = fake.sendStylize({ user: fake.makeUser('lina'), photoUrl: h.content.url, libraryStyle: 'udnie', size: 64 });
    await waitForResult(fake, job);
    expect(host.requestsFor(h.content)).toBe(before + 1);
    expect(h.engine.runs.at(-1)?.content).toEqual({ width: 48, height: 40 });
  });

  test('an uploaded photo and a style_url: the linked style image is the one painted with', async () => {
    const { fake, host } = h;
    h.engine.script = finishAtOnce;
    const before = host.requestsFor(h.style);
    const job = fake.sendStylize({ user: fake.makeUser('lars'), content: { file: h.content }, styleUrl: h.style.url, size: 64 });
    await waitForResult(fake, job);
    expect(host.requestsFor(h.style)).toBe(before + 1);
    expect(h.engine.runs.at(-1)?.style).toEqual({ width: 40, height: 40 });
  });

  test('a link to a foreign host is refused before any download, naming the allowed hosts', async () => {
    const { fake, host, foreignHost } = h;
    const elsewhere = foreignHost.add('elsewhere.png', await makeGradientPng(32, 32, 2), 'image/png');
    const before = host.requests.length;
    const mia = fake.makeUser('mia');
    const photo = fake.sendStylize({ user: mia, photoUrl: elsewhere.url, libraryStyle: 'udnie' });
    const style = fake.sendStylize({ user: mia, content: { file: h.content }, styleUrl: 'https://files.example.org/cat.png' });
    await fake.waitFor(() => ephemeralReply(fake, photo) && ephemeralReply(fake, style), 5000, 'two refusals');
    expect(ephemeralReply(fake, photo)).toBe(
      `⚠️ The photo: the link must point to a picture posted on the chat itself (${host.host}); ${foreignHost.host} is not one of them.`,
    );
    expect(ephemeralReply(fake, style)).toBe(
      `⚠️ The style image: the link must point to a picture posted on the chat itself (${host.host}); files.example.org is not one of them.`,
    );
    expect(foreignHost.requests).toHaveLength(0);
    expect(host.requests.length).toBe(before);
  });

  test('a photo both attached and linked, a style both linked and from the library, or no photo: refused before any download', async () => {
    const { fake, host } = h;
    const before = host.requests.length;
    const noa = fake.makeUser('noa');
    const twoPhotos = fake.sendStylize({ user: noa, content: { file: h.content }, photoUrl: h.content.url, libraryStyle: 'udnie' });
    const twoStyles = fake.sendStylize({ user: noa, content: { file: h.content }, styleUrl: h.style.url, libraryStyle: 'udnie' });
    const twoStyleImages = fake.sendStylize({ user: noa, content: { file: h.content }, style: { file: h.style }, styleUrl: h.style.url });
    const noPhoto = fake.sendStylize({ user: noa, libraryStyle: 'udnie' });
    const all = [twoPhotos, twoStyles, twoStyleImages, noPhoto];
    await fake.waitFor(() => all.every((interaction) => ephemeralReply(fake, interaction)), 5000, 'four refusals');
    expect(all.map((interaction) => ephemeralReply(fake, interaction))).toEqual([
      '⚠️ Please give the photo only once: either attach it or give its link, not both.',
      '⚠️ Please give only one style: either attach a style image or pick a painting, not both.',
      '⚠️ Please give the style image only once: either attach it or give its link, not both.',
      '⚠️ Please give a photo: attach one, or paste the link of a picture already posted here (photo_link).',
    ]);
    expect(host.requests.length).toBe(before);
  });

  test('an expired link (the file host answers 404) gets the download message and no job', async () => {
    const { fake, host } = h;
    const runs = h.engine.runs.length;
    const job = fake.sendStylize({ user: fake.makeUser('ove'), photoUrl: `http://${host.host}/attachments/1/2/gone.png?ex=1`, libraryStyle: 'udnie' });
    await fake.waitFor(() => ephemeralFollowUps(fake, job)[0], 5000, 'the refusal');
    expect(ephemeralFollowUps(fake, job)).toEqual(['⚠️ The photo could not be downloaded (the file host answered 404).']);
    expect(h.engine.runs.length).toBe(runs);
  });
});
