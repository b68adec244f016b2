import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, top to bottom: src/commands (entry points) > src/bot > src/adapters > src/queue > models >
 * src/transfer; src/styles and src/settings are leaves. A folder imports only from the layers below it, so
 * that each can be read, tested and reused without what sits above (see the README's "Layout").
 */
function importsNothingFrom(files, folders, why) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `(^|/)(${folders.join('|')})/`, message: why }] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'models/weights/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  importsNothingFrom(['src/bot/**'], ['commands'], 'src/bot is below the entry points (src/commands).'),
  importsNothingFrom(['src/adapters/**'], ['commands', 'bot'], 'Adapters sit below the bot: the bot composes them, never the reverse.'),
  importsNothingFrom(['src/queue/**'], ['commands', 'bot', 'adapters'], 'The queue knows no chat platform and no bot wiring.'),
  importsNothingFrom(['models/**'], ['commands', 'bot', 'adapters', 'queue'], 'models/ fetches and converts weights; it may use the engine, nothing above it.'),
  importsNothingFrom(['src/transfer/**'], ['commands', 'bot', 'adapters', 'queue', 'models', 'styles', 'settings'], 'The engine is the bottom layer: it imports nothing of the project outside src/transfer.'),
  importsNothingFrom(['src/styles/**', 'src/settings/**'], ['commands', 'bot', 'adapters', 'queue', 'models', 'transfer'], 'A leaf folder: it imports nothing of the project.'),
);
