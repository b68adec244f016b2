// English: the sentences of every message key, and the fallback for any other language. The bot speaks as
// "I" ("I can't post it here", "my operator"); command and settings labels name it Stylize. Plain words:
// the technical figures (style weight, steps, network layers) appear only under Details.
import type { Catalogue, StyleMention } from './catalogue.js';
import { ACCEPTED_FORMATS, type RefusedFormat } from './formats.js';
import { formatBytes, formatDuration, formatMegapixels } from './units.js';
import type { BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, PlatformName, PresetName } from './vocabulary.js';

/** One name per image, everywhere a user reads about it. */
const IMAGE_NAME: Readonly<Record<ImageRole, string>> = { content: 'photo', style: 'style image', style2: 'second style image', style3: 'third style image', style4: 'fourth style image' };

/** "JPEG, PNG, WebP or GIF". */
const FORMATS = `${ACCEPTED_FORMATS.slice(0, -1).map((format) => format.name).join(', ')} or ${ACCEPTED_FORMATS.at(-1)?.name}`;

const REFUSED_FORMAT: Readonly<Record<RefusedFormat, string>> = {
  tiff: 'a TIFF file',
  avif: 'an AVIF file',
  heic: 'a HEIC/HEIF file',
  jpeg2000: 'a JPEG 2000 file',
  pdf: 'a PDF file',
  postscript: 'a PostScript file',
  bmp: 'a BMP file',
  photoshop: 'a Photoshop file',
  icon: 'an icon file',
  'jpeg-xl': 'a JPEG XL file',
  gzip: 'a compressed (gzip) file',
  svg: 'an SVG file',
};

/** As Discord's channel settings name them. */
const PERMISSION: Readonly<Record<ChannelPermission, string>> = {
  'view-channel': 'View Channel',
  'send-messages': 'Send Messages',
  'create-public-threads': 'Create Public Threads',
  'send-messages-in-threads': 'Send Messages in Threads',
  'attach-files': 'Attach Files',
};

const PLATFORM: Readonly<Record<PlatformName, string>> = { discord: 'Discord', slack: 'Slack', web: 'The web chat' };

const PRESET_LABEL: Readonly<Record<PresetName, string>> = {
  photo: 'Mostly photo',
  balanced: 'Balanced',
  painterly: 'Painterly',
  painting: 'Mostly style',
};

/** The command's option names as English clients show them (see 'option-name'): the words the help and the form use. */
const OPTION_NAME: Readonly<Record<CommandOption, string>> = {
  content: 'photo',
  style: 'style_image',
  preset: 'style_ratio',
  size: 'size',
  seed: 'seed',
  keep_colours: 'keep_colours',
  spoiler: 'spoiler',
  library_style: 'painting',
  photo_url: 'photo_link',
  style_url: 'style_image_link',
  style2: 'style_image2',
  style2_url: 'style_image2_link',
  library_style2: 'painting2',
  blend: 'blend',
  brush_size: 'brush_size',
  painting_time: 'painting_time',
};

const PRESET_DESCRIPTION: Readonly<Record<PresetName, string>> = {
  photo: 'Your photo with a light touch of the style image.',
  balanced: 'Photo and style image in balance.',
  painterly: 'Strong brushwork; the photo is still recognisable.',
  painting: "The style image's texture leads; only the photo's layout remains.",
};

/** "The photo", "The style image (cat.png)", "The image". */
function subject(about: { role?: ImageRole; fileName?: string }): string {
  const name = about.role ? `The ${IMAGE_NAME[about.role]}` : 'The image';
  return about.fileName ? `${name} (${about.fileName})` : name;
}

/** "next in line", "2nd in line", "11th in line". */
function queuePosition(position: number): string {
  if (position <= 1) return 'next in line';
  const lastTwo = position % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][position % 10] ?? 'th');
  return `${position}${suffix} in line`;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

const BRUSH: Readonly<Record<BrushSize, string>> = { small: 'Small', normal: 'Normal', large: 'Large' };

const COLOUR_MODE: Readonly<Record<ColourMode, string>> = {
  style: "the style's",
  luminance: "your photo's (only the brightness was painted)",
  swap: "your photo's (put back after painting)",
};

/** "The Starry Night (Vincent van Gogh, 1889), 75%" or "your style image, 25%". */
function styleMention(style: StyleMention): string {
  const name = style.name === undefined ? 'your style image' : `${style.name}${style.credit ? ` (${style.credit})` : ''}`;
  return style.share === undefined ? name : `${name}, ${style.share}%`;
}

export const en: Catalogue = {
  // Images, as the engine reads them.
  'image-empty': (p) => `${subject(p)} is an empty file (0 bytes). Please upload the picture again.`,
  'image-not-an-image': (p) => `${subject(p)} is not a picture I can read. Please send a ${FORMATS} file.`,
  'image-format-refused': (p) => `${subject(p)} is ${REFUSED_FORMAT[p.format]}, which is not supported. Please send a ${FORMATS} picture.`,
  'image-truncated': (p) => `${subject(p)} is damaged or incomplete and cannot be read. Please upload it again.`,
  'image-too-many-pixels': (p) =>
    p.width !== undefined && p.height !== undefined
      ? `${subject(p)} is too large (${p.width} × ${p.height} pixels, ${formatMegapixels(p.width * p.height)}); the limit is ${formatMegapixels(p.maxPixels)}. Please send a smaller picture.`
      : `${subject(p)} is too large; the limit is ${formatMegapixels(p.maxPixels)}. Please send a smaller picture.`,
  // Uploads, as the platform declares them, and their download.
  'image-not-accepted': (p) => `${subject(p)} is not a ${FORMATS} picture, the only formats I take. Please choose one of those.`,
  'image-too-large': (p) => `${subject(p)} is ${formatBytes(p.bytes)}; the limit is ${formatBytes(p.maxBytes)}. Please choose a smaller picture.`,
  'file-link-invalid': (p) => `${subject(p)}: the file link is not a valid address.`,
  'file-host-not-allowed': (p) => `${subject(p)}: I only download files uploaded to the chat itself; ${p.host || 'that address'} is not an allowed file host.`,
  'download-too-large': (p) => `${subject(p)} is larger than the ${formatBytes(p.maxBytes)} limit. Please choose a smaller picture.`,
  'download-failed': (p) => `${subject(p)} could not be downloaded (the file host answered ${p.status}).`,
  'download-timed-out': (p) => `${subject(p)} took longer than ${formatDuration(p.timeoutMs)} to download; please try again.`,
  'download-network': (p) => `${subject(p)} could not be downloaded; please try again.`,
  'slack-file-unreadable': (p) => `${subject(p)} could not be read from Slack${p.detail ? ` (${p.detail})` : ''}. Please upload it again.`,
  'images-not-checked': () => 'Your images could not be checked, so the job was not started. Please try again, or try other pictures.',
  'image-too-small-for-size': (p) =>
    `At ${p.size} px the photo is only ${p.width} × ${p.height}; its short side must be at least ${p.minSide} px. Please choose a larger size.`,
  'option-out-of-range': (p) => `${p.option === 'size' ? 'The size' : 'The number of iterations'} must be a whole number from ${p.min} to ${p.max} (got ${p.got}).`,
  'size-exceeds-memory': (p) =>
    p.largestSize > 0
      ? `A picture of ${p.size} px needs more memory than this machine can give it. The largest size that fits is ${p.largestSize} px: please choose that or smaller.`
      : `A picture of ${p.size} px needs more memory than this machine can give it, and so does every smaller size.`,
  // The queue.
  'bot-restarting': () => 'I am restarting and not taking new jobs right now. Please try again in a minute.',
  'user-limit': (p) =>
    `You already have ${plural(p.maxPerUser, 'job')} waiting or running, the most one person may have at a time. Wait for one to finish (or cancel one), then try again.`,
  'queue-full': (p) => `The queue is full (${p.maxQueueLength} jobs waiting). Please try again in a few minutes.`,
  // Results: the style library.
  'style-missing': () => 'Please give a style: attach a style image or pick a painting.',
  'style-both': () => 'Please give only one style: either attach a style image or pick a painting, not both.',
  'library-style-unknown': (p) => `There is no painting called "${p.id}". Please pick one from the list.`,
  'rerun-not-owner': () => 'Only the person who started this job can run it again. Use /stylize with your own images.',
  'rerun-images-gone': () => 'The images of this job are no longer kept, so it cannot be run again. Please start a new job with /stylize.',
  'storage-unavailable': () => 'I cannot save new jobs right now (my storage is full or failing). Please try again later.',
  'storage-full': () => 'I have no room to store more images right now: the jobs already waiting fill my storage. Please try again later.',
  'journal-failed': () => "I could not save your job's progress (my storage is full or failing), so the job was stopped. Please try again later.",
  'size-too-slow': (p) =>
    `A ${p.size} px picture would take longer than the ${formatDuration(p.limitMs)} limit here. ` +
    (p.largestSize === undefined ? 'No size fits right now; please try again later.' : `Please choose ${p.largestSize} px or smaller.`),
  'job-timed-out': (p) => `Your job took longer than the ${formatDuration(p.limitMs)} limit and was stopped. Try again with a smaller size.`,
  'engine-crashed': () =>
    'The engine crashed while working on your image (it may have run out of memory). Try again with a smaller size; other jobs are not affected.',
  'engine-unavailable': () => 'The engine could not start, so your job could not run. Please try again later; my operator has been told.',
  'engine-failed': () => 'Something went wrong inside the engine while working on your image. Please try again; if it keeps happening, tell my operator.',
  'model-missing': () => 'I could not load my painting model, so your job could not run. My operator has been told.',
  'crashed-too-often': (p) =>
    `I stopped unexpectedly ${p.attempts === 1 ? 'while' : `${p.attempts} times while`} working on your job, so it was not tried again. Try again with a smaller size; if it keeps happening, tell my operator.`,
  // Posting the picture.
  'result-gone': () => 'Your picture was made, but it is no longer kept, so it could not be posted. Please run the job again.',
  'delivery-gave-up': (p) => `Your picture is ready, but posting it failed ${p.attempts} times in a row, so I stopped trying. Please run the job again later.`,
  'delivery-no-destination': () => 'The picture is ready, but I no longer know where to post it.',
  'discord-missing-permissions': () =>
    "The picture is ready, but I can't post it here: give me the Attach Files and Send Messages in Threads permissions in this channel, then run the job again.",
  'discord-missing-access': () =>
    "The picture is ready, but I can't reach this channel's thread: give me the View Channel and Send Messages in Threads permissions, then run the job again.",
  'discord-upload-too-large': (p) => `The picture is ready, but at ${formatBytes(p.bytes)} it is larger than this server lets me upload.`,
  'discord-refused': (p) => `The picture is ready, but Discord refused it (${p.detail}).`,
  'slack-not-in-channel': () => 'The picture is ready, but I am not in this channel any more: invite me (/invite @Stylize), then run the job again.',
  'slack-channel-not-found': () => 'The picture is ready, but I cannot find this channel any more (deleted, or I was removed), so it could not be posted.',
  'slack-channel-archived': () => 'The picture is ready, but this channel is archived, so it could not be posted.',
  'slack-missing-scope': () =>
    'The picture is ready, but this Slack app may not upload files (missing scope files:write). Ask an admin to reinstall it, then run the job again.',
  'slack-token-type': () => 'The picture is ready, but this Slack app may not upload files. Ask an admin to check its installation.',
  'slack-restricted': () => 'The picture is ready, but this workspace does not let me post files in this channel.',
  'slack-upload-too-large': () => 'The picture is ready, but it is larger than this workspace lets me upload.',
  'slack-token-refused': () => 'The picture is ready, but Slack no longer accepts my token. My operator has been told.',
  // Communities: per-server limits and rules.
  'server-limit': (p) => `This server already has ${plural(p.maxPerServer, 'job')} waiting or running, the most its admins allow. Please try again when one has finished.`,
  'channel-not-allowed': (p) => `Here, /stylize works only in ${p.channels}. Please use it there.`,
  'no-image-permission': () => 'You cannot post pictures in this channel, so I will not post your result here. Please use /stylize in a channel where you can attach files.',
  'admin-only': () => "Only the server's admins (Manage Server) can change my settings here.",
  'admin-server-only': () => 'My settings belong to a server: use /stylize-admin in one of its channels.',
  'hitch-slow-down': (p) => `${PLATFORM[p.platform]} asked me to slow down`,
  'hitch-server-error': (p) => `${PLATFORM[p.platform]} answered with a server error (${p.status})`,
  'hitch-http-error': (p) => `${PLATFORM[p.platform]} answered with an error (${p.status})`,
  'hitch-platform-error': (p) => `${PLATFORM[p.platform]} answered ${p.detail}`,
  'hitch-no-answer': (p) => `${PLATFORM[p.platform]} did not answer in time`,
  'hitch-restarting': () => 'I am restarting',
  'hitch-unexpected': () => 'posting the picture failed unexpectedly',
  // A job's messages.
  'app-name': () => 'Stylize',
  'job-heading': (p) =>
    `${p.app} for ${p.owner} · ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'job-summary': (p) => `Stylize for ${p.owner}: ${p.status}`,
  'thread-name': (p) => `stylize · ${p.userName} · ${PRESET_LABEL[p.preset]}`,
  'queue-position': (p) => queuePosition(p.position),
  'status-preparing': () => 'Checking your images…',
  'status-queued': (p) =>
    `${p.resumed ? 'Back in the queue after a restart' : 'Queued'}: ${queuePosition(p.position)}` +
    `${p.startsInMs === undefined ? '' : p.startsInMs < 1000 ? ', starts now' : `, starts in about ${formatDuration(p.startsInMs)}`}.`,
  'status-starting': () => 'Starting…',
  'status-running': (p) => `Painting ${p.bar}${p.etaMs !== undefined ? ` · about ${formatDuration(p.etaMs)} left` : ''}`,
  'status-delivering': (p) => `The picture is ready, but posting it failed (${p.problem}). Trying again in ${formatDuration(p.retryInMs)}.`,
  'status-done': (p) => `Done in ${formatDuration(p.seconds * 1000)}${p.inThread ? '.' : ': the picture is in the thread.'}`,
  'status-cancelled': (p) => `Cancelled by ${p.by}.`,
  'status-moved-to-thread': () => 'Still working: progress continues in the thread.',
  'result-ready': (p) => `${p.owner}, your picture is ready.`,
  'result-title': (p) => `Stylize · ${PRESET_LABEL[p.preset]}`,
  'result-alt': (p) => `Stylized picture, ${p.width}×${p.height}`,
  'preview-alt': () => 'Preview of the picture so far',
  'preview-title': (p) => `Preview · ${p.percent}%`,
  'preview-comment': (p) => `The picture so far (${p.percent}% painted).`,
  'button-cancel': () => 'Cancel',
  'button-more-content': (p) => `Less style (${PRESET_LABEL[p.preset]})`,
  'button-more-style': (p) => `More style (${PRESET_LABEL[p.preset]})`,
  'settings-style-ratio': (p) => `Style ratio: ${PRESET_LABEL[p.preset]} (style weight α/β = ${p.ratio.toExponential(0)})`,
  'settings-result-size': (p) => `Size: ${p.width}×${p.height} px`,
  'settings-iterations': (p) => `Steps: ${p.iterations} in ${formatDuration(p.seconds * 1000)} on ${p.backend}`,
  'settings-layers': (p) => `Network layers: photo ${p.content.join(', ')}; style ${p.style.join(', ')}`,
  'settings-size': (p) => `Size: ${p.size} px (long side)`,
  'settings-bigger-from': (p) => `Made bigger from the ${p.size} px picture`,
  'settings-seed': (p) => `Seed: ${p.seed}`,
  'settings-keep-colours': (p) => `Keep colours: ${p.keep ? 'yes' : 'no'}`,
  // Results: the style library.
  'settings-library-style': (p) => `Painting: ${p.name} (${p.credit})`,
  // Results: what the result says and its buttons.
  'result-summary': (p) =>
    `${p.owner}, your picture is ready: ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''} · ${p.width}×${p.height} px · ${formatDuration(p.seconds * 1000)}.`,
  'button-bigger': (p) => `Bigger (${p.size} px)`,
  'button-keep-colours': (p) => (p.keep ? "Keep my photo's colours" : "Use the style's colours"),
  'button-use-as-photo': () => 'Use as photo',
  'button-use-as-style': () => 'Use as style',
  'button-details': () => 'ⓘ Details',
  'button-delete': () => 'Delete',
  'details-heading': () => 'Settings of this picture:',
  'delete-done': () => 'Deleted: I no longer keep the picture, nor the photo and style image it was made from. Jobs already started from them keep their own copies.',
  'delete-not-owner': () => 'Only the person who started this job can delete it.',
  'delete-not-found': () => 'I no longer keep this job (its images were already removed).',
  'delete-not-finished': () => 'This job is still waiting or running: cancel it instead.',
  // Blends and brush size (issue 19).
  'result-styles': (p) => `${p.styles.length === 1 ? 'Style' : 'Styles'}: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-styles': (p) => `${p.styles.length === 1 ? 'Style' : 'Styles'}: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-brush-size': (p) => `Brush size: ${p.brush === undefined ? '' : `${BRUSH[p.brush]}, `}style image at ${p.scale}× the picture's size`,
  'settings-colour-mode': (p) => `Colours: ${COLOUR_MODE[p.mode]}`,
  'button-brush-size': (p) => `Brush: ${BRUSH[p.brush].toLowerCase()}`,
  // Painting time (issue 21).
  'settings-run-time': (p) => `Painting time: ${formatDuration(p.minutes * 60_000)}`,
  // Notes to one user.
  'cancel-not-owner': () => 'Only the person who started this job can cancel it.',
  'cancel-not-owner-named': (p) => `Only ${p.owner} can cancel this job.`,
  'cancel-not-found': () => 'This job is no longer known, so there is nothing to cancel.',
  'cancel-already-finished': () => 'This job has already finished.',
  'rerun-last-step': (p) => `This job already used “${PRESET_LABEL[p.preset]}”, the strongest setting that way.`,
  'something-went-wrong': () => 'Something went wrong on my side; please try again in a moment.',
  'slack-cannot-post': () => 'I could not post in this conversation, so your job was not started. Please invite me to the channel or try in a direct message.',
  // Presets, the command and the form.
  'preset-label': (p) => PRESET_LABEL[p.preset],
  'preset-description': (p) => PRESET_DESCRIPTION[p.preset],
  'preset-choice': (p) => `${PRESET_LABEL[p.preset]}: ${PRESET_DESCRIPTION[p.preset]}`,
  'command-description': () => 'Paint your photo in the style of another image.',
  'option-name': (p) => OPTION_NAME[p.option],
  'option-photo': () => `Your photo (${FORMATS}).`,
  'option-style-image': () => 'Your style image: the picture whose style to paint with.',
  'option-preset': (p) => `How much style to apply (default: ${PRESET_LABEL[p.preset]}).`,
  'option-size': () => 'Long side of the result in pixels (larger takes longer).',
  'option-seed': () => 'The same seed and settings give the same picture.',
  'option-keep-colours': () => "Keep your photo's colours and take only the brushwork.",
  'form-title': () => 'Stylize',
  'form-submit': () => 'Paint it',
  'form-close': () => 'Cancel',
  'form-ok': () => 'OK',
  'form-photo': () => 'Your photo',
  'form-photo-hint': () => `${FORMATS}.`,
  'form-style-image': () => 'Style image',
  'form-style-image-hint': () => 'The picture whose style to paint with.',
  'form-preset': () => 'Style ratio',
  'form-size': () => 'Size (long side, pixels)',
  'form-size-hint': (p) => `${p.min} to ${p.max}; larger takes longer. Leave empty for the default.`,
  'form-seed': () => 'Seed',
  'form-colours': () => 'Colours',
  'form-keep-colours': () => "Keep my photo's colours",
  'form-keep-colours-hint': () => 'Take only the brushwork from the style image.',
  'form-image-missing': (p) => `${subject(p)} is missing. Please add one picture.`,
  'form-one-image-only': () => 'Please add only one picture here.',
  'form-size-invalid': (p) => `Please enter a whole number of pixels from ${p.min} to ${p.max}, or leave it empty.`,
  'form-seed-invalid': (p) => `Please enter a whole number from 0 to ${p.max}, or leave it empty.`,
  'form-out-of-date': () => 'This form is out of date. Please close it and run /stylize again.',
  'form-message-images': (p) =>
    `Using the two images of the message: the *first* is your photo, the *second* is the style image.\n• Photo: ${p.photo}\n• Style image: ${p.styleImage}`,
  'shortcut-needs-two-images': (p) =>
    `This message has ${p.found === 0 ? 'no images' : 'only one image'}. Use "Stylize" on a message with two images ` +
    '(first your photo, then the style image), or type /stylize to upload them.',
  // Reach (issue 10): the "Stylize" message command, help, "my jobs", pings when a job ends badly, the channel checks.
  'ping-failed': (p) => `${p.owner}, your job did not finish: ${p.reason}`,
  'ping-cancelled-by-other': (p) => `${p.owner}, your job was cancelled by ${p.by}.`,
  'discord-missing-channel-permissions': (p) =>
    `I can't work in this channel: I am missing the ${p.missing.length === 1 ? 'permission' : 'permissions'} ${p.missing.map((permission) => PERMISSION[permission]).join(', ')}. ` +
    'Ask a server admin to give them to me here (channel settings, Permissions), then try again. Nothing was downloaded.',
  'slack-not-a-member': () => 'I am not a member of this channel, so I cannot post your job here. Invite me with /invite @stylize, then try again. Nothing was downloaded.',
  'help-command-description': () => 'How to use Stylize: style ratios, paintings, limits and privacy.',
  'jobs-command-description': () => 'Your waiting and running Stylize jobs, with Cancel buttons.',
  'help-intro-discord': () =>
    '/stylize with your photo and a style image paints the photo in that style. Or right-click a message with images and choose Apps → Stylize: ' +
    'its first image is the photo, the second the style image (with one image, pick a painting). /stylize-jobs lists your jobs.',
  'help-intro-slack': () =>
    '/stylize opens the form for your photo and a style image. Or use the message shortcut Stylize (⋮ More actions) on a message with two images: ' +
    'the first is the photo, the second the style image. /stylize jobs lists your jobs.',
  'help-presets-heading': () => 'Style ratios:',
  'help-preset-line': (p) => `${PRESET_LABEL[p.preset]}: ${PRESET_DESCRIPTION[p.preset]}`,
  'help-library-heading': () => 'Paintings (public domain):',
  'help-library-line': (p) => `${p.name} (${p.credit}): ${p.description}`,
  'help-limits': (p) =>
    `Limits: images up to ${formatBytes(p.maxBytes)} (${FORMATS}); ${plural(p.maxPerUser, 'job')} per person at a time, ${p.maxQueueLength} waiting in all; ` +
    `size ${p.minSize} to ${p.maxSize} px; a job may run ${formatDuration(p.timeoutMs)}.`,
  'help-privacy': (p) =>
    `Privacy: your two images are kept only while your job waits or runs, and for ${formatDuration(p.keptMs)} after it is done (for the run-again buttons); ` +
    "a failed or cancelled job's images are removed at once. Only you can run your jobs again; moderators can also cancel them.",
  'jobs-none': () => 'You have no waiting or running jobs.',
  'jobs-heading': (p) => `Your ${plural(p.count, 'job')}:`,
  'jobs-line-running': (p) => `Running: ${PRESET_LABEL[p.preset]}`,
  'jobs-line-waiting': (p) => `Waiting, ${queuePosition(p.position)}: ${PRESET_LABEL[p.preset]}`,
  'jobs-cancel-button': (p) => `Cancel job ${p.index}`,
  'slack-unknown-subcommand': (p) => `I don't know "/stylize ${p.text}". Type /stylize to open the form, /stylize help for help or /stylize jobs for your jobs.`,
  'context-no-images': () => 'This message has no images. Use Stylize on a message with your photo (and a style image), or type /stylize to upload them.',
  'context-pick-images': (p) => `This message has ${p.count} images. Pick your photo and the style image:`,
  'context-pick-photo': () => 'Your photo',
  'context-pick-style': () => 'Style image',
  'context-pick-library': () => 'This message has one image, your photo. Pick a painting for the style:',
  'context-pick-same': () => 'Please pick two different images: one photo and one style image.',
  'context-picker-expired': () => 'This choice is out of date. Use Stylize on the message again.',
  'context-image-label': (p) => `${p.index}. ${p.fileName}`,
  'list-and-more': (p) => `and ${p.count} more`,
  // Communities: moderation, the admin command, DMs.
  'option-spoiler': () => 'Send the result and previews as spoilers (hidden until clicked).',
  'job-server-paused': () => "This server's jobs are paused by its admins: your job waits in line and starts once they resume them.",
  'admin-command-description': () => "Change Stylize's settings for this server.",
  'admin-show-description': () => "Show this server's settings and its jobs.",
  'admin-set-description': () => 'Set the default style ratio and size, and the job limits.',
  'admin-option-default-preset': () => 'Style ratio used when /stylize names none.',
  'admin-option-default-size': () => 'Size (long side, pixels) used when /stylize names none.',
  'admin-option-user-limit': () => 'Jobs one person may have waiting or running (Stylize\'s own limit stays the most).',
  'admin-option-server-limit': () => 'Jobs this server may have waiting or running at once.',
  'admin-option-reset': () => "Return the default style ratio, size and job limits to Stylize's own.",
  'admin-pause-description': () => "Pause this server's jobs: they wait in line until resumed.",
  'admin-resume-description': () => "Resume this server's jobs.",
  'admin-clear-description': () => "Cancel every waiting job of this server (a running job finishes).",
  'admin-channels-description': () => 'Choose the channels where /stylize may be used.',
  'admin-option-allow': () => 'Allow /stylize in this channel.',
  'admin-option-disallow': () => 'No longer allow /stylize in this channel.',
  'admin-option-everywhere': () => 'Allow /stylize in every channel again.',
  'admin-settings': (p) =>
    [
      `Default style ratio: ${PRESET_LABEL[p.preset]}${p.presetIsDefault ? " (Stylize's default)" : ''}`,
      `Default size: ${p.size === undefined ? "Stylize's default" : `${p.size} px`}`,
      `Channels: ${p.channels ?? 'every channel'}`,
      `Jobs per person: ${p.userLimit}`,
      `Jobs for this server: ${p.serverLimit === undefined ? `no limit of its own (Stylize takes ${p.queueCeiling} waiting in all)` : p.serverLimit}`,
      `Status: ${p.paused ? 'paused' : 'active'}; ${p.waiting} waiting, ${p.running} running`,
    ].join('\n'),
  'admin-saved': () => 'Saved. The settings now:',
  'admin-nothing-to-change': () => 'Nothing to change: give at least one option.',
  'admin-paused': () => "Paused. This server's jobs wait in line until an admin resumes them; a job already running finishes.",
  'admin-resumed': () => "Resumed. This server's waiting jobs run again in their turn.",
  'admin-cleared': (p) => `Cleared: ${plural(p.count, 'waiting job')} cancelled. A job already running finishes.`,
  'slack-admin-only': () => "Only the workspace's admins and owners can change my settings.",
  'slack-admin-usage': () =>
    'Usage: `/stylize admin show`, `pause`, `resume`, `clear`, `set preset=photo|balanced|painterly|painting size=PX user-limit=N server-limit=N` ' +
    '(any of them; `set reset` for the defaults), `channels allow` or `channels disallow` (this channel), `channels everywhere`.',
  // Results: the style library in the command and the form.
  'option-style-image-or-library': () => `The picture whose style to paint with (or pick a ${OPTION_NAME.library_style} instead)`,
  'option-library-style': () => 'A painting from the built-in library, instead of a style image',
  'form-style-image-optional-hint': () => 'The picture whose style to paint with. Leave empty to pick a painting below.',
  'form-library-style': () => 'Painting',
  'form-library-style-hint': () => 'A painting from the built-in library, instead of a style image.',
  // Image links: a picture already posted in the chat, named by its link instead of attached again.
  'photo-missing': () => `Please give a photo: attach one, or paste the link of a picture already posted here (${OPTION_NAME.photo_url}).`,
  'image-upload-and-link': (p) => `Please give the ${IMAGE_NAME[p.role]} only once: either attach it or give its link, not both.`,
  'image-link-host-not-allowed': (p) => `${subject(p)}: the link must point to a picture posted on the chat itself (${p.hosts}); ${p.host || 'that address'} is not one of them.`,
  // Blends and brush size (issue 19).
  'too-many-styles': (p) => `A picture can blend at most ${p.max} style images (this job has ${p.count}). Please leave some out.`,
  'style-weights-invalid': (p) => `The blend needs one share for each of its ${p.count} style images, none below zero and not all zero.`,
  'second-style-both': () => 'Please give only one second style: either attach or link an image, or pick a painting, not both.',
  'blend-needs-second-style': () => 'A blend mixes two styles: please also give a second style (an image, its link or a painting), or leave the blend out.',
  // Image links: the command's options.
  'option-photo-url': () => 'Or a link to a photo already posted here (Copy Link), instead of attaching it',
  'option-style-url': () => 'Or a link to a style image already posted here (Copy Link), instead of attaching it',
  'library-choice': (p) => `${p.name} — ${p.description}`,
  'settings-preset': (p) => `Style ratio: ${PRESET_LABEL[p.preset]}`,
  'admin-name': (p) => p.part,
  // The local web chat (src/adapters/web/).
  'web-page-title': () => 'Stylize: turn a photo into a painting',
  'web-intro': () => 'Drop a photo, pick a style, and watch it being painted. The pictures of this browser are seen by this browser only.',
  'web-job-heading': (p) => `${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'web-cancelled': () => 'Cancelled.',
  'web-drop-hint': () => `Drop a picture here, or choose a file (${FORMATS}).`,
  'web-style-heading': () => 'Style',
  'web-style-upload': () => 'Your own style image',
  'web-library-none': () => 'None: use my own style image',
  'web-image-ready': (p) => `Ready: ${p.fileName}`,
  'web-jobs-heading': () => 'My jobs',
  'web-pictures-heading': () => 'Pictures',
  'web-pictures-none': () => 'Your pictures will appear here.',
  'web-download': () => 'Download',
  'web-sending': () => 'Sending…',
  'web-connection-lost': () => 'The connection to the bot was lost; trying again…',
  'web-page-out-of-date': () => 'This page is out of date. Please reload it.',
  'web-token-title': () => 'This web chat asks for its access token',
  'web-token-label': () => 'Access token',
  'web-token-submit': () => 'Open',
  'web-token-wrong': () => 'That access token is not right. Please try again.',
  // Blends and brush size (issue 19).
  'option-style2': () => `A second style image to blend with the first (or a ${OPTION_NAME.style2_url} or ${OPTION_NAME.library_style2})`,
  'option-style2-url': () => 'Or a link to a second style image already posted here (Copy Link)',
  'option-library-style2': () => 'A second painting from the built-in library, to blend with the first style',
  'option-blend': () => "How much of the second style goes into the blend (default 50%)",
  'option-brush-size': () => 'Size of the brushstrokes: small, normal (the default) or large',
  'blend-choice': (p) => `${p.share}% second style, ${100 - p.share}% first`,
  'brush-choice': (p) => BRUSH[p.brush],
  'form-style2': () => 'Second style image',
  'form-style2-hint': () => 'Optional: blend a second style into the first. Upload an image or pick a painting below.',
  'form-library-style2': () => 'Second painting',
  'form-blend': () => 'Blend (share of the second style)',
  'form-brush-size': () => 'Brush size',
  // Painting time (issue 21).
  'option-run-time': () => 'How long to paint: more time, finer detail. Default: depends on the size.',
  'run-time-choice': (p) => `${p.minutes} minute${p.minutes === 1 ? '' : 's'}`,
  'run-time-usual': () => 'Default (depends on the size)',
  'form-run-time': () => 'Painting time',
};
