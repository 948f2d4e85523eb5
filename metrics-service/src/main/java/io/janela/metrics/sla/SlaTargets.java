package io.janela.metrics.sla;

import io.janela.metrics.hours.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Response targets per business number and team: how long a first response (from a window's opening message) and a
 * next response (from the first unanswered customer message, every answer) may take, on the calendar or the number's
 * business hours. A team's own target for a number wins over the number's target without a team.
 *
 * <p>Teams reach Prometheus only from a configured set: the teams named here and in {@code teams}; any other is
 * {@code other}, a response that named none is {@code none}. Agents never do.
 */
public final class SlaTargets {

    /** No targets: nothing is measured against one. */
    public static final SlaTargets NONE = new SlaTargets(List.of(), List.of());

    /** The team label of a response that named none. */
    public static final String NO_TEAM = "none";

    /** The team label of a team outside the configured set. */
    public static final String OTHER_TEAM = "other";

    /** Which response a target is about. */
    public enum Kind {
        FIRST_RESPONSE,
        NEXT_RESPONSE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which time a target counts. */
    public enum Clock {
        CALENDAR,
        BUSINESS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One target entry.
     *
     * @param team null: the number's target for every team without its own
     * @param firstResponse null: no first-response target
     * @param nextResponse null: no next-response target
     */
    public record Target(
            String phoneNumberId, String team, Duration firstResponse, Duration nextResponse, Clock clock) {

        public Target {
            Objects.requireNonNull(phoneNumberId, "phoneNumberId");
            Objects.requireNonNull(clock, "clock");
        }

        /** The target of {@code kind}, or null. */
        public Duration of(Kind kind) {
            return kind == Kind.FIRST_RESPONSE ? firstResponse : nextResponse;
        }
    }

    /**
     * A response measured against its target.
     *
     * @param waited the time that counts, in the target's clock
     */
    public record Verdict(Target target, Kind kind, String teamLabel, Duration waited, boolean met) {}

    private final Map<String, Target> byNumberAndTeam = new HashMap<>();
    private final Set<String> teams = new LinkedHashSet<>();
    private final List<Target> targets;

    public SlaTargets(List<Target> targets, List<String> teams) {
        this.targets = List.copyOf(targets);
        for (String team : teams) {
            this.teams.add(team.strip());
        }
        for (Target target : targets) {
            if (target.team() != null) {
                this.teams.add(target.team());
            }
            if (byNumberAndTeam.put(key(target.phoneNumberId(), target.team()), target) != null) {
                throw new IllegalArgumentException("two targets for phone number " + target.phoneNumberId()
                        + (target.team() == null ? " without a team" : " and team " + target.team()));
            }
        }
        this.teams.remove(NO_TEAM);
        this.teams.remove(OTHER_TEAM);
    }

    /** The label of {@code team}: itself when configured, {@code none} when null, else {@code other}. */
    public String teamLabel(String team) {
        if (team == null || team.isBlank()) {
            return NO_TEAM;
        }
        return teams.contains(team.strip()) ? team.strip() : OTHER_TEAM;
    }

    /** The target that applies to a response of {@code team} (as written) from {@code phoneNumberId}; null: none. */
    public Target targetFor(String phoneNumberId, String team) {
        String label = teamLabel(team);
        Target own = label.equals(NO_TEAM) || label.equals(OTHER_TEAM)
                ? null
                : byNumberAndTeam.get(key(phoneNumberId, label));
        return own != null ? own : byNumberAndTeam.get(key(phoneNumberId, null));
    }

    /**
     * Measures a response of {@code team} from {@code from} to {@code to} against its {@code kind} target; null when no
     * target applies. Business time is taken in the number's schedule in force at {@code to}.
     */
    public Verdict verdict(
            Kind kind, String phoneNumberId, String team, Instant from, Instant to, Schedules schedules) {
        Target target = targetFor(phoneNumberId, team);
        if (target == null || target.of(kind) == null) {
            return null;
        }
        Duration waited = target.clock() == Clock.BUSINESS
                ? schedules.businessTime(phoneNumberId, from, to)
                : to.isAfter(from) ? Duration.between(from, to) : Duration.ZERO;
        return new Verdict(target, kind, teamLabel(team), waited, waited.compareTo(target.of(kind)) <= 0);
    }

    /**
     * Every (target, kind, team label) a response can be counted under, so that the counters exist at 0 from the
     * start: a team's own target under its team; a number's target under {@code none}, {@code other} and every
     * configured team without its own target for that number.
     */
    public List<Verdict> labelSets() {
        List<Verdict> sets = new ArrayList<>();
        for (Target target : targets) {
            List<String> labels = new ArrayList<>();
            if (target.team() != null) {
                labels.add(target.team());
            } else {
                labels.add(NO_TEAM);
                labels.add(OTHER_TEAM);
                for (String team : teams) {
                    if (!byNumberAndTeam.containsKey(key(target.phoneNumberId(), team))) {
                        labels.add(team);
                    }
                }
            }
            for (Kind kind : Kind.values()) {
                if (target.of(kind) != null) {
                    for (String label : labels) {
                        sets.add(new Verdict(target, kind, label, Duration.ZERO, true));
                    }
                }
            }
        }
        return sets;
    }

    private static String key(String phoneNumberId, String team) {
        return phoneNumberId + '\u0000' + (team == null ? "" : team);
    }
}
