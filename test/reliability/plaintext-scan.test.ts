// No plaintext NIK, phone or account number where it does not belong: the Temporal database
// (the dev server's SQLite file in the full run; the raw, undecoded workflow history otherwise),
// the logs of every process, and what the API tells an operator.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { api, createOpenWave, createResident, KEYS, registrationFor } from '../support/http';
import { registerAndVerify, selectInWave, setPayoutAccount, verifyEmail } from '../support/journeys';
import { readTestStack, TEST_DATA_DIR } from '../support/test-stack';
import { recordFigures } from './support/figures';
import { findNeedles, findNikShapes, type Finding, type Needle, phoneSpellings, readWithWal } from './support/plaintext-scan';

jest.setTimeout(180_000);

it('finds no plaintext NIK, phone or account number in the Temporal database, the logs or operator responses', async () => {
  const resident = await createResident();
  const phone = `+62813${String(randomInt(10_000_000, 99_999_999))}`;
  const accountNumber = String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100, 999));
  const wave = await createOpenWave();
  const registration = registrationFor(resident, { phone });
  const registered = await api('POST', '/v1/registrations', { body: registration });
  expect(registered.status).toBe(202);
  const participantId = registered.body.participantId as string;
  await verifyEmail({ participantId, resident, registration });
  await setPayoutAccount(participantId, { type: 'BANK', provider: 'BNI', accountNumber, accountName: resident.fullName });
  await selectInWave(participantId, wave.id);
  // A second participant, so listings hold more than one person.
  await registerAndVerify();

  const needles: Needle[] = [
    { what: 'NIK', value: resident.nik },
    ...phoneSpellings(phone).map((value) => ({ what: 'phone', value })),
    { what: 'account number', value: accountNumber },
  ];
  const findings: Finding[] = [];

  // What an operator (and a program manager) can read.
  const operatorReads = [
    ['GET', `/v1/participants/${participantId}`, KEYS.operator],
    ['GET', '/v1/waves', KEYS.operator],
    ['GET', `/v1/waves/${wave.id}`, KEYS.operator],
    ['GET', `/v1/waves/${wave.id}/applicants`, KEYS.operator],
    ['GET', `/v1/waves/${wave.id}/selection`, KEYS.operator],
    ['GET', `/v1/waves/${wave.id}/applicants`, KEYS.programManager],
    ['GET', '/v1/stats/funnel', KEYS.operator],
    ['GET', '/v1/rule-sets', KEYS.operator],
  ] as const;
  let responsesScanned = 0;
  for (const [method, route, key] of operatorReads) {
    const answer = await fetch(`${readTestStack().apiUrl}${route}`, { method, headers: { authorization: `Bearer ${key}` } });
    const text = await answer.text();
    expect(answer.status).toBe(200);
    responsesScanned += 1;
    findings.push(...findNeedles(`API ${route}`, text, needles), ...findNikShapes(`API ${route}`, text));
  }
  const metrics = await fetch(`${readTestStack().apiUrl}/metrics`, { headers: { authorization: `Bearer ${KEYS.operator}` } });
  findings.push(...findNeedles('API /metrics', await metrics.text(), needles));
  responsesScanned += 1;

  // Every process's log so far (API, worker, simulators, Temporal).
  const logs = fs.readFileSync(path.join(TEST_DATA_DIR, 'stack.log'), 'utf8');
  findings.push(...findNeedles('stack.log', logs, needles), ...findNikShapes('stack.log', logs));

  // Temporal: the database file when there is one, else the history as the server returns it, undecoded.
  const { temporalAddress, temporalDevServer } = readTestStack();
  let temporalBytes: Buffer;
  let temporalSource: string;
  if (temporalDevServer?.dbFile) {
    temporalBytes = readWithWal(temporalDevServer.dbFile);
    temporalSource = 'Temporal SQLite file';
  } else {
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      const raw = new Client({ connection });
      const history = await raw.workflow.getHandle(`participant-${participantId}`).fetchHistory();
      temporalBytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      temporalSource = 'raw workflow history';
    } finally {
      await connection.close();
    }
  }
  findings.push(...findNeedles(temporalSource, temporalBytes, needles));
  // The history is not empty of the participant: the scan looked at the right thing.
  expect(temporalBytes.indexOf(participantId)).toBeGreaterThanOrEqual(0);

  recordFigures('plaintext-scan', {
    needles: needles.length,
    operatorResponsesScanned: responsesScanned,
    logBytesScanned: Buffer.byteLength(logs),
    temporalSource,
    temporalBytesScanned: temporalBytes.length,
    findings: findings.length,
    findingsByPlace: findings.map((finding) => `${finding.where}: ${finding.what}`),
  });
  expect(findings).toEqual([]);
});
