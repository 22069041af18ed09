// What an operator sees: the Temporal UI (a real headless Chromium) lists participants by
// stage through the JalurStage search attribute and shows a history's payloads decoded by the
// API's codec endpoint, while the server itself holds them encrypted. The codec answers only
// signed-in operators and auditors: the operator signs in to the console (which sets the codec
// session cookie) and has "include cross-origin credentials" on in the UI's codec settings.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Browser, BrowserContext } from 'playwright-core';
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

/**
 * The Temporal UI's codec settings as an operator sets them once in the UI (Settings, Codec
 * Server: "use my browser setting", the endpoint, "include cross-origin credentials"): the
 * dev server's UI takes only the endpoint from --ui-codec-endpoint, so credentials are a browser
 * setting, kept by the UI in its origin's localStorage under these names.
 */
async function includeCodecCredentialsInTemporalUi(context: BrowserContext): Promise<void> {
  const { temporalUiUrl, apiUrl } = readTestStack();
  await context.addInitScript(
    ({ uiOrigin, endpoint }) => {
      if (window.location.origin !== uiOrigin) return;
      window.localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      window.localStorage.setItem('endpoint', JSON.stringify(endpoint));
      window.localStorage.setItem('includeCredentials', 'true');
    },
    { uiOrigin: new URL(temporalUiUrl).origin, endpoint: `${apiUrl}/codec` },
  );
}

async function signInToConsoleAsOperator(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${readTestStack().apiUrl}/console/`);
  await page.getByRole('radio', { name: 'Operator' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: 'Operator' }).waitFor({ timeout: 30_000 });
  await page.close();
}

/** What the UI's own fetch to the codec gets from its page, with the browser's cookies. */
async function codecStatusFromTemporalUi(context: BrowserContext): Promise<number> {
  const { temporalUiUrl, apiUrl } = readTestStack();
  const page = await context.newPage();
  await page.goto(temporalUiUrl);
  const status = await page.evaluate(async (url) => {
    const response = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-namespace': 'default' }, body: '{"payloads":[]}' });
    return response.status;
  }, `${apiUrl}/codec/decode`);
  await page.close();
  return status;
}

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

it('refuses the codec to a browser that has not signed in, and answers it once an operator has', async () => {
  const context = await browser.newContext();
  try {
    expect(await codecStatusFromTemporalUi(context)).toBe(401);
    await signInToConsoleAsOperator(context);
    expect(await codecStatusFromTemporalUi(context)).toBe(200);
  } finally {
    await context.close();
  }
});

it('shows the workflow list filtered by stage, and the history with decoded payloads', async () => {
  const { temporalUiUrl } = readTestStack();
  const context = await browser.newContext();
  await includeCodecCredentialsInTemporalUi(context);
  await signInToConsoleAsOperator(context);
  const page = await context.newPage();
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
  await context.close();
});
