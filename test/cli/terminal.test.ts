/**
 * The command on a real terminal (a pseudo-terminal from util-linux `script`): the progress
 * block redrawn in place, and the --force confirmation read from the keyboard.
 */
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli-process';
import { startDistrict, type TestDistrict } from './helpers/district';

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('[terminal tests skipped] util-linux `script` is not installed');
    return false;
  }
})();

/** Run `oneroster <args>` on a pseudo-terminal; `answer` is typed once `prompt` shows up. */
function onTerminal(
  args: string[],
  env: Record<string, string>,
  interaction?: { prompt: string; answer: string },
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/index.ts', ...args]
    .map((part) => `'${part.replaceAll("'", "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, COLUMNS: '120', TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (interaction && !answered && output.includes(interaction.prompt)) {
      answered = true;
      child.stdin.write(interaction.answer);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.runIf(hasScript)('on a terminal', () => {
  let district: TestDistrict;
  beforeAll(async () => {
    district = await startDistrict();
  });
  afterAll(async () => {
    await district.close();
  });

  it('redraws the progress block in place', async () => {
    const config = await district.writeConfig();
    const { code, output } = await onTerminal(['sync', '--config', config], district.env);
    expect(code).toBe(0);
    // Cursor up over the 8 lines of the block (a header and 7 resources), then redraw.
    expect(output).toContain('\u001b[8A');
    expect(output).toMatch(/ {2}users +done: \d+ records in /);
    expect(output).toMatch(/district-a: full sync succeeded in /);
  });

  it('asks before --force, and a "no" runs nothing', async () => {
    const config = await district.writeConfig();
    const { code, output } = await onTerminal(
      ['sync', '--config', config, '--force', '--quiet'],
      district.env,
      { prompt: '[y/N]', answer: 'n\r' },
    );
    expect(code).toBe(3);
    expect(output).toContain(
      '--force applies deletions the shrink guard would refuse (tenants: district-a). Continue? [y/N]',
    );
    expect(output).toContain('oneroster: not confirmed; nothing was run');
    expect(output).not.toContain('sync succeeded');
  });

  it('runs after a "yes", and the process ends (stdin is released)', async () => {
    const config = await district.writeConfig();
    const { code, output } = await onTerminal(
      ['sync', '--config', config, '--force', '--quiet'],
      district.env,
      { prompt: '[y/N]', answer: 'y\r' },
    );
    expect(code).toBe(0);
    expect(output).toMatch(/district-a: (full|incremental) sync succeeded/);
  });
});
