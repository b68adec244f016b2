// The page itself: plain HTML made here, in the reader's language, with the form a /stylize command has
// (photo, style image or library painting, style ratio, size, painting time). Its behaviour is public/app.js and its look
// public/style.css, both static files served by the bot: no build step, nothing from elsewhere.
import { PRESETS, type PresetName } from '../../transfer/index.js';
import { paintingWords, STYLE_LIBRARY } from '../../styles/library.js';
import { ACCEPTED_MIME_TYPES, say, type Locale } from '../../wording/index.js';
import { DEFAULT_PRESET, MAX_SIZE, MIN_SIZE } from '../shared/options.js';

/** The words the page's script shows by itself (the rest comes worded from the server). */
export const SCRIPT_WORDS = ['web-sending', 'web-connection-lost', 'web-page-out-of-date', 'jobs-none', 'button-cancel', 'details-heading', 'web-download', 'web-pictures-none'] as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function shell(locale: Locale, title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/static/style.css">
${head}</head>
<body>
${body}
</body>
</html>
`;
}

function dropZone(role: 'content' | 'style', label: string, locale: Locale): string {
  const hint = say('web-drop-hint', {}, locale);
  return `<div class="drop" data-role="${role}">
  <label for="${role}-file">${escapeHtml(label)}</label>
  <input type="file" id="${role}-file" name="${role}" accept="${ACCEPTED_MIME_TYPES.join(',')}" aria-describedby="${role}-hint ${role}-note">
  <p class="hint" id="${role}-hint">${escapeHtml(hint)}</p>
  <img class="thumb" id="${role}-thumb" alt="" hidden>
  <p class="note" id="${role}-note" role="status"></p>
</div>`;
}

/** What the page's form offers that depends on the bot's settings. */
export interface PageChoices {
  /** The painting times, in minutes, within the job time limit (src/adapters/shared/run-time.ts); none: no field. */
  minutes: readonly number[];
}

/** The painting time: the usual run, or one of the whole minutes offered. */
function paintingTimeField(minutes: readonly number[], locale: Locale): string {
  if (minutes.length === 0) return '';
  const choices = [`<option value="" selected>${escapeHtml(say('run-time-usual', {}, locale))}</option>`, ...minutes.map((value) => `<option value="${value}">${escapeHtml(say('run-time-choice', { minutes: value }, locale))}</option>`)];
  return `<p class="field">
      <label for="minutes">${escapeHtml(say('form-run-time', {}, locale))}</label>
      <select id="minutes" name="minutes" aria-describedby="minutes-hint">
      ${choices.join('\n      ')}
      </select>
      <span class="hint" id="minutes-hint">${escapeHtml(say('option-run-time', {}, locale))}</span>
    </p>`;
}

/** The web chat's page for a browser whose post token is `postToken`. */
export function chatPage(locale: Locale, postToken: string, choices: PageChoices): string {
  const t = (key: Parameters<typeof say>[0]) => escapeHtml((say as (key: string, params: object, locale: Locale) => string)(key, {}, locale));
  const words = Object.fromEntries(SCRIPT_WORDS.map((key) => [key, say(key, {}, locale)]));
  const presets = (Object.keys(PRESETS) as PresetName[])
    .map((preset) => `<option value="${preset}"${preset === DEFAULT_PRESET ? ' selected' : ''}>${escapeHtml(say('preset-choice', { preset }, locale))}</option>`)
    .join('\n      ');
  // Each painting by its name and credit in the reader's language.
  const library = STYLE_LIBRARY.map((style) => ({ id: style.id, ...paintingWords(style, locale) })).map(
    (style) => `<label class="painting"><input type="radio" name="library" value="${style.id}"><img src="/library/${style.id}.jpg" alt="" width="96" height="72" loading="lazy"><span>${escapeHtml(style.name)}<small>${escapeHtml(style.credit)}</small></span></label>`,
  ).join('\n      ');
  const body = `<header>
  <h1>${t('app-name')}</h1>
  <p>${t('web-intro')}</p>
</header>
<main>
  <form id="new-job" novalidate>
    ${dropZone('content', say('form-photo', {}, locale), locale)}
    <fieldset class="style">
      <legend>${t('web-style-heading')}</legend>
      ${dropZone('style', say('web-style-upload', {}, locale), locale)}
      <fieldset class="library">
        <legend>${t('form-library-style')}</legend>
        <p class="hint">${t('form-library-style-hint')}</p>
        <div class="paintings">
      <label class="painting"><input type="radio" name="library" value="" checked><span>${t('web-library-none')}</span></label>
      ${library}
        </div>
      </fieldset>
    </fieldset>
    <p class="field">
      <label for="preset">${t('form-preset')}</label>
      <select id="preset" name="preset">
      ${presets}
      </select>
    </p>
    <p class="field">
      <label for="size">${t('form-size')}</label>
      <input type="number" id="size" name="size" min="${MIN_SIZE}" max="${MAX_SIZE}" step="1" inputmode="numeric" aria-describedby="size-hint">
      <span class="hint" id="size-hint">${escapeHtml(say('form-size-hint', { min: MIN_SIZE, max: MAX_SIZE }, locale))}</span>
    </p>
    ${paintingTimeField(choices.minutes, locale)}
    <p class="actions"><button type="submit">${t('form-submit')}</button></p>
    <p class="note" id="form-note" role="alert"></p>
  </form>
  <section aria-labelledby="jobs-heading">
    <h2 id="jobs-heading">${t('web-jobs-heading')}</h2>
    <ul id="my-jobs"></ul>
    <p id="jobs-none">${t('jobs-none')}</p>
  </section>
  <section aria-labelledby="pictures-heading">
    <h2 id="pictures-heading">${t('web-pictures-heading')}</h2>
    <p id="pictures-none">${t('web-pictures-none')}</p>
    <div id="cards"></div>
  </section>
  <p id="connection" class="note" role="status"></p>
  <div id="announcer" class="visually-hidden" aria-live="polite"></div>
</main>
<script type="application/json" id="words">${JSON.stringify(words).replace(/</g, '\\u003c')}</script>`;
  return shell(locale, say('web-page-title', {}, locale), body, `<meta name="csrf-token" content="${escapeHtml(postToken)}">\n<script src="/static/app.js" defer></script>\n`);
}

/** The page that asks for the access token (the chat listens off loopback). */
export function tokenPage(locale: Locale, wrong: boolean): string {
  const t = (key: 'web-token-title' | 'web-token-label' | 'web-token-submit' | 'web-token-wrong') => escapeHtml(say(key, {}, locale));
  const body = `<main>
  <h1>${t('web-token-title')}</h1>
  <form method="post" action="/access">
    <p class="field"><label for="token">${t('web-token-label')}</label>
    <input type="password" id="token" name="token" autocomplete="current-password" required${wrong ? ' aria-invalid="true" aria-describedby="token-wrong"' : ''}></p>
    ${wrong ? `<p class="note" id="token-wrong" role="alert">${t('web-token-wrong')}</p>` : ''}
    <p class="actions"><button type="submit">${t('web-token-submit')}</button></p>
  </form>
</main>`;
  return shell(locale, say('web-page-title', {}, locale), body);
}
