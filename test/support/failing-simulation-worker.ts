// A rule-set simulation worker that fails on every job, for testing that the failure reaches the caller.
import { runSimulationWorker } from '../../api/rule-sets/rule-set-simulation-worker-loop';

runSimulationWorker(() => {
  throw new Error('this test worker refuses every job');
});
