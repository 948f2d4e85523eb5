package io.janela.metrics.summary;

import java.util.ArrayList;
import java.util.List;

/** Satisfaction surveys delivered and answered, summed over buckets and partials. */
final class SurveyTotals {

    private long delivered;
    private final long[] scores = new long[5];

    /** Adds delivered surveys and answers by score (index 0 counts 1); null or short lists add what they hold. */
    void add(long deliveredSurveys, List<Long> answersByScore) {
        delivered += deliveredSurveys;
        if (answersByScore == null) {
            return;
        }
        for (int i = 0; i < Math.min(answersByScore.size(), scores.length); i++) {
            scores[i] += answersByScore.get(i);
        }
    }

    long delivered() {
        return delivered;
    }

    List<Long> answersByScore() {
        List<Long> byScore = new ArrayList<>(scores.length);
        for (long score : scores) {
            byScore.add(score);
        }
        return byScore;
    }

    /** Score: answers of 4 or 5 ÷ answers; response rate: answers ÷ delivered surveys. */
    SummaryReport.Csat csat() {
        long answers = 0;
        for (long score : scores) {
            answers += score;
        }
        long satisfied = scores[3] + scores[4];
        return new SummaryReport.Csat(
                delivered,
                answers,
                answersByScore(),
                answers == 0 ? null : (double) satisfied / answers,
                delivered == 0 ? null : (double) answers / delivered);
    }
}
