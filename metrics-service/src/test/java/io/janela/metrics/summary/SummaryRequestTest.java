package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SummaryRequestTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration MAX = Duration.ofDays(35);

    @Test
    void withoutARangeItCoversTheDefaultRangeUpToNow() {
        SummaryRequest request = SummaryRequest.parse("106540352242922", null, null, NOW, DAY, MAX);

        assertThat(request).isEqualTo(new SummaryRequest("106540352242922", NOW.minus(DAY), NOW));
    }

    @Test
    void takesIsoInstants() {
        SummaryRequest request =
                SummaryRequest.parse("1", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", NOW, DAY, MAX);

        assertThat(request.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(request.to()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
    }

    @Test
    void refusesAMissingOrMalformedPhoneNumberId() {
        assertThatThrownBy(() -> SummaryRequest.parse(" ", null, null, NOW, DAY, MAX))
                .isInstanceOf(InvalidSummaryRequestException.class)
                .hasMessage("phoneNumberId is required");
        assertThatThrownBy(() -> SummaryRequest.parse("1:2", null, null, NOW, DAY, MAX))
                .isInstanceOf(InvalidSummaryRequestException.class);
    }

    @Test
    void refusesAnUnreadableABackwardsOrATooLongRange() {
        assertThatThrownBy(() -> SummaryRequest.parse("1", "yesterday", null, NOW, DAY, MAX))
                .hasMessageContaining("from must be an ISO-8601 instant");
        assertThatThrownBy(
                        () -> SummaryRequest.parse("1", "2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z", NOW, DAY, MAX))
                .hasMessage("from must be before to");
        assertThatThrownBy(() -> SummaryRequest.parse("1", "2026-01-01T00:00:00Z", null, NOW, DAY, MAX))
                .hasMessageContaining("longer than");
    }

    @Test
    void refusesAnInstantBeyondTheYearsAnEpochMillisecondCanHold() {
        // Valid ISO-8601 with an expanded year: Instant.parse takes it, Instant.toEpochMilli overflows on it.
        assertThatThrownBy(() -> SummaryRequest.parse("1", null, "+300000000-01-01T00:00:00Z", NOW, DAY, MAX))
                .isInstanceOf(InvalidSummaryRequestException.class)
                .hasMessage("to must lie between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, in the years 0000"
                        + " to 9999");
        assertThatThrownBy(() -> SummaryRequest.parse("1", "-300000000-01-01T00:00:00Z", null, NOW, DAY, MAX))
                .isInstanceOf(InvalidSummaryRequestException.class)
                .hasMessageStartingWith("from must lie between");
    }

    @Test
    void takesThePartitionsAnotherInstanceAsksForAndRefusesWhatIsNoPartitionNumber() {
        assertThat(SummaryRequest.partitions("4,0, 2")).containsExactly(0, 2, 4);
        assertThat(SummaryRequest.partitions("")).isEmpty();
        assertThatThrownBy(() -> SummaryRequest.partitions("0,-1")).isInstanceOf(InvalidSummaryRequestException.class);
        assertThatThrownBy(() -> SummaryRequest.partitions("0,,1")).isInstanceOf(InvalidSummaryRequestException.class);
        assertThatThrownBy(() -> SummaryRequest.partitions("99999999999"))
                .isInstanceOf(InvalidSummaryRequestException.class);
    }
}
