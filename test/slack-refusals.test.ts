// What the Slack adapter refuses, and how it says so: unsigned or stale requests (Bolt's signature check),
// files that are not images, too large, or stored outside Slack's file host (the bot token never goes there).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK } from '../src/adapters/slack/ids.js';
import { BOT_TOKEN, callCount, CHANNEL, modalValues, noteFor, startSlackWorld, submitModal } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';

const CAROL = { id: 'UCAROL', name: 'carol' };

let world: SlackWorld;
let picture: Buffer;

beforeAll(async () => {
  world = await startSlackWorld();
  picture = await makeGradientPng(32, 32, 1);
});

afterAll(async () => {
  await world?.close();
});

function fieldErrors(text: string): Record<string, string> {
  const body = JSON.parse(text) as { response_action: string; errors: Record<string, string> };
  expect(body.response_action).toBe('errors');
  return body.errors;
}

describe('Slack adapter refusals', () => {
  it('refuses a request with a bad signature', async () => {
    const response = await world.sender.slashCommand(CAROL, CHANNEL, '', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' });
    expect(response.status).toBe(401);
    expect(world.api.callsTo('views.open')).toHaveLength(0);
  });

  it('refuses a correctly signed request older than 5 minutes', async () => {
    const response = await world.sender.slashCommand(CAROL, CHANNEL, '', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(response.status).toBe(401);
    expect(world.api.callsTo('views.open')).toHaveLength(0);
    // The same request signed now goes through.
    expect((await world.sender.slashCommand(CAROL, CHANNEL)).status).toBe(200);
    await world.api.waitForCall('views.open');
  });

  it('answers a file Slack declares as not an image on its field, without downloading it', async () => {
    const pdf = world.addUserFile('FPDF', Buffer.from('%PDF-1.4 not a picture'), { mimetype: 'application/pdf', name: 'notes.pdf' });
    const style = world.addUserFile('FSTYLEOK', picture);
    const errors = fieldErrors((await submitModal(world, CAROL, modalValues({ content: pdf, style }))).text);
    expect(errors[BLOCK.content]).toBe('The photo (notes.pdf) is not a JPEG, PNG, WebP or GIF picture, the only formats I take. Please choose one of those.');
    expect(world.slackFiles.requests.some((r) => r.path.includes('FPDF'))).toBe(false);
  });

  it('answers a file whose bytes are not a picture in a note once the form has closed, from the bytes themselves', async () => {
    const fake = world.addUserFile('FFAKEPNG', Buffer.from('hello, I am only text'), { mimetype: 'image/png', name: 'fake.png' });
    const style = world.addUserFile('FSTYLEOK2', picture);
    const start = callCount(world);
    // The bytes are fetched after the form's answer (Slack waits 3 s at most): the form closes at once.
    expect((await submitModal(world, CAROL, modalValues({ content: style, style: fake }))).text).toBe('');
    expect((await noteFor(world, CAROL.id, start)).text).toMatch(/^The style image is not a picture I can read\. Please send a .*file\.$/);
  });

  it('refuses a TIFF and an AVIF, naming the accepted formats: on the field when declared, in a note when found in the bytes', async () => {
    const avif = world.addUserFile('FAVIF', await sharp(picture).avif().toBuffer(), { mimetype: 'image/avif', name: 'phone.avif' });
    const tiff = world.addUserFile('FTIFF', await sharp(picture).tiff().toBuffer(), { mimetype: 'image/png', name: 'scan.png' });
    const good = world.addUserFile('FSTYLEOK4', picture);
    // Declared as AVIF: refused without a download.
    const declared = fieldErrors((await submitModal(world, CAROL, modalValues({ content: avif, style: good }))).text);
    expect(declared[BLOCK.content]).toBe('The photo (phone.avif) is not a JPEG, PNG, WebP or GIF picture, the only formats I take. Please choose one of those.');
    expect(world.slackFiles.requests.some((r) => r.path.includes('FAVIF'))).toBe(false);
    // Declared as PNG, but the bytes are TIFF.
    const start = callCount(world);
    expect((await submitModal(world, CAROL, modalValues({ content: good, style: tiff }))).text).toBe('');
    expect((await noteFor(world, CAROL.id, start)).text).toBe('The style image is a TIFF file, which is not supported. Please send a JPEG, PNG, WebP or GIF picture.');
  });

  it('refuses a file over the size limit before downloading it', async () => {
    const huge = world.addUserFile('FHUGE', picture, { name: 'huge.png' });
    huge.size = 50 * 1024 * 1024; // what files.info and the modal declare
    const style = world.addUserFile('FSTYLEOK3', picture);
    const errors = fieldErrors((await submitModal(world, CAROL, modalValues({ content: huge, style }))).text);
    expect(errors[BLOCK.content]).toBe('The photo (huge.png) is 50 MB; the limit is 10 MB. Please choose a smaller picture.');
    expect(world.slackFiles.requests.some((r) => r.path.includes('FHUGE'))).toBe(false);
  });

  it('never sends the token to, or fetches from, a host that is not Slack\'s file host', async () => {
    const content = world.addUserFile('FCONTENTOK', picture);
    const elsewhere = world.addUserFile('FELSEWHERE', picture, { foreign: true, name: 'elsewhere.png' });
    const start = callCount(world);
    expect((await submitModal(world, CAROL, modalValues({ content, style: elsewhere }))).text).toBe('');
    expect((await noteFor(world, CAROL.id, start)).text).toMatch(/^The style image: I only download files uploaded to the chat itself; 127\.0\.0\.1 is not an allowed file host\.$/);
    expect(world.foreignFiles.requests).toHaveLength(0);
    // Every request any file host got with a token went to Slack's own host.
    for (const request of world.foreignFiles.requests) expect(request.authorization).toBeUndefined();
    expect(world.slackFiles.requests.every((r) => r.authorization === `Bearer ${BOT_TOKEN}`)).toBe(true);
    // Nothing was queued for any of the refused submissions.
    expect(world.api.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('asks for a missing file and a size out of range in the modal', async () => {
    const content = world.addUserFile('FCONTENTOK4', picture);
    const errors = fieldErrors((await submitModal(world, CAROL, modalValues({ content }, { size: 5000, seed: 3 }))).text);
    // The style image may be left out for a library style: the field asks for one of the two.
    expect(errors[BLOCK.style]).toBe('Please give a style: attach a style image or pick a painting.');
    expect(errors[BLOCK.size]).toBe('Please enter a whole number of pixels from 32 to 1024, or leave it empty.');
    expect(errors[BLOCK.seed]).toBeUndefined();
  });
});
