package io.janela.avro;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The value schema of every topic of DESIGN.md §2, and of the services' own topics and stores: the contract whose
 * evolution the build checks.
 */
final class TopicSchemas {

    static final List<Schema> ALL = List.of(
            InboundMessage.SCHEMA$,
            MessageStatus.SCHEMA$,
            TemplateEvent.SCHEMA$,
            UserPreference.SCHEMA$,
            ContactWindow.SCHEMA$,
            WindowEvent.SCHEMA$,
            ContactAlias.SCHEMA$,
            OutboundRequest.SCHEMA$,
            Template.SCHEMA$,
            DispatchResult.SCHEMA$,
            CallEvent.SCHEMA$,
            MessageEcho.SCHEMA$,
            AccountEvent.SCHEMA$,
            ConversationResolution.SCHEMA$,
            SurveyEvent.SCHEMA$,
            SlaEvent.SCHEMA$,
            // dispatch-service's own topics and stores
            SendCommand.SCHEMA$,
            SendJournalEntry.SCHEMA$,
            ParkedRequests.SCHEMA$,
            // metrics-service's measurement topics
            ResponseTimeMeasurement.SCHEMA$,
            FirstResponseMeasurement.SCHEMA$,
            WindowOpenedMeasurement.SCHEMA$,
            WindowClosedMeasurement.SCHEMA$,
            DeliveryLatencyMeasurement.SCHEMA$,
            ReadLatencyMeasurement.SCHEMA$,
            MessageFailureMeasurement.SCHEMA$,
            MessageSentMeasurement.SCHEMA$,
            MessagePricingMeasurement.SCHEMA$,
            ResolutionMeasurement.SCHEMA$);

    private TopicSchemas() {}
}
