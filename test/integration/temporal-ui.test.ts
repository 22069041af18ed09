// What an operator sees: the Temporal UI (a real headless Chromium) lists participants by
// stage through the JalurStage search attribute and shows a history's payloads decoded by the
// API's codec endpoint, while the server itself holds them encrypted.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { api, eventually, waitForStage } from '../support/http';
import { registerAndVerify } from '../support/journeys';
import { readTestStack, TEST_DATA_DIR } from '../support/test-stack';

jest.setTimeout(180_000);

let participantId: string;
let connection: Connection;
let browser: Browser;

beforeAll(async () => {
  ({ participantId } = await registerAndVerify({}, { province: 'Nusa Tenggara Barat' }));
  await waitForStage(participantId, 'ELIGIBLE');
  expect((await api('POST', `/v1/participants/${participantId}/withdrawal`, { body: { reason: 'moved abroad' } })).status).toBe(200);
  await waitForStage(participantId, 'WITHDRAWN');
  connection = await Connection.connect({ address: readTestStack().temporalAddress });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await connection?.close();
});

const workflowId = () => `participant-${participantId}`;

it('finds participants by stage through the JalurStage search attribute', async () => {
  const client = new Client({ connection });
  const idsAt = async (stage: string) => {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query: `JalurStage = "${stage}" AND WorkflowId = "${workflowId()}"` })) ids.push(execution.workflowId);
    return ids;
  };
  await eventually(async () => ((await idsAt('WITHDRAWN')).length === 1 ? true : undefined), 'the stage to be visible');
  expect(await idsAt('ELIGIBLE')).toEqual([]);
});

it('shows the workflow list filtered by stage, and the history with decoded payloads', async () => {
  const { temporalUiUrl } = readTestStack();
  const page = await browser.newPage();
  const query = encodeURIComponent(`JalurStage="WITHDRAWN" AND WorkflowId="${workflowId()}"`);
  await page.goto(`${temporalUiUrl}/namespaces/default/workflows?query=${query}`);
  await page.getByText(workflowId()).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(TEST_DATA_DIR, 'temporal-ui-workflows-by-stage.png'), fullPage: true });

  await page.getByRole('link', { name: workflowId() }).first().click();
  await page.waitForURL(/\/history/, { timeout: 30_000 });
  // The input (participant id, province, employment status) is encrypted on the server; the UI
  // shows it only because the browser asked the codec endpoint to decode it.
  await page.getByText('Nusa Tenggara Barat').first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(TEST_DATA_DIR, 'temporal-ui-history-decoded.png'), fullPage: true });
  expect(fs.existsSync(path.join(TEST_DATA_DIR, 'temporal-ui-history-decoded.png'))).toBe(true);
});
