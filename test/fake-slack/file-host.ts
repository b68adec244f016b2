// A fake file host on 127.0.0.1: serves registered files and records every request with the
// Authorization header it carried, so tests can prove where the bot token went.
import type { Server } from 'node:http';
import { closeServer, listenLocal, localServer } from './http.js';

export interface HostedFile {
  bytes: Buffer;
  contentType: string;
}

export interface FileRequest {
  path: string;
  authorization: string | undefined;
  at: number;
}

export class FakeFileHost {
  readonly requests: FileRequest[] = [];
  private readonly files = new Map<string, HostedFile>();

  private readonly server: Server;
  port = 0;

  private constructor() {
    this.server = localServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push({ path, authorization: req.headers.authorization, at: Date.now() });
      const file = this.files.get(path);
      if (!file) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
    });
  }

  static async start(): Promise<FakeFileHost> {
    const host = new FakeFileHost();
    host.port = await listenLocal(host.server);
    return host;
  }

  /** host:port as the adapter's allow-list spells it. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Serves `bytes` at `path` and returns its absolute URL. */
  serve(path: string, bytes: Buffer, contentType = 'image/png'): string {
    this.files.set(path, { bytes, contentType });
    return `http://${this.host}${path}`;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }
}
