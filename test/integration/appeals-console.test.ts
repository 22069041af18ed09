// The console's appeals queue in headless Chromium against the running stack: a ten-year-old is
// found ineligible and appeals (through the backend, as the portal would). An auditor sees the
// appeal in the queue and reads it, without the decision form; an appeals reviewer finds it in the
// queue, reads the statement and the decision appealed (the rule-set version, its reasons, every
// rule), upholds it with a reason and sees it decided; the auditor then finds the appeal on the
// participant's page and its steps on their audit trail. Saved as data/test/console-appeal*.png
// and console-participant-appeal.png.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { api, waitForStage } from '../support/http';
import { registerAndVerify } from '../support/journeys';
import { readTestStack, TEST_DATA_DIR } from '../support/test-stack';

jest.setTimeout(180_000);

const UI_TIMEOUT = 30_000;
const STATEMENT = 'My date of birth in the registry is wrong: I was born in 1998, as my family card shows.';
const DECISION_REASON = 'The registry confirms the date of birth you registered with: you are under the minimum age.';
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function signIn(context: BrowserContext, role: 'Appeals reviewer' | 'Auditor', key: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${readTestStack().apiUrl}/console/`);
  await page.getByRole('radio', { name: role }).check();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: role }).waitFor({ timeout: UI_TIMEOUT });
  return page;
}

/** The queue's row of the participant's appeal, followed to its page. */
async function openAppealFromQueue(page: Page, participantId: string, status: 'Open' | 'Upheld'): Promise<void> {
  const queue = page.getByTestId('appeal-queue');
  await queue.getByLabel('Status').selectOption({ label: status });
  const row = queue.getByTestId('appeal-row').filter({ hasText: participantId });
  await row.waitFor({ timeout: UI_TIMEOUT });
  await row.getByRole('link').click();
  await page.getByTestId('appeal-statement').waitFor({ timeout: UI_TIMEOUT });
}

it('lets an auditor read an open appeal and a reviewer uphold it with a reason', async () => {
  const tenYearsAgo = new Date();
  tenYearsAgo.setUTCFullYear(tenYearsAgo.getUTCFullYear() - 10);
  const { participantId } = await registerAndVerify({ dateOfBirth: tenYearsAgo.toISOString().slice(0, 10) });
  const ended = await waitForStage(participantId, 'INELIGIBLE');
  const { ruleSetVersion, reasons } = ended.eligibility as { ruleSetVersion: number; reasons: Array<{ code: string; reference?: string }> };
  const filed = await api('POST', `/v1/participants/${participantId}/appeals`, { body: { statement: STATEMENT } });
  expect(filed.status).toBe(201);
  const { appealId } = filed.body as { appealId: string };

  // An auditor: the queue, then the appeal as a reviewer would read it, but no decision form.
  const auditorContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
  const auditor = await signIn(auditorContext, 'Auditor', 'dev-auditor');
  await auditor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appeals' }).click();
  await auditor.getByTestId('appeal-service-level').waitFor({ timeout: UI_TIMEOUT });
  await openAppealFromQueue(auditor, participantId, 'Open');
  await auditor.getByTestId('appeal-awaiting-decision').waitFor();
  await expect(auditor.getByTestId('appeal-decision-form').count()).resolves.toBe(0);
  await expect(auditor.getByRole('button', { name: 'Decide…' }).count()).resolves.toBe(0);

  // A reviewer: the queue is their start page.
  const reviewerContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
  const reviewer = await signIn(reviewerContext, 'Appeals reviewer', 'dev-appeals-reviewer');
  await reviewer.getByRole('heading', { name: 'Appeals', level: 1 }).waitFor({ timeout: UI_TIMEOUT });
  const navigation = await reviewer.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
  expect(navigation).toEqual(['Appeals']);
  await reviewer.getByTestId('open-underOneDay').waitFor({ timeout: UI_TIMEOUT });
  await reviewer.getByTestId('appeal-queue').getByTestId('appeal-row').filter({ hasText: participantId }).waitFor({ timeout: UI_TIMEOUT });
  await reviewer.screenshot({ path: path.join(TEST_DATA_DIR, 'console-appeals-queue.png'), fullPage: true });
  await openAppealFromQueue(reviewer, participantId, 'Open');
  expect(reviewer.url()).toBe(`${readTestStack().apiUrl}/console/appeals/${appealId}`);

  await reviewer.getByTestId('appeal-statement').filter({ hasText: STATEMENT }).waitFor();
  await reviewer.getByTestId('access-log-note').waitFor();
  const appealed = reviewer.getByTestId('appealed-decision');
  await appealed.getByText(`Decided by rule-set version ${ruleSetVersion}`).waitFor();
  for (const reason of reasons) {
    const shown = appealed.getByTestId('appeal-reason').filter({ hasText: reason.code });
    await shown.waitFor();
    if (reason.reference) await shown.getByText(reason.reference).waitFor();
  }
  const explanation = reviewer.getByTestId('decision-explanation');
  // Every rule of the version, the ones that made the decision among them.
  await explanation.getByTestId('explained-rule').filter({ has: reviewer.getByText('fired', { exact: true }) }).first().waitFor();
  await explanation.getByTestId('registry-answers').getByRole('row', { name: /Dukcapil/ }).waitFor();
  await reviewer.screenshot({ path: path.join(TEST_DATA_DIR, 'console-appeal.png'), fullPage: true });

  // Upheld, with the reason the participant will read; confirmed in the dialog.
  const form = reviewer.getByTestId('appeal-decision-form');
  await form.getByRole('radio', { name: /Uphold the decision/ }).check();
  await form.getByLabel('Reason (sent to the participant)').fill(DECISION_REASON);
  await form.getByRole('button', { name: 'Decide…' }).click();
  const dialog = reviewer.getByRole('dialog', { name: 'Uphold the decision?' });
  await dialog.getByText(DECISION_REASON).waitFor();
  await dialog.getByRole('button', { name: 'Uphold' }).click();

  const decided = reviewer.getByTestId('appeal-decision');
  await decided.waitFor({ timeout: UI_TIMEOUT });
  await decided.getByTestId('decision-reason').filter({ hasText: DECISION_REASON }).waitFor();
  await decided.getByText('dev-appeals-reviewer', { exact: true }).waitFor();
  await reviewer.getByTestId('appeal-status').getByText('Upheld').waitFor();
  await expect(reviewer.getByTestId('appeal-decision-form').count()).resolves.toBe(0);
  await reviewer.screenshot({ path: path.join(TEST_DATA_DIR, 'console-appeal-decided.png'), fullPage: true });

  // The auditor finds it among the upheld ones, decided, with the way to the participant's page.
  await auditor.getByRole('link', { name: /Back to the appeals/ }).click();
  await openAppealFromQueue(auditor, participantId, 'Upheld');
  await auditor.getByTestId('appeal-decision').getByTestId('decision-reason').filter({ hasText: DECISION_REASON }).waitFor();
  await auditor.getByRole('link', { name: 'Open the participant\'s page' }).click();

  // On the participant's page: the appeal's state, the appeal after the exit on the timeline, and
  // its steps on the audit trail in words.
  const standing = auditor.getByTestId('participant-appeal');
  await standing.getByText('Upheld').waitFor({ timeout: UI_TIMEOUT });
  await standing.getByText('decided by dev-appeals-reviewer', { exact: false }).waitFor();
  await standing.getByRole('link', { name: `Open appeal ${appealId.slice(0, 8)}` }).waitFor();
  await auditor.getByTestId('stage-timeline').getByTestId('timeline-appeal').getByText('Upheld').waitFor();
  const steps = auditor.getByTestId('audit-trail').getByTestId('audit-appeal-step');
  await steps.filter({ hasText: 'Appeal decided' }).waitFor({ timeout: UI_TIMEOUT });
  await expect(steps.allInnerTexts()).resolves.toEqual([
    expect.stringContaining('The participant appealed leaving the program (Ineligible).'),
    expect.stringMatching(/dev-appeals-reviewer[\s\S]*Upheld by dev-appeals-reviewer: the exit stands\. Reason: “/),
  ]);
  await auditor.screenshot({ path: path.join(TEST_DATA_DIR, 'console-participant-appeal.png'), fullPage: true });

  const stored = await api('GET', `/v1/appeals/${appealId}`, { key: 'dev-auditor' });
  expect(stored.body).toMatchObject({ status: 'UPHELD', decidedBy: 'dev-appeals-reviewer', decisionReason: DECISION_REASON, rulesBasis: null });
  await reviewerContext.close();
  await auditorContext.close();
});
