// Français. One name per image: « photo » and « image de style » (both feminine); the user is addressed
// with « vous ». French typography: every sentence passes through frenchSpacing (a narrow no-break space
// before ; : ! ? » and after «), and units.ts keeps a number with its unit ("11,8 Mo", "3 min").
import type { StyleMention, Translation } from './catalogue.js';
import { ACCEPTED_FORMATS, type RefusedFormat } from './formats.js';
import { formatBytes as bytesIn, formatDuration as durationIn, formatMegapixels as megapixelsIn } from './units.js';
import type { AdminCommandPart, BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, PlatformName, PresetName } from './vocabulary.js';

const formatBytes = (bytes: number): string => bytesIn(bytes, { locale: 'fr' });
const formatDuration = (ms: number): string => durationIn(ms, 'fr');
const formatMegapixels = (pixels: number): string => megapixelsIn(pixels, 'fr');

/** "JPEG, PNG, WebP ou GIF". */
const FORMATS = new Intl.ListFormat('fr', { type: 'disjunction' }).format(ACCEPTED_FORMATS.map((format) => format.name));

const REFUSED_FORMAT: Readonly<Record<RefusedFormat, string>> = {
  tiff: 'un fichier TIFF',
  avif: 'un fichier AVIF',
  heic: 'un fichier HEIC/HEIF',
  jpeg2000: 'un fichier JPEG 2000',
  pdf: 'un fichier PDF',
  postscript: 'un fichier PostScript',
  bmp: 'un fichier BMP',
  photoshop: 'un fichier Photoshop',
  icon: 'un fichier d’icône',
  'jpeg-xl': 'un fichier JPEG XL',
  gzip: 'un fichier compressé (gzip)',
  svg: 'un fichier SVG',
};

/** The channel permissions as Discord's settings name them in this language. */
const PERMISSION: Readonly<Record<ChannelPermission, string>> = {
  'view-channel': 'Voir le salon',
  'send-messages': 'Envoyer des messages',
  'create-public-threads': 'Créer des fils publics',
  'send-messages-in-threads': 'Envoyer des messages dans les fils',
  'attach-files': 'Joindre des fichiers',
};

const PLATFORM: Readonly<Record<PlatformName, string>> = { discord: 'Discord', slack: 'Slack', web: 'Le chat web' };

const BRUSH: Readonly<Record<BrushSize, string>> = { small: 'Petit', normal: 'Normal', large: 'Grand' };

const COLOUR_MODE: Readonly<Record<ColourMode, string>> = {
  style: 'celles du style',
  luminance: 'celles de votre photo (seule la luminosité a été peinte)',
  swap: 'celles de votre photo (remises après la peinture)',
};

/** Each image, as a sentence names it inside. */
const IMAGE_NAME: Readonly<Record<ImageRole, string>> = {
  content: 'la photo',
  style: 'l’image de style',
  style2: 'la deuxième image de style',
  style3: 'la troisième image de style',
  style4: 'la quatrième image de style',
};

/** "0,5": a decimal number as French writes it. */
const decimal = (value: number): string => String(value).replace('.', ',');

/** "La Nuit étoilée (Vincent van Gogh, 1889), 75 %" or "votre image de style, 25 %". */
function styleMention(style: StyleMention): string {
  const name = style.name === undefined ? 'votre image de style' : `${style.name}${style.credit ? ` (${style.credit})` : ''}`;
  return style.share === undefined ? name : `${name}, ${style.share} %`;
}

const PRESET_LABEL: Readonly<Record<PresetName, string>> = {
  photo: 'Surtout la photo',
  balanced: 'Équilibré',
  painterly: 'Pictural',
  painting: 'Surtout le style',
};

/** /stylize-admin's subcommand and option names as Discord shows them (see 'admin-name'). */
const ADMIN_NAME: Readonly<Record<AdminCommandPart, string>> = { show: 'afficher', set: 'régler', pause: 'pause', resume: 'reprendre', clear: 'vider', channels: 'salons', default_preset: 'part_de_style_par_défaut', default_size: 'taille_par_défaut', user_limit: 'limite_par_personne', server_limit: 'limite_du_serveur', reset: 'réinitialiser', allow: 'autoriser', disallow: 'interdire', everywhere: 'partout' };

/** The command's option names as Discord shows them (see 'option-name'). */
const OPTION_NAME: Readonly<Record<CommandOption, string>> = { content: 'photo', style: 'image_de_style', preset: 'part_de_style', size: 'taille', seed: 'graine', keep_colours: 'garder_couleurs', spoiler: 'spoiler', library_style: 'tableau', photo_url: 'lien_photo', style_url: 'lien_style', style2: 'image_de_style2', style2_url: 'lien_style2', library_style2: 'tableau2', blend: 'mélange', brush_size: 'taille_pinceau', painting_time: 'durée_peinture' };

const PRESET_DESCRIPTION: Readonly<Record<PresetName, string>> = {
  photo: 'Votre photo avec une légère touche de l’image de style.',
  balanced: 'La photo et l’image de style en équilibre.',
  painterly: 'Coups de pinceau marqués ; la photo reste reconnaissable.',
  painting: 'L’image de style domine ; seule la composition de la photo reste.',
};

/** No capital after a colon in French: "Équilibré : la photo et…" (an acronym such as "JPEG" stays). */
const lowerFirst = (text: string): string => (/^\p{Lu}[\p{Ll}’]/u.test(text) ? text.charAt(0).toLocaleLowerCase('fr') + text.slice(1) : text);

/** "La photo", "L'image de style (chat.png)", "L'image". */
function subject(about: { role?: ImageRole; fileName?: string }): string {
  const inside = about.role ? IMAGE_NAME[about.role] : 'l’image';
  const name = `${inside.charAt(0).toUpperCase()}${inside.slice(1)}`;
  return about.fileName ? `${name} (${about.fileName})` : name;
}

/** "prochaine à passer", "2e position". */
const queuePosition = (position: number): string => (position <= 1 ? 'prochaine à passer' : `${position}e position`);

const jobs = (count: number): string => `${count} ${count === 1 ? 'tâche' : 'tâches'}`;

const sentences: Translation = {
  // Images, as the engine reads them.
  'image-empty': (p) => `${subject(p)} est un fichier vide (0 octet). Veuillez envoyer l’image à nouveau.`,
  'image-not-an-image': (p) => `${subject(p)} n’est pas une image que je peux lire. Veuillez envoyer un fichier ${FORMATS}.`,
  'image-format-refused': (p) => `${subject(p)} est ${REFUSED_FORMAT[p.format]}, un format non pris en charge. Veuillez envoyer une image ${FORMATS}.`,
  'image-truncated': (p) => `${subject(p)} est endommagée ou incomplète et ne peut pas être lue. Veuillez l’envoyer à nouveau.`,
  'image-too-many-pixels': (p) =>
    p.width !== undefined && p.height !== undefined
      ? `${subject(p)} est trop grande (${p.width} × ${p.height} pixels, ${formatMegapixels(p.width * p.height)}) ; la limite est de ${formatMegapixels(p.maxPixels)}. Veuillez envoyer une image plus petite.`
      : `${subject(p)} est trop grande ; la limite est de ${formatMegapixels(p.maxPixels)}. Veuillez envoyer une image plus petite.`,
  // Uploads, as the platform declares them, and their download.
  'image-not-accepted': (p) => `${subject(p)} n’est pas une image ${FORMATS}, les seuls formats que j’accepte. Veuillez choisir l’un d’eux.`,
  'image-too-large': (p) => `${subject(p)} fait ${formatBytes(p.bytes)} ; la limite est de ${formatBytes(p.maxBytes)}. Veuillez choisir une image plus petite.`,
  'file-link-invalid': (p) => `${subject(p)} : le lien du fichier n’est pas une adresse valide.`,
  'file-host-not-allowed': (p) =>
    `${subject(p)} : je ne télécharge que les fichiers envoyés dans la discussion elle-même ; ${p.host || 'cette adresse'} n’est pas un hébergeur de fichiers autorisé.`,
  'download-too-large': (p) => `${subject(p)} dépasse la limite de ${formatBytes(p.maxBytes)}. Veuillez choisir une image plus petite.`,
  'download-failed': (p) => `${subject(p)} n’a pas pu être téléchargée (l’hébergeur du fichier a répondu ${p.status}).`,
  'download-timed-out': (p) => `Le téléchargement de ${subject(p).replace(/^La /, 'la ').replace(/^L’/, 'l’')} a pris plus de ${formatDuration(p.timeoutMs)} ; veuillez réessayer.`,
  'download-network': (p) => `${subject(p)} n’a pas pu être téléchargée ; veuillez réessayer.`,
  'slack-file-unreadable': (p) => `${subject(p)} n’a pas pu être lue depuis Slack${p.detail ? ` (${p.detail})` : ''}. Veuillez l’envoyer à nouveau.`,
  'images-not-checked': () => 'Vos images n’ont pas pu être vérifiées, la tâche n’a donc pas été lancée. Veuillez réessayer, ou essayer d’autres images.',
  'image-too-small-for-size': (p) =>
    `À ${p.size} px, la photo ne fait que ${p.width} × ${p.height} ; son petit côté doit faire au moins ${p.minSide} px. Choisissez une taille plus grande.`,
  'option-out-of-range': (p) =>
    `${p.option === 'size' ? 'La taille' : 'Le nombre d’itérations'} doit être un nombre entier de ${p.min} à ${p.max} (reçu : ${p.got}).`,
  'size-exceeds-memory': (p) =>
    p.largestSize > 0
      ? `Une image de ${p.size} px demande plus de mémoire que cette machine ne peut lui en donner. La plus grande taille possible est ${p.largestSize} px : choisissez celle-ci ou une plus petite.`
      : `Une image de ${p.size} px demande plus de mémoire que cette machine ne peut lui en donner, et toute taille plus petite aussi.`,
  // The queue.
  'bot-restarting': () => 'Je redémarre et n’accepte pas de nouvelles tâches pour le moment. Veuillez réessayer dans une minute.',
  'user-limit': (p) =>
    `Vous avez déjà ${jobs(p.maxPerUser)} en attente ou en cours, le maximum par personne. Attendez qu’une se termine (ou annulez-en une), puis réessayez.`,
  'queue-full': (p) => `La file d’attente est pleine (${p.maxQueueLength} tâches en attente). Veuillez réessayer dans quelques minutes.`,
  'rerun-not-owner': () => 'Seule la personne qui a lancé cette tâche peut la relancer. Utilisez /stylize avec vos propres images.',
  'rerun-images-gone': () => 'Les images de cette tâche ne sont plus conservées, elle ne peut donc pas être relancée. Veuillez lancer une nouvelle tâche avec /stylize.',
  'storage-unavailable': () =>
    'Je ne peux pas enregistrer de nouvelles tâches pour le moment (mon stockage est plein ou défaillant). Veuillez réessayer plus tard.',
  'storage-full': () =>
    'Je n’ai plus de place pour stocker des images pour le moment : les tâches en attente remplissent mon stockage. Veuillez réessayer plus tard.',
  'journal-failed': () =>
    'Je n’ai pas pu enregistrer l’avancement de votre tâche (mon stockage est plein ou défaillant), la tâche a donc été arrêtée. Veuillez réessayer plus tard.',
  'size-too-slow': (p) =>
    `Une image de ${p.size} px prendrait ici plus que la limite de ${formatDuration(p.limitMs)}. ` +
    (p.largestSize === undefined ? 'Aucune taille ne convient pour le moment ; veuillez réessayer plus tard.' : `Veuillez choisir ${p.largestSize} px ou moins.`),
  'job-timed-out': (p) => `Votre tâche a dépassé la limite de ${formatDuration(p.limitMs)} et a été arrêtée. Réessayez avec une taille plus petite.`,
  'engine-crashed': () =>
    'Le moteur a planté pendant le traitement de votre image (il a peut-être manqué de mémoire). Réessayez avec une taille plus petite ; les autres tâches ne sont pas touchées.',
  'engine-unavailable': () =>
    'Le moteur n’a pas pu démarrer, votre tâche n’a donc pas pu s’exécuter. Veuillez réessayer plus tard ; mon opérateur a été prévenu.',
  'engine-failed': () =>
    'Un problème est survenu dans le moteur pendant le traitement de votre image. Veuillez réessayer ; si cela se reproduit, prévenez mon opérateur.',
  'model-missing': () => 'Je n’ai pas pu charger mon modèle de peinture, votre tâche n’a donc pas pu s’exécuter. Mon opérateur a été prévenu.',
  'crashed-too-often': (p) =>
    `Je me suis arrêté de façon inattendue ${p.attempts === 1 ? '' : `${p.attempts} fois `}pendant votre tâche, elle n’a donc pas été retentée. Réessayez avec une taille plus petite ; si cela se reproduit, prévenez mon opérateur.`,
  // Posting the picture.
  'result-gone': () => 'Votre image a été créée, mais elle n’est plus conservée et n’a donc pas pu être publiée. Veuillez relancer la tâche.',
  'delivery-gave-up': (p) =>
    `Votre image est prête, mais sa publication a échoué ${p.attempts} fois de suite, j’ai donc abandonné. Veuillez relancer la tâche plus tard.`,
  'delivery-no-destination': () => 'L’image est prête, mais je ne sais plus où la publier.',
  'discord-missing-permissions': () =>
    'L’image est prête, mais je ne peux pas la publier ici : donnez-moi les permissions « Joindre des fichiers » et « Envoyer des messages dans les fils » dans ce salon, puis relancez la tâche.',
  'discord-missing-access': () =>
    'L’image est prête, mais je n’atteins pas le fil de ce salon : donnez-moi les permissions « Voir le salon » et « Envoyer des messages dans les fils », puis relancez la tâche.',
  'discord-upload-too-large': (p) => `L’image est prête, mais avec ${formatBytes(p.bytes)} elle dépasse ce que ce serveur me laisse envoyer.`,
  'discord-refused': (p) => `L’image est prête, mais Discord l’a refusée (${p.detail}).`,
  'slack-not-in-channel': () => 'L’image est prête, mais je ne suis plus dans ce canal : invitez-moi (/invite @Stylize), puis relancez la tâche.',
  'slack-channel-not-found': () =>
    'L’image est prête, mais je ne trouve plus ce canal (supprimé, ou j’en ai été retiré), elle n’a donc pas pu être publiée.',
  'slack-channel-archived': () => 'L’image est prête, mais ce canal est archivé, elle n’a donc pas pu être publiée.',
  'slack-missing-scope': () =>
    'L’image est prête, mais cette application Slack n’a pas le droit d’envoyer des fichiers (scope files:write manquant). Demandez à un admin de la réinstaller, puis relancez la tâche.',
  'slack-token-type': () => 'L’image est prête, mais cette application Slack n’a pas le droit d’envoyer des fichiers. Demandez à un admin de vérifier son installation.',
  'slack-restricted': () => 'L’image est prête, mais cet espace de travail ne me laisse pas publier de fichiers dans ce canal.',
  'slack-upload-too-large': () => 'L’image est prête, mais elle dépasse ce que cet espace de travail me laisse envoyer.',
  'slack-token-refused': () => 'L’image est prête, mais Slack n’accepte plus mon jeton. Mon opérateur a été prévenu.',
  // Why posting failed for now.
  'hitch-slow-down': (p) => `${PLATFORM[p.platform]} m’a demandé de ralentir`,
  'hitch-server-error': (p) => `${PLATFORM[p.platform]} a répondu par une erreur serveur (${p.status})`,
  'hitch-http-error': (p) => `${PLATFORM[p.platform]} a répondu par une erreur (${p.status})`,
  'hitch-platform-error': (p) => `${PLATFORM[p.platform]} a répondu ${p.detail}`,
  'hitch-no-answer': (p) => `${PLATFORM[p.platform]} n’a pas répondu à temps`,
  'hitch-restarting': () => 'je redémarre',
  'hitch-unexpected': () => 'la publication de l’image a échoué de façon inattendue',
  // A job's messages.
  'app-name': () => 'Stylize',
  'job-heading': (p) => `${p.app} pour ${p.owner} · ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'job-summary': (p) => `Stylize pour ${p.owner} : ${p.status}`,
  'thread-name': (p) => `stylize · ${p.userName} · ${PRESET_LABEL[p.preset]}`,
  'queue-position': (p) => queuePosition(p.position),
  'status-preparing': () => 'Vérification de vos images…',
  'status-queued': (p) => `${p.resumed ? 'De retour dans la file après un redémarrage' : 'En file d’attente'} : ${queuePosition(p.position)}` +
    `${p.startsInMs === undefined ? '' : p.startsInMs < 1000 ? ', démarre maintenant' : `, démarre dans ${formatDuration(p.startsInMs)} environ`}.`,
  'status-starting': () => 'Démarrage…',
  'status-running': (p) => `Peinture en cours ${p.bar}${p.etaMs !== undefined ? ` · encore ${formatDuration(p.etaMs)} environ` : ''}`,
  'status-delivering': (p) => `L’image est prête, mais sa publication a échoué (${p.problem}). Nouvel essai dans ${formatDuration(p.retryInMs)}.`,
  'status-done': (p) => `Terminé en ${formatDuration(p.seconds * 1000)}${p.inThread ? '.' : ' : l’image est dans le fil.'}`,
  'status-cancelled': (p) => `Tâche annulée par ${p.by}.`,
  'status-moved-to-thread': () => 'Toujours en cours : la progression continue dans le fil.',
  'result-ready': (p) => `${p.owner}, votre image est prête.`,
  'result-title': (p) => `Stylize · ${PRESET_LABEL[p.preset]}`,
  'result-alt': (p) => `Image stylisée, ${p.width}×${p.height}`,
  'preview-alt': () => 'Aperçu de l’image en cours',
  'preview-title': (p) => `Aperçu · ${p.percent} %`,
  'preview-comment': (p) => `L’image jusqu’ici (peinte à ${p.percent} %).`,
  'button-cancel': () => 'Annuler',
  'button-more-content': (p) => `Plus de photo (${PRESET_LABEL[p.preset]})`,
  'button-more-style': (p) => `Plus de style (${PRESET_LABEL[p.preset]})`,
  'settings-style-ratio': (p) => `Part de style : ${PRESET_LABEL[p.preset]} (poids du style α/β = ${p.ratio.toExponential(0)})`,
  'settings-result-size': (p) => `Taille : ${p.width}×${p.height} px`,
  'settings-iterations': (p) => `Étapes : ${p.iterations} en ${formatDuration(p.seconds * 1000)} sur ${p.backend}`,
  'settings-layers': (p) => `Couches du réseau : photo ${p.content.join(', ')} ; style ${p.style.join(', ')}`,
  'settings-size': (p) => `Taille : ${p.size} px (grand côté)`,
  'settings-bigger-from': (p) => `Agrandie à partir de l’image de ${p.size} px`,
  'settings-seed': (p) => `Graine : ${p.seed}`,
  'settings-keep-colours': (p) => `Garder les couleurs : ${p.keep ? 'oui' : 'non'}`,
  // Notes to one user.
  'cancel-not-owner': () => 'Seule la personne qui a lancé cette tâche peut l’annuler.',
  'cancel-not-owner-named': (p) => `Cette tâche ne peut être annulée que par ${p.owner}.`,
  'cancel-not-found': () => 'Cette tâche n’est plus connue, il n’y a donc rien à annuler.',
  'cancel-already-finished': () => 'Cette tâche est déjà terminée.',
  'rerun-last-step': (p) => `Cette tâche utilisait déjà « ${PRESET_LABEL[p.preset]} », le réglage le plus fort dans ce sens.`,
  'something-went-wrong': () => 'Un problème est survenu de mon côté ; veuillez réessayer dans un instant.',
  'slack-cannot-post': () =>
    'Je n’ai pas pu publier dans cette conversation, votre tâche n’a donc pas été lancée. Invitez-moi dans le canal ou essayez en message direct.',
  // Presets, the command and the form.
  'preset-label': (p) => PRESET_LABEL[p.preset],
  'preset-description': (p) => PRESET_DESCRIPTION[p.preset],
  'preset-choice': (p) => `${PRESET_LABEL[p.preset]} : ${lowerFirst(PRESET_DESCRIPTION[p.preset])}`,
  'command-description': () => 'Peignez votre photo dans le style d’une autre image.',
  'option-name': (p) => OPTION_NAME[p.option],
  'option-photo': () => `Votre photo (${FORMATS}).`,
  'option-style-image': () => 'Votre image de style : l’image dont le style sert à peindre.',
  'option-preset': (p) => `Quantité de style à appliquer (par défaut : ${PRESET_LABEL[p.preset]}).`,
  'option-size': () => 'Grand côté du résultat en pixels (plus c’est grand, plus c’est long).',
  'option-seed': () => 'La même graine et les mêmes réglages donnent la même image.',
  'option-keep-colours': () => 'Garder les couleurs de votre photo et ne prendre que les coups de pinceau.',
  'form-title': () => 'Stylize',
  'form-submit': () => 'Peindre',
  'form-close': () => 'Annuler',
  'form-ok': () => 'OK',
  'form-photo': () => 'Votre photo',
  'form-photo-hint': () => `${FORMATS}.`,
  'form-style-image': () => 'Image de style',
  'form-style-image-hint': () => 'L’image dont le style sert à peindre.',
  'form-preset': () => 'Part de style',
  'form-size': () => 'Taille (grand côté, pixels)',
  'form-size-hint': (p) => `De ${p.min} à ${p.max} ; plus c’est grand, plus c’est long. Laissez vide pour la valeur par défaut.`,
  'form-seed': () => 'Graine',
  'form-colours': () => 'Couleurs',
  'form-keep-colours': () => 'Garder les couleurs de ma photo',
  'form-keep-colours-hint': () => 'Ne prendre que les coups de pinceau de l’image de style.',
  'form-image-missing': (p) => `Il manque ${subject(p).replace(/^La /, 'la ').replace(/^L’/, 'l’')}. Veuillez ajouter une image.`,
  'form-one-image-only': () => 'Veuillez n’ajouter qu’une seule image ici.',
  'form-size-invalid': (p) => `Veuillez saisir un nombre entier de pixels de ${p.min} à ${p.max}, ou laisser vide.`,
  'form-seed-invalid': (p) => `Veuillez saisir un nombre entier de 0 à ${p.max}, ou laisser vide.`,
  'form-out-of-date': () => 'Ce formulaire n’est plus à jour. Veuillez le fermer et relancer /stylize.',
  'form-message-images': (p) =>
    `Les deux images du message sont utilisées : la *première* est votre photo, la *seconde* l’image de style.\n• Photo : ${p.photo}\n• Image de style : ${p.styleImage}`,
  'shortcut-needs-two-images': (p) =>
    `Ce message ${p.found === 0 ? 'n’a aucune image' : 'n’a qu’une seule image'}. Utilisez « Stylize » sur un message avec deux images ` +
    '(d’abord votre photo, puis l’image de style), ou tapez /stylize pour les envoyer.',
  // Reach (issue 10): the "Stylize" message command, help, "my jobs", pings when a job ends badly, the channel checks.
  'ping-failed': (p) => `${p.owner}, votre tâche n’a pas abouti : ${lowerFirst(p.reason)}`,
  'ping-cancelled-by-other': (p) => `${p.owner}, votre tâche a été annulée par ${p.by}.`,
  'discord-missing-channel-permissions': (p) =>
    `Je ne peux pas travailler dans ce salon : il me manque ${p.missing.length === 1 ? 'la permission' : 'les permissions'} ${p.missing.map((permission) => `« ${PERMISSION[permission]} »`).join(', ')}. ` +
    `Demandez à un admin du serveur de me ${p.missing.length === 1 ? 'la' : 'les'} donner ici (paramètres du salon, Permissions), puis réessayez. Rien n’a été téléchargé.`,
  'slack-not-a-member': () =>
    'Je ne suis pas membre de ce canal, je ne peux donc pas y publier votre tâche. Invitez-moi avec /invite @stylize, puis réessayez. Rien n’a été téléchargé.',
  'help-command-description': () => 'Utiliser Stylize : part de style, tableaux, limites et confidentialité.',
  'jobs-command-description': () => 'Vos tâches Stylize en attente et en cours, avec des boutons Annuler.',
  'help-intro-discord': () =>
    '/stylize avec votre photo et une image de style peint la photo dans ce style. Ou faites un clic droit sur un message avec des images et choisissez Applications → Stylize : ' +
    'sa première image est la photo, la seconde l’image de style (avec une seule image, choisissez un tableau). /stylize-jobs liste vos tâches.',
  'help-intro-slack': () =>
    '/stylize ouvre le formulaire pour votre photo et une image de style. Ou utilisez le raccourci de message Stylize (⋮ Plus d’actions) sur un message avec deux images : ' +
    'la première est la photo, la seconde l’image de style. /stylize jobs liste vos tâches.',
  'help-presets-heading': () => 'Part de style :',
  'help-preset-line': (p) => `${PRESET_LABEL[p.preset]} : ${lowerFirst(PRESET_DESCRIPTION[p.preset])}`,
  'help-library-heading': () => 'Tableaux (domaine public) :',
  'help-library-line': (p) => `${p.name} (${p.credit}) : ${lowerFirst(p.description)}`,
  'help-limits': (p) =>
    `Limites : images jusqu’à ${formatBytes(p.maxBytes)} (${FORMATS}) ; ${jobs(p.maxPerUser)} par personne à la fois, ${p.maxQueueLength} en attente au total ; ` +
    `taille de ${p.minSize} à ${p.maxSize} px ; une tâche peut durer ${formatDuration(p.timeoutMs)}.`,
  'help-privacy': (p) =>
    `Confidentialité : vos deux images ne sont gardées que pendant que votre tâche attend ou s’exécute, puis ${formatDuration(p.keptMs)} après sa fin (pour les boutons de relance) ; ` +
    'les images d’une tâche échouée ou annulée sont supprimées aussitôt. Personne d’autre que vous ne peut relancer vos tâches ; les modérateurs peuvent aussi les annuler.',
  'jobs-none': () => 'Vous n’avez aucune tâche en attente ou en cours.',
  'jobs-heading': (p) => `Vos tâches (${p.count}) :`,
  'jobs-line-running': (p) => `En cours : ${PRESET_LABEL[p.preset]}`,
  'jobs-line-waiting': (p) => `En attente, ${queuePosition(p.position)} : ${PRESET_LABEL[p.preset]}`,
  'jobs-cancel-button': (p) => `Annuler la tâche ${p.index}`,
  'slack-unknown-subcommand': (p) =>
    `Je ne connais pas « /stylize ${p.text} ». Tapez /stylize pour ouvrir le formulaire, /stylize help pour l’aide ou /stylize jobs pour vos tâches.`,
  'context-no-images': () => 'Ce message n’a aucune image. Utilisez Stylize sur un message avec votre photo (et une image de style), ou tapez /stylize pour les envoyer.',
  'context-pick-images': (p) => `Ce message a ${p.count} images. Choisissez votre photo et l’image de style :`,
  'context-pick-photo': () => 'Votre photo',
  'context-pick-style': () => 'Image de style',
  'context-pick-library': () => 'Ce message n’a qu’une image, votre photo. Choisissez un tableau pour le style :',
  'context-pick-same': () => 'Veuillez choisir deux images différentes : une photo et une image de style.',
  'context-picker-expired': () => 'Ce choix n’est plus à jour. Utilisez à nouveau Stylize sur le message.',
  'context-image-label': (p) => `${p.index}. ${p.fileName}`,
  'list-and-more': (p) => `et ${p.count} de plus`,
  // Results: the style library.
  'style-missing': () => 'Veuillez indiquer un style : joignez une image de style ou choisissez un tableau.',
  'style-both': () => 'Veuillez n’indiquer qu’un seul style : joignez une image de style ou choisissez un tableau, pas les deux.',
  'library-style-unknown': (p) => `Il n’y a pas de tableau « ${p.id} ». Veuillez en choisir un dans la liste.`,
  'settings-library-style': (p) => `Tableau : ${p.name} (${p.credit})`,
  // Results: what the result says and its buttons.
  'result-summary': (p) =>
    `${p.owner}, votre image est prête : ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''} · ${p.width}×${p.height} px · ${formatDuration(p.seconds * 1000)}.`,
  'button-bigger': (p) => `Plus grand (${p.size} px)`,
  'button-keep-colours': (p) => (p.keep ? 'Garder les couleurs de ma photo' : 'Prendre les couleurs du style'),
  'button-use-as-photo': () => 'Utiliser comme photo',
  'button-use-as-style': () => 'Utiliser comme style',
  'button-details': () => 'ⓘ Détails',
  'button-delete': () => 'Supprimer',
  'details-heading': () => 'Réglages de cette image :',
  'delete-done': () =>
    'Supprimé : je ne conserve plus l’image, ni la photo et l’image de style dont elle est issue. Les tâches déjà lancées à partir d’elles gardent leurs propres copies.',
  'delete-not-owner': () => 'Seule la personne qui a lancé cette tâche peut la supprimer.',
  'delete-not-found': () => 'Je ne conserve plus cette tâche (ses images ont déjà été effacées).',
  'delete-not-finished': () => 'Cette tâche est encore en attente ou en cours : annulez-la plutôt.',
  // Blends and brush size (issue 19).
  'result-styles': (p) => `${p.styles.length === 1 ? 'Style' : 'Styles'} : ${p.styles.map(styleMention).join(' · ')}`,
  'settings-styles': (p) => `${p.styles.length === 1 ? 'Style' : 'Styles'} : ${p.styles.map(styleMention).join(' · ')}`,
  'settings-brush-size': (p) => `Taille du pinceau : ${p.brush === undefined ? '' : `${BRUSH[p.brush]}, `}image de style à ${decimal(p.scale)} × la taille de l’image`,
  'settings-colour-mode': (p) => `Couleurs : ${COLOUR_MODE[p.mode]}`,
  'button-brush-size': (p) => `Pinceau : ${BRUSH[p.brush].toLowerCase()}`,
  // Painting time (issue 21).
  'settings-run-time': (p) => `Durée de peinture : ${formatDuration(p.minutes * 60_000)}`,
  'option-style-image-or-library': () => `L’image dont le style sert à peindre (ou choisissez plutôt un ${OPTION_NAME.library_style})`,
  'option-library-style': () => 'Un tableau de la collection intégrée, au lieu d’une image de style',
  'form-style-image-optional-hint': () => 'L’image dont le style sert à peindre. Laissez vide pour choisir un tableau ci-dessous.',
  'form-library-style': () => 'Tableau',
  'form-library-style-hint': () => 'Un tableau de la collection intégrée, au lieu d’une image de style.',
  // Communities: moderation, the admin command, DMs.
  'server-limit': (p) =>
    `Ce serveur a déjà ${jobs(p.maxPerServer)} en attente ou en cours, le maximum que ses admins autorisent. Veuillez réessayer quand l’une d’elles sera terminée.`,
  'channel-not-allowed': (p) => `Ici, /stylize ne fonctionne que dans ${p.channels}. Veuillez l’utiliser là-bas.`,
  'no-image-permission': () =>
    'Vous ne pouvez pas publier d’images dans ce salon, je n’y publierai donc pas votre résultat. Veuillez utiliser /stylize dans un salon où vous pouvez joindre des fichiers.',
  'admin-only': () => 'Seuls les admins du serveur (Gérer le serveur) peuvent modifier mes réglages ici.',
  'admin-server-only': () => 'Mes réglages appartiennent à un serveur : utilisez /stylize-admin dans l’un de ses salons.',
  'option-spoiler': () => 'Envoyer le résultat et les aperçus en spoiler (masqués jusqu’au clic).',
  'job-server-paused': () =>
    'Les admins de ce serveur ont mis ses tâches en pause : votre tâche attend son tour et démarrera dès qu’ils les reprendront.',
  'admin-command-description': () => 'Modifier les réglages de Stylize pour ce serveur.',
  'admin-show-description': () => 'Afficher les réglages de ce serveur et ses tâches.',
  'admin-set-description': () => 'Régler la part de style et la taille par défaut, et les limites de tâches.',
  'admin-option-default-preset': () => 'Part de style utilisée quand /stylize n’en indique aucune.',
  'admin-option-default-size': () => 'Taille (grand côté, pixels) utilisée quand /stylize n’en indique aucune.',
  'admin-option-user-limit': () => 'Tâches en attente ou en cours par personne (la limite de Stylize reste le maximum).',
  'admin-option-server-limit': () => 'Tâches que ce serveur peut avoir en attente ou en cours à la fois.',
  'admin-option-reset': () => 'Remettre la part de style, la taille et les limites de tâches à celles de Stylize.',
  'admin-pause-description': () => 'Mettre en pause les tâches de ce serveur : elles attendent jusqu’à la reprise.',
  'admin-resume-description': () => 'Reprendre les tâches de ce serveur.',
  'admin-clear-description': () => 'Annuler toutes les tâches en attente de ce serveur (une tâche en cours se termine).',
  'admin-channels-description': () => 'Choisir les salons où /stylize peut être utilisé.',
  'admin-option-allow': () => 'Autoriser /stylize dans ce salon.',
  'admin-option-disallow': () => 'Ne plus autoriser /stylize dans ce salon.',
  'admin-option-everywhere': () => 'Autoriser de nouveau /stylize dans tous les salons.',
  'admin-settings': (p) =>
    [
      `Part de style par défaut : ${PRESET_LABEL[p.preset]}${p.presetIsDefault ? ' (celle de Stylize)' : ''}`,
      `Taille par défaut : ${p.size === undefined ? 'celle de Stylize' : `${p.size} px`}`,
      `Salons : ${p.channels ?? 'tous les salons'}`,
      `Tâches par personne : ${p.userLimit}`,
      `Tâches pour ce serveur : ${p.serverLimit === undefined ? `pas de limite propre (Stylize en accepte ${p.queueCeiling} en attente au total)` : p.serverLimit}`,
      `État : ${p.paused ? 'en pause' : 'actif'} ; ${p.waiting} en attente, ${p.running} en cours`,
    ].join('\n'),
  'admin-saved': () => 'Enregistré. Les réglages maintenant :',
  'admin-nothing-to-change': () => 'Rien à modifier : indiquez au moins une option.',
  'admin-paused': () => 'En pause. Les tâches de ce serveur attendent qu’un admin les reprenne ; une tâche déjà en cours se termine.',
  'admin-resumed': () => 'Repris. Les tâches en attente de ce serveur s’exécutent de nouveau à leur tour.',
  'admin-cleared': (p) =>
    `Vidé : ${p.count} ${p.count === 1 ? 'tâche en attente annulée' : 'tâches en attente annulées'}. Une tâche déjà en cours se termine.`,
  'slack-admin-only': () => 'Seuls les admins et propriétaires de l’espace de travail peuvent modifier mes réglages.',
  'slack-admin-usage': () =>
    'Utilisation : `/stylize admin show`, `pause`, `resume`, `clear`, `set preset=photo|balanced|painterly|painting size=PX user-limit=N server-limit=N` ' +
    '(au choix ; `set reset` pour les valeurs par défaut), `channels allow` ou `channels disallow` (ce canal), `channels everywhere`.',
  // Image links
  'photo-missing': () => 'Veuillez donner une photo : joignez-en une, ou collez le lien d’une image déjà publiée ici (lien_photo).',
  'image-upload-and-link': (p) => `Veuillez donner ${IMAGE_NAME[p.role]} une seule fois : en pièce jointe ou par son lien, pas les deux.`,
  'image-link-host-not-allowed': (p) => `${subject(p)} : le lien doit mener à une image publiée dans la discussion même (${p.hosts}) ; ${p.host || 'cette adresse'} n’en fait pas partie.`,
  // Blends and brush size (issue 19).
  'too-many-styles': (p) => `Une image peut mélanger au plus ${p.max} images de style (cette tâche en a ${p.count}). Veuillez en retirer.`,
  'style-weights-invalid': (p) => `Le mélange demande une part pour chacune de ses ${p.count} images de style, aucune négative et pas toutes nulles.`,
  'second-style-both': () => 'Veuillez n’indiquer qu’un seul second style : une image jointe ou liée, ou un tableau, pas les deux.',
  'blend-needs-second-style': () => 'Un mélange associe deux styles : indiquez aussi un second style (une image, son lien ou un tableau), ou retirez le mélange.',
  // Image links
  'option-photo-url': () => 'Ou le lien d’une photo déjà publiée ici (Copier le lien), au lieu de la joindre',
  'option-style-url': () => 'Ou le lien d’une image de style déjà publiée ici (Copier le lien), au lieu de la joindre',
  'settings-preset': (p) => `Part de style : ${PRESET_LABEL[p.preset]}`,
  'library-choice': (p) => `${p.name} — ${p.description}`,
  'admin-name': (p) => ADMIN_NAME[p.part],
  // The local web chat (src/adapters/web/).
  'web-page-title': () => 'Stylize : faites d’une photo un tableau',
  'web-intro': () => 'Déposez une photo, choisissez un style et regardez-la se peindre. Les images de ce navigateur ne sont visibles que par lui.',
  'web-job-heading': (p) => `${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'web-cancelled': () => 'Annulé.',
  'web-drop-hint': () => `Déposez une image ici ou choisissez un fichier (${FORMATS}).`,
  'web-style-heading': () => 'Style',
  'web-style-upload': () => 'Votre propre image de style',
  'web-library-none': () => 'Aucun : utiliser ma propre image de style',
  'web-image-ready': (p) => `Prête : ${p.fileName}`,
  'web-jobs-heading': () => 'Mes tâches',
  'web-pictures-heading': () => 'Images',
  'web-pictures-none': () => 'Vos images apparaîtront ici.',
  'web-download': () => 'Télécharger',
  'web-sending': () => 'Envoi…',
  'web-connection-lost': () => 'La connexion au bot est perdue ; nouvel essai…',
  'web-page-out-of-date': () => 'Cette page n’est plus à jour. Veuillez la recharger.',
  'web-token-title': () => 'Ce chat web demande son jeton d’accès',
  'web-token-label': () => 'Jeton d’accès',
  'web-token-submit': () => 'Ouvrir',
  'web-token-wrong': () => 'Ce jeton d’accès n’est pas le bon. Veuillez réessayer.',
  // Blends and brush size (issue 19).
  'option-style2': () => `Une seconde image de style à mélanger avec la première (ou ${OPTION_NAME.style2_url} ou ${OPTION_NAME.library_style2})`,
  'option-style2-url': () => 'Ou le lien d’une seconde image de style déjà publiée ici (Copier le lien)',
  'option-library-style2': () => 'Un second tableau de la collection intégrée, à mélanger avec le premier style',
  'option-blend': () => 'La part du second style dans le mélange (par défaut 50 %)',
  'option-brush-size': () => 'Taille des coups de pinceau : petit, normal (par défaut) ou grand',
  'blend-choice': (p) => `${p.share} % second style, ${100 - p.share} % premier`,
  'brush-choice': (p) => BRUSH[p.brush],
  'form-style2': () => 'Seconde image de style',
  'form-style2-hint': () => 'Facultatif : mélangez un second style au premier. Envoyez une image ou choisissez un tableau ci-dessous.',
  'form-library-style2': () => 'Second tableau',
  'form-blend': () => 'Mélange (part du second style)',
  'form-brush-size': () => 'Taille du pinceau',
  // Painting time (issue 21).
  'option-run-time': () => 'Durée de peinture : plus de temps, plus de détails. Par défaut : selon la taille.',
  'run-time-choice': (p) => `${p.minutes}\u00A0minute${p.minutes === 1 ? '' : 's'}`,
  'run-time-usual': () => 'Par défaut (selon la taille)',
  'form-run-time': () => 'Durée de peinture',
};

/** A narrow no-break space (U+202F): the French space before ; : ! ? and », after «, that never breaks a line. */
const THIN = '\u202F';

/** A no-break space (U+00A0): between a number and its unit ("512 px"), as units.ts writes them. */
const UNIT_GAP = '\u00A0';

/** "Taille : 512 px" with the spaces that keep a mark and a unit on their line. */
function frenchSpacing(text: string): string {
  return text
    .replace(/ ([;:!?»])/g, `${THIN}$1`)
    .replace(/« /g, `«${THIN}`)
    .replace(/(\d) (?=(?:px|Mo|Ko|octets|min|s|h|%)(?!\p{L}))/gu, `$1${UNIT_GAP}`);
}

export const fr: Translation = Object.fromEntries(
  Object.entries(sentences).map(([key, sentence]) => [key, (params: never) => frenchSpacing((sentence as (params: never) => string)(params))]),
) as Translation;
