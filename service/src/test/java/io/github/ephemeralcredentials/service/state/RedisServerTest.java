package io.github.ephemeralcredentials.service.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The fixture's own convention: skip without redis-server, fail instead when EC_REQUIRE_PEERS=true. */
class RedisServerTest {

    @Test
    void withoutRedisServerTheTestsSkipNamingTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> RedisServer.binary(empty.toString(), null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install -y --no-install-recommends redis-server");
        assertThatThrownBy(() -> RedisServer.binary(empty.toString(), "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void withoutRedisServerAndWithEcRequirePeersTheTestsFail(@TempDir Path empty) {
        assertThatThrownBy(() -> RedisServer.binary(empty.toString(), "true"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y --no-install-recommends redis-server")
                .hasMessageContaining("EC_REQUIRE_PEERS=true");
    }

    @Test
    void theServerAnswersUntilStoppedAndAgainAfterARestart() {
        try (RedisServer server = RedisServer.start()) {
            long first = server.pid();
            assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isPresent();
            server.stop();
            assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).as("stopped by PID").isEmpty();
            server.restart();
            assertThat(server.pid()).isNotEqualTo(first);
        }
    }
}
