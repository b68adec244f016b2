// The operator's HTTP endpoint: GET /healthz (JSON, 200 when every check passes, else 503) and GET
// /metrics (Prometheus text format). Node's http module is all it needs: two read-only routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { HealthReport } from './health.js';
import type { Scrape } from './metrics.js';

export interface OperatorServerOptions {
  host: string;
  port: number;
  log: Logger;
  health: () => Promise<HealthReport>;
  metrics: () => Promise<Scrape>;
}

export const HEALTH_PATH = '/healthz';
export const METRICS_PATH = '/metrics';

export class OperatorServer {
  private readonly server: Server;
  private bound: AddressInfo | undefined;

  constructor(private readonly options: OperatorServerOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Where it listens, once started. */
  address(): AddressInfo | undefined {
    return this.bound;
  }

  /** Listens; a port in use (or an address that is not this machine's) throws one plain sentence. */
  async start(): Promise<AddressInfo> {
    const { host, port, log } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => reject(new Error(listenFailure(host, port, error), { cause: error }));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.server.on('error', (error) => log.error({ err: error }, 'operator endpoint error'));
    this.bound = this.server.address() as AddressInfo;
    const url = `http://${hostInUrl(this.bound.address)}:${this.bound.port}`;
    log.info({ url }, `operator endpoint listening on ${url} (${HEALTH_PATH}, ${METRICS_PATH})`);
    return this.bound;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    // Scrapers keep their connections open; a stopping bot does not wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.bound = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://operator').pathname;
    if (path !== HEALTH_PATH && path !== METRICS_PATH) {
      answer(res, 404, 'text/plain; charset=utf-8', `Not found. This endpoint serves ${HEALTH_PATH} and ${METRICS_PATH}.\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      answer(res, 405, 'text/plain; charset=utf-8', `Only GET and HEAD here.\n`);
      return;
    }
    try {
      if (path === HEALTH_PATH) {
        const report = await this.options.health();
        answer(res, report.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(report)}\n`);
      } else {
        const scrape = await this.options.metrics();
        answer(res, 200, scrape.contentType, scrape.body);
      }
    } catch (error) {
      this.options.log.error({ err: error, path }, 'operator endpoint could not answer');
      answer(res, 500, 'text/plain; charset=utf-8', 'The bot could not collect this; see its log.\n');
    }
  }
}

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  // Node leaves the body out of the answer to a HEAD request by itself.
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

function hostInUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function listenFailure(host: string, port: number, error: NodeJS.ErrnoException): string {
  const where = `${hostInUrl(host)}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `The operator endpoint cannot listen on ${where}: the port is in use by another program. Set STYLIZE_OPERATOR_PORT to a free port, or stop that program.`;
    case 'EACCES':
      return `The operator endpoint may not listen on ${where}: ports under 1024 need privileges. Set STYLIZE_OPERATOR_PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The operator endpoint cannot listen on ${where}: ${host} is not an address of this machine. Check STYLIZE_OPERATOR_HOST (default 127.0.0.1).`;
    default:
      return `The operator endpoint cannot listen on ${where} (${error.message}).`;
  }
}
