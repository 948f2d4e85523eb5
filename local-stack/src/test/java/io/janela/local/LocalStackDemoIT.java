package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.janela.local.demo.Demo;
import io.janela.local.demo.DemoSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack, as the run command starts it (a Kafka node, the registry, the sandbox and the five services as
 * child JVMs from their packaged jars), in a temporary data directory and on free ports, plays the demo with a short
 * window and prints its summary: every count the scenario fixes must be exactly what the services' Prometheus
 * meters show.
 */
class LocalStackDemoIT {

    /** Kept when the test fails: the services' logs are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDirectory;

    @Test
    void theDemoPrintsExactlyWhatItsScenarioMadeHappenAsPrometheusCountsIt() {
        LocalStackOptions options = LocalStackOptions.parse(List.of(
                "--demo", "--window-length=30s", "--data-dir=" + dataDirectory, "--port-offset=" + FreePorts.offset()));
        LocalStack stack =
                new LocalStack(options, Path.of("..").toAbsolutePath().normalize());
        try {
            stack.start();
            assertThat(Banner.text(stack))
                    .contains(stack.webhookUrl())
                    .contains(stack.resolutionsUrl())
                    .contains("/sandbox/customer-replies")
                    .contains("/windows/{phoneNumberId}/{contactId}")
                    .contains("/metrics/summary?phoneNumberId=")
                    .contains("X-Hub-Signature-256: sha256=")
                    .contains(stack.devEndpointUrl())
                    .contains("whatsapp.outbound-requests");

            Demo demo = stack.demo();
            DemoSummary summary = demo.play();
            System.out.println(summary.text());

            Demo.Expected expected = Demo.EXPECTED;
            assertThat(summary.windowLength()).isEqualTo(Duration.ofSeconds(30));
            assertThat(summary.customerMessages()).isEqualTo(expected.customerMessages());
            assertThat(summary.windowsOpened()).isEqualTo(expected.windowsOpened());
            assertThat(summary.windowEventsOpened()).isEqualTo(expected.windowsOpened());
            assertThat(summary.windowsClosed()).isEqualTo(expected.windowsClosed());
            assertThat(summary.windowsClosedReplied()).isEqualTo(expected.windowsClosedReplied());
            assertThat(summary.windowsExpiredWhileWaiting()).isEqualTo(expected.windowsClosedUnreplied());
            assertThat(summary.responseRate()).isCloseTo(5.0 / 7, within(1e-9));
            assertThat(summary.firstResponses()).isEqualTo(expected.firstResponses());
            assertThat(summary.firstResponseP50()).isBetween(0.5, 30.0);
            assertThat(summary.firstResponseP90()).isBetween(summary.firstResponseP50(), 30.0);
            assertThat(summary.summaryP50()).isNotNull().isBetween(0.0, 30.0);
            assertThat(summary.sends()).isEqualTo(expected.sends());
            assertThat(summary.rejectionsByReason()).isEqualTo(expected.rejectionsByReason());
            assertThat(summary.messagesByCategory()).isEqualTo(expected.messagesByCategory());
            // The example rate card, Brazil (+55): marketing 0.06; utility and (since 2026-10-01) service 0.007;
            // the two replies to the ad's customers and Bruno's survey are free (free entry point); the other three
            // surveys are service messages.
            assertThat(summary.costByCategory())
                    .hasEntrySatisfying("marketing", cost -> assertThat(cost).isCloseTo(0.06, within(1e-9)))
                    .hasEntrySatisfying("utility", cost -> assertThat(cost).isCloseTo(0.021, within(1e-9)))
                    .hasEntrySatisfying("service", cost -> assertThat(cost).isCloseTo(0.042, within(1e-9)));
            assertThat(summary.currency()).isEqualTo("USD");
            assertThat(summary.statusesReceived()).isEqualTo(3 * expected.sends());
            // Four surveys asked after resolutions; three answered by a tap on the list (5, 4, 2), one never.
            assertThat(summary.surveysSent()).isEqualTo(expected.surveys());
            assertThat(summary.surveysDelivered()).isEqualTo(expected.surveys());
            assertThat(summary.surveysAnswered()).isEqualTo(expected.surveyAnswers());
            assertThat(summary.surveyScores()).isEqualTo(expected.surveyScores());
            assertThat(summary.surveyAnswersRecorded()).isEqualTo(expected.surveyAnswers());
            assertThat(summary.csat()).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(summary.surveyResponseRate()).isCloseTo(3.0 / 4, within(1e-9));
            assertThat(summary.text())
                    .contains("Windows opened                  7")
                    .contains("Windows closed                  7   (5 with a business reply, 2 expired")
                    .contains("Response rate                   71.4 %")
                    .contains("Rejections                      3")
                    .contains("CSAT                            66.7 %")
                    .contains("Survey response rate            75.0 %")
                    .contains("shortened to 30 s");
            assertThat(Map.copyOf(summary.rejectionsByReason())).containsKey("marketing_opted_out");

            // After the numbers: Lia's call opened a window that a free-form reply used (no fallback); Eva's survey,
            // asked after her window closed, went as the utility survey template; while the account was restricted
            // from business-initiated messages, a template was refused before any call to Meta.
            Demo.Scenes scenes = demo.scenes();
            assertThat(scenes.callReply()).isEqualTo("SENT");
            assertThat(scenes.callReplyFallback()).isFalse();
            assertThat(scenes.survey()).isEqualTo("SENT");
            assertThat(scenes.surveyTemplate()).isEqualTo(Demo.SURVEY_TEMPLATE);
            assertThat(scenes.restricted()).isEqualTo("REJECTED ACCOUNT_RESTRICTED");
            assertThat(scenes.restriction()).isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");
        } finally {
            stack.stop();
        }
    }
}
