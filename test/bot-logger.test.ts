// The bot's logger scrubs secrets from every line: tokens and signed addresses that discord.js, Bolt and
// undici put in their error messages never reach the log, while the rest of the line still says what
// happened.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogText } from '../src/adapters/slack/bolt-app.js';
import { configuredSecrets, createLogger, scrubSecrets } from '../src/bot/logger.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const raw = (): string => chunks.join('');
  return { stream, raw, lines: () => raw().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpzZWNyZXRzZWNyZXRzZWNyZXQ';
const BOT_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('the bot logger', () => {
  it('removes interaction tokens, signed attachment queries, Slack and Discord tokens from errors', () => {
    const out = capture();
    const log = createLogger('info', { destination: out.stream });
    const error = new Error(
      `Request failed: PATCH https://discord.com/api/v10/webhooks/1234567890123456789/${INTERACTION_TOKEN}/messages/@original ` +
        `(attachment https://cdn.discordapp.com/attachments/1/2/photo.png?ex=65a1b2c3&is=65a0&hm=0123456789abcdef)`,
    );
    log.error({ err: error, header: `Bot ${BOT_TOKEN}`, slack: 'xoxb-1234-5678-abcdefABCDEF', app: 'xapp-1-A01-123-abc' }, 'could not update the job message');
    const text = out.raw();
    for (const secret of [INTERACTION_TOKEN, BOT_TOKEN, 'hm=0123456789abcdef', 'xoxb-1234', 'xapp-1-A01']) expect(text).not.toContain(secret);
    const [line] = out.lines();
    expect(line?.['msg']).toBe('could not update the job message');
    const err = line?.['err'] as { message: string; stack: string };
    expect(err.message).toContain('webhooks/1234567890123456789/[token]/messages/@original');
    expect(err.message).toContain('https://cdn.discordapp.com/attachments/1/2/photo.png?[query removed]');
    expect(line?.['header']).toBe('Bot [discord token]');
    expect([line?.['slack'], line?.['app']]).toEqual(['[slack token]', '[slack token]']);
  });

  it('removes Slack private file addresses and keeps the line valid JSON around quoted addresses', () => {
    const out = capture();
    const log = createLogger('info', { destination: out.stream });
    const url = 'https://files.slack.com/files-pri/T0123-F0456/holiday-photo.png';
    const error = new Error(`GET "${url}?t=xoxe-1-secretsecret" failed: 403; retried "${url}"`);
    log.warn({ err: error, jobId: 'J1' }, 'reading Slack images failed');
    const text = out.raw();
    for (const secret of ['T0123-F0456', 'holiday-photo', 'xoxe-1-secret']) expect(text).not.toContain(secret);
    const [line] = out.lines();
    expect(line?.['jobId']).toBe('J1');
    const err = line?.['err'] as { message: string };
    expect(err.message).toBe('GET "https://files.slack.com/files-pri/[file]?[query removed]" failed: 403; retried "https://files.slack.com/files-pri/[file]"');
  });

  it('leaves ordinary lines alone', () => {
    const plain = '{"level":30,"msg":"engine ready: wasm, 2 thread(s)","jobId":"01J9Z8","url":"http://127.0.0.1:3000/slack/events"}';
    expect(scrubSecrets(plain)).toBe(plain);
  });

  it('removes URL-encoded tokens, credential fields (also inside JSON text) and Slack response_urls', () => {
    const out = capture();
    const log = createLogger('info', { destination: out.stream });
    const encoded = `https%3A%2F%2Fdiscord.com%2Fapi%2Fwebhooks%2F1234567890123456789%2F${INTERACTION_TOKEN}%2Fmessages`;
    const responseUrl = 'https://hooks.slack.com/actions/T0123ABC/4567890123/AbCdEfGhIjKlMnOpQrStUvWx';
    const body = JSON.stringify({ token: 'verificationTokenValue1', response_url: responseUrl, user: { name: 'ada' } });
    log.warn(
      {
        callback: `https://proxy.example/retry?to=${encoded}`,
        form: `token=plainFormToken123&channel=C1`,
        body,
        signing_secret: 'abcdef0123456789abcdef0123456789',
        header: `Bearer%20${'z'.repeat(24)}`,
        hook: `https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0123ABC%2F99%2FSecretPart`,
      },
      'a request failed',
    );
    const text = out.raw();
    for (const secret of [INTERACTION_TOKEN, 'verificationTokenValue1', 'AbCdEfGhIjKlMnOpQrStUvWx', 'plainFormToken123', 'abcdef0123456789abcdef0123456789', 'z'.repeat(24), 'SecretPart']) {
      expect(text).not.toContain(secret);
    }
    const [line] = out.lines();
    // Still valid JSON, still saying what happened.
    expect(line?.['msg']).toBe('a request failed');
    expect(line?.['form']).toBe('token=[redacted]&channel=C1');
    expect(JSON.parse(line?.['body'] as string)).toEqual({ token: '[redacted]', response_url: 'https://hooks.slack.com/[token]', user: { name: 'ada' } });
  });

  it('removes the configured credentials by value, whatever their shape, raw or encoded', () => {
    const config = {
      discord: { token: 'plain-discord-credential', applicationId: '1', attachmentHosts: [] },
      slack: { botToken: 'xoxb-1-2-abc', signingSecret: '8f742231b10e8888abcd99yyyzzz85a5', mode: 'http' as const, port: 3000, fileHosts: [] },
    };
    const secrets = configuredSecrets(config);
    expect(secrets).toEqual(['plain-discord-credential', 'xoxb-1-2-abc', '8f742231b10e8888abcd99yyyzzz85a5']);
    const out = capture();
    const log = createLogger('info', { secrets, destination: out.stream });
    log.error({ detail: `signature made with 8f742231b10e8888abcd99yyyzzz85a5 for plain-discord-credential` }, 'odd request');
    const text = out.raw();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(out.lines()[0]?.['detail']).toBe('signature made with [secret] for [secret]');
  });

  it("leaves out Socket Mode's raw payloads but keeps the line", () => {
    const payload = JSON.stringify({ envelope_id: 'e1', payload: { user: { name: 'ada' }, view: { state: { values: { photo: 'F1' } } } } });
    expect(boltLogText([`Received a message on the WebSocket: ${payload}`])).toBe('Received a message on the WebSocket: [payload not logged]');
    expect(boltLogText([`Sending a WebSocket message: ${payload}`])).toBe('Sending a WebSocket message: [payload not logged]');
    expect(boltLogText([`Calling ack() - type: interactive, envelope_id: e1, data: ${payload}`])).toBe('Calling ack() - type: interactive, envelope_id: e1, data: [payload not logged]');
    expect(boltLogText(['Unable to parse an incoming WebSocket message (will ignore): SyntaxError, {broken'])).toBe('Unable to parse an incoming WebSocket message: [payload not logged]');
    expect(boltLogText(['WebSocket open event received (connection established)!'])).toBe('WebSocket open event received (connection established)!');
  });
});
