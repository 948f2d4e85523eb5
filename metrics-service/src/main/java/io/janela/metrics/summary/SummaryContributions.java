package io.janela.metrics.summary;

import io.janela.avro.CloseReason;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.state.SummaryContribution;

/** What each measurement adds to its phone number's summary. */
final class SummaryContributions {

    private SummaryContributions() {}

    static SummaryContribution of(WindowOpenedMeasurement opened) {
        return SummaryContribution.newBuilder()
                .setOccurredAt(opened.getOccurredAt())
                .setWindowOpened(true)
                .setFirstTimeContact(opened.getFirstContact())
                .build();
    }

    static SummaryContribution of(WindowClosedMeasurement closed) {
        boolean waiting = closed.getCustomerWaitingSince() != null;
        return SummaryContribution.newBuilder()
                .setOccurredAt(closed.getOccurredAt())
                .setWindowClosed(true)
                .setReplied(closed.getBusinessReplied())
                .setCustomerWaiting(waiting)
                .setExpiredWhileWaiting(waiting && closed.getCloseReason() == CloseReason.EXPIRED)
                .build();
    }

    static SummaryContribution of(FirstResponseMeasurement first) {
        return SummaryContribution.newBuilder()
                .setOccurredAt(first.getOccurredAt())
                .setFirstResponseMillis(first.getFirstResponseTimeMillis())
                .setHeadroomMillis(first.getHeadroomMillis())
                .build();
    }

    static SummaryContribution of(ResponseTimeMeasurement response) {
        return SummaryContribution.newBuilder()
                .setOccurredAt(response.getOccurredAt())
                .setResponseTimeMillis(response.getResponseTimeMillis())
                .build();
    }
}
