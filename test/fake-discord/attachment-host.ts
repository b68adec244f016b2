// Discord's CDN stand-in: a fake file host on 127.0.0.1 that serves each attachment under a path of its
// own, as Discord does, and tells how often each was fetched.
import { FakeFileHost, type ServeOptions } from '../fixtures/file-host.js';
import { snowflake } from './snowflake.js';

export interface HostedFile {
  url: string;
  filename: string;
  size: number;
  contentType: string;
}

export class FakeAttachmentHost {
  private constructor(private readonly files: FakeFileHost) {}

  static async start(): Promise<FakeAttachmentHost> {
    return new FakeAttachmentHost(await FakeFileHost.start());
  }

  /** host:port, as listed in DiscordConfig.attachmentHosts. */
  get host(): string {
    return this.files.host;
  }

  get requests(): FakeFileHost['requests'] {
    return this.files.requests;
  }

  /** The file host itself, for its counters (in flight, completed) and hold/resume. */
  get server(): FakeFileHost {
    return this.files;
  }

  async stop(): Promise<void> {
    await this.files.close();
  }

  add(filename: string, data: Buffer, contentType: string, options: ServeOptions = {}): HostedFile {
    const path = `/attachments/${snowflake()}/${encodeURIComponent(filename)}`;
    return { url: this.files.serve(path, data, contentType, options), filename, size: data.length, contentType };
  }

  requestsFor(file: HostedFile): number {
    const path = new URL(file.url).pathname;
    return this.requests.filter((request) => request.path === path).length;
  }
}
