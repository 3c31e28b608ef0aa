package io.github.ephemeralcredentials.core.policy;

/**
 * One thing wrong with a policy file, at a position, with a stable code and a message that says what to do.
 *
 * @param position where the problem is; the file start for problems of the whole file
 */
public record PolicyProblem(Code code, SourcePosition position, String message) {

    /** Stable, machine-readable kinds of problems. */
    public enum Code {
        /** The file cannot be read. */
        UNREADABLE,
        /** The file is larger than a policy can reasonably be. */
        TOO_LARGE,
        /** The file holds no document. */
        EMPTY,
        /** Not well-formed YAML or JSON. */
        SYNTAX,
        /** Anchors and aliases beyond the limit (the "billion laughs" shape), or a structure nested too deep. */
        TOO_COMPLEX,
        UNKNOWN_KEY,
        MISSING_KEY,
        DUPLICATE_KEY,
        WRONG_TYPE,
        INVALID_VALUE,
        /** A regular expression RE2J rejects. */
        INVALID_REGEX,
        /** A rule or test names a profile the file does not define. */
        UNKNOWN_PROFILE,
        /** A profile names a provider this installation does not have. */
        UNKNOWN_PROVIDER,
        /** A profile's parameter or scope entry its provider does not read. */
        UNKNOWN_PARAMETER,
        /** A lint finding, reported as an error because {@code --strict} was asked for. */
        LINT
    }

    /**
     * {@code file:line:column: message}, the form editors and CI annotations understand; one line, with the text
     * quoted from the file escaped ({@link DisplayText}).
     */
    @Override
    public String toString() {
        return DisplayText.escape(position + ": " + message);
    }
}
