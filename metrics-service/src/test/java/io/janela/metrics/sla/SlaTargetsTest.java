package io.janela.metrics.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.metrics.hours.Schedule;
import io.janela.metrics.hours.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which target applies to a response, how it is measured, and which label sets exist from the start. */
class SlaTargetsTest {

    private static final String PN = "100000000000001";
    private static final SlaTargets.Target NUMBER =
            new SlaTargets.Target(PN, null, Duration.ofMinutes(5), Duration.ofMinutes(15), SlaTargets.Clock.CALENDAR);
    private static final SlaTargets.Target SUPPORT =
            new SlaTargets.Target(PN, "support", null, Duration.ofHours(1), SlaTargets.Clock.BUSINESS);
    private static final Schedules NINE_TO_SIX = new Schedules(List.of(new Schedules.Version(
            PN,
            null,
            Schedule.of(
                    "UTC", Map.of("friday", List.of("09:00-18:00"), "monday", List.of("09:00-18:00")), List.of()))));

    private final SlaTargets targets = new SlaTargets(List.of(NUMBER, SUPPORT), List.of("sales"));

    @Test
    void teamsOutsideTheConfiguredSetAreOtherAndNoTeamIsNone() {
        assertThat(targets.teamLabel("support")).isEqualTo("support");
        assertThat(targets.teamLabel("sales")).isEqualTo("sales");
        assertThat(targets.teamLabel("agent-desk-42")).isEqualTo("other");
        assertThat(targets.teamLabel(null)).isEqualTo("none");
        assertThat(targets.teamLabel(" ")).isEqualTo("none");
    }

    @Test
    void aTeamsOwnTargetWinsOverTheNumbersTarget() {
        assertThat(targets.targetFor(PN, "support")).isEqualTo(SUPPORT);
        assertThat(targets.targetFor(PN, "sales")).isEqualTo(NUMBER);
        assertThat(targets.targetFor(PN, "unknown-team")).isEqualTo(NUMBER);
        assertThat(targets.targetFor(PN, null)).isEqualTo(NUMBER);
        assertThat(targets.targetFor("another-number", "support")).isNull();
    }

    @Test
    void aCalendarTargetCountsElapsedTimeAndABusinessTargetOnlyTheNumbersHours() {
        // Friday 2026-11-20 17:30 to Monday 23rd 09:10: 63 h 40 min elapsed, 40 min of business time.
        Instant friday = Instant.parse("2026-11-20T17:30:00Z");
        Instant monday = Instant.parse("2026-11-23T09:10:00Z");

        SlaTargets.Verdict support =
                targets.verdict(SlaTargets.Kind.NEXT_RESPONSE, PN, "support", friday, monday, NINE_TO_SIX);
        assertThat(support.waited()).isEqualTo(Duration.ofMinutes(40));
        assertThat(support.met()).isTrue();
        assertThat(support.teamLabel()).isEqualTo("support");

        SlaTargets.Verdict sales =
                targets.verdict(SlaTargets.Kind.NEXT_RESPONSE, PN, "sales", friday, monday, NINE_TO_SIX);
        assertThat(sales.met()).isFalse();
        assertThat(sales.target()).isEqualTo(NUMBER);

        SlaTargets.Verdict exactlyOnTarget = targets.verdict(
                SlaTargets.Kind.FIRST_RESPONSE, PN, null, friday, friday.plus(Duration.ofMinutes(5)), NINE_TO_SIX);
        assertThat(exactlyOnTarget.met()).as("on the target is met").isTrue();
    }

    @Test
    void noVerdictWhereNoTargetOfThatKindApplies() {
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        assertThat(targets.verdict(SlaTargets.Kind.FIRST_RESPONSE, PN, "support", at, at, NINE_TO_SIX))
                .as("support has no first-response target")
                .isNull();
        assertThat(targets.verdict(SlaTargets.Kind.NEXT_RESPONSE, "another-number", null, at, at, NINE_TO_SIX))
                .isNull();
    }

    @Test
    void listsEveryLabelSetAResponseCanBeCountedUnder() {
        assertThat(targets.labelSets())
                .extracting(verdict -> verdict.kind().label() + "/" + verdict.teamLabel())
                .containsExactlyInAnyOrder(
                        "first_response/none",
                        "first_response/other",
                        "first_response/sales",
                        "next_response/none",
                        "next_response/other",
                        "next_response/sales",
                        "next_response/support");
    }

    @Test
    void refusesTwoTargetsForOneNumberAndTeam() {
        assertThatThrownBy(() -> new SlaTargets(List.of(SUPPORT, SUPPORT), List.of()))
                .hasMessageContaining("two targets for phone number " + PN + " and team support");
    }
}
