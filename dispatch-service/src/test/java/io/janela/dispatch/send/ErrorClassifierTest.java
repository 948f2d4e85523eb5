package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.dispatch.graph.GraphError;
import io.janela.dispatch.graph.SendResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassifierTest {

    @ParameterizedTest(name = "code {0} (HTTP {1}) is {2}")
    @CsvSource({
        "130429, 400, THROTTLED",
        "131000, 500, RETRY",
        "131016, 503, RETRY",
        "131057, 400, RETRY",
        "1, 500, RETRY",
        "4, 400, THROTTLED",
        "80007, 400, THROTTLED",
        "2, 500, DOWNTIME",
        "131056, 400, PAIR_LIMIT",
        "131047, 400, REENGAGEMENT",
        "470, 400, REENGAGEMENT",
        "131026, 400, TERMINAL",
        "131050, 400, TERMINAL",
        "131049, 400, TERMINAL",
        "132000, 400, TERMINAL",
        "132001, 400, TERMINAL",
        "132015, 400, TERMINAL",
        "190, 401, TERMINAL",
        "100, 400, TERMINAL",
        "368, 400, TERMINAL",
        "999999, 502, RETRY"
    })
    void classifiesByMetasErrorCode(int code, int httpStatus, ErrorClass expected) {
        SendResponse refused =
                new SendResponse.Refused(httpStatus, new GraphError(code, null, "OAuthException", "m", "d", "t"));
        assertThat(ErrorClassifier.classify(refused)).isEqualTo(expected);
    }

    @Test
    void retriesAGatewayErrorWithoutAGraphBodyAndFailsOtherAnswersWithoutOne() {
        assertThat(ErrorClassifier.classify(new SendResponse.Refused(503, null)))
                .isEqualTo(ErrorClass.RETRY);
        assertThat(ErrorClassifier.classify(new SendResponse.Refused(404, null)))
                .isEqualTo(ErrorClass.TERMINAL);
    }

    @Test
    void retriesASendThatNeverLeftAndHoldsOneThatMayHaveBeenAccepted() {
        assertThat(ErrorClassifier.classify(new SendResponse.Unanswered(false, "ConnectException")))
                .isEqualTo(ErrorClass.RETRY);
        assertThat(ErrorClassifier.classify(new SendResponse.Unanswered(true, "timeout")))
                .isEqualTo(ErrorClass.IN_DOUBT);
    }

    @Test
    void backsOffExponentiallyWithFullJitterAndWaitsAtLeastTheDowntimeAfterError2() {
        RetryPolicy policy =
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), new Random(11));
        for (int i = 0; i < 100; i++) {
            assertThat(policy.backoff(1, ErrorClass.RETRY)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
            assertThat(policy.backoff(4, ErrorClass.RETRY)).isBetween(Duration.ZERO, Duration.ofSeconds(8));
            assertThat(policy.backoff(30, ErrorClass.RETRY)).isBetween(Duration.ZERO, Duration.ofSeconds(60));
            assertThat(policy.backoff(1, ErrorClass.DOWNTIME)).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        }
    }

    @Test
    void waitsFourToTheXSecondsAfterThePairRateLimit() {
        assertThat(RetryPolicy.pairLimitWait(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.pairLimitWait(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(RetryPolicy.pairLimitWait(3)).isEqualTo(Duration.ofSeconds(16));
        assertThat(RetryPolicy.pairLimitWait(4)).isEqualTo(Duration.ofSeconds(64));
    }
}
