package io.janela.metrics;

import io.janela.testsupport.architecture.JanelaArchitecture;
import org.junit.jupiter.api.Test;

/** The conventions the build checks (root README): no other service, no test library in main code, no sleeping test. */
class ArchitectureTest {

    @Test
    void followsTheConventionsTheBuildChecks() {
        JanelaArchitecture.assertConventions("io.janela.metrics");
    }
}
