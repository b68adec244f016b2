// Entry points that open the /stylize modal: the slash command (files uploaded in the modal) and the
// "Stylize" message shortcut (the message's first image is the photo, the second the style).
import type { App } from '@slack/bolt';
import { say, tell } from '../../wording/index.js';
import { slackErrorCode, refuseDeclaredFile } from './files.js';
import type { DeclaredFile } from './files.js';
import { subcommandAnswer } from './help-jobs.js';
import { COMMAND, SHORTCUT_CALLBACK } from './ids.js';
import { noticeModal, stylizeModal } from './modal.js';
import type { SlackDeps } from './deps.js';
import { answerSlackAdmin, channelRefusal, isAdminText } from './admin.js';
import { notifyUser } from './notify.js';

export function registerModalOpeners(app: App, deps: SlackDeps): void {
  app.command(COMMAND, async ({ ack, body, respond }) => {
    // Answered first: Slack waits 3 s, and the caller's language comes from users.info (up to 1 s).
    await ack();
    if (isAdminText(body.text)) {
      return answerSlackAdmin(deps, { userId: body.user_id, team: body.team_id, channel: body.channel_id, text: body.text });
    }
    const locale = await deps.locales.of(body.user_id);
    // `/stylize help` and `/stylize jobs` answer the caller only, through the command's response_url; the
    // bare command opens the form.
    const answer = subcommandAnswer(body.text, deps.queue, body.user_id, locale);
    if (answer) {
      try {
        await respond(answer);
      } catch (error) {
        deps.log.warn({ error: slackErrorCode(error) }, 'could not answer /stylize with text');
      }
      return;
    }
    const refusal = channelRefusal(deps.queue, body.team_id, body.channel_id, locale);
    if (refusal) return notifyUser(deps.client, deps.log, body.channel_id, body.user_id, refusal);
    try {
      const preset = deps.queue.serverSettings('slack', body.team_id).defaultPreset;
      await deps.forms.views.open({ trigger_id: body.trigger_id, view: stylizeModal({ channel: body.channel_id, locale }, undefined, preset, deps.queue.limits.jobTimeoutMs) });
    } catch (error) {
      deps.log.warn({ error: slackErrorCode(error) }, 'could not open the /stylize modal');
    }
  });

  app.shortcut(SHORTCUT_CALLBACK, async ({ ack, shortcut }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const images = messageImages(shortcut.message.files);
    const [content, style] = images;
    const locale = await deps.locales.of(shortcut.user.id);
    let view;
    if (!content || !style) {
      view = noticeModal(say('shortcut-needs-two-images', { found: images.length }, locale), locale);
    } else {
      const refusal = refuseDeclaredFile(content, 'content', deps.files.maxBytes) ?? refuseDeclaredFile(style, 'style', deps.files.maxBytes);
      view = refusal
        ? noticeModal(tell(refusal.problem, locale), locale)
        : stylizeModal(
            { channel: shortcut.channel.id, messageFiles: { content: content.id, style: style.id }, locale },
            { content: content.name ?? content.id, style: style.name ?? style.id },
            deps.queue.serverSettings('slack', shortcut.team?.id).defaultPreset,
            deps.queue.limits.jobTimeoutMs,
          );
    }
    try {
      await deps.forms.views.open({ trigger_id: shortcut.trigger_id, view });
    } catch (error) {
      deps.log.warn({ error: slackErrorCode(error) }, 'could not open the shortcut modal');
    }
  });
}

/**
 * The image files of a message, in order. Files Slack only half-describes in the payload (no mimetype,
 * e.g. file_access "check_file_info") are kept: files.info checks them before download.
 */
export function messageImages(raw: unknown): DeclaredFile[] {
  if (!Array.isArray(raw)) return [];
  const files: DeclaredFile[] = [];
  for (const entry of raw as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, name, mimetype, size } = entry as Record<string, unknown>;
    if (typeof id !== 'string') continue;
    if (typeof mimetype === 'string' && !mimetype.toLowerCase().startsWith('image/')) continue;
    files.push({
      id,
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof mimetype === 'string' ? { mimetype } : {}),
      ...(typeof size === 'number' ? { size } : {}),
    });
  }
  return files;
}
