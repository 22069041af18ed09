import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { buildApp, productionEnvironment, testEnvironment, type AppUnderTest } from './app-under-test';

const INDEX_HTML = '<!doctype html><title>Jalur console</title><div id="root"></div>';

function builtConsole(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-console-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("console")');
  return dir;
}

describe('the console, served by the API', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp({ consoleDistDir: builtConsole(), env: testEnvironment({ TEMPORAL_UI_URL: 'http://ui.example:8233/' }) });
  });
  afterAll(() => api.close());

  it('answers its page without a key, at /console/ and at every address of the app', async () => {
    for (const address of ['/console', '/console/', '/console/rules', '/console/participants/7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f']) {
      const answer = await request(api.app).get(address);
      expect([address, answer.status, answer.headers['content-type']]).toEqual([address, 200, expect.stringContaining('text/html')]);
      expect(answer.text).toBe(INDEX_HTML);
      expect(answer.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year, and a missing file as 404 rather than the page', async () => {
    const asset = await request(api.app).get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await request(api.app).get('/console/assets/index-gone.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('tells the console where the Temporal UI is, and offers the development keys outside production', async () => {
    const answer = await request(api.app).get('/console/config.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      environment: 'test',
      temporalUiUrl: 'http://ui.example:8233',
      temporalNamespace: 'default',
      developmentKeys: { 'program-manager': 'dev-program-manager', operator: 'dev-operator', auditor: 'dev-auditor', reviewer: 'dev-appeals-reviewer' },
    });
  });

  it('offers no keys in production', async () => {
    const production = buildApp({ consoleDistDir: builtConsole(), env: productionEnvironment() });
    const answer = await request(production.app).get('/console/config.json');
    await production.close();
    expect(answer.body).toMatchObject({ environment: 'production', developmentKeys: null });
  });

  it('answers 503 with what to run when the console is not built, and the API keeps serving', async () => {
    const unbuilt = buildApp({ consoleDistDir: path.join(os.tmpdir(), 'jalur-console-never-built') });
    const page = await request(unbuilt.app).get('/console/');
    const openApi = await request(unbuilt.app).get('/openapi.json');
    await unbuilt.close();
    expect(page.status).toBe(503);
    expect(page.body.error).toMatchObject({ code: 'CONSOLE_NOT_BUILT', message: expect.stringContaining('npm run build:console') });
    expect(openApi.status).toBe(200);
  });
});
