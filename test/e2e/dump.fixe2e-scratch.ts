import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { runAgentThroughCli, tokenTask } from './helpers/token-task.js';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack.close(); });
const which = (process.env.SCRATCH ?? 'claude,codex,opencode').split(',');
const OC_ENV = { OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_SHARE: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1', OPENCODE_DISABLE_DEFAULT_PLUGINS: '1' };
const runs: Record<string, { agent: 'claude' | 'codex' | 'opencode'; model: string; args: (p: string) => string[]; env?: Record<string, string> }> = {
  claude: { agent: 'claude', model: process.env.SCRATCH_MODEL ?? 'databricks-gpt-5-2', args: (p) => ['-p', p, '--output-format', 'json', '--allowedTools', 'Read'], env: { CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK: '1', CLAUDE_CODE_MAX_RETRIES: '0' } },
  codex: { agent: 'codex', model: 'databricks-gpt-5-2', args: (p) => ['exec', '--skip-git-repo-check', '-c', 'approval_policy="never"', '-c', 'sandbox_mode="read-only"', p] },
  opencode: { agent: 'opencode', model: 'databricks-gpt-5-2', args: (p) => ['run', '-m', `${process.env.SCRATCH_ADAPTER ?? 'dbx-openai'}/${process.env.SCRATCH_MODEL ?? 'databricks-gpt-5-2'}`, '--format', 'json', '--print-logs', p], env: OC_ENV },
};
for (const name of which) {
  test(name, async () => {
    stack.emulator.clearTranscript();
    stack.logs.lines.length = 0;
    const r = runs[name]!;
    const task = tokenTask();
    const result = await runAgentThroughCli(stack, task, r.agent, { model: r.model, args: r.args(task.prompt), env: r.env });
    writeFileSync(`/tmp/fixe2e-scratch/${name}.json`, JSON.stringify({ result, transcript: stack.emulator.transcript, logs: stack.logs.lines }, null, 1));
    task.box.remove();
  });
}
