// A fake Socket Mode endpoint: the URL apps.connections.open hands out. It greets each connection with
// "hello", sends envelopes (slash_commands, interactive...) and collects the app's acks by envelope_id.
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { waitFor } from '../fixtures/wait-for.js';

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class FakeSocketMode {
  readonly acks = new Map<string, Ack>();
  private readonly sockets = new Set<WebSocket>();
  private counter = 0;

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data) => {
        const ack = JSON.parse(String(data)) as Ack;
        if (typeof ack.envelope_id === 'string') this.acks.set(ack.envelope_id, ack);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake', approximate_connection_time: 3600 } }));
    });
  }

  static async start(): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FakeSocketMode(server);
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake Socket Mode server is not listening on a port');
    return `ws://127.0.0.1:${address.port}/link`;
  }

  async connected(timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.sockets.size > 0, timeoutMs, 'the app to connect');
  }

  /** Sends one envelope to the connected app and resolves with its ack. */
  async deliver(type: string, payload: Record<string, unknown>, timeoutMs = 10_000): Promise<Ack> {
    this.counter += 1;
    const envelopeId = `envelope-${this.counter}`;
    const message = JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' });
    for (const socket of this.sockets) socket.send(message);
    return waitFor(() => this.acks.get(envelopeId), timeoutMs, `the ack of ${envelopeId}`);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
