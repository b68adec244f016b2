// Español. One name per image: «foto» and «imagen de estilo» (both feminine); the user is addressed with
// «tú», as chat apps do in Spanish.
import type { StyleMention, Translation } from './catalogue.js';
import { ACCEPTED_FORMATS, type RefusedFormat } from './formats.js';
import { formatBytes as bytesIn, formatDuration as durationIn, formatMegapixels as megapixelsIn } from './units.js';
import type { AdminCommandPart, BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, PlatformName, PresetName } from './vocabulary.js';

const formatBytes = (bytes: number): string => bytesIn(bytes, { locale: 'es' });
const formatDuration = (ms: number): string => durationIn(ms, 'es');
const formatMegapixels = (pixels: number): string => megapixelsIn(pixels, 'es');

/** "JPEG, PNG, WebP o GIF". */
const FORMATS = new Intl.ListFormat('es', { type: 'disjunction' }).format(ACCEPTED_FORMATS.map((format) => format.name));

const REFUSED_FORMAT: Readonly<Record<RefusedFormat, string>> = {
  tiff: 'un archivo TIFF',
  avif: 'un archivo AVIF',
  heic: 'un archivo HEIC/HEIF',
  jpeg2000: 'un archivo JPEG 2000',
  pdf: 'un archivo PDF',
  postscript: 'un archivo PostScript',
  bmp: 'un archivo BMP',
  photoshop: 'un archivo de Photoshop',
  icon: 'un archivo de icono',
  'jpeg-xl': 'un archivo JPEG XL',
  gzip: 'un archivo comprimido (gzip)',
  svg: 'un archivo SVG',
};

/** The channel permissions as Discord's settings name them in this language. */
const PERMISSION: Readonly<Record<ChannelPermission, string>> = {
  'view-channel': 'Ver canal',
  'send-messages': 'Enviar mensajes',
  'create-public-threads': 'Crear hilos públicos',
  'send-messages-in-threads': 'Enviar mensajes en hilos',
  'attach-files': 'Adjuntar archivos',
};

const PLATFORM: Readonly<Record<PlatformName, string>> = { discord: 'Discord', slack: 'Slack', web: 'El chat web' };

const BRUSH: Readonly<Record<BrushSize, string>> = { small: 'Pequeño', normal: 'Normal', large: 'Grande' };

const COLOUR_MODE: Readonly<Record<ColourMode, string>> = {
  style: 'los del estilo',
  luminance: 'los de tu foto (solo se pintó el brillo)',
  swap: 'los de tu foto (repuestos después de pintar)',
};

/** Each image, as a sentence names it inside. */
const IMAGE_NAME: Readonly<Record<ImageRole, string>> = {
  content: 'la foto',
  style: 'la imagen de estilo',
  style2: 'la segunda imagen de estilo',
  style3: 'la tercera imagen de estilo',
  style4: 'la cuarta imagen de estilo',
};

/** "0,5": a decimal number as Spanish writes it. */
const decimal = (value: number): string => String(value).replace('.', ',');

/** "La noche estrellada (Vincent van Gogh, 1889), 75 %" or "tu imagen de estilo, 25 %". */
function styleMention(style: StyleMention): string {
  const name = style.name === undefined ? 'tu imagen de estilo' : `${style.name}${style.credit ? ` (${style.credit})` : ''}`;
  return style.share === undefined ? name : `${name}, ${style.share} %`;
}

const PRESET_LABEL: Readonly<Record<PresetName, string>> = {
  photo: 'Sobre todo foto',
  balanced: 'Equilibrado',
  painterly: 'Pictórico',
  painting: 'Sobre todo estilo',
};

/** /stylize-admin's subcommand and option names as Discord shows them (see 'admin-name'). */
const ADMIN_NAME: Readonly<Record<AdminCommandPart, string>> = { show: 'mostrar', set: 'ajustar', pause: 'pausar', resume: 'reanudar', clear: 'vaciar', channels: 'canales', default_preset: 'cantidad_de_estilo_por_defecto', default_size: 'tamaño_por_defecto', user_limit: 'límite_por_persona', server_limit: 'límite_del_servidor', reset: 'restablecer', allow: 'permitir', disallow: 'prohibir', everywhere: 'en_todos' };

/** The command's option names as Discord shows them (see 'option-name'). */
const OPTION_NAME: Readonly<Record<CommandOption, string>> = { content: 'foto', style: 'imagen_de_estilo', preset: 'cantidad_de_estilo', size: 'tamaño', seed: 'semilla', keep_colours: 'mantener_colores', spoiler: 'spoiler', library_style: 'cuadro', photo_url: 'enlace_foto', style_url: 'enlace_estilo', style2: 'imagen_de_estilo2', style2_url: 'enlace_estilo2', library_style2: 'cuadro2', blend: 'mezcla', brush_size: 'tamaño_pincel', painting_time: 'tiempo_de_pintura' };

const PRESET_DESCRIPTION: Readonly<Record<PresetName, string>> = {
  photo: 'Tu foto con un ligero toque de la imagen de estilo.',
  balanced: 'La foto y la imagen de estilo en equilibrio.',
  painterly: 'Pinceladas marcadas; la foto sigue siendo reconocible.',
  painting: 'La imagen de estilo domina; solo queda la composición de la foto.',
};

/** After a colon Spanish goes on in lower case: "Equilibrado: la foto y…". */
const lowerFirst = (text: string): string => (/^\p{Lu}[\p{Ll}’]/u.test(text) ? text.charAt(0).toLocaleLowerCase('es') + text.slice(1) : text);

/** "La foto", "La imagen de estilo (gato.png)", "La imagen". */
function subject(about: { role?: ImageRole; fileName?: string }): string {
  const inside = about.role ? IMAGE_NAME[about.role] : 'la imagen';
  const name = `${inside.charAt(0).toUpperCase()}${inside.slice(1)}`;
  return about.fileName ? `${name} (${about.fileName})` : name;
}

/** "la siguiente", "puesto 2". */
const queuePosition = (position: number): string => (position <= 1 ? 'la siguiente' : `puesto ${position}`);

const jobs = (count: number): string => `${count} ${count === 1 ? 'tarea' : 'tareas'}`;

export const es: Translation = {
  // Images, as the engine reads them.
  'image-empty': (p) => `${subject(p)} es un archivo vacío (0 bytes). Vuelve a subir la imagen.`,
  'image-not-an-image': (p) => `${subject(p)} no es una imagen que yo pueda leer. Envía un archivo ${FORMATS}.`,
  'image-format-refused': (p) => `${subject(p)} es ${REFUSED_FORMAT[p.format]}, que no es compatible. Envía una imagen ${FORMATS}.`,
  'image-truncated': (p) => `${subject(p)} está dañada o incompleta y no se puede leer. Vuelve a subirla.`,
  'image-too-many-pixels': (p) =>
    p.width !== undefined && p.height !== undefined
      ? `${subject(p)} es demasiado grande (${p.width} × ${p.height} píxeles, ${formatMegapixels(p.width * p.height)}); el límite es de ${formatMegapixels(p.maxPixels)}. Envía una imagen más pequeña.`
      : `${subject(p)} es demasiado grande; el límite es de ${formatMegapixels(p.maxPixels)}. Envía una imagen más pequeña.`,
  // Uploads, as the platform declares them, and their download.
  'image-not-accepted': (p) => `${subject(p)} no es una imagen ${FORMATS}, los únicos formatos que acepto. Elige uno de ellos.`,
  'image-too-large': (p) => `${subject(p)} ocupa ${formatBytes(p.bytes)}; el límite es de ${formatBytes(p.maxBytes)}. Elige una imagen más pequeña.`,
  'file-link-invalid': (p) => `${subject(p)}: el enlace del archivo no es una dirección válida.`,
  'file-host-not-allowed': (p) =>
    `${subject(p)}: solo descargo archivos subidos al propio chat; ${p.host || 'esa dirección'} no es un servidor de archivos permitido.`,
  'download-too-large': (p) => `${subject(p)} supera el límite de ${formatBytes(p.maxBytes)}. Elige una imagen más pequeña.`,
  'download-failed': (p) => `${subject(p)} no se pudo descargar (el servidor de archivos respondió ${p.status}).`,
  'download-timed-out': (p) => `${subject(p)} tardó más de ${formatDuration(p.timeoutMs)} en descargarse; vuelve a intentarlo.`,
  'download-network': (p) => `${subject(p)} no se pudo descargar; vuelve a intentarlo.`,
  'slack-file-unreadable': (p) => `${subject(p)} no se pudo leer desde Slack${p.detail ? ` (${p.detail})` : ''}. Vuelve a subirla.`,
  'images-not-checked': () => 'No se pudieron comprobar tus imágenes, así que la tarea no se inició. Vuelve a intentarlo o prueba con otras imágenes.',
  'image-too-small-for-size': (p) =>
    `A ${p.size} px la foto mide solo ${p.width} × ${p.height}; su lado corto debe medir al menos ${p.minSide} px. Elige un tamaño mayor.`,
  'option-out-of-range': (p) =>
    `${p.option === 'size' ? 'El tamaño' : 'El número de iteraciones'} debe ser un número entero de ${p.min} a ${p.max} (recibido: ${p.got}).`,
  'size-exceeds-memory': (p) =>
    p.largestSize > 0
      ? `Una imagen de ${p.size} px necesita más memoria de la que esta máquina puede darle. El tamaño más grande que cabe es ${p.largestSize} px: elige ese o uno menor.`
      : `Una imagen de ${p.size} px necesita más memoria de la que esta máquina puede darle, y también cualquier tamaño menor.`,
  // The queue.
  'bot-restarting': () => 'Me estoy reiniciando y ahora no acepto tareas nuevas. Vuelve a intentarlo dentro de un minuto.',
  'user-limit': (p) =>
    `Ya tienes ${jobs(p.maxPerUser)} en espera o en curso, el máximo por persona a la vez. Espera a que termine una (o cancela una) y vuelve a intentarlo.`,
  'queue-full': (p) => `La cola está llena (${p.maxQueueLength} tareas en espera). Vuelve a intentarlo dentro de unos minutos.`,
  'rerun-not-owner': () => 'Solo quien inició esta tarea puede volver a ejecutarla. Usa /stylize con tus propias imágenes.',
  'rerun-images-gone': () => 'Las imágenes de esta tarea ya no se guardan, así que no se puede volver a ejecutar. Inicia una tarea nueva con /stylize.',
  'storage-unavailable': () => 'Ahora no puedo guardar tareas nuevas (mi almacenamiento está lleno o falla). Vuelve a intentarlo más tarde.',
  'storage-full': () =>
    'Ahora no tengo espacio para guardar más imágenes: las tareas en espera llenan mi almacenamiento. Vuelve a intentarlo más tarde.',
  'journal-failed': () =>
    'No pude guardar el avance de tu tarea (mi almacenamiento está lleno o falla), así que la tarea se detuvo. Vuelve a intentarlo más tarde.',
  'size-too-slow': (p) =>
    `Una imagen de ${p.size} px tardaría aquí más que el límite de ${formatDuration(p.limitMs)}. ` +
    (p.largestSize === undefined ? 'Ahora mismo ningún tamaño terminaría a tiempo; vuelve a intentarlo más tarde.' : `Elige ${p.largestSize} px o menos.`),
  'job-timed-out': (p) => `Tu tarea superó el límite de ${formatDuration(p.limitMs)} y se detuvo. Vuelve a intentarlo con un tamaño menor.`,
  'engine-crashed': () =>
    'El motor falló mientras trabajaba en tu imagen (quizá se quedó sin memoria). Vuelve a intentarlo con un tamaño menor; las demás tareas no se ven afectadas.',
  'engine-unavailable': () => 'El motor no pudo arrancar, así que tu tarea no pudo ejecutarse. Vuelve a intentarlo más tarde; ya se avisó a mi operador.',
  'engine-failed': () => 'Algo falló dentro del motor mientras trabajaba en tu imagen. Vuelve a intentarlo; si sigue pasando, avisa a mi operador.',
  'model-missing': () => 'No pude cargar mi modelo de pintura, así que tu tarea no pudo ejecutarse. Ya se avisó a mi operador.',
  'crashed-too-often': (p) =>
    `Me detuve inesperadamente ${p.attempts === 1 ? '' : `${p.attempts} veces `}mientras trabajaba en tu tarea, así que no se volvió a intentar. Vuelve a intentarlo con un tamaño menor; si sigue pasando, avisa a mi operador.`,
  // Posting the picture.
  'result-gone': () => 'Tu imagen se creó, pero ya no se guarda, así que no se pudo publicar. Vuelve a ejecutar la tarea.',
  'delivery-gave-up': (p) =>
    `Tu imagen está lista, pero publicarla falló ${p.attempts} veces seguidas, así que dejé de intentarlo. Vuelve a ejecutar la tarea más tarde.`,
  'delivery-no-destination': () => 'La imagen está lista, pero ya no sé dónde publicarla.',
  'discord-missing-permissions': () =>
    'La imagen está lista, pero no puedo publicarla aquí: dame los permisos «Adjuntar archivos» y «Enviar mensajes en hilos» en este canal y vuelve a ejecutar la tarea.',
  'discord-missing-access': () =>
    'La imagen está lista, pero no llego al hilo de este canal: dame los permisos «Ver canal» y «Enviar mensajes en hilos» y vuelve a ejecutar la tarea.',
  'discord-upload-too-large': (p) => `La imagen está lista, pero con ${formatBytes(p.bytes)} supera lo que este servidor me deja subir.`,
  'discord-refused': (p) => `La imagen está lista, pero Discord la rechazó (${p.detail}).`,
  'slack-not-in-channel': () => 'La imagen está lista, pero ya no estoy en este canal: invítame (/invite @Stylize) y vuelve a ejecutar la tarea.',
  'slack-channel-not-found': () => 'La imagen está lista, pero ya no encuentro este canal (se borró o me quitaron), así que no se pudo publicar.',
  'slack-channel-archived': () => 'La imagen está lista, pero este canal está archivado, así que no se pudo publicar.',
  'slack-missing-scope': () =>
    'La imagen está lista, pero esta app de Slack no puede subir archivos (falta el scope files:write). Pide a un admin que la reinstale y vuelve a ejecutar la tarea.',
  'slack-token-type': () => 'La imagen está lista, pero esta app de Slack no puede subir archivos. Pide a un admin que revise su instalación.',
  'slack-restricted': () => 'La imagen está lista, pero este espacio de trabajo no me deja publicar archivos en este canal.',
  'slack-upload-too-large': () => 'La imagen está lista, pero supera lo que este espacio de trabajo me deja subir.',
  'slack-token-refused': () => 'La imagen está lista, pero Slack ya no acepta mi token. Ya se avisó a mi operador.',
  // Why posting failed for now.
  'hitch-slow-down': (p) => `${PLATFORM[p.platform]} me pidió que fuera más despacio`,
  'hitch-server-error': (p) => `${PLATFORM[p.platform]} respondió con un error del servidor (${p.status})`,
  'hitch-http-error': (p) => `${PLATFORM[p.platform]} respondió con un error (${p.status})`,
  'hitch-platform-error': (p) => `${PLATFORM[p.platform]} respondió ${p.detail}`,
  'hitch-no-answer': (p) => `${PLATFORM[p.platform]} no respondió a tiempo`,
  'hitch-restarting': () => 'me estoy reiniciando',
  'hitch-unexpected': () => 'publicar la imagen falló de forma inesperada',
  // A job's messages.
  'app-name': () => 'Stylize',
  'job-heading': (p) => `${p.app} para ${p.owner} · ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'job-summary': (p) => `Stylize para ${p.owner}: ${p.status}`,
  'thread-name': (p) => `stylize · ${p.userName} · ${PRESET_LABEL[p.preset]}`,
  'queue-position': (p) => queuePosition(p.position),
  'status-preparing': () => 'Comprobando tus imágenes…',
  'status-queued': (p) => `${p.resumed ? 'De vuelta en la cola tras un reinicio' : 'En la cola'}: ${queuePosition(p.position)}` +
    `${p.startsInMs === undefined ? '' : p.startsInMs < 1000 ? ', empieza ahora' : `, empieza en unos ${formatDuration(p.startsInMs)}`}.`,
  'status-starting': () => 'Empezando…',
  'status-running': (p) => `Pintando ${p.bar}${p.etaMs !== undefined ? ` · faltan unos ${formatDuration(p.etaMs)}` : ''}`,
  'status-delivering': (p) => `La imagen está lista, pero publicarla falló (${p.problem}). Nuevo intento en ${formatDuration(p.retryInMs)}.`,
  'status-done': (p) => `Terminado en ${formatDuration(p.seconds * 1000)}${p.inThread ? '.' : ': la imagen está en el hilo.'}`,
  'status-cancelled': (p) => `Cancelada por ${p.by}.`,
  'status-moved-to-thread': () => 'Sigue en curso: el progreso continúa en el hilo.',
  'result-ready': (p) => `${p.owner}, tu imagen está lista.`,
  'result-title': (p) => `Stylize · ${PRESET_LABEL[p.preset]}`,
  'result-alt': (p) => `Imagen estilizada, ${p.width}×${p.height}`,
  'preview-alt': () => 'Vista previa de la imagen hasta ahora',
  'preview-title': (p) => `Vista previa · ${p.percent} %`,
  'preview-comment': (p) => `La imagen hasta ahora (pintada al ${p.percent} %).`,
  'button-cancel': () => 'Cancelar',
  'button-more-content': (p) => `Más foto (${PRESET_LABEL[p.preset]})`,
  'button-more-style': (p) => `Más estilo (${PRESET_LABEL[p.preset]})`,
  'settings-style-ratio': (p) => `Cantidad de estilo: ${PRESET_LABEL[p.preset]} (peso del estilo α/β = ${p.ratio.toExponential(0)})`,
  'settings-result-size': (p) => `Tamaño: ${p.width}×${p.height} px`,
  'settings-iterations': (p) => `Pasos: ${p.iterations} en ${formatDuration(p.seconds * 1000)} con ${p.backend}`,
  'settings-layers': (p) => `Capas de la red: foto ${p.content.join(', ')}; estilo ${p.style.join(', ')}`,
  'settings-size': (p) => `Tamaño: ${p.size} px (lado largo)`,
  'settings-bigger-from': (p) => `Ampliada a partir de la imagen de ${p.size} px`,
  'settings-seed': (p) => `Semilla: ${p.seed}`,
  'settings-keep-colours': (p) => `Mantener colores: ${p.keep ? 'sí' : 'no'}`,
  // Notes to one user.
  'cancel-not-owner': () => 'Solo quien inició esta tarea puede cancelarla.',
  'cancel-not-owner-named': (p) => `Solo ${p.owner} puede cancelar esta tarea.`,
  'cancel-not-found': () => 'Esta tarea ya no se conoce, así que no hay nada que cancelar.',
  'cancel-already-finished': () => 'Esta tarea ya terminó.',
  'rerun-last-step': (p) => `Esta tarea ya usó «${PRESET_LABEL[p.preset]}», el ajuste más fuerte en esa dirección.`,
  'something-went-wrong': () => 'Algo falló por mi parte; vuelve a intentarlo en un momento.',
  'slack-cannot-post': () =>
    'No pude publicar en esta conversación, así que tu tarea no se inició. Invítame al canal o prueba en un mensaje directo.',
  // Presets, the command and the form.
  'preset-label': (p) => PRESET_LABEL[p.preset],
  'preset-description': (p) => PRESET_DESCRIPTION[p.preset],
  'preset-choice': (p) => `${PRESET_LABEL[p.preset]}: ${lowerFirst(PRESET_DESCRIPTION[p.preset])}`,
  'command-description': () => 'Pinta tu foto con el estilo de otra imagen.',
  'option-name': (p) => OPTION_NAME[p.option],
  'option-photo': () => `Tu foto (${FORMATS}).`,
  'option-style-image': () => 'Tu imagen de estilo: la imagen cuyo estilo se usa para pintar.',
  'option-preset': (p) => `Cuánto estilo aplicar (por defecto: ${PRESET_LABEL[p.preset]}).`,
  'option-size': () => 'Lado largo del resultado en píxeles (más grande tarda más).',
  'option-seed': () => 'La misma semilla y los mismos ajustes dan la misma imagen.',
  'option-keep-colours': () => 'Mantener los colores de tu foto y tomar solo las pinceladas.',
  'form-title': () => 'Stylize',
  'form-submit': () => 'Pintar',
  'form-close': () => 'Cancelar',
  'form-ok': () => 'OK',
  'form-photo': () => 'Tu foto',
  'form-photo-hint': () => `${FORMATS}.`,
  'form-style-image': () => 'Imagen de estilo',
  'form-style-image-hint': () => 'La imagen cuyo estilo se usa para pintar.',
  'form-preset': () => 'Cantidad de estilo',
  'form-size': () => 'Tamaño (lado largo, píxeles)',
  'form-size-hint': (p) => `De ${p.min} a ${p.max}; más grande tarda más. Déjalo vacío para usar el valor por defecto.`,
  'form-seed': () => 'Semilla',
  'form-colours': () => 'Colores',
  'form-keep-colours': () => 'Mantener los colores de mi foto',
  'form-keep-colours-hint': () => 'Tomar solo las pinceladas de la imagen de estilo.',
  'form-image-missing': (p) => `Falta ${subject(p).replace(/^La /, 'la ')}. Añade una imagen.`,
  'form-one-image-only': () => 'Añade aquí solo una imagen.',
  'form-size-invalid': (p) => `Escribe un número entero de píxeles de ${p.min} a ${p.max}, o déjalo vacío.`,
  'form-seed-invalid': (p) => `Escribe un número entero de 0 a ${p.max}, o déjalo vacío.`,
  'form-out-of-date': () => 'Este formulario está desactualizado. Ciérralo y vuelve a ejecutar /stylize.',
  'form-message-images': (p) =>
    `Se usan las dos imágenes del mensaje: la *primera* es tu foto, la *segunda* la imagen de estilo.\n• Foto: ${p.photo}\n• Imagen de estilo: ${p.styleImage}`,
  'shortcut-needs-two-images': (p) =>
    `Este mensaje ${p.found === 0 ? 'no tiene imágenes' : 'solo tiene una imagen'}. Usa «Stylize» en un mensaje con dos imágenes ` +
    '(primero tu foto, luego la imagen de estilo) o escribe /stylize para subirlas.',
  // Reach (issue 10): the "Stylize" message command, help, "my jobs", pings when a job ends badly, the channel checks.
  'ping-failed': (p) => `${p.owner}, tu tarea no terminó: ${lowerFirst(p.reason)}`,
  'ping-cancelled-by-other': (p) => `${p.owner}, ${p.by} canceló tu tarea.`,
  'discord-missing-channel-permissions': (p) =>
    `No puedo trabajar en este canal: me ${p.missing.length === 1 ? 'falta el permiso' : 'faltan los permisos'} ${p.missing.map((permission) => `«${PERMISSION[permission]}»`).join(', ')}. ` +
    `Pide a un administrador del servidor que me ${p.missing.length === 1 ? 'lo' : 'los'} dé aquí (ajustes del canal, Permisos) y vuelve a intentarlo. No se descargó nada.`,
  'slack-not-a-member': () =>
    'No soy miembro de este canal, así que no puedo publicar tu tarea aquí. Invítame con /invite @stylize y vuelve a intentarlo. No se descargó nada.',
  'help-command-description': () => 'Cómo usar Stylize: cantidad de estilo, cuadros, límites y privacidad.',
  'jobs-command-description': () => 'Tus tareas de Stylize en espera y en curso, con botones Cancelar.',
  'help-intro-discord': () =>
    '/stylize con tu foto y una imagen de estilo pinta la foto con ese estilo. O haz clic derecho en un mensaje con imágenes y elige Aplicaciones → Stylize: ' +
    'su primera imagen es la foto, la segunda la imagen de estilo (con una sola imagen, elige un cuadro). /stylize-jobs muestra tus tareas.',
  'help-intro-slack': () =>
    '/stylize abre el formulario para tu foto y una imagen de estilo. O usa el atajo de mensaje Stylize (⋮ Más acciones) en un mensaje con dos imágenes: ' +
    'la primera es la foto, la segunda la imagen de estilo. /stylize jobs muestra tus tareas.',
  'help-presets-heading': () => 'Cantidad de estilo:',
  'help-preset-line': (p) => `${PRESET_LABEL[p.preset]}: ${lowerFirst(PRESET_DESCRIPTION[p.preset])}`,
  'help-library-heading': () => 'Cuadros (de dominio público):',
  'help-library-line': (p) => `${p.name} (${p.credit}): ${lowerFirst(p.description)}`,
  'help-limits': (p) =>
    `Límites: imágenes de hasta ${formatBytes(p.maxBytes)} (${FORMATS}); ${jobs(p.maxPerUser)} por persona a la vez, ${p.maxQueueLength} en espera en total; ` +
    `tamaño de ${p.minSize} a ${p.maxSize} px; una tarea puede durar ${formatDuration(p.timeoutMs)}.`,
  'help-privacy': (p) =>
    `Privacidad: tus dos imágenes solo se guardan mientras tu tarea espera o se ejecuta, y ${formatDuration(p.keptMs)} después de terminar (para los botones de repetir); ` +
    'las imágenes de una tarea fallida o cancelada se borran en el acto. Solo tú puedes repetir tus tareas; los moderadores también pueden cancelarlas.',
  'jobs-none': () => 'No tienes tareas en espera ni en curso.',
  'jobs-heading': (p) => `Tus tareas (${p.count}):`,
  'jobs-line-running': (p) => `En curso: ${PRESET_LABEL[p.preset]}`,
  'jobs-line-waiting': (p) => `En espera, ${queuePosition(p.position)}: ${PRESET_LABEL[p.preset]}`,
  'jobs-cancel-button': (p) => `Cancelar tarea ${p.index}`,
  'slack-unknown-subcommand': (p) =>
    `No conozco «/stylize ${p.text}». Escribe /stylize para abrir el formulario, /stylize help para la ayuda o /stylize jobs para tus tareas.`,
  'context-no-images': () => 'Este mensaje no tiene imágenes. Usa Stylize en un mensaje con tu foto (y una imagen de estilo) o escribe /stylize para subirlas.',
  'context-pick-images': (p) => `Este mensaje tiene ${p.count} imágenes. Elige tu foto y la imagen de estilo:`,
  'context-pick-photo': () => 'Tu foto',
  'context-pick-style': () => 'Imagen de estilo',
  'context-pick-library': () => 'Este mensaje tiene una sola imagen, tu foto. Elige un cuadro para el estilo:',
  'context-pick-same': () => 'Elige dos imágenes distintas: una foto y una imagen de estilo.',
  'context-picker-expired': () => 'Esta elección está desactualizada. Vuelve a usar Stylize en el mensaje.',
  'context-image-label': (p) => `${p.index}. ${p.fileName}`,
  'list-and-more': (p) => `y ${p.count} más`,
  // Results: the style library.
  'style-missing': () => 'Indica un estilo: adjunta una imagen de estilo o elige un cuadro.',
  'style-both': () => 'Indica un solo estilo: adjunta una imagen de estilo o elige un cuadro, no las dos cosas.',
  'library-style-unknown': (p) => `No hay ningún cuadro llamado «${p.id}». Elige uno de la lista.`,
  'settings-library-style': (p) => `Cuadro: ${p.name} (${p.credit})`,
  // Results: what the result says and its buttons.
  'result-summary': (p) =>
    `${p.owner}, tu imagen está lista: ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''} · ${p.width}×${p.height} px · ${formatDuration(p.seconds * 1000)}.`,
  'button-bigger': (p) => `Más grande (${p.size} px)`,
  'button-keep-colours': (p) => (p.keep ? 'Mantener los colores de mi foto' : 'Usar los colores del estilo'),
  'button-use-as-photo': () => 'Usar como foto',
  'button-use-as-style': () => 'Usar como estilo',
  'button-details': () => 'ⓘ Detalles',
  'button-delete': () => 'Eliminar',
  'details-heading': () => 'Ajustes de esta imagen:',
  'delete-done': () =>
    'Eliminado: ya no guardo la imagen, ni la foto y la imagen de estilo de las que salió. Las tareas ya iniciadas con ellas conservan sus propias copias.',
  'delete-not-owner': () => 'Solo quien inició esta tarea puede eliminarla.',
  'delete-not-found': () => 'Ya no guardo esta tarea (sus imágenes ya se borraron).',
  'delete-not-finished': () => 'Esta tarea todavía está esperando o en curso: mejor cancélala.',
  'option-style-image-or-library': () => `La imagen cuyo estilo se usa para pintar (o elige mejor un ${OPTION_NAME.library_style})`,
  'option-library-style': () => 'Un cuadro de la colección integrada, en lugar de una imagen de estilo',
  'form-style-image-optional-hint': () => 'La imagen cuyo estilo se usa para pintar. Déjalo vacío para elegir abajo un cuadro.',
  'form-library-style': () => 'Cuadro',
  'form-library-style-hint': () => 'Un cuadro de la colección integrada, en lugar de una imagen de estilo.',
  // Blends and brush size (issue 19).
  'result-styles': (p) => `${p.styles.length === 1 ? 'Estilo' : 'Estilos'}: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-styles': (p) => `${p.styles.length === 1 ? 'Estilo' : 'Estilos'}: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-brush-size': (p) => `Tamaño del pincel: ${p.brush === undefined ? '' : `${BRUSH[p.brush]}, `}imagen de estilo a ${decimal(p.scale)}× el tamaño de la imagen`,
  'settings-colour-mode': (p) => `Colores: ${COLOUR_MODE[p.mode]}`,
  'button-brush-size': (p) => `Pincel: ${BRUSH[p.brush].toLowerCase()}`,
  // Painting time (issue 21).
  'settings-run-time': (p) => `Tiempo de pintura: ${formatDuration(p.minutes * 60_000)}`,
  // Communities: moderation, the admin command, DMs.
  'server-limit': (p) =>
    `Este servidor ya tiene ${jobs(p.maxPerServer)} en espera o en curso, el máximo que permiten sus admins. Vuelve a intentarlo cuando termine alguna.`,
  'channel-not-allowed': (p) => `Aquí, /stylize solo funciona en ${p.channels}. Úsalo allí.`,
  'no-image-permission': () =>
    'No puedes publicar imágenes en este canal, así que no publicaré aquí tu resultado. Usa /stylize en un canal donde puedas adjuntar archivos.',
  'admin-only': () => 'Solo los admins del servidor (Gestionar servidor) pueden cambiar aquí mis ajustes.',
  'admin-server-only': () => 'Mis ajustes pertenecen a un servidor: usa /stylize-admin en uno de sus canales.',
  'option-spoiler': () => 'Enviar el resultado y las vistas previas como spoiler (ocultos hasta hacer clic).',
  'job-server-paused': () =>
    'Los admins de este servidor han pausado sus tareas: tu tarea espera su turno y empezará en cuanto las reanuden.',
  'admin-command-description': () => 'Cambiar los ajustes de Stylize para este servidor.',
  'admin-show-description': () => 'Mostrar los ajustes de este servidor y sus tareas.',
  'admin-set-description': () => 'Fijar la cantidad de estilo y el tamaño por defecto, y los límites de tareas.',
  'admin-option-default-preset': () => 'Cantidad de estilo que se usa cuando /stylize no indica ninguna.',
  'admin-option-default-size': () => 'Tamaño (lado largo, píxeles) que se usa cuando /stylize no indica ninguno.',
  'admin-option-user-limit': () => 'Tareas en espera o en curso por persona (el límite de Stylize es el máximo).',
  'admin-option-server-limit': () => 'Tareas que este servidor puede tener en espera o en curso a la vez.',
  'admin-option-reset': () => 'Volver a la cantidad de estilo, el tamaño y los límites de tareas de Stylize.',
  'admin-pause-description': () => 'Pausar las tareas de este servidor: esperan hasta que se reanuden.',
  'admin-resume-description': () => 'Reanudar las tareas de este servidor.',
  'admin-clear-description': () => 'Cancelar todas las tareas en espera de este servidor (la que está en curso termina).',
  'admin-channels-description': () => 'Elegir los canales donde se puede usar /stylize.',
  'admin-option-allow': () => 'Permitir /stylize en este canal.',
  'admin-option-disallow': () => 'Dejar de permitir /stylize en este canal.',
  'admin-option-everywhere': () => 'Volver a permitir /stylize en todos los canales.',
  'admin-settings': (p) =>
    [
      `Cantidad de estilo por defecto: ${PRESET_LABEL[p.preset]}${p.presetIsDefault ? ' (la de Stylize)' : ''}`,
      `Tamaño por defecto: ${p.size === undefined ? 'el de Stylize' : `${p.size} px`}`,
      `Canales: ${p.channels ?? 'todos los canales'}`,
      `Tareas por persona: ${p.userLimit}`,
      `Tareas de este servidor: ${p.serverLimit === undefined ? `sin límite propio (Stylize acepta ${p.queueCeiling} en espera en total)` : p.serverLimit}`,
      `Estado: ${p.paused ? 'en pausa' : 'activo'}; ${p.waiting} en espera, ${p.running} en curso`,
    ].join('\n'),
  'admin-saved': () => 'Guardado. Los ajustes ahora:',
  'admin-nothing-to-change': () => 'Nada que cambiar: indica al menos una opción.',
  'admin-paused': () => 'En pausa. Las tareas de este servidor esperan hasta que un admin las reanude; la que ya está en curso termina.',
  'admin-resumed': () => 'Reanudado. Las tareas en espera de este servidor vuelven a ejecutarse por turno.',
  'admin-cleared': (p) =>
    `Vaciado: ${p.count} ${p.count === 1 ? 'tarea en espera cancelada' : 'tareas en espera canceladas'}. La que ya está en curso termina.`,
  'slack-admin-only': () => 'Solo los admins y propietarios del espacio de trabajo pueden cambiar mis ajustes.',
  'slack-admin-usage': () =>
    'Uso: `/stylize admin show`, `pause`, `resume`, `clear`, `set preset=photo|balanced|painterly|painting size=PX user-limit=N server-limit=N` ' +
    '(los que quieras; `set reset` para los valores por defecto), `channels allow` o `channels disallow` (este canal), `channels everywhere`.',
  // Image links
  'photo-missing': () => 'Indica una foto: adjunta una o pega el enlace de una imagen ya publicada aquí (enlace_foto).',
  'image-upload-and-link': (p) => `Indica ${IMAGE_NAME[p.role]} solo una vez: adjúntala o indica su enlace, no ambas cosas.`,
  'image-link-host-not-allowed': (p) => `${subject(p)}: el enlace debe llevar a una imagen publicada en el propio chat (${p.hosts}); ${p.host || 'esa dirección'} no es uno de ellos.`,
  // Blends and brush size (issue 19).
  'too-many-styles': (p) => `Una imagen puede mezclar como máximo ${p.max} imágenes de estilo (esta tarea tiene ${p.count}). Quita algunas.`,
  'style-weights-invalid': (p) => `La mezcla necesita una proporción para cada una de sus ${p.count} imágenes de estilo, ninguna negativa y no todas cero.`,
  'second-style-both': () => 'Indica un solo segundo estilo: adjunta o enlaza una imagen, o elige un cuadro, no las dos cosas.',
  'blend-needs-second-style': () => 'Una mezcla combina dos estilos: indica también un segundo estilo (una imagen, su enlace o un cuadro), o quita la mezcla.',
  // Image links
  'option-photo-url': () => 'O el enlace de una foto ya publicada aquí (Copiar enlace), en vez de adjuntarla',
  'option-style-url': () => 'O el enlace de una imagen de estilo ya publicada aquí (Copiar enlace), sin adjuntarla',
  'settings-preset': (p) => `Cantidad de estilo: ${PRESET_LABEL[p.preset]}`,
  'library-choice': (p) => `${p.name} — ${p.description}`,
  'admin-name': (p) => ADMIN_NAME[p.part],
  // The local web chat (src/adapters/web/).
  'web-page-title': () => 'Stylize: convierte una foto en un cuadro',
  'web-intro': () => 'Suelta una foto, elige un estilo y mira cómo se pinta. Las imágenes de este navegador solo las ve este navegador.',
  'web-job-heading': (p) => `${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'web-cancelled': () => 'Cancelado.',
  'web-drop-hint': () => `Suelta una imagen aquí o elige un archivo (${FORMATS}).`,
  'web-style-heading': () => 'Estilo',
  'web-style-upload': () => 'Tu propia imagen de estilo',
  'web-library-none': () => 'Ninguno: usar mi propia imagen de estilo',
  'web-image-ready': (p) => `Lista: ${p.fileName}`,
  'web-jobs-heading': () => 'Mis trabajos',
  'web-pictures-heading': () => 'Imágenes',
  'web-pictures-none': () => 'Tus imágenes aparecerán aquí.',
  'web-download': () => 'Descargar',
  'web-sending': () => 'Enviando…',
  'web-connection-lost': () => 'Se perdió la conexión con el bot; reintentando…',
  'web-page-out-of-date': () => 'Esta página está desactualizada. Vuelve a cargarla.',
  'web-token-title': () => 'Este chat web pide su token de acceso',
  'web-token-label': () => 'Token de acceso',
  'web-token-submit': () => 'Abrir',
  'web-token-wrong': () => 'Ese token de acceso no es correcto. Inténtalo de nuevo.',
  // Blends and brush size (issue 19).
  'option-style2': () => `Una segunda imagen de estilo para mezclar con la primera (o ${OPTION_NAME.style2_url} o ${OPTION_NAME.library_style2})`,
  'option-style2-url': () => 'O el enlace de una segunda imagen de estilo ya publicada aquí (Copiar enlace)',
  'option-library-style2': () => 'Un segundo cuadro de la colección integrada, para mezclar con el primer estilo',
  'option-blend': () => 'Cuánto del segundo estilo entra en la mezcla (por defecto 50 %)',
  'option-brush-size': () => 'Tamaño de las pinceladas: pequeño, normal (por defecto) o grande',
  'blend-choice': (p) => `${p.share} % segundo estilo, ${100 - p.share} % primero`,
  'brush-choice': (p) => BRUSH[p.brush],
  'form-style2': () => 'Segunda imagen de estilo',
  'form-style2-hint': () => 'Opcional: mezcla un segundo estilo con el primero. Sube una imagen o elige abajo un cuadro.',
  'form-library-style2': () => 'Segundo cuadro',
  'form-blend': () => 'Mezcla (proporción del segundo estilo)',
  'form-brush-size': () => 'Tamaño del pincel',
  // Painting time (issue 21).
  'option-run-time': () => 'Cuánto tiempo pintar: más tiempo, más detalle. Por defecto: según el tamaño.',
  'run-time-choice': (p) => `${p.minutes} minuto${p.minutes === 1 ? '' : 's'}`,
  'run-time-usual': () => 'Por defecto (según el tamaño)',
  'form-run-time': () => 'Tiempo de pintura',
};
