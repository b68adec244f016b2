// What every chat adapter offers the bot wiring (src/bot/).
export interface ChatAdapter {
  readonly name: string;
  start(): Promise<void>;
  /** Stop taking new commands; in-flight jobs are left to the queue (journaled or cancelled there). */
  stop(): Promise<void>;
}
