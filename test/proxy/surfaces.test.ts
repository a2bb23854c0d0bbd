import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startStack } from '../helpers/stack.js';

describe('surface selection', () => {
  it('auto picks the AI Gateway on a workspace that has one', async () => {
    const stack = await startStack({ emulator: { aiGateway: true } });
    try {
      expect(stack.proxy.workspace.surface).toBe('ai-gateway');
      expect(stack.emulator.transcript.some((entry) => entry.path.startsWith('/ai-gateway/anthropic/v1/models'))).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it('auto picks Model Serving on a workspace without the gateway', async () => {
    const stack = await startStack({ emulator: { aiGateway: false } });
    try {
      expect(stack.proxy.workspace.surface).toBe('model-serving');
    } finally {
      await stack.close();
    }
  });

  it('a forced surface is used without probing', async () => {
    const stack = await startStack({ emulator: { aiGateway: true }, config: { surface: 'model-serving' } });
    try {
      expect(stack.proxy.workspace.surface).toBe('model-serving');
      expect(stack.emulator.transcript.some((entry) => entry.path.startsWith('/ai-gateway/'))).toBe(false);
    } finally {
      await stack.close();
    }
  });

  it('falls back to Model Serving when the gateway does not serve the endpoint, and remembers it', async () => {
    const stack = await startStack({ emulator: { aiGateway: true } });
    const openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    try {
      const ask = () => openai.chat.completions.create({ model: 'team-mistral-external', messages: [{ role: 'user', content: 'hi external' }] });
      expect((await ask()).choices[0]?.message.content).toContain('hi external');
      const paths = () => stack.emulator.transcript.filter((entry) => entry.method === 'POST').map((entry) => entry.path);
      expect(paths()).toEqual(['/ai-gateway/mlflow/v1/chat/completions', '/serving-endpoints/chat/completions']);
      await ask();
      expect(paths().at(-1)).toBe('/serving-endpoints/chat/completions');
      expect(paths()).toHaveLength(3);
    } finally {
      await stack.close();
    }
  });
});
