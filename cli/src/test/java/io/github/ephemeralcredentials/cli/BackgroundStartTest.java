package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BackgroundStartTest {

    @Test
    void theSupplierGivesWhatTheBackgroundThreadBuilt() {
        Supplier<String> built = BackgroundStart.start(() -> Thread.currentThread().getName(), true);

        assertThat(built.get()).isEqualTo("background-start");
        assertThat(built.get()).as("asked twice, built once").isEqualTo("background-start");
    }

    /** A failure to build (a bad proxy setting, say) reaches the step as if the step had built it itself. */
    @Test
    void aFailureIsRethrownAsItself() {
        IllegalArgumentException failure = new IllegalArgumentException("HTTPS_PROXY is not a URL; fix it");
        Supplier<Object> built = BackgroundStart.start(() -> {
            throw failure;
        }, false);

        assertThatThrownBy(built::get).isSameAs(failure);
    }

    @Test
    void aCheckedFailureIsWrapped() {
        Supplier<Object> built = BackgroundStart.start(() -> {
            throw new java.io.IOException("disk full");
        }, false);

        assertThatThrownBy(built::get).isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(java.io.IOException.class);
    }
}
