// The console's batch actions page in headless Chromium against the running stack: an operator
// filters participants by stage and wave, counts them, gives a reason, starts the batch and watches
// its progress to the end. Saved as data/test/console-batch-actions.png.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createOpenWave } from '../support/http';
import { register, waitForJourney } from '../support/journeys';
import { readTestStack, TEST_DATA_DIR } from '../support/test-stack';

jest.setTimeout(180_000);

const UI_TIMEOUT = 30_000;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

it('lets an operator count a filter\'s participants, start a batch with a reason and watch it finish', async () => {
  // A wave that opens now: its cohort is the two participants registered next.
  const wave = await createOpenWave({ opensAt: new Date().toISOString() });
  const members = [await register(), await register()];
  for (const { participantId } of members) await waitForJourney(participantId, 'AWAITING_EMAIL_VERIFICATION');

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${readTestStack().apiUrl}/console/`);
  await page.getByRole('radio', { name: 'Operator' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: 'Operator' }).waitFor({ timeout: UI_TIMEOUT });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batch actions' }).click();

  const form = page.getByTestId('new-batch-action');
  await form.getByLabel('Stage').selectOption('AWAITING_EMAIL_VERIFICATION');
  await form.getByLabel('Wave number').fill(String(wave.number));
  await form.getByRole('button', { name: 'Count' }).click();
  await form.getByTestId('batch-preview').filter({ hasText: '2 participants match.' }).waitFor({ timeout: UI_TIMEOUT });

  await form.getByTestId('batch-reason').fill('the first mails bounced (incident 18)');
  await form.getByLabel(/Per second/).fill('1');
  await form.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start' }).click();

  const batch = page.getByTestId('batch-action').filter({ hasText: 'the first mails bounced (incident 18)' });
  await batch.getByTestId('batch-progress').filter({ hasText: '2 done · 0 refused · 0 failed · 0 remaining of 2' }).waitFor({ timeout: UI_TIMEOUT });
  await batch.getByText('completed').waitFor({ timeout: UI_TIMEOUT });
  await page.screenshot({ path: path.join(TEST_DATA_DIR, 'console-batch-actions.png'), fullPage: true });
  await context.close();
});
