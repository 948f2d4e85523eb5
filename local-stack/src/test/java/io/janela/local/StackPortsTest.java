package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the launcher checks before it starts anything ({@link StackPorts}): a port of the stack must be free to bind,
 * and it is not only while a server listens on it but also while an outgoing connection uses it as its source port,
 * open or in TIME_WAIT. That is how the restarted ingress of the launcher fault scenario failed to bind: its port was
 * inside the ephemeral range, and the webhook sender retrying it while it was down connected to itself.
 */
class StackPortsTest {

    @Test
    void aPortHeldByAListenerIsWaitedForUntilItIsReleased() throws IOException {
        ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = holder.getLocalPort();
        assertThat(StackPorts.free(port)).isFalse();
        CompletableFuture.runAsync(() -> close(holder), CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));

        Duration waited = StackPorts.awaitFree(List.of(port), Duration.ofSeconds(20));

        assertThat(waited).isBetween(Duration.ofMillis(600), Duration.ofSeconds(10));
        assertThat(StackPorts.free(port)).isTrue();
    }

    @Test
    void aPortStillTakenAfterTheTimeoutFailsTheStartNamingItsHolder() throws IOException {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = holder.getLocalPort();

            assertThatThrownBy(() -> StackPorts.awaitFree(List.of(port), Duration.ofMillis(300)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port + " is still taken")
                    .hasMessageContaining("LISTEN")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void theSourcePortOfAnOutgoingConnectionCannotBeBoundOpenOrInTimeWait() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Socket accepted = server.accept();
            int sourcePort = client.getLocalPort();

            assertThat(StackPorts.free(sourcePort)).isFalse();
            assertThat(StackPorts.holders(sourcePort)).contains("ESTABLISHED to port " + server.getLocalPort());

            client.close(); // the side that closes first keeps the port in TIME_WAIT (60 s on Linux)
            accepted.close();
            assertThatThrownBy(() -> StackPorts.awaitFree(List.of(sourcePort), Duration.ofMillis(300)))
                    .hasMessageContaining("TIME_WAIT");
        }
    }

    @Test
    void offsetsChosenForTestsKeepEveryPortBelowTheEphemeralRange() {
        StackPorts.Range ephemeral = StackPorts.ephemeralRange();
        for (int i = 0; i < 20; i++) {
            int offset = FreePorts.offset();
            assertThat(StackPorts.inside(StackPorts.all(offset), ephemeral)).isEmpty();
            assertThat(StackPorts.all(offset)).allMatch(port -> port > 1024);
        }
        // The scenario that failed: offset 29,600 put ingress on 37,680, inside Linux's default range.
        assertThat(StackPorts.inside(StackPorts.all(29_600), StackPorts.DEFAULT_EPHEMERAL))
                .contains(8080 + 29_600);
        assertThat(StackPorts.inside(StackPorts.all(0), StackPorts.DEFAULT_EPHEMERAL))
                .isEmpty();
    }

    private static void close(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
