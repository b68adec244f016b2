// Deutsch. One name per image: "Foto" and "Stilbild" (both neuter: "das Foto", "das Stilbild"); the user
// is addressed with "du", as chat apps do in German.
import type { StyleMention, Translation } from './catalogue.js';
import { ACCEPTED_FORMATS, type RefusedFormat } from './formats.js';
import { formatBytes as bytesIn, formatDuration as durationIn, formatMegapixels as megapixelsIn } from './units.js';
import type { AdminCommandPart, BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, PlatformName, PresetName } from './vocabulary.js';

const formatBytes = (bytes: number): string => bytesIn(bytes, { locale: 'de' });
const formatDuration = (ms: number): string => durationIn(ms, 'de');
const formatMegapixels = (pixels: number): string => megapixelsIn(pixels, 'de');

const IMAGE_NAME: Readonly<Record<ImageRole, string>> = { content: 'Foto', style: 'Stilbild', style2: 'zweite Stilbild', style3: 'dritte Stilbild', style4: 'vierte Stilbild' };

/** "JPEG, PNG, WebP oder GIF". */
const FORMATS = new Intl.ListFormat('de', { type: 'disjunction' }).format(ACCEPTED_FORMATS.map((format) => format.name));

/** "JPEG-, PNG-, WebP- oder GIF-Bild". */
const FORMAT_PICTURE = `${new Intl.ListFormat('de', { type: 'disjunction' }).format(ACCEPTED_FORMATS.map((format, index) => (index === ACCEPTED_FORMATS.length - 1 ? format.name : `${format.name}-`)))}-Bild`;

const REFUSED_FORMAT: Readonly<Record<RefusedFormat, string>> = {
  tiff: 'eine TIFF-Datei',
  avif: 'eine AVIF-Datei',
  heic: 'eine HEIC/HEIF-Datei',
  jpeg2000: 'eine JPEG-2000-Datei',
  pdf: 'eine PDF-Datei',
  postscript: 'eine PostScript-Datei',
  bmp: 'eine BMP-Datei',
  photoshop: 'eine Photoshop-Datei',
  icon: 'eine Icon-Datei',
  'jpeg-xl': 'eine JPEG-XL-Datei',
  gzip: 'eine komprimierte (gzip-)Datei',
  svg: 'eine SVG-Datei',
};

/** The channel permissions as Discord's settings name them in this language. */
const PERMISSION: Readonly<Record<ChannelPermission, string>> = {
  'view-channel': 'Kanal ansehen',
  'send-messages': 'Nachrichten senden',
  'create-public-threads': 'Öffentliche Threads erstellen',
  'send-messages-in-threads': 'Nachrichten in Threads senden',
  'attach-files': 'Dateien anhängen',
};

const PLATFORM: Readonly<Record<PlatformName, string>> = { discord: 'Discord', slack: 'Slack', web: 'Der Web-Chat' };

const BRUSH: Readonly<Record<BrushSize, string>> = { small: 'Klein', normal: 'Normal', large: 'Groß' };

const COLOUR_MODE: Readonly<Record<ColourMode, string>> = {
  style: 'die des Stils',
  luminance: 'die deines Fotos (nur die Helligkeit wurde gemalt)',
  swap: 'die deines Fotos (nach dem Malen wieder eingesetzt)',
};

/** "0,5": a decimal number as German writes it. */
const decimal = (value: number): string => String(value).replace('.', ',');

/** "The Starry Night (Vincent van Gogh, 1889), 75 %" or "dein Stilbild, 25 %". */
function styleMention(style: StyleMention): string {
  const name = style.name === undefined ? 'dein Stilbild' : `${style.name}${style.credit ? ` (${style.credit})` : ''}`;
  return style.share === undefined ? name : `${name}, ${style.share} %`;
}

const PRESET_LABEL: Readonly<Record<PresetName, string>> = {
  photo: 'Vor allem Foto',
  balanced: 'Ausgewogen',
  painterly: 'Malerisch',
  painting: 'Vor allem Stil',
};

/** /stylize-admin's subcommand and option names as Discord shows them (see 'admin-name'). */
const ADMIN_NAME: Readonly<Record<AdminCommandPart, string>> = { show: 'anzeigen', set: 'festlegen', pause: 'pausieren', resume: 'fortsetzen', clear: 'leeren', channels: 'kanäle', default_preset: 'standard_stilanteil', default_size: 'standardgröße', user_limit: 'grenze_pro_person', server_limit: 'grenze_pro_server', reset: 'zurücksetzen', allow: 'erlauben', disallow: 'nicht_erlauben', everywhere: 'überall' };

/** The command's option names as Discord shows them (see 'option-name'). */
const OPTION_NAME: Readonly<Record<CommandOption, string>> = { content: 'foto', style: 'stilbild', preset: 'stilanteil', size: 'größe', seed: 'seed', keep_colours: 'farben_behalten', spoiler: 'spoiler', library_style: 'gemälde', photo_url: 'foto_link', style_url: 'stilbild_link', style2: 'stilbild2', style2_url: 'stilbild2_link', library_style2: 'gemälde2', blend: 'mischung', brush_size: 'pinselgröße', painting_time: 'maldauer' };

const PRESET_DESCRIPTION: Readonly<Record<PresetName, string>> = {
  photo: 'Dein Foto mit einem leichten Hauch des Stilbilds.',
  balanced: 'Foto und Stilbild im Gleichgewicht.',
  painterly: 'Kräftiger Pinselstrich; das Foto bleibt erkennbar.',
  painting: 'Die Textur des Stilbilds überwiegt; vom Foto bleibt der Aufbau.',
};

/** "Das Foto", "Das Stilbild (katze.png)", "Das Bild". */
function subject(about: { role?: ImageRole; fileName?: string }): string {
  const name = about.role ? `Das ${IMAGE_NAME[about.role]}` : 'Das Bild';
  return about.fileName ? `${name} (${about.fileName})` : name;
}

/** "als Nächstes dran", "Platz 2". */
const queuePosition = (position: number): string => (position <= 1 ? 'als Nächstes dran' : `Platz ${position}`);

const jobs = (count: number): string => `${count} ${count === 1 ? 'Auftrag' : 'Aufträge'}`;

export const de: Translation = {
  // Images, as the engine reads them.
  'image-empty': (p) => `${subject(p)} ist eine leere Datei (0 Byte). Bitte lade das Bild noch einmal hoch.`,
  'image-not-an-image': (p) => `${subject(p)} ist kein Bild, das ich lesen kann. Bitte sende ein Bild im Format ${FORMATS}.`,
  'image-format-refused': (p) => `${subject(p)} ist ${REFUSED_FORMAT[p.format]}; dieses Format wird nicht unterstützt. Bitte sende ein Bild im Format ${FORMATS}.`,
  'image-truncated': (p) => `${subject(p)} ist beschädigt oder unvollständig und kann nicht gelesen werden. Bitte lade es noch einmal hoch.`,
  'image-too-many-pixels': (p) =>
    p.width !== undefined && p.height !== undefined
      ? `${subject(p)} ist zu groß (${p.width} × ${p.height} Pixel, ${formatMegapixels(p.width * p.height)}); die Grenze liegt bei ${formatMegapixels(p.maxPixels)}. Bitte sende ein kleineres Bild.`
      : `${subject(p)} ist zu groß; die Grenze liegt bei ${formatMegapixels(p.maxPixels)}. Bitte sende ein kleineres Bild.`,
  // Uploads, as the platform declares them, and their download.
  'image-not-accepted': (p) => `${subject(p)} ist kein ${FORMAT_PICTURE}; nur diese nehme ich an.`,
  'image-too-large': (p) => `${subject(p)} ist ${formatBytes(p.bytes)} groß; die Grenze liegt bei ${formatBytes(p.maxBytes)}. Bitte wähle ein kleineres Bild.`,
  'file-link-invalid': (p) => `${subject(p)}: Der Dateilink ist keine gültige Adresse.`,
  'file-host-not-allowed': (p) =>
    `${subject(p)}: Ich lade nur Dateien herunter, die in den Chat selbst hochgeladen wurden; ${p.host || 'diese Adresse'} ist kein erlaubter Datei-Host.`,
  'download-too-large': (p) => `${subject(p)} ist größer als die Grenze von ${formatBytes(p.maxBytes)}. Bitte wähle ein kleineres Bild.`,
  'download-failed': (p) => `${subject(p)} konnte nicht heruntergeladen werden (der Datei-Host antwortete ${p.status}).`,
  'download-timed-out': (p) => `${subject(p)} brauchte zum Herunterladen länger als ${formatDuration(p.timeoutMs)}; bitte versuche es noch einmal.`,
  'download-network': (p) => `${subject(p)} konnte nicht heruntergeladen werden; bitte versuche es noch einmal.`,
  'slack-file-unreadable': (p) => `${subject(p)} konnte nicht aus Slack gelesen werden${p.detail ? ` (${p.detail})` : ''}. Bitte lade es noch einmal hoch.`,
  'images-not-checked': () =>
    'Deine Bilder konnten nicht geprüft werden, deshalb wurde der Auftrag nicht gestartet. Bitte versuche es noch einmal oder nimm andere Bilder.',
  'image-too-small-for-size': (p) =>
    `Bei ${p.size} px ist das Foto nur ${p.width} × ${p.height} groß; seine kurze Seite muss mindestens ${p.minSide} px lang sein. Wähle einen höheren Wert.`,
  'option-out-of-range': (p) =>
    `${p.option === 'size' ? 'Die Größe' : 'Die Zahl der Iterationen'} muss eine ganze Zahl von ${p.min} bis ${p.max} sein (erhalten: ${p.got}).`,
  'size-exceeds-memory': (p) =>
    p.largestSize > 0
      ? `Ein Bild mit ${p.size} px braucht mehr Arbeitsspeicher, als dieser Rechner hergeben kann. Die größte Größe, die passt, ist ${p.largestSize} px: Bitte wähle diese oder eine kleinere.`
      : `Ein Bild mit ${p.size} px braucht mehr Arbeitsspeicher, als dieser Rechner hergeben kann, und jede kleinere Größe ebenso.`,
  // The queue.
  'bot-restarting': () => 'Ich starte gerade neu und nehme keine neuen Aufträge an. Bitte versuche es in einer Minute noch einmal.',
  'user-limit': (p) =>
    `Du hast schon ${jobs(p.maxPerUser)} in der Warteschlange oder in Arbeit, mehr darf eine Person nicht gleichzeitig haben. Warte, bis einer fertig ist (oder brich einen ab), und versuche es dann noch einmal.`,
  'queue-full': (p) => `Die Warteschlange ist voll (${p.maxQueueLength} Aufträge warten). Bitte versuche es in ein paar Minuten noch einmal.`,
  'rerun-not-owner': () => 'Nur die Person, die diesen Auftrag gestartet hat, kann ihn noch einmal ausführen. Nutze /stylize mit deinen eigenen Bildern.',
  'rerun-images-gone': () =>
    'Die Bilder dieses Auftrags werden nicht mehr aufbewahrt, deshalb kann er nicht noch einmal laufen. Bitte starte einen neuen Auftrag mit /stylize.',
  'storage-unavailable': () => 'Ich kann gerade keine neuen Aufträge speichern (mein Speicher ist voll oder gestört). Bitte versuche es später noch einmal.',
  'storage-full': () =>
    'Ich habe gerade keinen Platz für weitere Bilder: Die wartenden Aufträge füllen meinen Speicher. Bitte versuche es später noch einmal.',
  'journal-failed': () =>
    'Ich konnte den Stand deines Auftrags nicht speichern (mein Speicher ist voll oder gestört), deshalb wurde der Auftrag angehalten. Bitte versuche es später noch einmal.',
  'size-too-slow': (p) =>
    `Ein Bild mit ${p.size} px würde hier länger dauern als die Grenze von ${formatDuration(p.limitMs)}. ` +
    (p.largestSize === undefined ? 'Gerade passt keine Größe; bitte versuche es später noch einmal.' : `Bitte wähle ${p.largestSize} px oder weniger.`),
  'job-timed-out': (p) =>
    `Dein Auftrag dauerte länger als die Grenze von ${formatDuration(p.limitMs)} und wurde angehalten. Versuche es mit einer kleineren Größe noch einmal.`,
  'engine-crashed': () =>
    'Die Engine ist bei der Arbeit an deinem Bild abgestürzt (vielleicht war der Speicher zu knapp). Versuche es mit einer kleineren Größe noch einmal; andere Aufträge sind nicht betroffen.',
  'engine-unavailable': () =>
    'Die Engine konnte nicht starten, deshalb konnte dein Auftrag nicht laufen. Bitte versuche es später noch einmal; mein Betreiber ist informiert.',
  'engine-failed': () =>
    'In der Engine ist bei der Arbeit an deinem Bild etwas schiefgegangen. Bitte versuche es noch einmal; wenn es wieder passiert, sag meinem Betreiber Bescheid.',
  'model-missing': () => 'Ich konnte mein Malmodell nicht laden, deshalb konnte dein Auftrag nicht laufen. Mein Betreiber ist informiert.',
  'crashed-too-often': (p) =>
    `Ich bin ${p.attempts === 1 ? '' : `${p.attempts}-mal `}unerwartet stehen geblieben, während ich an deinem Auftrag arbeitete, deshalb wurde der Auftrag nicht noch einmal versucht. Versuche es mit einer kleineren Größe noch einmal; wenn es wieder passiert, sag meinem Betreiber Bescheid.`,
  // Posting the picture.
  'result-gone': () => 'Dein Bild wurde erstellt, wird aber nicht mehr aufbewahrt und konnte deshalb nicht gepostet werden. Bitte starte den Auftrag noch einmal.',
  'delivery-gave-up': (p) =>
    `Dein Bild ist fertig, aber das Posten ist ${p.attempts}-mal hintereinander fehlgeschlagen, deshalb versuche ich es nicht weiter. Bitte starte den Auftrag später noch einmal.`,
  'delivery-no-destination': () => 'Das Bild ist fertig, aber ich weiß nicht mehr, wo ich es posten soll.',
  'discord-missing-permissions': () =>
    'Das Bild ist fertig, aber ich kann es hier nicht posten: Gib mir in diesem Kanal die Berechtigungen „Dateien anhängen“ und „Nachrichten in Threads senden“ und starte den Auftrag dann noch einmal.',
  'discord-missing-access': () =>
    'Das Bild ist fertig, aber ich erreiche den Thread dieses Kanals nicht: Gib mir die Berechtigungen „Kanal ansehen“ und „Nachrichten in Threads senden“ und starte den Auftrag dann noch einmal.',
  'discord-upload-too-large': (p) => `Das Bild ist fertig, aber mit ${formatBytes(p.bytes)} ist es größer, als dieser Server mich hochladen lässt.`,
  'discord-refused': (p) => `Das Bild ist fertig, aber Discord hat es abgelehnt (${p.detail}).`,
  'slack-not-in-channel': () =>
    'Das Bild ist fertig, aber ich bin nicht mehr in diesem Kanal: Lade mich ein (/invite @Stylize) und starte den Auftrag dann noch einmal.',
  'slack-channel-not-found': () =>
    'Das Bild ist fertig, aber ich finde diesen Kanal nicht mehr (gelöscht, oder ich wurde entfernt), deshalb konnte es nicht gepostet werden.',
  'slack-channel-archived': () => 'Das Bild ist fertig, aber dieser Kanal ist archiviert, deshalb konnte es nicht gepostet werden.',
  'slack-missing-scope': () =>
    'Das Bild ist fertig, aber diese Slack-App darf keine Dateien hochladen (Scope files:write fehlt). Bitte einen Admin, sie neu zu installieren, und starte den Auftrag dann noch einmal.',
  'slack-token-type': () => 'Das Bild ist fertig, aber diese Slack-App darf keine Dateien hochladen. Bitte einen Admin, ihre Installation zu prüfen.',
  'slack-restricted': () => 'Das Bild ist fertig, aber dieser Workspace lässt mich in diesem Kanal keine Dateien posten.',
  'slack-upload-too-large': () => 'Das Bild ist fertig, aber es ist größer, als dieser Workspace mich hochladen lässt.',
  'slack-token-refused': () => 'Das Bild ist fertig, aber Slack akzeptiert mein Token nicht mehr. Mein Betreiber ist informiert.',
  // Why posting failed for now.
  'hitch-slow-down': (p) => `${PLATFORM[p.platform]} hat mich gebremst`,
  'hitch-server-error': (p) => `${PLATFORM[p.platform]} antwortete mit einem Serverfehler (${p.status})`,
  'hitch-http-error': (p) => `${PLATFORM[p.platform]} antwortete mit einem Fehler (${p.status})`,
  'hitch-platform-error': (p) => `${PLATFORM[p.platform]} antwortete ${p.detail}`,
  'hitch-no-answer': (p) => `${PLATFORM[p.platform]} hat nicht rechtzeitig geantwortet`,
  'hitch-restarting': () => 'ich starte neu',
  'hitch-unexpected': () => 'das Posten des Bildes ist unerwartet fehlgeschlagen',
  // A job's messages.
  'app-name': () => 'Stylize',
  'job-heading': (p) => `${p.app} für ${p.owner} · ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'job-summary': (p) => `Stylize für ${p.owner}: ${p.status}`,
  'thread-name': (p) => `stylize · ${p.userName} · ${PRESET_LABEL[p.preset]}`,
  'queue-position': (p) => queuePosition(p.position),
  'status-preparing': () => 'Deine Bilder werden geprüft…',
  'status-queued': (p) => `${p.resumed ? 'Nach einem Neustart wieder in der Warteschlange' : 'In der Warteschlange'}: ${queuePosition(p.position)}` +
    `${p.startsInMs === undefined ? '' : p.startsInMs < 1000 ? ', startet jetzt' : `, startet in etwa ${formatDuration(p.startsInMs)}`}.`,
  'status-starting': () => 'Startet…',
  'status-running': (p) => `Wird gemalt ${p.bar}${p.etaMs !== undefined ? ` · noch etwa ${formatDuration(p.etaMs)}` : ''}`,
  'status-delivering': (p) => `Das Bild ist fertig, aber das Posten ist fehlgeschlagen (${p.problem}). Neuer Versuch in ${formatDuration(p.retryInMs)}.`,
  'status-done': (p) => `Fertig nach ${formatDuration(p.seconds * 1000)}${p.inThread ? '.' : ': Das Bild ist im Thread.'}`,
  'status-cancelled': (p) => `Abgebrochen von ${p.by}.`,
  'status-moved-to-thread': () => 'Läuft noch: Der Fortschritt geht im Thread weiter.',
  'result-ready': (p) => `${p.owner}, dein Bild ist fertig.`,
  'result-title': (p) => `Stylize · ${PRESET_LABEL[p.preset]}`,
  'result-alt': (p) => `Stilisiertes Bild, ${p.width}×${p.height}`,
  'preview-alt': () => 'Vorschau des bisherigen Bildes',
  'preview-title': (p) => `Vorschau · ${p.percent} %`,
  'preview-comment': (p) => `Das Bild bisher (zu ${p.percent} % gemalt).`,
  'button-cancel': () => 'Abbrechen',
  'button-more-content': (p) => `Mehr Foto (${PRESET_LABEL[p.preset]})`,
  'button-more-style': (p) => `Mehr Stil (${PRESET_LABEL[p.preset]})`,
  'settings-style-ratio': (p) => `Stilanteil: ${PRESET_LABEL[p.preset]} (Stilgewicht α/β = ${p.ratio.toExponential(0)})`,
  'settings-result-size': (p) => `Größe: ${p.width}×${p.height} px`,
  'settings-iterations': (p) => `Schritte: ${p.iterations} in ${formatDuration(p.seconds * 1000)} mit ${p.backend}`,
  'settings-layers': (p) => `Netzschichten: Foto ${p.content.join(', ')}; Stil ${p.style.join(', ')}`,
  'settings-size': (p) => `Größe: ${p.size} px (lange Seite)`,
  'settings-bigger-from': (p) => `Vergrößert aus dem Bild mit ${p.size} px`,
  'settings-seed': (p) => `Seed: ${p.seed}`,
  'settings-keep-colours': (p) => `Farben behalten: ${p.keep ? 'ja' : 'nein'}`,
  // Notes to one user.
  'cancel-not-owner': () => 'Nur die Person, die diesen Auftrag gestartet hat, kann ihn abbrechen.',
  'cancel-not-owner-named': (p) => `Nur ${p.owner} kann diesen Auftrag abbrechen.`,
  'cancel-not-found': () => 'Dieser Auftrag ist nicht mehr bekannt, es gibt also nichts abzubrechen.',
  'cancel-already-finished': () => 'Dieser Auftrag ist schon beendet.',
  'rerun-last-step': (p) => `Dieser Auftrag nutzte schon „${PRESET_LABEL[p.preset]}“, die stärkste Stufe in diese Richtung.`,
  'something-went-wrong': () => 'Bei mir ist etwas schiefgegangen; bitte versuche es gleich noch einmal.',
  'slack-cannot-post': () =>
    'Ich konnte in dieser Unterhaltung nicht posten, deshalb wurde dein Auftrag nicht gestartet. Bitte lade mich in den Kanal ein oder versuche es in einer Direktnachricht.',
  // Presets, the command and the form.
  'preset-label': (p) => PRESET_LABEL[p.preset],
  'preset-description': (p) => PRESET_DESCRIPTION[p.preset],
  'preset-choice': (p) => `${PRESET_LABEL[p.preset]}: ${PRESET_DESCRIPTION[p.preset]}`,
  'command-description': () => 'Male dein Foto im Stil eines anderen Bildes.',
  'option-name': (p) => OPTION_NAME[p.option],
  'option-photo': () => `Dein Foto (${FORMATS}).`,
  'option-style-image': () => 'Dein Stilbild: das Bild, mit dessen Stil gemalt wird.',
  'option-preset': (p) => `Wie viel Stil angewendet wird (Standard: ${PRESET_LABEL[p.preset]}).`,
  'option-size': () => 'Lange Seite des Ergebnisses in Pixeln (größer dauert länger).',
  'option-seed': () => 'Gleicher Seed und gleiche Einstellungen ergeben das gleiche Bild.',
  'option-keep-colours': () => 'Die Farben deines Fotos behalten und nur den Pinselstrich übernehmen.',
  'form-title': () => 'Stylize',
  'form-submit': () => 'Malen',
  'form-close': () => 'Abbrechen',
  'form-ok': () => 'OK',
  'form-photo': () => 'Dein Foto',
  'form-photo-hint': () => `${FORMATS}.`,
  'form-style-image': () => 'Stilbild',
  'form-style-image-hint': () => 'Das Bild, mit dessen Stil gemalt wird.',
  'form-preset': () => 'Stilanteil',
  'form-size': () => 'Größe (lange Seite, Pixel)',
  'form-size-hint': (p) => `${p.min} bis ${p.max}; größer dauert länger. Leer lassen für den Standard.`,
  'form-seed': () => 'Seed',
  'form-colours': () => 'Farben',
  'form-keep-colours': () => 'Die Farben meines Fotos behalten',
  'form-keep-colours-hint': () => 'Nur den Pinselstrich aus dem Stilbild übernehmen.',
  'form-image-missing': (p) => `${subject(p)} fehlt. Bitte füge ein Bild hinzu.`,
  'form-one-image-only': () => 'Bitte füge hier nur ein Bild hinzu.',
  'form-size-invalid': (p) => `Bitte gib eine ganze Zahl an Pixeln von ${p.min} bis ${p.max} ein oder lass das Feld leer.`,
  'form-seed-invalid': (p) => `Bitte gib eine ganze Zahl von 0 bis ${p.max} ein oder lass das Feld leer.`,
  'form-out-of-date': () => 'Dieses Formular ist veraltet. Bitte schließe es und starte /stylize noch einmal.',
  'form-message-images': (p) =>
    `Die zwei Bilder der Nachricht werden verwendet: Das *erste* ist dein Foto, das *zweite* das Stilbild.\n• Foto: ${p.photo}\n• Stilbild: ${p.styleImage}`,
  'shortcut-needs-two-images': (p) =>
    `Diese Nachricht hat ${p.found === 0 ? 'keine Bilder' : 'nur ein Bild'}. Nutze „Stylize“ bei einer Nachricht mit zwei Bildern ` +
    '(zuerst dein Foto, dann das Stilbild) oder tippe /stylize, um sie hochzuladen.',
  // Reach (issue 10): the "Stylize" message command, help, "my jobs", pings when a job ends badly, the channel checks.
  'ping-failed': (p) => `${p.owner}, dein Auftrag wurde nicht fertig: ${p.reason}`,
  'ping-cancelled-by-other': (p) => `${p.owner}, dein Auftrag wurde von ${p.by} abgebrochen.`,
  'discord-missing-channel-permissions': (p) =>
    `Ich kann in diesem Kanal nicht arbeiten: Mir ${p.missing.length === 1 ? 'fehlt die Berechtigung' : 'fehlen die Berechtigungen'} ${p.missing.map((permission) => `„${PERMISSION[permission]}“`).join(', ')}. ` +
    `Bitte einen Server-Admin, sie mir hier zu geben (Kanaleinstellungen, Berechtigungen), und versuche es dann noch einmal. Es wurde nichts heruntergeladen.`,
  'slack-not-a-member': () =>
    'Ich bin kein Mitglied dieses Kanals und kann deinen Auftrag deshalb hier nicht posten. Lade mich mit /invite @stylize ein und versuche es dann noch einmal. Es wurde nichts heruntergeladen.',
  'help-command-description': () => 'So nutzt du Stylize: Stilanteil, Gemälde, Grenzen und Datenschutz.',
  'jobs-command-description': () => 'Deine wartenden und laufenden Stylize-Aufträge, mit Abbrechen-Buttons.',
  'help-intro-discord': () =>
    '/stylize mit deinem Foto und einem Stilbild malt das Foto in diesem Stil. Oder klicke mit der rechten Maustaste auf eine Nachricht mit Bildern und wähle Apps → Stylize. ' +
    'Das erste Bild ist das Foto, das zweite das Stilbild (bei nur einem Bild wählst du ein Gemälde). /stylize-jobs zeigt deine Aufträge.',
  'help-intro-slack': () =>
    '/stylize öffnet das Formular für dein Foto und ein Stilbild. Oder nutze die Nachrichten-Verknüpfung Stylize (⋮ Weitere Aktionen) bei einer Nachricht mit zwei Bildern: ' +
    'Das erste ist das Foto, das zweite das Stilbild. /stylize jobs zeigt deine Aufträge.',
  'help-presets-heading': () => 'Stilanteil:',
  'help-preset-line': (p) => `${PRESET_LABEL[p.preset]}: ${PRESET_DESCRIPTION[p.preset]}`,
  'help-library-heading': () => 'Gemälde (gemeinfrei):',
  'help-library-line': (p) => `${p.name} (${p.credit}): ${p.description}`,
  'help-limits': (p) =>
    `Grenzen: Bilder bis ${formatBytes(p.maxBytes)} (${FORMATS}); ${jobs(p.maxPerUser)} pro Person gleichzeitig, insgesamt ${p.maxQueueLength} in der Warteschlange; ` +
    `Größe ${p.minSize} bis ${p.maxSize} px; ein Auftrag darf ${formatDuration(p.timeoutMs)} laufen.`,
  'help-privacy': (p) =>
    `Datenschutz: Deine zwei Bilder werden nur aufbewahrt, solange dein Auftrag wartet oder läuft, und danach noch ${formatDuration(p.keptMs)} (für die Buttons zum erneuten Ausführen); ` +
    'die Bilder eines fehlgeschlagenen oder abgebrochenen Auftrags werden sofort gelöscht. Nur du kannst deine Aufträge noch einmal ausführen; Moderatoren können sie auch abbrechen.',
  'jobs-none': () => 'Du hast keine wartenden oder laufenden Aufträge.',
  'jobs-heading': (p) => `Deine Aufträge (${p.count}):`,
  'jobs-line-running': (p) => `Läuft: ${PRESET_LABEL[p.preset]}`,
  'jobs-line-waiting': (p) => `Wartet, ${queuePosition(p.position)}: ${PRESET_LABEL[p.preset]}`,
  'jobs-cancel-button': (p) => `Auftrag ${p.index} abbrechen`,
  'slack-unknown-subcommand': (p) =>
    `„/stylize ${p.text}“ kenne ich nicht. Tippe /stylize, um das Formular zu öffnen, /stylize help für die Hilfe oder /stylize jobs für deine Aufträge.`,
  'context-no-images': () => 'Diese Nachricht hat keine Bilder. Nutze Stylize bei einer Nachricht mit deinem Foto (und einem Stilbild) oder tippe /stylize, um sie hochzuladen.',
  'context-pick-images': (p) => `Diese Nachricht hat ${p.count} Bilder. Wähle dein Foto und das Stilbild:`,
  'context-pick-photo': () => 'Dein Foto',
  'context-pick-style': () => 'Stilbild',
  'context-pick-library': () => 'Diese Nachricht hat ein Bild, dein Foto. Wähle ein Gemälde als Stil:',
  'context-pick-same': () => 'Bitte wähle zwei verschiedene Bilder: ein Foto und ein Stilbild.',
  'context-picker-expired': () => 'Diese Auswahl ist veraltet. Nutze Stylize noch einmal bei der Nachricht.',
  'context-image-label': (p) => `${p.index}. ${p.fileName}`,
  'list-and-more': (p) => `und ${p.count} weitere`,
  // Results: the style library.
  'style-missing': () => 'Bitte gib einen Stil an: Hänge ein Stilbild an oder wähle ein Gemälde.',
  'style-both': () => 'Bitte gib nur einen Stil an: Hänge entweder ein Stilbild an oder wähle ein Gemälde, nicht beides.',
  'library-style-unknown': (p) => `Ein Gemälde namens „${p.id}“ gibt es nicht. Bitte wähle eines aus der Liste.`,
  'settings-library-style': (p) => `Gemälde: ${p.name} (${p.credit})`,
  // Results: what the result says and its buttons.
  'result-summary': (p) =>
    `${p.owner}, dein Bild ist fertig: ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''} · ${p.width}×${p.height} px · ${formatDuration(p.seconds * 1000)}.`,
  'button-bigger': (p) => `Größer (${p.size} px)`,
  'button-keep-colours': (p) => (p.keep ? 'Farben meines Fotos behalten' : 'Farben des Stils verwenden'),
  'button-use-as-photo': () => 'Als Foto verwenden',
  'button-use-as-style': () => 'Als Stil verwenden',
  'button-details': () => 'ⓘ Details',
  'button-delete': () => 'Löschen',
  'details-heading': () => 'Einstellungen dieses Bildes:',
  'delete-done': () =>
    'Gelöscht: Ich bewahre das Bild sowie das Foto und das Stilbild, aus denen es entstand, nicht mehr auf. Schon gestartete Aufträge daraus behalten ihre eigenen Kopien.',
  'delete-not-owner': () => 'Nur die Person, die diesen Auftrag gestartet hat, kann ihn löschen.',
  'delete-not-found': () => 'Diesen Auftrag bewahre ich nicht mehr auf (seine Bilder wurden schon entfernt).',
  'delete-not-finished': () => 'Dieser Auftrag wartet oder läuft noch: Brich ihn stattdessen ab.',
  'option-style-image-or-library': () => `Das Bild, mit dessen Stil gemalt wird (oder wähle unter „${OPTION_NAME.library_style}“ ein Gemälde)`,
  'option-library-style': () => 'Ein Gemälde aus der eingebauten Sammlung statt eines Stilbilds',
  'form-style-image-optional-hint': () => 'Das Bild, mit dessen Stil gemalt wird. Lass es leer, um unten ein Gemälde zu wählen.',
  'form-library-style': () => 'Gemälde',
  'form-library-style-hint': () => 'Ein Gemälde aus der eingebauten Sammlung statt eines Stilbilds.',
  // Blends and brush size (issue 19).
  'result-styles': (p) => `${p.styles.length === 1 ? 'Stil' : 'Stile'}: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-styles': (p) => `${p.styles.length === 1 ? 'Stil' : 'Stile'}: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-brush-size': (p) => `Pinselgröße: ${p.brush === undefined ? '' : `${BRUSH[p.brush]}, `}Stilbild in ${decimal(p.scale)}-facher Bildgröße`,
  'settings-colour-mode': (p) => `Farben: ${COLOUR_MODE[p.mode]}`,
  'button-brush-size': (p) => `Pinsel: ${BRUSH[p.brush].toLowerCase()}`,
  // Painting time (issue 21).
  'settings-run-time': (p) => `Maldauer: ${formatDuration(p.minutes * 60_000)}`,
  // Communities: moderation, the admin command, DMs.
  'server-limit': (p) =>
    `Dieser Server hat schon ${jobs(p.maxPerServer)} in der Warteschlange oder in Arbeit, mehr erlauben seine Admins nicht. Bitte versuche es noch einmal, wenn einer fertig ist.`,
  'channel-not-allowed': (p) => `Hier funktioniert /stylize nur in ${p.channels}. Bitte nutze es dort.`,
  'no-image-permission': () =>
    'Du darfst in diesem Kanal keine Bilder posten, deshalb poste ich dein Ergebnis hier nicht. Bitte nutze /stylize in einem Kanal, in dem du Dateien anhängen darfst.',
  'admin-only': () => 'Nur die Admins des Servers (Server verwalten) können meine Einstellungen hier ändern.',
  'admin-server-only': () => 'Meine Einstellungen gehören zu einem Server: Nutze /stylize-admin in einem seiner Kanäle.',
  'option-spoiler': () => 'Ergebnis und Vorschauen als Spoiler senden (verborgen, bis man sie anklickt).',
  'job-server-paused': () =>
    'Die Admins haben die Aufträge dieses Servers pausiert: Dein Auftrag wartet in der Schlange und startet, sobald sie sie fortsetzen.',
  'admin-command-description': () => 'Die Einstellungen von Stylize für diesen Server ändern.',
  'admin-show-description': () => 'Die Einstellungen und Aufträge dieses Servers anzeigen.',
  'admin-set-description': () => 'Standard-Stilanteil und -Größe sowie die Auftragsgrenzen festlegen.',
  'admin-option-default-preset': () => 'Stilanteil, wenn /stylize keinen angibt.',
  'admin-option-default-size': () => 'Größe (lange Seite, Pixel), wenn /stylize keine angibt.',
  'admin-option-user-limit': () => 'Wartende oder laufende Aufträge pro Person (höchstens die Grenze von Stylize).',
  'admin-option-server-limit': () => 'Aufträge, die dieser Server gleichzeitig wartend oder laufend haben darf.',
  'admin-option-reset': () => 'Stilanteil, Größe und Auftragsgrenzen auf die Standardwerte von Stylize zurücksetzen.',
  'admin-pause-description': () => 'Die Aufträge dieses Servers pausieren; sie warten, bis sie fortgesetzt werden.',
  'admin-resume-description': () => 'Die Aufträge dieses Servers fortsetzen.',
  'admin-clear-description': () => 'Alle wartenden Aufträge dieses Servers abbrechen (ein laufender wird fertig).',
  'admin-channels-description': () => 'Die Kanäle wählen, in denen /stylize genutzt werden darf.',
  'admin-option-allow': () => '/stylize in diesem Kanal erlauben.',
  'admin-option-disallow': () => '/stylize in diesem Kanal nicht mehr erlauben.',
  'admin-option-everywhere': () => '/stylize wieder in allen Kanälen erlauben.',
  'admin-settings': (p) =>
    [
      `Standard-Stilanteil: ${PRESET_LABEL[p.preset]}${p.presetIsDefault ? ' (Standard von Stylize)' : ''}`,
      `Standardgröße: ${p.size === undefined ? 'Standard von Stylize' : `${p.size} px`}`,
      `Kanäle: ${p.channels ?? 'alle Kanäle'}`,
      `Aufträge pro Person: ${p.userLimit}`,
      `Aufträge für diesen Server: ${p.serverLimit === undefined ? `keine eigene Grenze (Stylize nimmt insgesamt ${p.queueCeiling} wartende an)` : p.serverLimit}`,
      `Status: ${p.paused ? 'pausiert' : 'aktiv'}; ${p.waiting} wartend, ${p.running} laufend`,
    ].join('\n'),
  'admin-saved': () => 'Gespeichert. Die Einstellungen jetzt:',
  'admin-nothing-to-change': () => 'Nichts zu ändern: Gib mindestens eine Option an.',
  'admin-paused': () => 'Pausiert. Die Aufträge dieses Servers warten, bis ein Admin sie fortsetzt; ein schon laufender Auftrag wird fertig.',
  'admin-resumed': () => 'Fortgesetzt. Die wartenden Aufträge dieses Servers laufen wieder der Reihe nach.',
  'admin-cleared': (p) =>
    `Geleert: ${p.count} ${p.count === 1 ? 'wartender Auftrag' : 'wartende Aufträge'} abgebrochen. Ein schon laufender Auftrag wird fertig.`,
  'slack-admin-only': () => 'Nur die Admins und Inhaber des Workspace können meine Einstellungen ändern.',
  'slack-admin-usage': () =>
    'Verwendung: `/stylize admin show`, `pause`, `resume`, `clear`, `set preset=photo|balanced|painterly|painting size=PX user-limit=N server-limit=N` ' +
    '(beliebig viele davon; `set reset` für die Standardwerte), `channels allow` oder `channels disallow` (dieser Kanal), `channels everywhere`.',
  // Image links
  'photo-missing': () => 'Bitte gib ein Foto an: häng eins an oder füge den Link eines hier schon geposteten Bildes ein (foto_link).',
  'image-upload-and-link': (p) => `Bitte gib das ${IMAGE_NAME[p.role]} nur einmal an: entweder anhängen oder verlinken, nicht beides.`,
  'image-link-host-not-allowed': (p) => `${subject(p)}: Der Link muss auf ein im Chat selbst gepostetes Bild zeigen (${p.hosts}); ${p.host || 'diese Adresse'} gehört nicht dazu.`,
  // Blends and brush size (issue 19).
  'too-many-styles': (p) => `Ein Bild kann höchstens ${p.max} Stilbilder mischen (dieser Auftrag hat ${p.count}). Bitte lass einige weg.`,
  'style-weights-invalid': (p) => `Die Mischung braucht für jedes ihrer ${p.count} Stilbilder einen Anteil, keinen unter null und nicht alle null.`,
  'second-style-both': () => 'Bitte gib nur einen zweiten Stil an: Hänge ein Bild an oder verlinke es, oder wähle ein Gemälde, nicht beides.',
  'blend-needs-second-style': () => 'Eine Mischung verbindet zwei Stile: Bitte gib auch einen zweiten Stil an (ein Bild, seinen Link oder ein Gemälde) oder lass die Mischung weg.',
  // Image links
  'option-photo-url': () => 'Oder der Link zu einem hier schon geposteten Foto (Link kopieren), statt es anzuhängen',
  'option-style-url': () => 'Oder der Link zu einem hier geposteten Stilbild (Link kopieren), statt es anzuhängen',
  'settings-preset': (p) => `Stilanteil: ${PRESET_LABEL[p.preset]}`,
  'library-choice': (p) => `${p.name} – ${p.description}`,
  'admin-name': (p) => ADMIN_NAME[p.part],
  // The local web chat (src/adapters/web/).
  'web-page-title': () => 'Stylize: aus einem Foto wird ein Gemälde',
  'web-intro': () => 'Foto ablegen, Stil wählen und zusehen, wie es gemalt wird. Die Bilder dieses Browsers sieht nur dieser Browser.',
  'web-job-heading': (p) => `${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'web-cancelled': () => 'Abgebrochen.',
  'web-drop-hint': () => `Bild hier ablegen oder eine Datei wählen (${FORMATS}).`,
  'web-style-heading': () => 'Stil',
  'web-style-upload': () => 'Eigenes Stilbild',
  'web-library-none': () => 'Keines: mein eigenes Stilbild verwenden',
  'web-image-ready': (p) => `Bereit: ${p.fileName}`,
  'web-jobs-heading': () => 'Meine Aufträge',
  'web-pictures-heading': () => 'Bilder',
  'web-pictures-none': () => 'Hier erscheinen deine Bilder.',
  'web-download': () => 'Herunterladen',
  'web-sending': () => 'Wird gesendet…',
  'web-connection-lost': () => 'Die Verbindung zum Bot ist unterbrochen; neuer Versuch…',
  'web-page-out-of-date': () => 'Diese Seite ist veraltet. Bitte lade sie neu.',
  'web-token-title': () => 'Dieser Web-Chat verlangt sein Zugangs-Token',
  'web-token-label': () => 'Zugangs-Token',
  'web-token-submit': () => 'Öffnen',
  'web-token-wrong': () => 'Dieses Zugangs-Token stimmt nicht. Bitte versuche es noch einmal.',
  // Blends and brush size (issue 19).
  'option-style2': () => `Ein zweites Stilbild zum Mischen mit dem ersten (oder ${OPTION_NAME.style2_url} oder ${OPTION_NAME.library_style2})`,
  'option-style2-url': () => 'Oder der Link zu einem hier schon geposteten zweiten Stilbild (Link kopieren)',
  'option-library-style2': () => 'Ein zweites Gemälde aus der eingebauten Sammlung, gemischt mit dem ersten Stil',
  'option-blend': () => 'Wie viel vom zweiten Stil in die Mischung geht (Standard 50 %)',
  'option-brush-size': () => 'Größe der Pinselstriche: klein, normal (Standard) oder groß',
  'blend-choice': (p) => `${p.share} % zweiter Stil, ${100 - p.share} % erster`,
  'brush-choice': (p) => BRUSH[p.brush],
  'form-style2': () => 'Zweites Stilbild',
  'form-style2-hint': () => 'Optional: einen zweiten Stil in den ersten mischen. Lade ein Bild hoch oder wähle unten ein Gemälde.',
  'form-library-style2': () => 'Zweites Gemälde',
  'form-blend': () => 'Mischung (Anteil des zweiten Stils)',
  'form-brush-size': () => 'Pinselgröße',
  // Painting time (issue 21).
  'option-run-time': () => 'Wie lange gemalt wird: mehr Zeit, feinere Details. Standard: je nach Größe.',
  'run-time-choice': (p) => `${p.minutes} Minute${p.minutes === 1 ? '' : 'n'}`,
  'run-time-usual': () => 'Standard (je nach Größe)',
  'form-run-time': () => 'Maldauer',
};
