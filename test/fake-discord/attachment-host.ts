// A fake attachment host (Discord's CDN stand-in) on 127.0.0.1: serves files the test registers and counts
// every request, so tests can prove that nothing was fetched from a host the bot must not use.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snowflake } from './snowflake.js';

export interface HostedFile {
  url: string;
  filename: string;
  size: number;
  contentType: string;
}

export interface ServeOptions {
  /** Send no content-length (the size is learnt only while streaming). */
  chunked?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
}

export class FakeAttachmentHost {
  readonly requests: Array<{ path: string; at: number }> = [];
  private readonly files = new Map<string, { data: Buffer; contentType: string } & ServeOptions>();
  private readonly server: Server;
  private port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      this.requests.push({ path, at: Date.now() });
      const file = this.files.get(path);
      if (!file) {
        res.writeHead(404).end('not found');
        return;
      }
      const send = () => {
        res.writeHead(200, { 'content-type': file.contentType, ...(file.chunked ? {} : { 'content-length': String(file.data.length) }) });
        res.end(file.data);
      };
      if (file.delayMs) setTimeout(send, file.delayMs);
      else send();
    });
  }

  /** host:port, as listed in DiscordConfig.attachmentHosts. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  add(filename: string, data: Buffer, contentType: string, options: ServeOptions = {}): HostedFile {
    const path = `/attachments/${snowflake()}/${encodeURIComponent(filename)}`;
    this.files.set(path, { data, contentType, ...options });
    return { url: `http://${this.host}${path}`, filename, size: data.length, contentType };
  }

  requestsFor(file: HostedFile): number {
    const path = new URL(file.url).pathname;
    return this.requests.filter((request) => request.path === path).length;
  }
}
