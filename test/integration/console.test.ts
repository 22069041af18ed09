// The web console end to end, in headless Chromium against the running stack: a program manager
// saves a Try it result as a test case, adds a rule through the forms, sees the case fail and
// block the submission, updates it from Try it, runs the impact and submits the version for
// review; they cannot approve it themselves, a second program manager does, which publishes it;
// the next participant is decided by that version and their reason shows in Bahasa Indonesia with
// its legal basis; an operator finds the participant and opens their workflow in the Temporal UI.
// In a second draft, the minimum age is raised through the forms, and a rule typed in the
// JSON view is refused at that rule. Every screen is saved as data/test/console-*.png
// (JALUR_UPDATE_SCREENSHOTS=1 also copies them to docs/images).
//
// Like rule-sets.test.ts, the version published here decides as the one in force except for a
// province only this file uses, and it is retired again at the end.
import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../lib/config';
import { PeopleTokens } from '../../lib/people-tokens';
import defaultRuleSet from '../../rules/default-rule-set.json';
import { launchChromium } from '../support/browser';
import { createOpenWave, eventually, KEYS, request, waitForStage } from '../support/http';
import { register, registerAndVerify, waitForJourney } from '../support/journeys';
import { readTestStack, TEST_DATA_DIR } from '../support/test-stack';

jest.setTimeout(300_000);

const MARKER_PROVINCE = 'Test Province Console';
const NAME_PREFIX = 'it-console-';
const DRAFT_NAME = `${NAME_PREFIX}${randomInt(1e9)}`;
const FORM_DRAFT_NAME = `${NAME_PREFIX}form-${randomInt(1e9)}`;
const FORM_RULE = {
  name: 'form-province-excluded',
  province: 'Test Province Console Form',
  code: 'FORM_PROVINCE_EXCLUDED',
  message: 'Not offered in the form test province.',
  reference: 'Keputusan uji coba Nomor 3 Tahun 2020, Pasal 1',
  messages: { id: 'Program ini tidak tersedia di provinsi Anda.', en: 'The program is not offered in your province.' },
};
const SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'images');
const UI_TIMEOUT = 30_000;
/** The rule the program manager adds through the forms: the marker province excluded, with its legal basis. */
const MARKER_RULE = {
  name: 'test-province-excluded',
  province: MARKER_PROVINCE,
  code: 'TEST_PROVINCE_EXCLUDED',
  message: 'Not offered in the console test province.',
  reference: 'Keputusan uji coba Nomor 2 Tahun 2020, Pasal 1',
  messages: { id: 'Program ini tidak tersedia di provinsi uji konsol.', en: 'The program is not offered in the console test province.' },
};

/** The case a Try it result becomes: the marker province's applicant, eligible until the new rule. */
const CASE_NAME = 'console test province';

const INVALID_RULE = `{ "name": "test-province-excluded", "conditions": { "all": [{ "fact": "province", "operator": "contains", "value": "${MARKER_PROVINCE}" }] }, "event": { "type": "ineligible", "params": { "code": "TEST_PROVINCE_EXCLUDED", "message": "Not offered in the console test province.", "reference": "Keputusan uji coba Nomor 2 Tahun 2020, Pasal 1", "messages": { "id": "Program ini tidak tersedia di provinsi uji konsol.", "en": "The program is not offered in the console test province." } } } }`;

let browser: Browser;
const shots: string[] = [];

const pm = (method: string, url: string, body?: unknown) => request(readTestStack().apiUrl, method, url, { key: KEYS.programManager, body });

/** Leaves nothing of this file deciding: its published versions are retired. */
async function retireConsoleVersions() {
  const published = await pm('GET', '/v1/rule-sets?status=PUBLISHED');
  for (const ruleSet of published.body.ruleSets.filter((candidate: { name: string }) => candidate.name.startsWith(NAME_PREFIX))) {
    expect((await pm('POST', `/v1/rule-sets/${ruleSet.id}/retire`)).status).toBe(200);
  }
}

/** The whole page, or what is on screen (the editor stays in view while its rules scroll). */
async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  const file = path.join(TEST_DATA_DIR, `console-${name}.png`);
  await page.screenshot({ path: file, fullPage });
  shots.push(file);
}

async function newSignedInPage(context: BrowserContext, role: 'Program manager' | 'Operator' | 'Auditor', key?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${readTestStack().apiUrl}/console/`);
  await page.getByRole('radio', { name: role }).check();
  if (key !== undefined) await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: role }).waitFor({ timeout: UI_TIMEOUT });
  return page;
}

/** A rule that makes everyone in one province ineligible, added field by field in the form view. */
async function addProvinceRuleThroughForm(page: Page, rule: typeof MARKER_RULE): Promise<void> {
  const form = page.getByTestId('rule-form');
  const count = await form.locator(':scope > fieldset').count();
  await form.getByRole('button', { name: 'Add a rule' }).click();
  const added = form.getByRole('group', { name: new RegExp(`^Rule ${count + 1}: `) });
  await added.getByLabel('Name', { exact: true }).fill(rule.name);
  await added.getByLabel('Fact', { exact: true }).selectOption('province');
  await expect(added.getByLabel('Test', { exact: true }).locator('option').allInnerTexts()).resolves.toEqual(['is', 'is not', 'is one of', 'is none of']);
  await added.getByLabel('Value', { exact: true }).fill(rule.province);
  await added.getByLabel('Reason code').fill(rule.code);
  await added.getByLabel('Description (for staff)').fill(rule.message);
  await added.getByLabel('Legal basis').fill(rule.reference);
  await added.getByLabel('What the person reads, in Bahasa Indonesia').fill(rule.messages.id);
  await added.getByLabel('What the person reads, in English').fill(rule.messages.en);
}

function section(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Rule set sections' }).getByRole('link', { name, exact: true });
}

beforeAll(async () => {
  await retireConsoleVersions();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await retireConsoleVersions();
  if (process.env.JALUR_UPDATE_SCREENSHOTS === '1') {
    for (const file of shots) fs.copyFileSync(file, path.join(SCREENSHOTS, path.basename(file)));
  }
});

describe('the console', () => {
  let publishedId: string;
  let participantId: string;

  it('signs in only with a key of the chosen role, and says why not', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${readTestStack().apiUrl}/console/`);
    await expect(page.getByLabel('API key').inputValue()).resolves.toBe(KEYS.programManager);
    await screenshot(page, 'sign-in');

    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The API does not know this key.' }).waitFor({ timeout: UI_TIMEOUT });

    await page.getByLabel('API key').fill(KEYS.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This key does not belong to the role “Program manager”.' }).waitFor({ timeout: UI_TIMEOUT });

    await page.getByLabel('API key').fill(KEYS.backend);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This key may not use the console' }).waitFor({ timeout: UI_TIMEOUT });
    await context.close();
  });

  it('signs an auditor in with a token to read-only screens, and says when a token has expired', async () => {
    const tokens = new PeopleTokens(loadConfig({ ...readTestStack().env }).tokens);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${readTestStack().apiUrl}/console/`);
    await page.getByRole('radio', { name: 'Auditor' }).check();
    const expired = await tokens.issue({ role: 'auditor', name: 'Ani', ttlSeconds: 600, now: new Date(Date.now() - 3_600_000) });
    await page.getByLabel('API key').fill(expired.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This token or key has expired' }).waitFor({ timeout: UI_TIMEOUT });

    await page.getByLabel('API key').fill((await tokens.issue({ role: 'auditor', name: 'Ani', ttlSeconds: 600 })).token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').filter({ hasText: 'Auditor' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('heading', { name: 'Eligibility rule sets' }).waitFor({ timeout: UI_TIMEOUT });
    await expect(page.getByRole('link', { name: 'New draft' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('lets a program manager raise the minimum age to 21 and exclude a province through the forms, without typing JSON', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await newSignedInPage(context, 'Program manager');
    await page.getByRole('link', { name: 'New draft' }).click();
    await page.getByLabel('Name').fill(FORM_DRAFT_NAME);
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.getByRole('heading', { name: `${FORM_DRAFT_NAME} v1` }).waitFor({ timeout: UI_TIMEOUT });
    // The draft starts from the version in force: the expectations below are relative to it.
    const inForce = (await pm('GET', '/v1/rule-sets')).body.ruleSets.find((ruleSet: { inForce: boolean }) => ruleSet.inForce);
    const ageIndex = inForce.rules.findIndex((rule: { name: string }) => rule.name === 'under-minimum-age');
    const added = inForce.rules.length;

    // The form is the default view: the age rule's value, then a new rule built field by field.
    const form = page.getByTestId('rule-form');
    await form.getByRole('group', { name: `Rule ${ageIndex + 1}: under-minimum-age` }).getByLabel('Value', { exact: true }).fill('21');
    await addProvinceRuleThroughForm(page, FORM_RULE);
    await page.getByTestId('problem-count').filter({ hasText: 'No problems' }).waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'form-editor', { fullPage: false });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved as revision 2.').waitFor({ timeout: UI_TIMEOUT });

    // Saved exactly as a JSON author would have written it, and the JSON view shows it.
    const [draft] = (await pm('GET', `/v1/rule-sets?name=${FORM_DRAFT_NAME}`)).body.ruleSets;
    const saved = (await pm('GET', `/v1/rule-sets/${draft.id}`)).body;
    expect(saved.rules[ageIndex].conditions).toEqual({ all: [{ fact: 'age', operator: 'lessThan', value: 21 }] });
    expect(saved.rules.filter((_: unknown, index: number) => index !== ageIndex && index !== added)).toEqual(inForce.rules.filter((_: unknown, index: number) => index !== ageIndex));
    expect(saved.rules[added]).toEqual({
      name: FORM_RULE.name,
      conditions: { all: [{ fact: 'province', operator: 'equal', value: FORM_RULE.province }] },
      event: { type: 'ineligible', params: { code: FORM_RULE.code, message: FORM_RULE.message, reference: FORM_RULE.reference, messages: FORM_RULE.messages } },
    });
    await page.getByRole('radio', { name: 'JSON' }).check();
    await page.locator('.cm-line', { hasText: '"value": 21' }).first().waitFor({ timeout: UI_TIMEOUT });

    // The JSON view for those who prefer it: a rule typed at the end of the rules list, with an
    // operator its fact does not allow ("contains" on a string), is refused at that rule as typed.
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+End');
    for (let line = 0; line < 3; line += 1) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.insertText(`,\n    ${INVALID_RULE}`);
    await page.getByTestId('problem-count').filter({ hasText: '1 problem' }).waitFor({ timeout: UI_TIMEOUT });
    const typed = page.getByRole('article', { name: `Rule ${added + 2}: test-province-excluded` });
    await typed.getByText('OPERATOR_NOT_ALLOWED_FOR_FACT').waitFor();
    await expect(typed.getByText('operator "contains" cannot be used on fact "province"').count()).resolves.toBe(1);
    await page.getByText(`rules[${added + 1}].conditions.all[0].operator`).first().waitFor();
    expect(await page.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);
    await typed.scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-validation-error', { fullPage: false });
    // Fixed where it was typed, it is a valid rule again, shown in the form too.
    await editor.getByText('"contains"').dblclick();
    await page.keyboard.type('equal');
    await page.getByTestId('problem-count').filter({ hasText: 'No problems' }).waitFor({ timeout: UI_TIMEOUT });
    await expect(typed.getByText('OPERATOR_NOT_ALLOWED_FOR_FACT').count()).resolves.toBe(0);
    await screenshot(page, 'editor-fixed', { fullPage: false });
    await page.getByRole('radio', { name: 'Form' }).check();
    await page.getByTestId('rule-form').getByRole('group', { name: `Rule ${added + 2}: test-province-excluded` }).waitFor();

    // The parent's cases for ages 18 to 20 no longer hold: the version's own tests say so.
    await section(page, 'Test cases').click();
    await page.getByTestId('test-summary').filter({ hasText: /, [1-9]\d* failed$/ }).waitFor({ timeout: UI_TIMEOUT });
    await context.close();
  });

  it('lets a program manager build a draft with a test case and submit it, and a second one approve it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await newSignedInPage(context, 'Program manager');
    await page.getByRole('heading', { name: 'Eligibility rule sets' }).waitFor();
    await page.getByRole('heading', { name: 'In force now' }).waitFor();
    await screenshot(page, 'rules-workspace');

    // A new draft, starting from the version in force.
    await page.getByRole('link', { name: 'New draft' }).click();
    await page.getByLabel('Name').fill(DRAFT_NAME);
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.getByRole('heading', { name: `${DRAFT_NAME} v1` }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('problem-count').filter({ hasText: 'No problems' }).waitFor();

    // Try it: a laid-off worker of 34 in the marker province is eligible under the copied rules;
    // the result becomes a test case in one click, beside the cases the draft took from its parent.
    await section(page, 'Try it').click();
    await page.getByLabel('Province').fill(MARKER_PROVINCE);
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('evaluation-result').getByText('Eligible', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel(/Name of the case/).fill(CASE_NAME);
    await page.getByRole('button', { name: 'Save as a test case' }).click();
    await page.getByText(`Saved as test case “${CASE_NAME}”.`).waitFor({ timeout: UI_TIMEOUT });
    const casesBefore = defaultRuleSet.testCases.length + 1;
    await section(page, 'Test cases').click();
    await page.getByTestId('test-summary').filter({ hasText: `${casesBefore} passed, 0 failed` }).waitFor({ timeout: UI_TIMEOUT });

    // The stricter rule, built through the forms: nobody types JSON.
    await section(page, 'Edit').click();
    await addProvinceRuleThroughForm(page, MARKER_RULE);
    await page.getByTestId('problem-count').filter({ hasText: 'No problems' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved as revision 3.').waitFor({ timeout: UI_TIMEOUT });

    // The case no longer holds, and the version cannot be submitted while it fails.
    await section(page, 'Test cases').click();
    await page.getByTestId('test-summary').filter({ hasText: `${casesBefore - 1} passed, 1 failed` }).waitFor({ timeout: UI_TIMEOUT });
    const failing = page.getByTestId('test-case').filter({ hasText: CASE_NAME });
    await failing.getByText('Fails').waitFor();
    await failing.getByText(/expected “ELIGIBLE”, got “INELIGIBLE”/).waitFor();
    await screenshot(page, 'test-cases-failing');
    await section(page, 'Publish').click();
    await page.getByText('1 test case(s) fail').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByRole('button', { name: 'Review and submit' }).isDisabled()).toBe(true);

    // Meant so: Try it again, and the case takes the new result.
    await section(page, 'Try it').click();
    await page.getByLabel('Province').fill(MARKER_PROVINCE);
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const result = page.getByTestId('evaluation-result');
    await result.getByText('TEST_PROVINCE_EXCLUDED').waitFor({ timeout: UI_TIMEOUT });
    await result.getByText('Ineligible').waitFor();
    await result.getByText('50 points').waitFor();
    await result.getByText('Why: every rule, condition by condition').click();
    await screenshot(page, 'try-it');
    await page.getByLabel(/Name of the case/).fill(CASE_NAME);
    await page.getByRole('button', { name: 'Save as a test case' }).click();
    await page.getByText(`Saved as test case “${CASE_NAME}”.`).waitFor({ timeout: UI_TIMEOUT });
    await section(page, 'Test cases').click();
    await page.getByTestId('test-summary').filter({ hasText: `${casesBefore} passed, 0 failed` }).waitFor({ timeout: UI_TIMEOUT });

    // Impact: the simulator's report over the stored population, compared with the version in force.
    await section(page, 'Impact').click();
    await page.getByRole('button', { name: 'Run the impact' }).click();
    const report = page.getByTestId('impact-result').getByTestId('impact-report');
    await report.waitFor({ timeout: 120_000 });
    await report.getByText('Participants', { exact: true }).waitFor();
    await report.getByText(/^Compared with /).waitFor();
    await expect(page.getByTestId('simulation-unavailable').count()).resolves.toBe(0);
    await screenshot(page, 'impact');

    await section(page, 'Diff').click();
    await page.getByTestId('diff').getByRole('heading', { name: 'Added rules' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('diff').getByRole('article', { name: /test-province-excluded/ }).waitFor();
    await screenshot(page, 'diff');

    // Submitted for review, to take effect on approval, after a confirmation that shows the impact.
    await section(page, 'Publish').click();
    await page.getByLabel('Comment for the reviewer').fill('Withdraws the console test province');
    await page.getByRole('button', { name: 'Review and submit' }).click();
    const dialog = page.getByRole('dialog', { name: `Submit ${DRAFT_NAME} v1 for review?` });
    await dialog.waitFor();
    await dialog.getByTestId('publish-diff').getByText('1 rule added, 0 removed, 0 changed.').waitFor({ timeout: UI_TIMEOUT });
    await dialog.getByTestId('impact-result').getByTestId('impact-report').waitFor({ timeout: 120_000 });
    await screenshot(page, 'publish-confirmation');
    await dialog.getByRole('button', { name: 'Submit for review' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    await page.locator('.page-heading').getByText('In review').waitFor({ timeout: UI_TIMEOUT });

    // Its author cannot approve it.
    await section(page, 'Publish').click();
    await page.getByTestId('submission').getByText('Withdraws the console test province').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    const ownApproval = page.getByRole('dialog', { name: `Approve and publish ${DRAFT_NAME} v1?` });
    await ownApproval.getByRole('button', { name: 'Approve and publish' }).click();
    await ownApproval.getByText(/wrote or submitted this version; a different program manager approves it/).waitFor({ timeout: UI_TIMEOUT });
    await ownApproval.getByRole('button', { name: 'Cancel' }).click();
    const [inReview] = (await pm('GET', `/v1/rule-sets?name=${DRAFT_NAME}`)).body.ruleSets;
    expect(inReview).toMatchObject({ status: 'IN_REVIEW', review: { submittedBy: KEYS.programManager, comment: 'Withdraws the console test province' } });

    // A second program manager reads it and approves it, which publishes it.
    const reviewerContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const reviewer = await newSignedInPage(reviewerContext, 'Program manager', KEYS.reviewer);
    await reviewer.goto(`${readTestStack().apiUrl}/console/rules/${inReview.id}/publish`);
    await reviewer.getByTestId('submission').getByText(`Submitted by ${KEYS.programManager}`).waitFor({ timeout: UI_TIMEOUT });
    await screenshot(reviewer, 'review');
    await reviewer.getByLabel(/Your comment/).fill('Checked against the ministry letter');
    await reviewer.getByRole('button', { name: 'Approve and publish' }).click();
    const approval = reviewer.getByRole('dialog', { name: `Approve and publish ${DRAFT_NAME} v1?` });
    await approval.getByTestId('publish-diff').getByText('1 rule added, 0 removed, 0 changed.').waitFor({ timeout: UI_TIMEOUT });
    await approval.getByRole('button', { name: 'Approve and publish' }).click();
    await approval.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    await reviewer.locator('.page-heading').getByText('In force').waitFor({ timeout: UI_TIMEOUT });
    await reviewerContext.close();

    const published = await pm('GET', `/v1/rule-sets?name=${DRAFT_NAME}`);
    expect(published.body.ruleSets).toEqual([
      expect.objectContaining({ status: 'PUBLISHED', createdBy: KEYS.programManager, review: expect.objectContaining({ approvedBy: KEYS.reviewer, approvalComment: 'Checked against the ministry letter' }) }),
    ]);
    publishedId = published.body.ruleSets[0].id;

    // The author sees it in force, and who did what in the audit trail.
    await page.reload();
    await page.locator('.page-heading').getByText('In force').waitFor({ timeout: UI_TIMEOUT });
    await section(page, 'Audit trail').click();
    const audit = page.getByTestId('audit-trail');
    for (const action of ['Created', 'Edited', 'Submitted for review', 'Approved', 'Published']) await audit.getByRole('cell', { name: action, exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    await audit.getByRole('cell', { name: KEYS.reviewer }).first().waitFor();
    await audit.getByText('“Checked against the ministry letter”', { exact: false }).waitFor();
    await screenshot(page, 'audit-trail');
    await page.getByRole('link', { name: 'All rule sets' }).click();
    await page.getByRole('heading', { name: 'In force now' }).waitFor();
    await page.getByRole('region', { name: 'In force now' }).getByText(`${DRAFT_NAME} v1`).waitFor({ timeout: UI_TIMEOUT });
    await context.close();
  });

  it('decides the next participant with the version just published', async () => {
    expect(publishedId).toBeDefined();
    ({ participantId } = await registerAndVerify({}, { province: MARKER_PROVINCE }));
    const decided = await waitForStage(participantId, 'INELIGIBLE');
    expect(decided.eligibility).toMatchObject({ outcome: 'INELIGIBLE', ruleSetId: publishedId, ruleSetVersion: 1 });
    expect(decided.eligibility.reasons.map((reason: { code: string }) => reason.code)).toEqual(['TEST_PROVINCE_EXCLUDED']);
  });

  it('lets an operator watch the program, find that participant and open the workflow in the Temporal UI', async () => {
    expect(participantId).toBeDefined();
    const { temporalUiUrl } = readTestStack();
    const termsWave = await createOpenWave({ terms: { trainingBalance: 3_500_000, incentiveCount: 1, surveyCount: 2 } });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await newSignedInPage(context, 'Operator');
    await page.getByRole('heading', { name: 'The program' }).waitFor();
    // The funnel and selection endpoints come with the waves work: a chart once merged, "not available" before.
    await page.getByTestId('funnel').locator('.chart, .notice').first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('waves').waitFor();
    await page.getByTestId('waves').getByText('Loading…').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const termsCell = page.getByTestId('waves').getByRole('row', { name: new RegExp(`^Wave ${termsWave.number}\\b`) }).getByTestId('wave-terms');
    await expect(termsCell.innerText()).resolves.toMatch(/^Rp\s3\.500\.000 training · 1 × Rp\s600\.000 incentives · 2 × Rp\s50\.000 surveys$/);
    await screenshot(page, 'program');

    await page.getByLabel('Participant id').fill(participantId);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByTestId('participant-stage').getByText('Ineligible').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('eligibility').getByText('TEST_PROVINCE_EXCLUDED').waitFor();
    await page.getByTestId('eligibility').getByRole('link', { name: 'Decided by rule-set version 1' }).waitFor();
    await page.getByTestId('participant-terms').getByText('Known once selected.').waitFor();
    const timeline = page.getByTestId('stage-timeline');
    await timeline.getByText('Left the program: Ineligible').waitFor();
    await expect(timeline.locator('li.done').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Registered'),
      expect.stringContaining('Email verified'),
      expect.stringContaining('NIK verified'),
      expect.stringContaining('Eligibility decided'),
    ]);
    await screenshot(page, 'participant');

    const link = page.getByRole('link', { name: /Open this journey in the Temporal UI/ });
    const href = await link.getAttribute('href');
    expect(href).toBe(`${temporalUiUrl}/namespaces/default/workflows/participant-${participantId}`);
    const [temporalPage] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await temporalPage.getByText(`participant-${participantId}`).first().waitFor({ timeout: UI_TIMEOUT });
    await screenshot(temporalPage, 'temporal-ui-link');
    await temporalPage.close();

    // Operators read rules but do not change them.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rules' }).click();
    await page.getByText('Read only: operators read and try rule sets').waitFor();
    await expect(page.getByRole('link', { name: 'New draft' }).count()).resolves.toBe(0);
    await page.goto(`${readTestStack().apiUrl}/console/rules/${publishedId}`);
    await section(page, 'Rules').waitFor({ timeout: UI_TIMEOUT });
    const sections = await page.getByRole('navigation', { name: 'Rule set sections' }).getByRole('link').allInnerTexts();
    expect(sections).toEqual(['Rules', 'Table', 'Try it', 'Test cases', 'Diff', 'Audit trail']);

    // In Indonesian, and on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${readTestStack().apiUrl}/console/participants/${participantId}`);
    await page.getByLabel('Language').selectOption('id');
    await page.getByTestId('participant-stage').getByText('Tidak layak').waitFor({ timeout: UI_TIMEOUT });
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('id');
    // The failed criterion in Bahasa Indonesia, with its legal basis.
    const reason = page.getByTestId('eligibility-reason').filter({ hasText: 'TEST_PROVINCE_EXCLUDED' });
    await reason.getByText('Program ini tidak tersedia di provinsi uji konsol.', { exact: false }).waitFor({ timeout: UI_TIMEOUT });
    await reason.getByText('Dasar: Keputusan uji coba Nomor 2 Tahun 2020, Pasal 1', { exact: false }).waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
    await screenshot(page, 'participant-phone-id');
    await context.close();
  });

  it('lets an operator resend the verification mail with a reason, and shows it on the audit trail', async () => {
    const { participantId: waiting } = await register();
    await waitForJourney(waiting, 'AWAITING_EMAIL_VERIFICATION');
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await newSignedInPage(context, 'Operator');
    await page.goto(`${readTestStack().apiUrl}/console/participants/${waiting}`);
    const actions = page.getByTestId('operator-actions');
    await actions.getByText('No operator action yet.').waitFor({ timeout: UI_TIMEOUT });

    // Without a reason the API refuses and says why; nothing is recorded.
    await actions.getByRole('button', { name: 'Resend verification mail' }).click();
    await actions.getByText('An operator action needs a reason').waitFor({ timeout: UI_TIMEOUT });

    await actions.getByTestId('operator-action-reason').fill('participant says the mail never came');
    await actions.getByRole('button', { name: 'Resend verification mail' }).click();
    const row = actions.getByTestId('audit-trail').getByRole('row', { name: /Verification mail resent/ });
    await row.waitFor({ timeout: UI_TIMEOUT });
    await expect(row.innerText()).resolves.toMatch(/dev-operator[\s\S]*participant says the mail never came[\s\S]*done/);
    await screenshot(page, 'participant-operator-actions');
    await context.close();
  });

  it('lets an operator resend a notice the participant says never came, confirmed first, and an auditor read the notices', async () => {
    const { participantId: eligible } = await registerAndVerify();
    await waitForStage(eligible, 'ELIGIBLE');
    await eventually(async () => {
      const answer = await request(readTestStack().apiUrl, 'GET', `/v1/participants/${eligible}/notices`, { key: KEYS.operator });
      return answer.body.notices?.length === 2 && answer.body.notices.every((notice: { status: string }) => notice.status === 'SENT') ? true : undefined;
    }, 'both notices to be sent');
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const page = await newSignedInPage(context, 'Operator');
    await page.goto(`${readTestStack().apiUrl}/console/participants/${eligible}`);
    const actions = page.getByTestId('operator-actions');
    const resend = actions.getByTestId('notice-resend');
    await resend.locator('select').selectOption('ELIGIBLE', { timeout: UI_TIMEOUT });
    await actions.getByTestId('operator-action-reason').fill('participant says the eligibility mail never came');
    await resend.getByRole('button', { name: 'Resend notice…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this notice again?' });
    await dialog.getByText(/^Eligible, first sent .* by email, as a new message/).waitFor({ timeout: UI_TIMEOUT });
    await dialog.getByText('Reason: participant says the eligibility mail never came').waitFor();
    await dialog.getByRole('button', { name: 'Resend notice' }).click();
    await resend.getByTestId('notice-resent').filter({ hasText: 'Sent again by email: Eligible.' }).waitFor({ timeout: UI_TIMEOUT });
    await actions.getByTestId('participant-notices').getByRole('row', { name: /ELIGIBLE:resend-1/ }).waitFor({ timeout: UI_TIMEOUT });
    const row = actions.getByTestId('audit-trail').getByRole('row', { name: /Notice resent/ });
    await row.waitFor({ timeout: UI_TIMEOUT });
    await expect(row.innerText()).resolves.toMatch(/participant says the eligibility mail never came[\s\S]*done[\s\S]*notice ELIGIBLE/);
    await screenshot(page, 'participant-notice-resend');
    await context.close();

    // An auditor reads the notices, resend included, and is offered no action.
    const auditorContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Jakarta', locale: 'en-GB' });
    const auditor = await newSignedInPage(auditorContext, 'Auditor', 'dev-auditor');
    await auditor.goto(`${readTestStack().apiUrl}/console/participants/${eligible}`);
    const notices = auditor.getByTestId('participant-notices');
    await notices.getByRole('row', { name: /ELIGIBLE:resend-1/ }).waitFor({ timeout: UI_TIMEOUT });
    await expect(notices.getByRole('row').count()).resolves.toBe(4);
    await expect(auditor.getByTestId('notice-resend').count()).resolves.toBe(0);
    await auditorContext.close();
  });
});
