package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.streams.DeadlineRebuild;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class DeadlineRebuildPropertiesTest {

    @Test
    void unsetMeansTheDefaultPace() {
        assertThat(bind(Map.of()).pace()).isEqualTo(DeadlineRebuild.Pace.DEFAULT);
    }

    @Test
    void bindsEachSettingUnderTheServicesPrefix() {
        DeadlineRebuild.Pace pace = bind(Map.of(
                        "janela.window.deadline-rebuild.slice-interval", "20ms",
                        "janela.window.deadline-rebuild.states-per-slice", "5000",
                        "janela.window.deadline-rebuild.time-per-slice", "10ms"))
                .pace();

        assertThat(pace).isEqualTo(new DeadlineRebuild.Pace(Duration.ofMillis(20), 5000, Duration.ofMillis(10)));
    }

    @Test
    void aValueOutOfRangeStopsTheStartNamingTheSettingsAndWhy() {
        assertThatThrownBy(() -> bind(Map.of("janela.window.deadline-rebuild.states-per-slice", "0")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("janela.window.deadline-rebuild")
                .rootCause()
                .hasMessageContaining("must read at least one state: 0");
        assertThatThrownBy(() -> bind(Map.of("janela.window.deadline-rebuild.time-per-slice", "0s")))
                .rootCause()
                .hasMessageContaining("needs some time: PT0S");
        assertThatThrownBy(() -> bind(Map.of("janela.window.deadline-rebuild.slice-interval", "500us")))
                .rootCause()
                .hasMessageContaining("cannot run more often than every 1 ms");
    }

    private static DeadlineRebuildProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("janela.window.deadline-rebuild", Bindable.of(DeadlineRebuildProperties.class));
    }
}
