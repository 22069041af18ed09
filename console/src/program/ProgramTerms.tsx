// A wave's program terms in one line: training balance, incentives and surveys (count × amount).
import type { ProgramTerms } from '../../../lib/program-terms';
import { useI18n } from '../shared/i18n';

export function ProgramTermsText({ terms }: { terms: ProgramTerms }) {
  const { t, formatRupiah } = useI18n();
  return (
    <>
      {t.termsSummary(
        formatRupiah(terms.trainingBalance),
        t.timesAmount(terms.incentiveCount, formatRupiah(terms.incentiveAmount)),
        t.timesAmount(terms.surveyCount, formatRupiah(terms.surveyAmount)),
      )}
    </>
  );
}
