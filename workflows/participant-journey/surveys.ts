// After the incentives, surveys open one after another; each submitted in its window is paid. A
// participant reinstated by an appeal resumes at the first survey not yet paid or missed.
import { deadlineAfter, type JourneyState, now } from './journey-state';
import { pay } from './payments';

export async function takeSurveys(journey: JourneyState) {
  const { state, terms } = journey;
  await journey.moveTo('TAKING_SURVEYS');
  for (const survey of state.surveys) {
    if (survey.status === 'MISSED' || state.payments.some((payment) => payment.kind === 'SURVEY' && payment.sequence === survey.sequence)) continue;
    if (survey.status === 'SUBMITTED') {
      // Submitted, and revoked before it was paid: paid now.
      await pay(journey, 'SURVEY', survey.sequence, terms.surveyAmount);
      continue;
    }
    await journey.pause(state.calendar.surveyInterval);
    Object.assign(survey, { status: 'OPEN', opensAt: now() });
    journey.openDeadline('SURVEY', deadlineAfter(state.calendar.surveyWindow));
    journey.notify({ kind: 'SURVEY_OPEN', sequence: survey.sequence, of: terms.surveyCount, closesAt: survey.closesAt!, amount: terms.surveyAmount });
    if (await journey.waitBeforeDeadline('SURVEY', () => journey.submittedSurveys.has(survey.sequence), state.calendar.surveyWindow)) {
      await pay(journey, 'SURVEY', survey.sequence, terms.surveyAmount);
    } else {
      survey.status = 'MISSED';
    }
  }
}
