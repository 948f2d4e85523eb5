package io.janela.sandbox.control;

import io.janela.sandbox.config.SandboxProperties;
import java.util.ArrayDeque;
import java.util.List;
import org.springframework.stereotype.Component;

/** The latest send requests, for the control API: what was accepted, refused or left unanswered, and when. */
@Component
public class RequestLog {

    private final ArrayDeque<LoggedRequest> requests = new ArrayDeque<>();
    private final int capacity;

    RequestLog(SandboxProperties properties) {
        this.capacity = properties.requestLogSize();
    }

    public synchronized void add(LoggedRequest request) {
        if (requests.size() == capacity) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    public synchronized List<LoggedRequest> all() {
        return List.copyOf(requests);
    }

    public synchronized void clear() {
        requests.clear();
    }
}
