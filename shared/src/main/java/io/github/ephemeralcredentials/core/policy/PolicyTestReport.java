package io.github.ephemeralcredentials.core.policy;

import java.util.List;
import java.util.Optional;

/** The outcome of a policy file's own {@code tests:}. */
public record PolicyTestReport(List<Result> results) {

    public PolicyTestReport {
        results = List.copyOf(results);
    }

    /** One test's outcome; {@code failure} says what differed. */
    public record Result(PolicyTest test, Decision decision, Optional<String> failure) {
        public boolean passed() {
            return failure.isEmpty();
        }
    }

    public long passed() {
        return results.stream().filter(Result::passed).count();
    }

    public long failed() {
        return results.size() - passed();
    }

    /** {@code N passed, M failed}. */
    public String summary() {
        return passed() + " passed, " + failed() + " failed";
    }
}
