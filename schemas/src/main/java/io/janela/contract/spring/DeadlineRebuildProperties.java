package io.janela.contract.spring;

import io.janela.streams.DeadlineRebuild;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How fast a starting task puts its deadline index back ({@link DeadlineRebuild}), as a service binds it under its own
 * prefix: {@code janela.window.deadline-rebuild.*}, {@code janela.metrics.deadline-rebuild.*} and {@code
 * janela.survey.deadline-rebuild.*}. The defaults are {@link DeadlineRebuild.Pace#DEFAULT}. Checked when the service
 * starts: a value out of range stops it ("Failed to bind properties under 'janela.window.deadline-rebuild'", and
 * {@link DeadlineRebuild.Pace}'s reason).
 *
 * <p>The trade: a task's records wait for each slice, at most about {@code time-per-slice} once per task being
 * rebuilt on the stream thread, while a deadline that only the rebuild puts back fires late by at most the time from
 * the start to the end of the rebuild. Bigger or more frequent slices finish the index sooner and delay records more.
 *
 * @param sliceInterval how often a slice runs (wall clock); 1 ms means on every pass of the stream thread's loop
 * @param statesPerSlice the most states one slice reads
 * @param timePerSlice the most stream-thread time one slice takes (it stops after the state that goes past it)
 */
public record DeadlineRebuildProperties(
        @DefaultValue("1ms") Duration sliceInterval,
        @DefaultValue("100000") int statesPerSlice,
        @DefaultValue("50ms") Duration timePerSlice) {

    public DeadlineRebuildProperties {
        new DeadlineRebuild.Pace(sliceInterval, statesPerSlice, timePerSlice); // its checks, at start
    }

    public DeadlineRebuild.Pace pace() {
        return new DeadlineRebuild.Pace(sliceInterval, statesPerSlice, timePerSlice);
    }
}
