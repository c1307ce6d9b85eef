import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { projectRoot } from '../../src/config/project-root.js';
import { createMerchant, useTestStack } from '../support/test-stack.js';

interface Example {
  heading: string;
  code: string;
}

/** The ```ts blocks of the SDK's README, each under the heading it follows. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  let heading = '';
  for (const part of markdown.split(/^```/m).map((text, i) => ({ text, inCode: i % 2 === 1 }))) {
    if (!part.inCode) {
      heading = [...part.text.matchAll(/^#+ (.+)$/gm)].at(-1)?.[1] ?? heading;
      continue;
    }
    if (part.text.startsWith('ts\n')) found.push({ heading, code: part.text.slice(3) });
  }
  return found;
}

/** The `console.log(…); // expected` comments, in order, as patterns (`…` stands for anything). */
function expectedLines(code: string): RegExp[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.+)$/gm)].map(
    ([, text]) =>
      new RegExp(
        `^${text!
          .split('…')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
}

const root = projectRoot();
const readme = readFileSync(join(root, 'sdk', 'README.md'), 'utf8');
const blocks = examples(readme);
const sdkEntry = join(root, 'sdk', 'src', 'index.ts');

describe('every example of the SDK README', () => {
  const stack = useTestStack({ worker: true, config: { WEBHOOK_RETRY_SCHEDULE: '1s' } });
  const dir = mkdtempSync(join(tmpdir(), 'tally-sdk-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has examples to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('type-checks against the SDK', () => {
    const files = blocks.map((block, i) => {
      const file = join(dir, `typed-${i}.mts`);
      writeFileSync(file, block.code);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
      paths: { '@tally/sdk': [sdkEntry] },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  });

  it.each(blocks.map((block, i) => [block.heading, i] as const))(
    '"%s" runs against the real server and prints what it says',
    async (_heading, i) => {
      const block = blocks[i]!;
      const merchant = await createMerchant(stack.api.baseUrl);
      const js = ts
        .transpileModule(block.code, {
          compilerOptions: { target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext },
        })
        .outputText.replaceAll(
          "'@tally/sdk'",
          `'${pathToFileURL(join(root, 'dist', 'sdk', 'src', 'index.js')).href}'`,
        );
      const file = join(dir, `example-${i}.mjs`);
      writeFileSync(file, js);
      const { stdout } = await promisify(execFile)(process.execPath, [file], {
        env: { ...process.env, TALLY_API_KEY: merchant.key, TALLY_URL: stack.api.baseUrl },
        timeout: 45_000,
      });
      const lines = stdout.trimEnd().split('\n');
      let at = 0;
      for (const pattern of expectedLines(block.code)) {
        while (at < lines.length && !pattern.test(lines[at]!)) at += 1;
        expect({ pattern: pattern.source, found: at < lines.length, stdout }).toMatchObject({ found: true });
        at += 1;
      }
    },
  );
});
