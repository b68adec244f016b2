// 日本語. One name per image: 「写真」 and 「スタイル画像」; polite form (です・ます) throughout; the
// library's paintings are 名画. Spacing, as Microsoft's Japanese style guide: no space between Japanese and
// half-width letters or digits (「10 MBです」「/stylizeで」「2件」), a space between a number and a Latin unit
// ("512 px") and on either side of Slack's markup (bold, code), which needs it next to Japanese.
import type { StyleMention, Translation } from './catalogue.js';
import { ACCEPTED_FORMATS, type RefusedFormat } from './formats.js';
import { formatBytes as bytesIn, formatDuration as durationIn, formatMegapixels as megapixelsIn } from './units.js';
import type { AdminCommandPart, BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, PlatformName, PresetName } from './vocabulary.js';

const formatBytes = (bytes: number): string => bytesIn(bytes, { locale: 'ja' });
const formatDuration = (ms: number): string => durationIn(ms, 'ja');
const formatMegapixels = (pixels: number): string => megapixelsIn(pixels, 'ja');

/** "JPEG、PNG、WebP、またはGIF". */
const FORMATS = new Intl.ListFormat('ja', { type: 'disjunction' }).format(ACCEPTED_FORMATS.map((format) => format.name));

const REFUSED_FORMAT: Readonly<Record<RefusedFormat, string>> = {
  tiff: 'TIFFファイル',
  avif: 'AVIFファイル',
  heic: 'HEIC/HEIFファイル',
  jpeg2000: 'JPEG 2000ファイル',
  pdf: 'PDFファイル',
  postscript: 'PostScriptファイル',
  bmp: 'BMPファイル',
  photoshop: 'Photoshopファイル',
  icon: 'アイコンファイル',
  'jpeg-xl': 'JPEG XLファイル',
  gzip: '圧縮 (gzip) ファイル',
  svg: 'SVGファイル',
};

/** The channel permissions as Discord's settings name them in this language. */
const PERMISSION: Readonly<Record<ChannelPermission, string>> = {
  'view-channel': 'チャンネルを見る',
  'send-messages': 'メッセージを送信',
  'create-public-threads': '公開スレッドを作成',
  'send-messages-in-threads': 'スレッドでメッセージを送信',
  'attach-files': 'ファイルを添付',
};

const PLATFORM: Readonly<Record<PlatformName, string>> = { discord: 'Discord', slack: 'Slack', web: 'Webチャット' };

const BRUSH: Readonly<Record<BrushSize, string>> = { small: '小', normal: '標準', large: '大' };

const COLOUR_MODE: Readonly<Record<ColourMode, string>> = {
  style: 'スタイルの色',
  luminance: '写真の色 (明るさだけを描画)',
  swap: '写真の色 (描画後に戻したもの)',
};

/** Each image by name. */
const IMAGE_NAME: Readonly<Record<ImageRole, string>> = {
  content: '写真',
  style: 'スタイル画像',
  style2: '2枚目のスタイル画像',
  style3: '3枚目のスタイル画像',
  style4: '4枚目のスタイル画像',
};

/** "星月夜 (Vincent van Gogh, 1889)、75%" or "あなたのスタイル画像、25%". */
function styleMention(style: StyleMention): string {
  const name = style.name === undefined ? 'あなたのスタイル画像' : `${style.name}${style.credit ? ` (${style.credit})` : ''}`;
  return style.share === undefined ? name : `${name}、${style.share}%`;
}

const PRESET_LABEL: Readonly<Record<PresetName, string>> = {
  photo: '写真寄り',
  balanced: 'バランス',
  painterly: '絵画風',
  painting: 'スタイル寄り',
};

/** /stylize-admin's subcommand and option names as Discord shows them (see 'admin-name'). */
const ADMIN_NAME: Readonly<Record<AdminCommandPart, string>> = { show: '表示', set: '設定', pause: '一時停止', resume: '再開', clear: 'クリア', channels: 'チャンネル', default_preset: '既定のスタイル比', default_size: '既定のサイズ', user_limit: '1人あたりの上限', server_limit: 'サーバーの上限', reset: 'リセット', allow: '許可', disallow: '許可を取り消す', everywhere: 'すべてのチャンネル' };

/** The command's option names as Discord shows them (see 'option-name'). */
const OPTION_NAME: Readonly<Record<CommandOption, string>> = { content: '写真', style: 'スタイル画像', preset: 'スタイル比', size: 'サイズ', seed: 'シード', keep_colours: '色を保持', spoiler: 'ネタバレ', library_style: '名画', photo_url: '写真のリンク', style_url: 'スタイル画像のリンク', style2: 'スタイル画像2', style2_url: 'スタイル画像2のリンク', library_style2: '名画2', blend: '混合', brush_size: '筆の大きさ', painting_time: '描画時間' };

const PRESET_DESCRIPTION: Readonly<Record<PresetName, string>> = {
  photo: '写真にスタイル画像をほんのり加えます。',
  balanced: '写真とスタイル画像を同じくらいの割合で混ぜます。',
  painterly: '力強い筆致で、写真はまだ見分けられます。',
  painting: 'スタイル画像の質感が主役で、写真は構図だけが残ります。',
};

/** "写真", "スタイル画像 (cat.png)", "画像". */
function subject(about: { role?: ImageRole; fileName?: string }): string {
  const name = about.role ? IMAGE_NAME[about.role] : '画像';
  return about.fileName ? `${name} (${about.fileName})` : name;
}

/** "次に開始", "2 番目". */
const queuePosition = (position: number): string => (position <= 1 ? '次に開始' : `${position}番目`);

export const ja: Translation = {
  // Images, as the engine reads them.
  'image-empty': (p) => `${subject(p)}は空のファイルです (0バイト)。もう一度アップロードしてください。`,
  'image-not-an-image': (p) => `${subject(p)}は読み取れる画像ではありません。${FORMATS}のファイルを送ってください。`,
  'image-format-refused': (p) => `${subject(p)}は${REFUSED_FORMAT[p.format]}で、対応していません。${FORMATS}の画像を送ってください。`,
  'image-truncated': (p) => `${subject(p)}は壊れているか不完全なため読み取れません。もう一度アップロードしてください。`,
  'image-too-many-pixels': (p) =>
    p.width !== undefined && p.height !== undefined
      ? `${subject(p)}が大きすぎます (${p.width}×${p.height}ピクセル、${formatMegapixels(p.width * p.height)})。上限は${formatMegapixels(p.maxPixels)}です。もっと小さい画像を送ってください。`
      : `${subject(p)}が大きすぎます。上限は${formatMegapixels(p.maxPixels)}です。もっと小さい画像を送ってください。`,
  // Uploads, as the platform declares them, and their download.
  'image-not-accepted': (p) => `${subject(p)}は、受け付けている${FORMATS}の画像ではありません。いずれかの形式を選んでください。`,
  'image-too-large': (p) => `${subject(p)}は${formatBytes(p.bytes)}あり、上限は${formatBytes(p.maxBytes)}です。もっと小さい画像を選んでください。`,
  'file-link-invalid': (p) => `${subject(p)}: ファイルのリンクが有効なアドレスではありません。`,
  'file-host-not-allowed': (p) =>
    `${subject(p)}: ダウンロードするのはチャットにアップロードされたファイルだけです。${p.host || 'そのアドレス'}は許可されたファイルホストではありません。`,
  'download-too-large': (p) => `${subject(p)}は上限の${formatBytes(p.maxBytes)}を超えています。もっと小さい画像を選んでください。`,
  'download-failed': (p) => `${subject(p)}をダウンロードできませんでした (ファイルホストの応答: ${p.status})。`,
  'download-timed-out': (p) => `${subject(p)}のダウンロードに${formatDuration(p.timeoutMs)}以上かかりました。もう一度お試しください。`,
  'download-network': (p) => `${subject(p)}をダウンロードできませんでした。もう一度お試しください。`,
  'slack-file-unreadable': (p) => `${subject(p)}をSlackから読み取れませんでした${p.detail ? ` (${p.detail})` : ''}。もう一度アップロードしてください。`,
  'images-not-checked': () => '画像を確認できなかったため、ジョブは開始されませんでした。もう一度試すか、別の画像でお試しください。',
  'image-too-small-for-size': (p) =>
    `${p.size} pxでは写真が${p.width}×${p.height}にしかなりません。短辺が${p.minSide} px以上必要です。もっと大きいサイズを選んでください。`,
  'option-out-of-range': (p) => `${p.option === 'size' ? 'サイズ' : '反復回数'}は${p.min}から${p.max}までの整数にしてください (入力: ${p.got})。`,
  'size-exceeds-memory': (p) =>
    p.largestSize > 0
      ? `${p.size} pxの画像には、このマシンで使えるメモリが足りません。収まる最大のサイズは${p.largestSize} pxです。そのサイズか、より小さいサイズを選んでください。`
      : `${p.size} pxの画像には、このマシンで使えるメモリが足りません。より小さいサイズでも同じです。`,
  // The queue.
  'bot-restarting': () => '再起動中のため、いまは新しいジョブを受け付けていません。1分ほどしてからもう一度お試しください。',
  'user-limit': (p) =>
    `待機中または実行中のジョブがすでに${p.maxPerUser}件あり、これが1人で同時に持てる上限です。どれかが終わるまで待つか1件キャンセルしてから、もう一度お試しください。`,
  'queue-full': (p) => `キューがいっぱいです (${p.maxQueueLength}件が待機中)。数分後にもう一度お試しください。`,
  'rerun-not-owner': () => 'このジョブをもう一度実行できるのは、開始した人だけです。ご自分の画像で/stylizeを使ってください。',
  'rerun-images-gone': () => 'このジョブの画像はもう保存されていないため、再実行できません。/stylizeで新しいジョブを開始してください。',
  'storage-unavailable': () => 'いま新しいジョブを保存できません (ストレージが満杯か故障しています)。しばらくしてからもう一度お試しください。',
  'storage-full': () => 'いま画像を保存する空きがありません。待機中のジョブでストレージが埋まっています。しばらくしてからもう一度お試しください。',
  'journal-failed': () =>
    'ジョブの進行状況を保存できなかったため (ストレージが満杯か故障しています)、ジョブを停止しました。しばらくしてからもう一度お試しください。',
  'size-too-slow': (p) =>
    `${p.size} pxの画像は、ここでは制限時間の${formatDuration(p.limitMs)}を超えてしまいます。` +
    (p.largestSize === undefined ? 'いまはどのサイズも間に合いません。しばらくしてからもう一度お試しください。' : `${p.largestSize} px以下を選んでください。`),
  'job-timed-out': (p) => `ジョブが制限時間の${formatDuration(p.limitMs)}を超えたため停止しました。もっと小さいサイズでお試しください。`,
  'engine-crashed': () =>
    '画像の処理中にエンジンがクラッシュしました (メモリ不足の可能性があります)。もっと小さいサイズでお試しください。ほかのジョブには影響ありません。',
  'engine-unavailable': () => 'エンジンを起動できなかったため、ジョブを実行できませんでした。しばらくしてからお試しください。運用者には通知済みです。',
  'engine-failed': () => '画像の処理中にエンジン内部で問題が起きました。もう一度お試しください。繰り返し起きる場合は運用者に知らせてください。',
  'model-missing': () => 'スタイル変換のモデルを読み込めなかったため、ジョブを実行できませんでした。運用者には通知済みです。',
  'crashed-too-often': (p) =>
    `ジョブの処理中に予期せず停止しました${p.attempts === 1 ? '' : ` (${p.attempts}回)`}。そのため再試行していません。もっと小さいサイズでお試しください。繰り返し起きる場合は運用者に知らせてください。`,
  // Posting the picture.
  'result-gone': () => '画像はできあがりましたが、もう保存されていないため投稿できませんでした。ジョブをもう一度実行してください。',
  'delivery-gave-up': (p) =>
    `画像はできあがりましたが、投稿が${p.attempts}回続けて失敗したため、再試行をやめました。しばらくしてからジョブをもう一度実行してください。`,
  'delivery-no-destination': () => '画像はできあがりましたが、投稿先がわからなくなりました。',
  'discord-missing-permissions': () =>
    '画像はできあがりましたが、ここに投稿できません。このチャンネルで「ファイルを添付」と「スレッドでメッセージを送信」の権限を付与してから、ジョブをもう一度実行してください。',
  'discord-missing-access': () =>
    '画像はできあがりましたが、このチャンネルのスレッドにアクセスできません。「チャンネルを見る」と「スレッドでメッセージを送信」の権限を付与してから、ジョブをもう一度実行してください。',
  'discord-upload-too-large': (p) => `画像はできあがりましたが、${formatBytes(p.bytes)}あり、このサーバーでアップロードできる大きさを超えています。`,
  'discord-refused': (p) => `画像はできあがりましたが、Discordに拒否されました (${p.detail})。`,
  'slack-not-in-channel': () => '画像はできあがりましたが、もうこのチャンネルにいません。招待 (/invite @Stylize) してから、ジョブをもう一度実行してください。',
  'slack-channel-not-found': () => '画像はできあがりましたが、このチャンネルが見つからない (削除されたか、ボットが外された) ため投稿できませんでした。',
  'slack-channel-archived': () => '画像はできあがりましたが、このチャンネルはアーカイブされているため投稿できませんでした。',
  'slack-missing-scope': () =>
    '画像はできあがりましたが、このSlackアプリにはファイルをアップロードする権限 (files:writeスコープ) がありません。管理者に再インストールを依頼してから、ジョブをもう一度実行してください。',
  'slack-token-type': () => '画像はできあがりましたが、このSlackアプリはファイルをアップロードできません。管理者にインストールの確認を依頼してください。',
  'slack-restricted': () => '画像はできあがりましたが、このワークスペースではこのチャンネルにファイルを投稿できません。',
  'slack-upload-too-large': () => '画像はできあがりましたが、このワークスペースでアップロードできる大きさを超えています。',
  'slack-token-refused': () => '画像はできあがりましたが、Slackがボットのトークンを受け付けなくなりました。運用者には通知済みです。',
  // Why posting failed for now.
  'hitch-slow-down': (p) => `${PLATFORM[p.platform]}からペースを落とすよう求められました`,
  'hitch-server-error': (p) => `${PLATFORM[p.platform]}がサーバーエラーを返しました (${p.status})`,
  'hitch-http-error': (p) => `${PLATFORM[p.platform]}がエラーを返しました (${p.status})`,
  'hitch-platform-error': (p) => `${PLATFORM[p.platform]}の応答: ${p.detail}`,
  'hitch-no-answer': (p) => `${PLATFORM[p.platform]}から時間内に応答がありませんでした`,
  'hitch-restarting': () => '再起動中です',
  'hitch-unexpected': () => '画像の投稿が予期せず失敗しました',
  // A job's messages.
  'app-name': () => 'Stylize',
  // A space on either side of the bold app name and the code-span bar: Slack's markup needs it next to Japanese.
  'job-heading': (p) => `${p.owner}さんの ${p.app} · ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'job-summary': (p) => `${p.owner}さんのStylize: ${p.status}`,
  'thread-name': (p) => `stylize · ${p.userName} · ${PRESET_LABEL[p.preset]}`,
  'queue-position': (p) => queuePosition(p.position),
  'status-preparing': () => '画像を確認しています…',
  'status-queued': (p) => `${p.resumed ? '再起動後、順番待ちに戻りました' : '順番待ち'}: ${queuePosition(p.position)}` +
    `${p.startsInMs === undefined ? '' : p.startsInMs < 1000 ? '、まもなく開始します' : `、開始まで約${formatDuration(p.startsInMs)}`}。`,
  'status-starting': () => '開始しています…',
  'status-running': (p) => `描画中 ${p.bar}${p.etaMs !== undefined ? ` · 残り約${formatDuration(p.etaMs)}` : ''}`,
  'status-delivering': (p) => `画像はできあがりましたが、投稿に失敗しました (${p.problem})。${formatDuration(p.retryInMs)}後に再試行します。`,
  'status-done': (p) => `${formatDuration(p.seconds * 1000)}で完了${p.inThread ? '。' : ': 画像はスレッドにあります。'}`,
  'status-cancelled': (p) => `${p.by}さんがキャンセルしました。`,
  'status-moved-to-thread': () => '処理中です。進行状況はスレッドで続きます。',
  'result-ready': (p) => `${p.owner}さん、画像ができあがりました。`,
  'result-title': (p) => `Stylize · ${PRESET_LABEL[p.preset]}`,
  'result-alt': (p) => `スタイル変換された画像、${p.width}×${p.height}`,
  'preview-alt': () => 'ここまでの画像のプレビュー',
  'preview-title': (p) => `プレビュー · ${p.percent}%`,
  'preview-comment': (p) => `ここまでの画像です (${p.percent}%完了)。`,
  'button-cancel': () => 'キャンセル',
  'button-more-content': (p) => `写真を強く (${PRESET_LABEL[p.preset]})`,
  'button-more-style': (p) => `スタイルを強く (${PRESET_LABEL[p.preset]})`,
  'settings-style-ratio': (p) => `スタイル比: ${PRESET_LABEL[p.preset]} (スタイルの重み α/β = ${p.ratio.toExponential(0)})`,
  'settings-result-size': (p) => `サイズ: ${p.width}×${p.height} px`,
  'settings-iterations': (p) => `ステップ: ${p.iterations}回、${formatDuration(p.seconds * 1000)} (${p.backend})`,
  'settings-layers': (p) => `ネットワークの層: 写真 (${p.content.join(', ')})、スタイル (${p.style.join(', ')})`,
  'settings-size': (p) => `サイズ: ${p.size} px (長辺)`,
  'settings-bigger-from': (p) => `${p.size} pxの画像から拡大`,
  'settings-seed': (p) => `シード: ${p.seed}`,
  'settings-keep-colours': (p) => `色を保持: ${p.keep ? 'はい' : 'いいえ'}`,
  // Notes to one user.
  'cancel-not-owner': () => 'このジョブをキャンセルできるのは、開始した人だけです。',
  'cancel-not-owner-named': (p) => `このジョブをキャンセルできるのは${p.owner}さんだけです。`,
  'cancel-not-found': () => 'このジョブはもう記録にないため、キャンセルするものはありません。',
  'cancel-already-finished': () => 'このジョブはすでに終了しています。',
  'rerun-last-step': (p) => `このジョブはすでに「${PRESET_LABEL[p.preset]}」を使っており、その方向ではこれが最も強い設定です。`,
  'something-went-wrong': () => 'こちらで問題が起きました。少ししてからもう一度お試しください。',
  'slack-cannot-post': () => 'この会話に投稿できなかったため、ジョブは開始されませんでした。ボットをチャンネルに招待するか、ダイレクトメッセージでお試しください。',
  // Presets, the command and the form.
  'preset-label': (p) => PRESET_LABEL[p.preset],
  'preset-description': (p) => PRESET_DESCRIPTION[p.preset],
  'preset-choice': (p) => `${PRESET_LABEL[p.preset]}: ${PRESET_DESCRIPTION[p.preset]}`,
  'command-description': () => '写真を別の画像のスタイルで描き直します。',
  'option-name': (p) => OPTION_NAME[p.option],
  'option-photo': () => `あなたの写真 (${FORMATS})。`,
  'option-style-image': () => 'スタイル画像: そのスタイルで描く元になる画像。',
  'option-preset': (p) => `スタイルをどれだけ適用するか (既定: ${PRESET_LABEL[p.preset]})。`,
  'option-size': () => '結果の長辺のピクセル数 (大きいほど時間がかかります)。',
  'option-seed': () => '同じシードと設定なら同じ画像になります。',
  'option-keep-colours': () => '写真の色を保ち、筆致だけを取り入れます。',
  'form-title': () => 'Stylize',
  'form-submit': () => '描く',
  'form-close': () => 'キャンセル',
  'form-ok': () => 'OK',
  'form-photo': () => 'あなたの写真',
  'form-photo-hint': () => `${FORMATS}。`,
  'form-style-image': () => 'スタイル画像',
  'form-style-image-hint': () => 'そのスタイルで描く元になる画像。',
  'form-preset': () => 'スタイル比',
  'form-size': () => 'サイズ (長辺、ピクセル)',
  'form-size-hint': (p) => `${p.min}から${p.max}まで。大きいほど時間がかかります。空欄なら既定値です。`,
  'form-seed': () => 'シード',
  'form-colours': () => '色',
  'form-keep-colours': () => '写真の色を保つ',
  'form-keep-colours-hint': () => 'スタイル画像からは筆致だけを取り入れます。',
  'form-image-missing': (p) => `${subject(p)}がありません。画像を1枚追加してください。`,
  'form-one-image-only': () => 'ここには画像を1枚だけ追加してください。',
  'form-size-invalid': (p) => `${p.min}から${p.max}までのピクセル数を整数で入力するか、空欄にしてください。`,
  'form-seed-invalid': (p) => `0から${p.max}までの整数を入力するか、空欄にしてください。`,
  'form-out-of-date': () => 'このフォームは古くなっています。閉じてから/stylizeをもう一度実行してください。',
  'form-message-images': (p) =>
    `メッセージの2枚の画像を使います。*1枚目* が写真、*2枚目* がスタイル画像です。\n• 写真: ${p.photo}\n• スタイル画像: ${p.styleImage}`,
  'shortcut-needs-two-images': (p) =>
    `このメッセージには${p.found === 0 ? '画像がありません' : '画像が1枚しかありません'}。画像が2枚あるメッセージで「Stylize」を使う ` +
    '(1枚目が写真、2枚目がスタイル画像) か、/stylizeと入力してアップロードしてください。',
  // Reach (issue 10): the "Stylize" message command, help, "my jobs", pings when a job ends badly, the channel checks.
  'ping-failed': (p) => `${p.owner}さん、ジョブは完了しませんでした: ${p.reason}`,
  'ping-cancelled-by-other': (p) => `${p.owner}さん、ジョブは${p.by}さんによってキャンセルされました。`,
  'discord-missing-channel-permissions': (p) =>
    `このチャンネルでは作業できません。次の権限がありません: ${p.missing.map((permission) => `「${PERMISSION[permission]}」`).join('、')}。` +
    'サーバーの管理者に、このチャンネルで付与してもらってから (チャンネルの設定 → 権限)、もう一度お試しください。何もダウンロードしていません。',
  'slack-not-a-member': () =>
    'このチャンネルのメンバーではないため、ここにジョブを投稿できません。/invite @stylizeで招待してから、もう一度お試しください。何もダウンロードしていません。',
  'help-command-description': () => 'Stylizeの使い方: スタイル比、名画、制限、プライバシー。',
  'jobs-command-description': () => '待機中・実行中のStylizeジョブ (キャンセルボタン付き)。',
  'help-intro-discord': () =>
    '/stylizeに写真とスタイル画像を指定すると、写真をそのスタイルで描きます。または画像付きのメッセージを右クリックし、「アプリ」→「Stylize」を選びます。' +
    '1枚目の画像が写真、2枚目がスタイル画像です (画像が1枚なら名画を選びます)。/stylize-jobsで自分のジョブを一覧できます。',
  'help-intro-slack': () =>
    '/stylizeで写真とスタイル画像のフォームを開きます。または画像が2枚あるメッセージでメッセージショートカットStylize (⋮ その他のアクション) を使います。' +
    '1枚目が写真、2枚目がスタイル画像です。/stylize jobsで自分のジョブを一覧できます。',
  'help-presets-heading': () => 'スタイル比:',
  'help-preset-line': (p) => `${PRESET_LABEL[p.preset]}: ${PRESET_DESCRIPTION[p.preset]}`,
  'help-library-heading': () => '名画 (パブリックドメイン):',
  'help-library-line': (p) => `${p.name} (${p.credit}): ${p.description}`,
  'help-limits': (p) =>
    `制限: 画像は${formatBytes(p.maxBytes)}まで (${FORMATS})。1人が同時に持てるジョブは${p.maxPerUser}件、待機は全体で${p.maxQueueLength}件まで。` +
    `サイズは${p.minSize}から${p.maxSize} pxまで。1つのジョブの実行時間は${formatDuration(p.timeoutMs)}までです。`,
  'help-privacy': (p) =>
    `プライバシー: 2枚の画像は、ジョブの待機中と実行中、および完了後${formatDuration(p.keptMs)}の間 (再実行ボタンのため) だけ保存されます。` +
    '失敗またはキャンセルされたジョブの画像はすぐに削除されます。ジョブを再実行できるのはあなただけですが、モデレーターはキャンセルできます。',
  'jobs-none': () => '待機中または実行中のジョブはありません。',
  'jobs-heading': (p) => `あなたのジョブ (${p.count}件):`,
  'jobs-line-running': (p) => `実行中: ${PRESET_LABEL[p.preset]}`,
  'jobs-line-waiting': (p) => `待機中 (${queuePosition(p.position)}): ${PRESET_LABEL[p.preset]}`,
  'jobs-cancel-button': (p) => `ジョブ${p.index}をキャンセル`,
  'slack-unknown-subcommand': (p) =>
    `「/stylize ${p.text}」というコマンドはありません。/stylizeでフォームを開き、/stylize helpでヘルプを、/stylize jobsで自分のジョブを表示します。`,
  'context-no-images': () => 'このメッセージには画像がありません。写真 (とスタイル画像) のあるメッセージでStylizeを使うか、/stylizeと入力してアップロードしてください。',
  'context-pick-images': (p) => `このメッセージには画像が${p.count}枚あります。写真とスタイル画像を選んでください:`,
  'context-pick-photo': () => 'あなたの写真',
  'context-pick-style': () => 'スタイル画像',
  'context-pick-library': () => 'このメッセージの画像は1枚 (あなたの写真) だけです。スタイルにする名画を選んでください:',
  'context-pick-same': () => '別々の画像を2枚選んでください: 写真1枚とスタイル画像1枚です。',
  'context-picker-expired': () => 'この選択は古くなっています。メッセージでもう一度Stylizeを使ってください。',
  'context-image-label': (p) => `${p.index}. ${p.fileName}`,
  'list-and-more': (p) => `ほか${p.count}件`,
  // Results: the style library.
  'style-missing': () => 'スタイルを指定してください: スタイル画像を添付するか、名画を選んでください。',
  'style-both': () => 'スタイルは1つだけ指定してください: スタイル画像を添付するか、名画を選ぶかのどちらかです。',
  'library-style-unknown': (p) => `「${p.id}」という名画はありません。一覧から選んでください。`,
  'settings-library-style': (p) => `名画: ${p.name} (${p.credit})`,
  // Results: what the result says and its buttons.
  'result-summary': (p) =>
    `${p.owner}さん、画像ができあがりました: ${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''} · ${p.width}×${p.height} px · ${formatDuration(p.seconds * 1000)}。`,
  'button-bigger': (p) => `大きく (${p.size} px)`,
  'button-keep-colours': (p) => (p.keep ? '写真の色を保持' : 'スタイルの色を使う'),
  'button-use-as-photo': () => '写真として使う',
  'button-use-as-style': () => 'スタイルとして使う',
  'button-details': () => 'ⓘ 詳細',
  'button-delete': () => '削除',
  'details-heading': () => 'この画像の設定:',
  'delete-done': () =>
    '削除しました: この画像と、その元になった写真とスタイル画像をボットから消去しました。それらからすでに開始したジョブは、それぞれのコピーを保持します。',
  'delete-not-owner': () => 'このジョブを削除できるのは、開始した人だけです。',
  'delete-not-found': () => 'このジョブはもうボットに保存されていません (画像はすでに消去されています)。',
  'delete-not-finished': () => 'このジョブはまだ待機中か実行中です。代わりにキャンセルしてください。',
  'option-style-image-or-library': () => `そのスタイルで描く元になる画像 (または代わりに「${OPTION_NAME.library_style}」を選択)`,
  'option-library-style': () => '組み込みの名画 (スタイル画像の代わりに)',
  'form-style-image-optional-hint': () => 'そのスタイルで描く元になる画像。空欄のままにすると、下で名画を選べます。',
  'form-library-style': () => '名画',
  'form-library-style-hint': () => '組み込みの名画 (スタイル画像の代わりに)。',
  // Blends and brush size (issue 19).
  'result-styles': (p) => `スタイル: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-styles': (p) => `スタイル: ${p.styles.map(styleMention).join(' · ')}`,
  'settings-brush-size': (p) => `筆の大きさ: ${p.brush === undefined ? '' : `${BRUSH[p.brush]}、`}スタイル画像を絵の${p.scale}倍の大きさで使用`,
  'settings-colour-mode': (p) => `色: ${COLOUR_MODE[p.mode]}`,
  'button-brush-size': (p) => `筆: ${BRUSH[p.brush]}`,
  // Painting time (issue 21).
  'settings-run-time': (p) => `描画時間: ${formatDuration(p.minutes * 60_000)}`,
  // Communities: moderation, the admin command, DMs.
  'server-limit': (p) =>
    `このサーバーには待機中または実行中のジョブがすでに${p.maxPerServer}件あり、これが管理者の許可する上限です。どれかが終わってから、もう一度お試しください。`,
  'channel-not-allowed': (p) => `ここでは/stylizeは${p.channels}でのみ使えます。そちらでお使いください。`,
  'no-image-permission': () =>
    'このチャンネルでは画像を投稿できないため、ここには結果を投稿しません。ファイルを添付できるチャンネルで/stylizeを使ってください。',
  'admin-only': () => 'ここでボットの設定を変更できるのは、サーバーの管理者 (サーバー管理) だけです。',
  'admin-server-only': () => 'ボットの設定はサーバーごとのものです: サーバーのチャンネルで/stylize-adminを使ってください。',
  'option-spoiler': () => '結果とプレビューをネタバレとして送ります (クリックするまで非表示)。',
  'job-server-paused': () =>
    'このサーバーのジョブは管理者によって一時停止されています: あなたのジョブは順番を待ち、再開されると始まります。',
  'admin-command-description': () => 'このサーバーでのStylizeの設定を変更します。',
  'admin-show-description': () => 'このサーバーの設定とジョブを表示します。',
  'admin-set-description': () => '既定のスタイル比とサイズ、ジョブの上限を設定します。',
  'admin-option-default-preset': () => '/stylizeで指定がないときに使うスタイル比。',
  'admin-option-default-size': () => '/stylizeで指定がないときに使うサイズ (長辺、ピクセル)。',
  'admin-option-user-limit': () => '1人が待機中・実行中にできるジョブ数 (Stylize自体の上限が最大)。',
  'admin-option-server-limit': () => 'このサーバーが同時に待機中・実行中にできるジョブ数。',
  'admin-option-reset': () => '既定のスタイル比、サイズ、ジョブの上限をStylize本来の値に戻します。',
  'admin-pause-description': () => 'このサーバーのジョブを一時停止します: 再開まで順番待ちになります。',
  'admin-resume-description': () => 'このサーバーのジョブを再開します。',
  'admin-clear-description': () => 'このサーバーの待機中のジョブをすべてキャンセルします (実行中のジョブは完了します)。',
  'admin-channels-description': () => '/stylizeを使えるチャンネルを選びます。',
  'admin-option-allow': () => 'このチャンネルで/stylizeを許可します。',
  'admin-option-disallow': () => 'このチャンネルでの/stylizeの許可を取り消します。',
  'admin-option-everywhere': () => 'すべてのチャンネルで再び/stylizeを許可します。',
  'admin-settings': (p) =>
    [
      `既定のスタイル比: ${PRESET_LABEL[p.preset]}${p.presetIsDefault ? ' (Stylizeの既定)' : ''}`,
      `既定のサイズ: ${p.size === undefined ? 'Stylizeの既定' : `${p.size} px`}`,
      `チャンネル: ${p.channels ?? 'すべてのチャンネル'}`,
      `1人あたりのジョブ: ${p.userLimit}`,
      `このサーバーのジョブ: ${p.serverLimit === undefined ? `独自の上限なし (Stylize全体で待機できるのは${p.queueCeiling}件)` : p.serverLimit}`,
      `状態: ${p.paused ? '一時停止中' : '稼働中'}、待機中${p.waiting}件、実行中${p.running}件`,
    ].join('\n'),
  'admin-saved': () => '保存しました。現在の設定:',
  'admin-nothing-to-change': () => '変更するものがありません: オプションを1つ以上指定してください。',
  'admin-paused': () => '一時停止しました。このサーバーのジョブは管理者が再開するまで待機します。実行中のジョブは完了します。',
  'admin-resumed': () => '再開しました。このサーバーの待機中のジョブは順番に再び実行されます。',
  'admin-cleared': (p) => `クリアしました: 待機中のジョブ${p.count}件をキャンセルしました。実行中のジョブは完了します。`,
  'slack-admin-only': () => 'ボットの設定を変更できるのは、ワークスペースの管理者とオーナーだけです。',
  'slack-admin-usage': () =>
    '使い方: `/stylize admin show`、`pause`、`resume`、`clear`、`set preset=photo|balanced|painterly|painting size=PX user-limit=N server-limit=N` ' +
    '(いずれも任意。`set reset` で既定値に戻す)、`channels allow` または `channels disallow` (このチャンネル)、`channels everywhere`。',
  // Image links
  'photo-missing': () => '写真を指定してください: 添付するか、ここに投稿済みの画像のリンク (写真のリンク) を貼ってください。',
  'image-upload-and-link': (p) => `${IMAGE_NAME[p.role]}は一度だけ指定してください: 添付かリンクのどちらか一方です。`,
  'image-link-host-not-allowed': (p) => `${subject(p)}: リンクはチャット自体に投稿された画像を指す必要があります (${p.hosts})。${p.host || 'そのアドレス'}は対象外です。`,
  // Blends and brush size (issue 19).
  'too-many-styles': (p) => `1枚の絵に混ぜられるスタイル画像は最大${p.max}枚です (このジョブは${p.count}枚)。いくつか外してください。`,
  'style-weights-invalid': (p) => `混合には${p.count}枚のスタイル画像それぞれに割合が必要です。負の値は使えず、すべてを0にはできません。`,
  'second-style-both': () => '2つ目のスタイルは1つだけ指定してください: 画像の添付かリンク、または名画のどちらか一方です。',
  'blend-needs-second-style': () => '混合は2つのスタイルを混ぜます: 2つ目のスタイル (画像、そのリンク、または名画) も指定するか、混合を外してください。',
  // Image links
  'option-photo-url': () => '添付の代わりに、ここに投稿済みの写真のリンクを指定 (リンクをコピー)',
  'option-style-url': () => '添付の代わりに、ここに投稿済みのスタイル画像のリンクを指定 (リンクをコピー)',
  'settings-preset': (p) => `スタイル比: ${PRESET_LABEL[p.preset]}`,
  'library-choice': (p) => `${p.name}: ${p.description}`,
  'admin-name': (p) => ADMIN_NAME[p.part],
  // The local web chat (src/adapters/web/).
  'web-page-title': () => 'Stylize: 写真を絵画に',
  'web-intro': () => '写真をドロップしてスタイルを選ぶと、描かれていく様子が見られます。このブラウザーの画像は、このブラウザーだけに表示されます。',
  'web-job-heading': (p) => `${PRESET_LABEL[p.preset]}${p.style !== undefined ? ` · ${p.style}` : ''}${p.size !== undefined ? ` · ${p.size} px` : ''}${p.minutes !== undefined ? ` · ${formatDuration(p.minutes * 60_000)}` : ''}`,
  'web-cancelled': () => 'キャンセルしました。',
  'web-drop-hint': () => `ここに画像をドロップするか、ファイルを選んでください (${FORMATS})。`,
  'web-style-heading': () => 'スタイル',
  'web-style-upload': () => '自分のスタイル画像',
  'web-library-none': () => 'なし: 自分のスタイル画像を使う',
  'web-image-ready': (p) => `準備完了: ${p.fileName}`,
  'web-jobs-heading': () => '自分のジョブ',
  'web-pictures-heading': () => '画像',
  'web-pictures-none': () => 'ここに画像が表示されます。',
  'web-download': () => 'ダウンロード',
  'web-sending': () => '送信中…',
  'web-connection-lost': () => 'ボットとの接続が切れました。再接続しています…',
  'web-page-out-of-date': () => 'このページは古くなっています。再読み込みしてください。',
  'web-token-title': () => 'このWebチャットにはアクセストークンが必要です',
  'web-token-label': () => 'アクセストークン',
  'web-token-submit': () => '開く',
  'web-token-wrong': () => 'アクセストークンが違います。もう一度お試しください。',
  // Blends and brush size (issue 19).
  'option-style2': () => `1枚目と混ぜる2枚目のスタイル画像 (または「${OPTION_NAME.style2_url}」か「${OPTION_NAME.library_style2}」)`,
  'option-style2-url': () => 'または、ここに投稿済みの2枚目のスタイル画像のリンク (リンクをコピー)',
  'option-library-style2': () => '1つ目のスタイルと混ぜる2つ目の名画',
  'option-blend': () => '混合に入れる2つ目のスタイルの割合 (既定は50%)',
  'option-brush-size': () => '筆跡の大きさ: 小、標準 (既定)、大',
  'blend-choice': (p) => `2つ目のスタイル${p.share}%、1つ目${100 - p.share}%`,
  'brush-choice': (p) => BRUSH[p.brush],
  'form-style2': () => '2枚目のスタイル画像',
  'form-style2-hint': () => '任意: 2つ目のスタイルを1つ目に混ぜます。画像をアップロードするか、下で名画を選んでください。',
  'form-library-style2': () => '2つ目の名画',
  'form-blend': () => '混合 (2つ目のスタイルの割合)',
  'form-brush-size': () => '筆の大きさ',
  // Painting time (issue 21).
  'option-run-time': () => '描画にかける時間。長いほど細部まで仕上がります。既定: サイズに応じて。',
  'run-time-choice': (p) => `${p.minutes}分`,
  'run-time-usual': () => '既定 (サイズに応じて)',
  'form-run-time': () => '描画時間',
};
