// Requests "from Slack" to the app's /slack/events endpoint, signed the way Slack signs them
// (v0 HMAC-SHA256 of "v0:timestamp:body" with the signing secret), plus payload builders.
import { createHmac } from 'node:crypto';

export interface SlackUser {
  id: string;
  name: string;
}

export interface SendOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature (to test refusals). */
  signature?: string;
}

export interface AppResponse {
  status: number;
  text: string;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export class SlackSender {
  private triggerCounter = 0;

  constructor(
    private readonly endpoint: string,
    private readonly signingSecret: string,
    /** Where slash commands' response_url points (the fake Slack records what is posted there). */
    private readonly responseUrlBase = 'http://127.0.0.1:1/response-url-unused',
  ) {}

  nextTriggerId(): string {
    this.triggerCounter += 1;
    return `trigger-${this.triggerCounter}`;
  }

  async post(body: string, options: SendOptions = {}): Promise<AppResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': options.signature ?? sign(this.signingSecret, timestamp, body),
      },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  async slashCommand(user: SlackUser, channelId: string, text = '', options: SendOptions = {}): Promise<AppResponse> {
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: 'T1',
      team_domain: 'example',
      channel_id: channelId,
      channel_name: 'general',
      user_id: user.id,
      user_name: user.name,
      command: '/stylize',
      text,
      api_app_id: 'A1',
      response_url: `${this.responseUrlBase}/${this.triggerCounter + 1}`,
      trigger_id: this.nextTriggerId(),
    }).toString();
    return this.post(body, options);
  }

  async interaction(payload: Record<string, unknown>, options: SendOptions = {}): Promise<AppResponse> {
    const full = { token: 'legacy-verification-token', api_app_id: 'A1', team: { id: 'T1', domain: 'example' }, ...payload };
    return this.post(`payload=${encodeURIComponent(JSON.stringify(full))}`, options);
  }

  async viewSubmission(user: SlackUser, view: { callback_id: string; private_metadata: string; values: Record<string, Record<string, unknown>> }): Promise<AppResponse> {
    return this.interaction({
      type: 'view_submission',
      user: { id: user.id, name: user.name, username: user.name, team_id: 'T1' },
      trigger_id: this.nextTriggerId(),
      view: {
        id: 'V1',
        type: 'modal',
        team_id: 'T1',
        app_id: 'A1',
        bot_id: 'BBOT',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: { values: view.values },
        hash: 'h',
        blocks: [],
        title: { type: 'plain_text', text: 'Stylize' },
        close: null,
        submit: null,
        root_view_id: 'V1',
        previous_view_id: null,
        clear_on_close: false,
        notify_on_close: false,
      },
    });
  }

  async buttonClick(user: SlackUser, channelId: string, messageTs: string, actionId: string, value: string): Promise<AppResponse> {
    return this.interaction({
      type: 'block_actions',
      user: { id: user.id, name: user.name, username: user.name, team_id: 'T1' },
      trigger_id: this.nextTriggerId(),
      response_url: 'http://127.0.0.1:1/response-url-unused',
      container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
      channel: { id: channelId, name: 'general' },
      message: { type: 'message', ts: messageTs, text: '' },
      actions: [{ type: 'button', action_id: actionId, block_id: 'job', value, action_ts: String(Date.now() / 1000) }],
    });
  }

  async messageShortcut(user: SlackUser, channelId: string, callbackId: string, message: Record<string, unknown>): Promise<AppResponse> {
    return this.interaction({
      type: 'message_action',
      callback_id: callbackId,
      user: { id: user.id, name: user.name },
      channel: { id: channelId, name: 'general' },
      message,
      message_ts: message.ts,
      trigger_id: this.nextTriggerId(),
      response_url: 'http://127.0.0.1:1/response-url-unused',
      action_ts: String(Date.now() / 1000),
    });
  }
}
