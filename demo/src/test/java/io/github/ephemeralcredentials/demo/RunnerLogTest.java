package io.github.ephemeralcredentials.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunnerLogTest {

    @Test
    void masksComeFirstAndHideTheValueAndEachOfItsLinesWherePrinted() {
        RunnerLog.Rendered log = RunnerLog.render("""
                ::add-mask::s3cret%0Aline-two
                ::group::Exchange
                token s3cret and line-two
                ::endgroup::
                ::debug::hidden s3cret
                ::error::refused%0A  [FAIL] ref
                """);

        assertThat(log.lines()).containsExactly("Exchange", "token *** and ***", "Error: refused", "  [FAIL] ref");
    }

    @Test
    void nothingBetweenStopCommandsAndItsTokenIsACommandAndTrimStartFindsCommandsBehindUnicodeSpaces() {
        RunnerLog.Rendered log = RunnerLog.render("""
                ::stop-commands::t0k
                ::add-mask::not-a-mask
                ::t0k::
                \u00a0::error::behind a no-break space
                """);

        assertThat(log.masks()).isEmpty();
        assertThat(log.lines()).containsExactly("::add-mask::not-a-mask", "Error: behind a no-break space");
    }
}
