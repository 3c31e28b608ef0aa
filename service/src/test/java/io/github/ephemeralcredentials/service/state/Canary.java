package io.github.ephemeralcredentials.service.state;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What a log would show of an exception: its stack trace with every cause's and suppressed one's message. */
final class Canary {

    private Canary() {
    }

    static String everythingPrinted(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out, true));
        return out.toString();
    }
}
