// Where `npm run build:console` puts the console, for the API that serves it and `npm start` that points to it.
import path from 'node:path';

export const CONSOLE_DIST_DIR = path.resolve(__dirname, '..', '..', 'console', 'dist');
