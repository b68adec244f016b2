import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, top to bottom: src/commands (entry points) > src/bot > src/operator > src/adapters > src/queue >
 * models > src/transfer; src/styles, src/settings and src/wording are leaves. A folder imports only from the
 * layers below it, so that each can be read, tested and reused without what sits above (see the README's
 * "Layout"). src/wording (what users read: messages, the user-facing error, number formats) may be imported
 * by every layer, the engine included.
 */
function importsNothingFrom(files, folders, why, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `(^|/)(${folders.join('|')})/`, message: why }, ...extra] }],
    },
  };
}

/** The engine's contract is its index, which loads no backend: the bot's process imports nothing deeper. */
const ENGINE_THROUGH_INDEX = { regex: '(^|/)transfer/(?!index\\.js$)', message: 'Import the engine through src/transfer/index.ts.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'models/weights/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  importsNothingFrom(['src/bot/**'], ['commands'], 'src/bot is below the entry points (src/commands).', [ENGINE_THROUGH_INDEX]),
  importsNothingFrom(['src/operator/**'], ['commands', 'bot'], 'The operator endpoint sits below the bot, which starts it; it reads the queue and the adapters.', [ENGINE_THROUGH_INDEX]),
  importsNothingFrom(['src/adapters/**'], ['commands', 'bot', 'operator'], 'Adapters sit below the bot: the bot composes them, never the reverse.', [ENGINE_THROUGH_INDEX]),
  importsNothingFrom(['src/queue/**'], ['commands', 'bot', 'operator', 'adapters'], 'The queue knows no chat platform and no bot wiring.', [ENGINE_THROUGH_INDEX]),
  importsNothingFrom(['models/**'], ['commands', 'bot', 'operator', 'adapters', 'queue'], 'models/ fetches and converts weights; it may use the engine, nothing above it.'),
  importsNothingFrom(['src/transfer/**'], ['commands', 'bot', 'operator', 'adapters', 'queue', 'models', 'styles', 'settings'], 'The engine is the bottom layer: it imports nothing of the project outside src/transfer but the leaf src/wording.'),
  importsNothingFrom(['src/styles/**', 'src/settings/**'], ['commands', 'bot', 'operator', 'adapters', 'queue', 'models', 'transfer'], 'A leaf folder: it imports nothing of the project.'),
  importsNothingFrom(['src/wording/**'], ['commands', 'bot', 'operator', 'adapters', 'queue', 'models', 'transfer', 'styles', 'settings'], 'A leaf folder: it imports nothing of the project.'),
);
