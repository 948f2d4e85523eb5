package io.janela.metrics.hours;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every business number's schedules, each from the date it takes effect. A duration is measured in the schedule in
 * force at its event (the answer: the end of the duration), as Zendesk does for single-event metrics: replaying a
 * measurement later gives the same business time, and changing a number's hours from a date on does not rewrite what
 * came before (add a version with a later {@code effective-from} instead of editing the old one). A number with no
 * schedule in force (none configured, or an event before its first version) is open all the time: its business time
 * equals its calendar time.
 */
public final class Schedules {

    /** No schedules: every number is open all the time. */
    public static final Schedules NONE = new Schedules(List.of());

    /** One version of a number's schedule; {@code effectiveFrom} null: since always. */
    public record Version(String phoneNumberId, LocalDate effectiveFrom, Schedule schedule) {}

    private final Map<String, List<Version>> byNumber = new HashMap<>();

    public Schedules(List<Version> versions) {
        for (Version version : versions) {
            byNumber.computeIfAbsent(version.phoneNumberId(), id -> new ArrayList<>())
                    .add(version);
        }
        byNumber.forEach((number, list) -> {
            // Latest first, so that the first one in force at an instant is the one that applies.
            list.sort(Comparator.comparing((Version version) ->
                            version.effectiveFrom() == null ? LocalDate.MIN : version.effectiveFrom())
                    .reversed());
            for (int i = 1; i < list.size(); i++) {
                if (java.util.Objects.equals(
                        list.get(i - 1).effectiveFrom(), list.get(i).effectiveFrom())) {
                    throw new IllegalArgumentException("phone number " + number + " has two schedules effective from "
                            + (list.get(i).effectiveFrom() == null
                                    ? "always"
                                    : list.get(i).effectiveFrom()));
                }
            }
        });
    }

    /** The schedule of {@code phoneNumberId} in force at {@code at}; null when it is open all the time. */
    public Schedule inForceAt(String phoneNumberId, Instant at) {
        for (Version version : byNumber.getOrDefault(phoneNumberId, List.of())) {
            if (version.effectiveFrom() == null
                    || !at.isBefore(version.effectiveFrom()
                            .atStartOfDay(version.schedule().zone())
                            .toInstant())) {
                return version.schedule();
            }
        }
        return null;
    }

    /** Business time of {@code phoneNumberId} in {@code [from, to)}, in the schedule in force at {@code to}. */
    public Duration businessTime(String phoneNumberId, Instant from, Instant to) {
        Schedule schedule = inForceAt(phoneNumberId, to);
        if (schedule == null) {
            return to.isAfter(from) ? Duration.between(from, to) : Duration.ZERO;
        }
        return schedule.between(from, to);
    }
}
