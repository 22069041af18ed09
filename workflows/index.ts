// The workflows the worker bundles. One workflow per file.
export { participantJourney } from './participant-journey';
export { waveSelection } from './wave-selection';
