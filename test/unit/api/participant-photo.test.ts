import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { detectPhotoFormat, MAX_PHOTO_BYTES, PhotoStorage } from '../../../api/participants/photo-storage';
import { bearer, buildApp, type AppUnderTest } from './app-under-test';

const PARTICIPANT_ID = '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF jpeg body')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]);

describe('photo formats by magic bytes', () => {
  it('recognises JPEG and PNG whatever they claim to be', () => {
    expect(detectPhotoFormat(JPEG)).toEqual({ contentType: 'image/jpeg', extension: 'jpg' });
    expect(detectPhotoFormat(PNG)).toEqual({ contentType: 'image/png', extension: 'png' });
  });

  it.each([
    ['a GIF', Buffer.from('GIF89a....')],
    ['a PDF', Buffer.from('%PDF-1.7')],
    ['text', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a truncated PNG signature', PNG.subarray(0, 4)],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_what, bytes) => {
    expect(detectPhotoFormat(bytes)).toBeUndefined();
  });
});

describe('PUT /v1/participants/:id/photo', () => {
  let api: AppUnderTest;
  beforeAll(() => {
    api = buildApp();
  });
  afterAll(() => api.close());

  const upload = (bytes: Buffer, contentType = 'image/jpeg', id = PARTICIPANT_ID) =>
    request(api.app).put(`/v1/participants/${id}/photo`).set(bearer('dev-backend')).set('Content-Type', contentType).send(bytes);

  it('answers 415 for anything that is not a JPEG or PNG, whatever the Content-Type says', async () => {
    const answer = await upload(Buffer.from('GIF89a....'), 'image/jpeg');
    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await upload(Buffer.from('%PDF-1.7'), 'application/octet-stream')).status).toBe(415);
  });

  it('answers 413 above 2 MB', async () => {
    const answer = await upload(Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]));
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 without a photo', async () => {
    const answer = await request(api.app).put(`/v1/participants/${PARTICIPANT_ID}/photo`).set(bearer('dev-backend'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 for a malformed participant id', async () => {
    const answer = await upload(JPEG, 'image/jpeg', 'participant-1');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('PARTICIPANT_NOT_FOUND');
  });
});

describe('photo storage', () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jalur-photos-'));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('stores the photo under the participant id, leaving no temporary file', async () => {
    const storage = new PhotoStorage(path.join(directory, 'photos'));
    const stored = await storage.storePhoto(PARTICIPANT_ID, JPEG, detectPhotoFormat(JPEG)!);
    expect(stored).toBe(path.join(directory, 'photos', `${PARTICIPANT_ID}.jpg`));
    expect(fs.readFileSync(stored)).toEqual(JPEG);
    expect(fs.readdirSync(path.join(directory, 'photos'))).toEqual([`${PARTICIPANT_ID}.jpg`]);
  });

  it('removes the JPEG when a PNG replaces it', async () => {
    const storage = new PhotoStorage(directory);
    await storage.storePhoto(PARTICIPANT_ID, JPEG, detectPhotoFormat(JPEG)!);
    await storage.storePhoto(PARTICIPANT_ID, PNG, detectPhotoFormat(PNG)!);
    await storage.removeOtherFormats(PARTICIPANT_ID, detectPhotoFormat(PNG)!);
    expect(fs.readdirSync(directory)).toEqual([`${PARTICIPANT_ID}.png`]);
  });
});
