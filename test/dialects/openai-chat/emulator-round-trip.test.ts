/**
 * The codec against the project's strict Databricks emulator: every request
 * it writes must pass the emulator's Chat validation, every answer the
 * emulator gives must decode, and a Chat client must be able to replay the
 * answer (signed reasoning included) on the next turn.
 */
import { describe, expect, it } from 'vitest';
import { openaiChatInbound, openaiChatUpstream } from '../../../src/dialects/openai-chat/codec.js';
import type { Family } from '../../../src/databricks/family.js';
import { openaiChat } from '../../../src/emulator/dialects/openai-chat/index.js';
import { runModel } from '../../../src/emulator/model.js';
import type { Conversation, EmulatedEndpoint, RenderContext } from '../../../src/emulator/types.js';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { expectChatStreamContract } from './chunk-assertions.js';
import { decodeSseBytes, encodeAll, openAiClientAnswering } from './helpers.js';

function route(name: string, family: Family): { codec: CodecContext; emulator: RenderContext } {
  const endpoint: EmulatedEndpoint = { name, family, task: 'llm/v1/chat', kind: 'foundation', onAiGateway: true };
  return { codec: { endpoint: name, family, clientModel: 'client-model' }, emulator: { endpoint, quirks: new Set() } };
}

const TOOLS = [{ type: 'function', function: { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } }];

/** One client turn through the proxy's translation: client body → IR → upstream body → emulator → IR → client SSE. */
function streamedTurn(clientBody: Record<string, unknown>, at: ReturnType<typeof route>): { sse: string; events: IrStreamEvent[]; conversation: Conversation } {
  const request = openaiChatInbound.decodeRequest(clientBody, at.codec);
  const upstreamBody = openaiChatUpstream.encodeRequest(request, at.codec);
  const conversation = openaiChat.parse(upstreamBody, at.emulator);
  const script = runModel(conversation, at.emulator.endpoint);
  const upstreamSse = openaiChat.stream(script, at.emulator).join('');
  const events = decodeSseBytes(openaiChatUpstream.createStreamDecoder(request, at.codec), new TextEncoder().encode(upstreamSse));
  return { sse: encodeAll(openaiChatInbound.createStreamEncoder(request, at.codec), events), events, conversation };
}

describe('openai-chat codec against the Databricks emulator', () => {
  it('carries Claude signed reasoning and parallel calls to a Chat client and back on the next turn', async () => {
    const at = route('databricks-claude-sonnet-4-6', 'claude');
    const first = {
      model: 'client-model',
      messages: [{ role: 'user', content: 'Read ./a.txt and ./b.txt in parallel' }],
      tools: TOOLS,
      reasoning_effort: 'high',
      stream: true,
      stream_options: { include_usage: true },
    };
    const turn1 = streamedTurn(first, at);
    expectChatStreamContract(turn1.sse, { model: 'client-model', includeUsage: true });
    expect(turn1.events.some((event) => event.type === 'delta' && event.delta.type === 'signature')).toBe(true);

    const completion = await openAiClientAnswering(turn1.sse, 'text/event-stream').chat.completions.stream({ model: 'client-model', messages: [] }).finalChatCompletion();
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message.tool_calls).toHaveLength(2);
    expect(message.thinking_blocks).toEqual([{ type: 'thinking', thinking: expect.any(String), signature: expect.any(String) }]);

    // Turn 2: the client sends the assistant message back with tool results; the emulator checks the signature.
    const calls = message.tool_calls as { id: string }[];
    const second = {
      ...first,
      messages: [...first.messages, message, ...calls.map((call) => ({ role: 'tool', tool_call_id: call.id, content: `contents of ${call.id}` }))],
    };
    const turn2 = streamedTurn(second, at);
    expect(turn2.conversation.replayedReasoning).toEqual([{ text: expect.any(String), signature: expect.any(String) }]);
    expect(turn2.conversation.toolResults.map((result) => result.callId)).toEqual(calls.map((call) => call.id));
    expectChatStreamContract(turn2.sse, { model: 'client-model', includeUsage: true });
    const answer = await openAiClientAnswering(turn2.sse, 'text/event-stream').chat.completions.stream({ model: 'client-model', messages: [] }).finalChatCompletion();
    expect(answer.choices[0]?.message.content).toContain('The tool returned: contents of');
    expect(answer.choices[0]?.message.content).not.toContain('I will report');

    // A tampered signature reaches the emulator too, which refuses it: the replay is real.
    const blocks = message.thinking_blocks as { signature: string }[];
    const tampered = { ...message, thinking_blocks: blocks.map((block) => ({ ...block, signature: `${block.signature}x` })) };
    expect(() => streamedTurn({ ...second, messages: [first.messages[0], tampered, ...second.messages.slice(2)] }, at)).toThrow();
  });

  it('answers a plain streamed request to an open model, and the same request whole', () => {
    const at = route('databricks-meta-llama-3-3-70b-instruct', 'llama');
    const body = { model: 'client-model', messages: [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: 'hello there' }], max_completion_tokens: 200, stream: true };
    const { sse } = streamedTurn(body, at);
    expectChatStreamContract(sse, { model: 'client-model', includeUsage: false });

    const request = openaiChatInbound.decodeRequest({ ...body, stream: false }, at.codec);
    const upstreamBody = openaiChatUpstream.encodeRequest(request, at.codec);
    const answer = openaiChat.respond(runModel(openaiChat.parse(upstreamBody, at.emulator), at.emulator.endpoint), at.emulator);
    const client = openaiChatInbound.encodeResponse(openaiChatUpstream.decodeResponse(answer, at.codec), request, at.codec) as {
      choices: { message: { content: string }; finish_reason: string }[];
    };
    expect(client.choices[0]).toMatchObject({ message: { content: 'You said: hello there' }, finish_reason: 'stop' });
  });

  it('writes requests the emulator accepts for a Gemini endpoint (not streamed: stream_options is a repair matter there)', () => {
    const at = route('databricks-gemini-2-5-pro', 'gemini');
    const request = openaiChatInbound.decodeRequest({ model: 'client-model', messages: [{ role: 'user', content: 'Read ./x.md' }], tools: TOOLS, tool_choice: 'required' }, at.codec);
    const body = openaiChatUpstream.encodeRequest(request, at.codec);
    expect(() => openaiChat.parse(body, at.emulator)).not.toThrow();
  });
});
