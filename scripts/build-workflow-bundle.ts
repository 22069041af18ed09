// `npm run build:workflows -- [file]`: the workflow code bundled ahead of time (default
// dist/workflow-bundle.js), as a production image does at build: a worker started with
// WORKFLOW_BUNDLE_PATH set to the file skips bundling at start (seconds of CPU on every start, and
// the same code on every replica). Built with the payload and failure converters, which a
// prebuilt bundle must carry (lib/temporal/connection.ts).
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_CONVERTERS } from '../lib/temporal/connection';

async function main() {
  const file = path.resolve(process.argv[2] ?? path.join('dist', 'workflow-bundle.js'));
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), ...WORKFLOW_BUNDLE_CONVERTERS });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  console.log(`workflow bundle written: ${file} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error) => {
  console.error(`Bundling the workflow code failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
