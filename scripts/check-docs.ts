/**
 * Docs check: every TypeScript code block in README.md and docs/*.md either mirrors an example
 * file that CI runs, or compiles against the package's source.
 *
 * - A block preceded by `<!-- example: examples/name.ts -->` must appear verbatim in that file.
 * - Every other `ts`/`typescript` block is written to `.tmp/docs-check/` and type-checked with the
 *   project's strict settings, with `@smartpass/oneroster[/subpath]` mapped to `src/`. Blocks must
 *   therefore be self-contained: import what they use, `declare const` what the reader brings.
 * - `json` blocks must parse.
 *
 * Run: `npx tsx scripts/check-docs.ts`
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = join(root, '.tmp', 'docs-check');

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  example: string | undefined;
}

function markdownFiles(): string[] {
  const docs = join(root, 'docs');
  const files = [join(root, 'README.md')];
  for (const name of readdirSync(docs)) {
    if (name.endsWith('.md')) files.push(join(docs, name));
  }
  return files;
}

function extractBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)?\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const lang = open[1] ?? '';
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const marker = [lines[start - 1], lines[start - 2]]
      .map((l) => /<!--\s*example:\s*(\S+)\s*-->/.exec(l ?? '')?.[1])
      .find(Boolean);
    blocks.push({ file, line: start + 1, lang, code: body.join('\n'), example: marker });
  }
  return blocks;
}

const failures: string[] = [];
const toCompile: string[] = [];
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

let checked = 0;
for (const file of markdownFiles()) {
  const rel = relative(root, file);
  for (const block of extractBlocks(file)) {
    const where = `${rel}:${block.line}`;
    if (block.example) {
      checked++;
      let source = '';
      try {
        source = readFileSync(join(root, block.example), 'utf8');
      } catch {
        failures.push(`${where}: example file ${block.example} does not exist`);
        continue;
      }
      if (!source.includes(block.code.trim())) {
        failures.push(`${where}: block differs from ${block.example} (keep them identical)`);
      }
    } else if (block.lang === 'ts' || block.lang === 'typescript') {
      checked++;
      const name = `${rel.replace(/[/.]/g, '_')}_${block.line}.ts`;
      // `export {}` makes each block a module, so blocks may use top-level await and the same
      // names without clashing.
      writeFileSync(join(outDir, name), `// ${where}\n${block.code}\nexport {};\n`);
      toCompile.push(name);
    } else if (block.lang === 'json') {
      checked++;
      try {
        JSON.parse(block.code);
      } catch (error) {
        failures.push(`${where}: invalid JSON (${(error as Error).message})`);
      }
    }
  }
}

if (toCompile.length > 0) {
  const tsconfig = {
    extends: '../../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      paths: {
        '@smartpass/oneroster': ['../../src/index.ts'],
        '@smartpass/oneroster/*': ['../../src/*/index.ts'],
      },
    },
    include: toCompile,
    // The root config excludes .tmp/, where these files live.
    exclude: [],
  };
  writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', outDir], {
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const out = String((error as { stdout?: string }).stdout ?? error);
    failures.push(`type errors in documentation code blocks:\n${out}`);
  }
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  console.error(`docs check: ${failures.length} problem(s) in ${checked} block(s)`);
  process.exit(1);
}
console.log(`docs check: ${checked} code block(s) ok`);
