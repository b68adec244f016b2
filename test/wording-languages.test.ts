// Every shipped language has a sentence for every key, and each sentence keeps what its parameters say:
// the names and numbers the English sentence shows appear in every translation. A key added in English
// only makes this test fail, listing it per language, until it is translated (at run time it reads English).
import { describe, expect, it } from 'vitest';
import type { MessageKey, MessageParams } from '../src/wording/catalogue.js';
import { en } from '../src/wording/en.js';
import { DEFAULT_LOCALE, LOCALES, localeFrom, say, formatBytes, formatDuration, formatMegapixels, type Locale } from '../src/wording/index.js';
import { CATALOGUES } from '../src/wording/say.js';

const MB = 1024 * 1024;
const about = { role: 'style', fileName: 'cat-07.png' } as const;

/** A sample of each key's parameters, with every optional part given, so that each sentence shows all it can. */
const SAMPLES: { [K in MessageKey]?: MessageParams[K] } = {
  'image-empty': about,
  'image-not-an-image': about,
  'image-format-refused': { ...about, format: 'tiff' },
  'image-truncated': about,
  'image-too-many-pixels': { ...about, width: 12000, height: 9000, maxPixels: 50_000_000 },
  'image-not-accepted': about,
  'image-too-large': { ...about, bytes: 12.5 * MB, maxBytes: 10 * MB },
  'file-link-invalid': { role: 'content' },
  'file-host-not-allowed': { role: 'content', host: 'files.example.org' },
  'photo-missing': {},
  'image-upload-and-link': { role: 'style' },
  'image-link-host-not-allowed': { role: 'content', host: 'files.example.org', hosts: 'cdn.example.com, media.example.com' },
  'too-many-styles': { count: 5, max: 4 },
  'style-weights-invalid': { count: 2 },
  'second-style-both': {},
  'blend-needs-second-style': {},
  'download-too-large': { role: 'content', maxBytes: 25 * MB },
  'download-failed': { role: 'style', status: 503 },
  'download-timed-out': { role: 'style', timeoutMs: 45_000 },
  'download-network': { role: 'content' },
  'slack-file-unreadable': { role: 'content', detail: 'file_not_found' },
  'images-not-checked': {},
  'image-too-small-for-size': { size: 640, width: 37, height: 29, minSide: 48, layers: ['conv5_1'] },
  'option-out-of-range': { option: 'iterations', min: 17, max: 999, got: 4321 },
  'size-exceeds-memory': { size: 2048, largestSize: 1448 },
  'bot-restarting': {},
  'user-limit': { maxPerUser: 3 },
  'queue-full': { maxQueueLength: 23 },
  'size-too-slow': { size: 1536, limitMs: 15 * 60_000, largestSize: 768 },
  'rerun-not-owner': {},
  'rerun-images-gone': {},
  'storage-unavailable': {},
  'storage-full': {},
  'journal-failed': {},
  'job-timed-out': { limitMs: 62 * 60_000 },
  'engine-crashed': {},
  'engine-unavailable': {},
  'engine-failed': {},
  'model-missing': {},
  'crashed-too-often': { attempts: 3 },
  'result-gone': {},
  'delivery-gave-up': { attempts: 6 },
  'delivery-no-destination': {},
  'discord-missing-permissions': {},
  'discord-missing-access': {},
  'discord-upload-too-large': { bytes: 9.5 * MB },
  'discord-refused': { detail: 'Invalid Form Body' },
  'slack-not-in-channel': {},
  'slack-channel-not-found': {},
  'slack-channel-archived': {},
  'slack-missing-scope': {},
  'slack-token-type': {},
  'slack-restricted': {},
  'slack-upload-too-large': {},
  'slack-token-refused': {},
  'hitch-slow-down': { platform: 'discord' },
  'hitch-server-error': { platform: 'slack', status: 502 },
  'hitch-http-error': { platform: 'discord', status: 418 },
  'hitch-platform-error': { platform: 'slack', detail: 'ratelimited' },
  'hitch-no-answer': { platform: 'slack' },
  'hitch-restarting': {},
  'hitch-unexpected': {},
  'app-name': {},
  'job-heading': { app: '**Stylize**', owner: '<@4242>', preset: 'painterly', size: 768, style: 'The Starry Night', minutes: 5 },
  'job-summary': { owner: '<@U0ALICE>', status: 'STATUS-TEXT' },
  'thread-name': { userName: 'Alice', preset: 'balanced' },
  'queue-position': { position: 7 },
  'status-preparing': {},
  'status-queued': { position: 4, resumed: true, startsInMs: 185_000 },
  'status-starting': {},
  'status-running': { bar: '`███░░ 30%`', etaMs: 125_000 },
  'status-delivering': { problem: 'PROBLEM-TEXT', retryInMs: 45_000 },
  'status-done': { seconds: 83, inThread: false },
  'status-cancelled': { by: '<@5151>' },
  'status-moved-to-thread': {},
  'result-ready': { owner: '<@4242>' },
  'result-title': { preset: 'painting' },
  'result-alt': { width: 768, height: 576 },
  'preview-alt': {},
  'preview-title': { percent: 40 },
  'preview-comment': { percent: 40 },
  'button-cancel': {},
  'button-more-content': { preset: 'photo' },
  'button-more-style': { preset: 'painting' },
  'settings-preset': { preset: 'balanced' },
  'settings-style-ratio': { preset: 'balanced', ratio: 0.001 },
  'settings-result-size': { width: 768, height: 576 },
  'settings-iterations': { iterations: 300, seconds: 83, backend: 'onnx-cuda' },
  'settings-layers': { content: ['conv4_2'], style: ['conv1_1', 'conv2_1'] },
  'settings-size': { size: 768 },
  'settings-bigger-from': { size: 1024 },
  'settings-seed': { seed: 98765 },
  'settings-keep-colours': { keep: true },
  'cancel-not-owner': {},
  'cancel-not-owner-named': { owner: '<@4242>' },
  'cancel-not-found': {},
  'cancel-already-finished': {},
  'rerun-last-step': { preset: 'photo' },
  'something-went-wrong': {},
  'slack-cannot-post': {},
  'preset-label': { preset: 'painterly' },
  'preset-description': { preset: 'painterly' },
  'preset-choice': { preset: 'painting' },
  'option-name': { option: 'keep_colours' },
  'command-description': {},
  'option-photo': {},
  'option-photo-url': {},
  'option-style-url': {},
  'option-style2': {},
  'option-style2-url': {},
  'option-library-style2': {},
  'option-blend': {},
  'option-brush-size': {},
  'blend-choice': { share: 25 },
  'brush-choice': { brush: 'large' },
  'form-style2': {},
  'form-style2-hint': {},
  'form-library-style2': {},
  'form-blend': {},
  'form-brush-size': {},
  'option-run-time': {},
  'run-time-choice': { minutes: 5 },
  'run-time-usual': {},
  'form-run-time': {},
  'option-style-image': {},
  'option-preset': { preset: 'balanced' },
  'option-size': {},
  'option-seed': {},
  'option-keep-colours': {},
  'form-title': {},
  'form-submit': {},
  'form-close': {},
  'form-ok': {},
  'form-photo': {},
  'form-photo-hint': {},
  'form-style-image': {},
  'form-style-image-hint': {},
  'form-preset': {},
  'form-size': {},
  'form-size-hint': { min: 64, max: 1536 },
  'form-seed': {},
  'form-colours': {},
  'form-keep-colours': {},
  'form-keep-colours-hint': {},
  'form-image-missing': { role: 'content' },
  'form-one-image-only': {},
  'form-size-invalid': { min: 64, max: 1536 },
  'form-seed-invalid': { max: 4294967295 },
  'form-out-of-date': {},
  'form-message-images': { photo: 'beach.jpg', styleImage: 'starry-night.png' },
  'shortcut-needs-two-images': { found: 1 },
  'ping-failed': { owner: '<@4242>', reason: 'REASON-TEXT' },
  'ping-cancelled-by-other': { owner: '<@4242>', by: '<@5151>' },
  'discord-missing-channel-permissions': { missing: ['create-public-threads', 'attach-files'] },
  'slack-not-a-member': {},
  'help-command-description': {},
  'jobs-command-description': {},
  'help-intro-discord': {},
  'help-intro-slack': {},
  'help-presets-heading': {},
  'help-preset-line': { preset: 'painterly' },
  'help-library-heading': {},
  'library-choice': { name: 'The Starry Night', description: 'Swirling blue night sky.' },
  'help-library-line': { id: 'starry-night', name: 'The Starry Night', credit: 'Vincent van Gogh, 1889', description: 'Swirling blue night sky.' },
  'help-limits': { maxBytes: 25 * MB, maxPerUser: 3, maxQueueLength: 23, timeoutMs: 15 * 60_000, minSize: 64, maxSize: 1536 },
  'help-privacy': { keptMs: 7 * 24 * 3_600_000 },
  'jobs-none': {},
  'jobs-heading': { count: 2 },
  'jobs-line-running': { preset: 'balanced' },
  'jobs-line-waiting': { preset: 'photo', position: 4 },
  'jobs-cancel-button': { index: 3 },
  'slack-unknown-subcommand': { text: 'paint-me' },
  'context-no-images': {},
  'context-pick-images': { count: 5 },
  'context-pick-photo': {},
  'context-pick-style': {},
  'context-pick-library': {},
  'context-pick-same': {},
  'context-picker-expired': {},
  'context-image-label': { index: 2, fileName: 'beach.jpg' },
  'list-and-more': { count: 37 },
  // Results.
  'style-missing': {},
  'style-both': {},
  'library-style-unknown': { id: 'mona-lisa' },
  'settings-library-style': { name: 'The Starry Night', credit: 'Vincent van Gogh, 1889' },
  'result-summary': { owner: '<@4242>', preset: 'painterly', style: 'The Starry Night', width: 768, height: 576, seconds: 83 },
  'button-bigger': { size: 1024 },
  'button-keep-colours': { keep: true },
  'button-use-as-photo': {},
  'button-use-as-style': {},
  'button-details': {},
  'button-delete': {},
  'details-heading': {},
  'delete-done': {},
  'delete-not-owner': {},
  'delete-not-found': {},
  'delete-not-finished': {},
  'result-styles': { styles: [{ name: 'The Starry Night', credit: 'Vincent van Gogh, 1889', share: 75 }, { share: 25 }] },
  'settings-styles': { styles: [{ name: 'The Scream', credit: 'Edvard Munch, 1893', share: 30 }, { name: 'Udnie', credit: 'Francis Picabia, 1913', share: 70 }] },
  'settings-brush-size': { scale: 0.5, brush: 'small' },
  'settings-colour-mode': { mode: 'luminance' },
  'button-brush-size': { brush: 'large' },
  'settings-run-time': { minutes: 10 },
  'option-style-image-or-library': {},
  'option-library-style': {},
  'form-style-image-optional-hint': {},
  'form-library-style': {},
  'form-library-style-hint': {},
  // Communities.
  'server-limit': { maxPerServer: 9 },
  'channel-not-allowed': { channels: '<#111>, <#222>' },
  'no-image-permission': {},
  'admin-only': {},
  'admin-server-only': {},
  'option-spoiler': {},
  'job-server-paused': {},
  'admin-command-description': {},
  'admin-name': { part: 'default_preset' },
  'admin-show-description': {},
  'admin-set-description': {},
  'admin-option-default-preset': {},
  'admin-option-default-size': {},
  'admin-option-user-limit': {},
  'admin-option-server-limit': {},
  'admin-option-reset': {},
  'admin-pause-description': {},
  'admin-resume-description': {},
  'admin-clear-description': {},
  'admin-channels-description': {},
  'admin-option-allow': {},
  'admin-option-disallow': {},
  'admin-option-everywhere': {},
  'admin-settings': {
    preset: 'painting', presetIsDefault: true, size: 640, channels: '<#333>', userLimit: 2, serverLimit: 7, queueCeiling: 23, paused: true, waiting: 5, running: 1,
  },
  'admin-saved': {},
  'admin-nothing-to-change': {},
  'admin-paused': {},
  'admin-resumed': {},
  'admin-cleared': { count: 4 },
  'slack-admin-only': {},
  'slack-admin-usage': {},
  // The local web chat.
  'web-job-heading': { preset: 'painterly', size: 640, style: 'The Starry Night', minutes: 5 },
  'web-image-ready': { fileName: 'holiday.jpg' },
  'web-page-title': {},
  'web-intro': {},
  'web-cancelled': {},
  'web-drop-hint': {},
  'web-style-heading': {},
  'web-style-upload': {},
  'web-library-none': {},
  'web-jobs-heading': {},
  'web-pictures-heading': {},
  'web-pictures-none': {},
  'web-download': {},
  'web-sending': {},
  'web-connection-lost': {},
  'web-page-out-of-date': {},
  'web-token-title': {},
  'web-token-label': {},
  'web-token-submit': {},
  'web-token-wrong': {},
};

/**
 * Sentences that read the same as English: the app's name, bare figures and file names, the style library's
 * own words; German says "Seed" too.
 */
const SAME_AS_ENGLISH = new Set<MessageKey>([
  'app-name',
  'form-title',
  'form-ok',
  'result-title',
  'thread-name',
  'settings-result-size',
  'preview-title',
  'form-photo-hint',
  'help-library-line',
  'library-choice',
  'context-image-label',
]);
const SAME_AS_ENGLISH_IN: Partial<Record<Locale, Set<MessageKey>>> = { de: new Set(['settings-seed', 'form-seed', 'button-details']), fr: new Set(['web-style-heading']) };

const KEYS = Object.keys(en) as MessageKey[];
const TRANSLATIONS = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

const render = (key: MessageKey, locale: Locale): string => (say as (key: MessageKey, params: unknown, locale: Locale) => string)(key, SAMPLES[key], locale);

/** The runs of digits in a text, sorted: what a translation must show too ("2.5 MB" and "2,5 MB" both give 2, 5). */
const digitRuns = (text: string): string[] => (text.match(/\d+/g) ?? []).sort();

/** Parameters naming one of a fixed set of things, which each language words its own way. */
const NAMING = new Set(['role', 'preset', 'option', 'platform', 'format', 'part', 'brush', 'mode']);

/** The texts a sample passes in verbatim (names, mentions, details) and the English sentence shows. */
function verbatimShown(key: MessageKey, english: string): string[] {
  const values = Object.entries(SAMPLES[key] ?? {})
    .filter(([name]) => !NAMING.has(name))
    .flatMap(([, value]) => value as unknown);
  return values.filter((value): value is string => typeof value === 'string' && value.length > 2 && english.includes(value));
}

describe('shipped languages', () => {
  it('has a sentence for every key in every language (a missing one falls back to English)', () => {
    const missing = Object.fromEntries(TRANSLATIONS.map((locale) => [locale, KEYS.filter((key) => CATALOGUES[locale][key] === undefined)]));
    expect(missing, 'keys without a sentence, per language: translate them in src/wording/<language>.ts').toEqual(
      Object.fromEntries(TRANSLATIONS.map((locale) => [locale, []])),
    );
  });

  it('has no sentence for a key English lacks', () => {
    for (const locale of TRANSLATIONS) expect(Object.keys(CATALOGUES[locale]).filter((key) => !(key in en)), locale).toEqual([]);
  });

  it('has a sample for every key, so that the next test covers each sentence', () => {
    expect(KEYS.filter((key) => SAMPLES[key] === undefined), 'add sample parameters to SAMPLES').toEqual([]);
  });

  it.each(TRANSLATIONS)('%s: every sentence shows the names and numbers its parameters carry', (locale) => {
    const problems: string[] = [];
    for (const key of KEYS) {
      if (SAMPLES[key] === undefined || CATALOGUES[locale][key] === undefined) continue;
      const english = render(key, 'en');
      const text = render(key, locale);
      if (!text.trim() || /undefined|NaN|\[object/.test(text)) problems.push(`${key}: ${text}`);
      const runs = digitRuns(text);
      for (const run of digitRuns(english)) {
        const at = runs.indexOf(run);
        if (at === -1) problems.push(`${key}: lacks the number ${run} (${text})`);
        else runs.splice(at, 1);
      }
      // French and Spanish go on in lower case after a colon: "… : swirling blue…".
      const shows = (value: string): boolean => text.includes(value) || text.includes(value.charAt(0).toLowerCase() + value.slice(1));
      for (const value of verbatimShown(key, english)) if (!shows(value)) problems.push(`${key}: lacks "${value}" (${text})`);
      if (text === english && !SAME_AS_ENGLISH.has(key) && !(SAME_AS_ENGLISH_IN[locale]?.has(key) ?? false)) {
        problems.push(`${key}: still the English sentence`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps Discord command texts within its 100-character limit in every language', () => {
    for (const locale of LOCALES) {
      for (const key of ['command-description', 'help-command-description', 'jobs-command-description', 'option-photo', 'option-style-image', 'option-size', 'option-seed', 'option-keep-colours',
        'option-spoiler', 'option-style-image-or-library', 'option-library-style', 'admin-command-description', 'admin-show-description',
        'admin-set-description', 'admin-option-default-preset', 'admin-option-default-size', 'admin-option-user-limit', 'admin-option-server-limit',
        'admin-option-reset', 'admin-pause-description', 'admin-resume-description', 'admin-clear-description', 'admin-channels-description',
        'admin-option-allow', 'admin-option-disallow', 'admin-option-everywhere'] as const) {
        expect(say(key, {}, locale).length, `${locale} ${key}`).toBeLessThanOrEqual(100);
      }
      expect(say('option-preset', { preset: 'balanced' }, locale).length).toBeLessThanOrEqual(100);
    }
  });
});

describe('typography', () => {
  const KANA_KANJI = '[\\u3040-\\u30ff\\u3400-\\u9fff]';
  it('ja: no space between Japanese and half-width letters or digits (but "10 MB", "512 px")', () => {
    const spaced = new RegExp(`${KANA_KANJI} [A-Za-z0-9]|[A-Za-z0-9] ${KANA_KANJI}`);
    const problems = KEYS.filter((key) => SAMPLES[key] !== undefined).map((key) => `${key}: ${render(key, 'ja')}`).filter((line) => spaced.test(line.slice(line.indexOf(': ') + 2)));
    expect(problems).toEqual([]);
    expect(say('image-too-large', { role: 'content', bytes: 12.5 * MB, maxBytes: 10 * MB }, 'ja')).toBe('写真は12.5 MBあり、上限は10 MBです。もっと小さい画像を選んでください。');
  });

  it('fr: a narrow no-break space before ; : ! ? » and after «, a no-break space between a number and its unit', () => {
    const problems = KEYS.filter((key) => SAMPLES[key] !== undefined)
      .map((key) => `${key}: ${render(key, 'fr')}`)
      .filter((line) => / [;:!?»]|« |\d (?:px|Mo|Ko|min|s|h|%)(?!\p{L})/u.test(line.slice(line.indexOf(': ') + 2)));
    expect(problems).toEqual([]);
    expect(say('image-too-large', { role: 'content', bytes: 12.5 * MB, maxBytes: 10 * MB }, 'fr')).toBe(
      'La photo fait 12,5\u00A0Mo\u202F; la limite est de 10\u00A0Mo. Veuillez choisir une image plus petite.',
    );
    expect(say('rerun-last-step', { preset: 'painting' }, 'fr')).toBe('Cette tâche utilisait déjà «\u202FSurtout le style\u202F», le réglage le plus fort dans ce sens.');
  });

  it('names sizes with "×" in every language', () => {
    for (const locale of LOCALES) {
      expect(say('image-too-many-pixels', { role: 'content', width: 8000, height: 6000, maxPixels: 40_000_000 }, locale), locale).toContain('8000×6000'.replace('×', locale === 'ja' ? '×' : ' × '));
    }
  });
});

describe('the reader\'s language', () => {
  it('maps platform locale tags to a shipped language, English for the rest', () => {
    const tags = ['de', 'de-DE', 'de-AT', 'en-US', 'en-GB', 'es-ES', 'es-419', 'es-LA', 'fr', 'fr-FR', 'ja', 'ja-JP', 'pt-BR', 'zh-CN', 'ko-KR', '', undefined, null];
    expect(tags.map(localeFrom)).toEqual(['de', 'de', 'de', 'en', 'en', 'es', 'es', 'es', 'fr', 'fr', 'ja', 'ja', 'en', 'en', 'en', 'en', 'en', 'en']);
  });

  it('reads English for a language it has no catalogue of (say, one read back from a newer journal)', () => {
    expect(say('queue-full', { maxQueueLength: 5 }, 'pt' as Locale)).toBe(say('queue-full', { maxQueueLength: 5 }));
  });

  it('writes numbers in the reader\'s notation, with the same units', () => {
    expect(formatBytes(2.5 * MB, { locale: 'de' })).toBe('2,5 MB');
    expect(formatBytes(2.5 * MB, { locale: 'fr' })).toBe('2,5\u00A0Mo');
    expect(formatBytes(512 * 1024, { locale: 'fr' })).toBe('512\u00A0Ko');
    expect(formatBytes(2.5 * MB, { locale: 'ja' })).toBe('2.5 MB');
    expect(formatBytes(12_345, { unit: 'MB', locale: 'es' })).toBe('0,0 MB');
    expect(formatBytes(900, { locale: 'de' })).toBe('900 Byte');
    expect(formatDuration(1500, 'de')).toBe('1,5 s');
    expect(formatDuration(65_000, 'fr')).toBe('1\u00A0min\u00A005\u00A0s');
    expect(formatDuration(65_000, 'ja')).toBe('1分05秒');
    expect(formatDuration(62 * 60_000, 'ja')).toBe('1時間02分');
    expect(formatMegapixels(50_000, 'de')).toBe('0,1 Megapixel');
    expect(formatMegapixels(50_000_000, 'es')).toBe('50 megapíxeles');
  });

  it('says German in German', () => {
    expect(say('status-queued', { position: 3, resumed: false }, 'de')).toBe('In der Warteschlange: Platz 3.');
    expect(say('image-too-large', { role: 'content', bytes: 12.5 * MB, maxBytes: 10 * MB }, 'de')).toBe(
      'Das Foto ist 12,5 MB groß; die Grenze liegt bei 10 MB. Bitte wähle ein kleineres Bild.',
    );
  });
});
