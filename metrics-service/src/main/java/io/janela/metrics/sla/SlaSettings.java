package io.janela.metrics.sla;

import io.janela.metrics.hours.Schedules;

/**
 * What the conversation step needs to send SLA notices: the targets, the numbers' schedules (business-time targets)
 * and the share of a target after which a waiting contact is at risk.
 */
public record SlaSettings(SlaTargets targets, Schedules schedules, double atRiskShare) {

    /** No targets: no AT_RISK or BREACHED notices (windows closing on a waiting customer are still told). */
    public static final SlaSettings NONE = new SlaSettings(SlaTargets.NONE, Schedules.NONE, 0.8);
}
