package io.github.ephemeralcredentials.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.github.ephemeralcredentials.core.oidc.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetriesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final Retries retries = new Retries(4, Duration.ofMillis(1), Duration.ofMillis(2), clock);

    /** Only exp matters to Retries; the token is never sent anywhere here. */
    private String tokenExpiringIn(Duration d) {
        return new PlainJWT(new PlainHeader(), new JWTClaimsSet.Builder().expirationTime(Date.from(clock.instant().plus(d))).build()).serialize();
    }

    private static ProviderException unavailable() {
        return new ProviderException("test", ProviderException.Reason.UNAVAILABLE, "IDPCommunicationError", "upstream 503");
    }

    @Test
    void retriesUnavailableUntilSuccess() {
        AtomicInteger attempts = new AtomicInteger();
        String result = retries.run("test", () -> tokenExpiringIn(Duration.ofMinutes(5)), token -> {
            if (attempts.incrementAndGet() < 3) {
                throw unavailable();
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void neverRetriesADenial() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retries.run("test", () -> tokenExpiringIn(Duration.ofMinutes(5)), token -> {
            attempts.incrementAndGet();
            throw new ProviderException("test", ProviderException.Reason.ACCESS_DENIED, "AccessDenied", "no");
        })).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ProviderException.Reason.ACCESS_DENIED));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void stopsAfterMaxAttemptsWithTheLastError() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retries.run("test", () -> tokenExpiringIn(Duration.ofMinutes(5)), token -> {
            attempts.incrementAndGet();
            throw unavailable();
        })).hasMessage("upstream 503");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void fetchesAFreshTokenWhenTheCurrentOneWouldExpire() {
        List<String> seen = new ArrayList<>();
        String expiring = tokenExpiringIn(Duration.ofSeconds(3));
        String fresh = tokenExpiringIn(Duration.ofMinutes(5));
        AtomicInteger supplied = new AtomicInteger();
        String result = retries.run("test", () -> supplied.getAndIncrement() == 0 ? expiring : fresh, token -> {
            seen.add(token);
            if (seen.size() == 1) {
                throw unavailable();
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(seen).containsExactly(expiring, fresh);
    }

    @Test
    void givesUpRatherThanSendAnExpiredToken() {
        AtomicInteger attempts = new AtomicInteger();
        String expiring = tokenExpiringIn(Duration.ofSeconds(3));
        assertThatThrownBy(() -> retries.run("test", () -> expiring, token -> {
            attempts.incrementAndGet();
            throw unavailable();
        })).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.getMessage()).contains("CI token expired").contains("upstream 503");
            assertThat(e.getMessage()).doesNotContain(expiring);
        });
        assertThat(attempts).hasValue(1);
    }

    @Test
    void keepsAStillValidTokenWithoutAskingAgain() {
        AtomicInteger supplied = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        retries.run("test", () -> {
            supplied.incrementAndGet();
            return tokenExpiringIn(Duration.ofMinutes(5));
        }, token -> {
            if (attempts.incrementAndGet() < 2) {
                throw unavailable();
            }
            return "ok";
        });
        assertThat(supplied).hasValue(1);
    }
}
