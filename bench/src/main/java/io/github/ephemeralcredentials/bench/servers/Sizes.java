package io.github.ephemeralcredentials.bench.servers;

/** What the load side reports about the candidates' fixed answer. */
public final class Sizes {

    private Sizes() {
    }

    public static int answerBytes() {
        return TokenAnswer.OK.length;
    }
}
