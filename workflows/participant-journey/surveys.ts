// After the incentives, surveys open one after another; each submitted in its window is paid.
import { deadlineAfter, type JourneyState, now } from './journey-state';
import { pay } from './payments';

export async function takeSurveys(journey: JourneyState) {
  const { state, terms } = journey;
  await journey.moveTo('TAKING_SURVEYS');
  for (const survey of state.surveys) {
    await journey.pause(state.calendar.surveyInterval);
    Object.assign(survey, { status: 'OPEN', opensAt: now() });
    journey.openDeadline('SURVEY', deadlineAfter(state.calendar.surveyWindow));
    if (await journey.waitBeforeDeadline('SURVEY', () => journey.submittedSurveys.has(survey.sequence), state.calendar.surveyWindow)) {
      await pay(journey, 'SURVEY', survey.sequence, terms.surveyAmount);
    } else {
      survey.status = 'MISSED';
    }
  }
}
