package io.github.ephemeralcredentials.core.policy;

/** Where something was written in a policy file: {@code file:line:column}, 1-based as editors show them. */
public record SourcePosition(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
