// Lint: typescript-eslint's recommended rules; a few project rules that guard the architecture.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'test-results/**',
      'sample-workspace/**',
      // collected third-party logs (dev/, holdoutN/): a corpus file may be a .js file holding a pasted log (data)
      'test/fixtures/real/*/**',
    ],
  },
  // TypeScript and the JavaScript scripts (.mjs: scripts/, bench/, the test harness) get the same rules.
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Pure modules must never import the vscode API (they run in plain Node, a worker, the CLI and, for src/shared, the webview).
    files: [
      'src/ingest/**',
      'src/fit/**',
      'src/cli/**',
      'src/model/**',
      'src/worker/**',
      'src/shared/**',
      'src/protocol.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'pure module: no vscode import' }] }],
    },
  },
  {
    // CommonJS entry points (the CLI's bin shim, a worker fixture) load with require().
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
