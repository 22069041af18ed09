// The stack-driving calls of bench/stack-http.ts, bound to the integration tests' stack.
import * as stackHttp from '../../bench/stack-http';
import { eventually, type TestResident } from '../../bench/stack-http';
import { readTestStack } from './test-stack';

export { eventually, FAST_CALENDAR, KEYS, registrationFor, request, type TestResident } from '../../bench/stack-http';

export const api = <T = any>(method: string, path: string, options?: { body?: unknown; key?: string }) => stackHttp.apiRequest<T>(readTestStack(), method, path, options);
export const sim = <T = any>(method: string, path: string, body?: unknown) => stackHttp.simulatorsRequest<T>(readTestStack(), method, path, body);
export const createOpenWave = (overrides: Record<string, unknown> = {}) => stackHttp.createOpenWave(readTestStack(), overrides);
export const createResident = (overrides: Partial<TestResident> = {}) => stackHttp.createResident(readTestStack(), overrides);
export const participant = (participantId: string) => stackHttp.participant(readTestStack(), participantId);

export async function waitForStage(participantId: string, stage: string, timeoutMs = 60_000) {
  return eventually(async () => {
    const answer = await participant(participantId);
    return answer.body?.stage === stage ? answer.body : undefined;
  }, `participant ${participantId} to reach ${stage}`, timeoutMs);
}
